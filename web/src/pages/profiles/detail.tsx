import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api, call, fetchData, type Schemas } from '../../api/client.js';
import {
  Loading,
  PageHeading,
  ProblemSummary,
  SelectField,
  StatusMessage,
  TableWrap,
  TextField,
  useFieldErrors,
} from '../../components/ui.js';
import { takeFlash } from '../../flash.js';
import { regionName, useLoad, useRegions } from '../../hooks.js';
import { useI18n } from '../../i18n.js';
import { Link } from '../../router.js';
import { useSession } from '../../session.js';
import { useVocab, vocabLabel, vocabOptions } from '../../vocab.js';
import { PersonalLinkSection } from '../me/staff-section.js';
import { BestOpeningsSection } from './best-openings.js';
import { FitSection } from './fit.js';
import { STATUS_SYMBOL, statusKey } from './labels.js';
import { MatchesSection } from './matches.js';
import { PlacementsSection } from './placements.js';

type Profile = Schemas['WorkerProfile'];
type Revealed = Schemas['WorkerProfileRevealed'];
const REVEAL_REASONS = [
  'contact_person',
  'verify_identity',
  'prepare_transfer',
  'placement_follow_up',
  'data_subject_request',
  'official_report',
] as const;
const CHANNELS = ['paper_form', 'in_person', 'phone', 'video', 'online'] as const;
const WITHDRAWAL_REASONS = ['person_request', 'representative_request', 'purpose_ended', 'other'] as const;

/**
 * One person: the masked record, an audited reveal of the identity that asks why, the consent
 * history with a form to record one, and training records, matches and placements.
 */
export function ProfilePage({ id }: { id: string }) {
  const { t, lang, dateTime } = useI18n();
  const { me } = useSession();
  const regions = useRegions();
  const categories = useVocab('disability_category');
  const levels = useVocab('disability_level');
  const limitations = useVocab('limitation');
  const accommodations = useVocab('accommodation');
  const skills = useVocab('skill');
  const skillLevels = useVocab('skill_level');
  const [message, setMessage] = useState<string | null>(takeFlash);
  // A share consent recorded in the matches section shows in the consent history too.
  const [consentsVersion, setConsentsVersion] = useState(0);
  const profile = useLoad(
    () => fetchData(api.GET('/api/v1/worker-profiles/{id}', { params: { path: { id } } })),
    [id],
  );
  const p = profile.data;
  const staff = me?.user.roles.some((r) => r === 'federation_staff' || r === 'admin') ?? false;
  if (profile.loading && !p) return <Loading />;
  if (!p)
    return (
      <>
        <PageHeading title={t('profile.title')}>{t('profile.title')}</PageHeading>
        <ProblemSummary problem={profile.problem} />
      </>
    );
  const list = (items: string[], vocab: Parameters<typeof vocabLabel>[0]) =>
    items.map((c) => vocabLabel(vocab, c, lang)).join('、') || t('common.none');
  return (
    <>
      <PageHeading title={t('profile.titleOf', { name: p.name })}>
        {t('profile.titleOf', { name: p.name })}
      </PageHeading>
      <p>
        <Link to="/profiles">{t('common.back')}</Link>
      </p>
      <StatusMessage>{message}</StatusMessage>
      <section aria-labelledby="facts-heading">
        <h2 id="facts-heading">{t('profile.factsSection')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('profiles.status')}</dt>
            <dd>
              <span aria-hidden="true">{STATUS_SYMBOL[p.status]} </span>
              {t(statusKey(p.status))}
            </dd>
          </div>
          <div>
            <dt>{t('profile.name')}</dt>
            <dd>{p.name}</dd>
          </div>
          <div>
            <dt>{t('profile.idNumber')}</dt>
            <dd className="mono">{p.idNumber}</dd>
          </div>
          <div>
            <dt>{t('profile.certificateNumber')}</dt>
            <dd className="mono">{p.certificateNumber}</dd>
          </div>
          <div>
            <dt>{t('profile.phone')}</dt>
            <dd className="mono">{p.phone ?? t('common.none')}</dd>
          </div>
          <div>
            <dt>{t('profile.sexAge')}</dt>
            <dd>
              {t(`sex.${p.sex}`)} · {t('profile.age', { n: p.age })}
            </dd>
          </div>
          <div>
            <dt>{t('profile.origin')}</dt>
            <dd>{regionName(regions, p.originCode, lang)}</dd>
          </div>
          <div>
            <dt>{t('profiles.disability')}</dt>
            <dd>
              {vocabLabel(categories, p.disabilityCategory, lang)} ·{' '}
              {vocabLabel(levels, p.disabilityLevel, lang)}
            </dd>
          </div>
        </dl>
        <dl className="facts stacked">
          <div>
            <dt>{t('profile.limitations')}</dt>
            <dd>{list(p.functionalLimitations, limitations)}</dd>
          </div>
          <div>
            <dt>{t('profile.accommodationsNeeded')}</dt>
            <dd>{list(p.accommodationsNeeded, accommodations)}</dd>
          </div>
          <div>
            <dt>{t('profile.skills')}</dt>
            <dd>
              {p.skills
                .map(
                  (s) => `${vocabLabel(skills, s.code, lang)}（${vocabLabel(skillLevels, s.level, lang)}）`,
                )
                .join('、') || t('common.none')}
            </dd>
          </div>
          <div>
            <dt>{t('profile.matching')}</dt>
            <dd>
              {p.matching.eligible ? (
                <>
                  <span aria-hidden="true">✓ </span>
                  {t('profile.eligible')}
                </>
              ) : (
                <>
                  <span aria-hidden="true">✗ </span>
                  {t('profile.notEligible')}：
                  {p.matching.reasons.map((r) => (lang === 'en' ? r.messageEn : r.message)).join('；')}
                </>
              )}
            </dd>
          </div>
        </dl>
      </section>
      {staff && <RevealPanel id={p.id} />}
      {staff && (
        <ConsentsSection
          profile={p}
          refresh={consentsVersion}
          onChanged={profile.reload}
          setMessage={setMessage}
        />
      )}
      <MatchesSection
        profileId={p.id}
        canRecordConsent={me?.user.roles.includes('federation_staff') ?? false}
        canPropose={me?.user.roles.includes('reviewer') ?? false}
        consentsVersion={consentsVersion}
        onConsentRecorded={() => setConsentsVersion((n) => n + 1)}
        setMessage={setMessage}
      />
      <BestOpeningsSection profileId={p.id} />
      {staff && (
        <PersonalLinkSection
          profileId={p.id}
          canIssue={me?.user.roles.includes('federation_staff') ?? false}
        />
      )}
      <FitSection profileId={p.id} />
      <PlacementsSection profileId={p.id} />
      <TrainingSection profile={p} canAdd={staff} onChanged={profile.reload} setMessage={setMessage} />
      <p className="muted small">
        {t('common.version')} {p.version} · {t('profiles.updatedAt')} {dateTime(p.updatedAt)}
      </p>
    </>
  );
}

/** Reveal asks why (the reason is audited with the fields shown); the values stay until hidden. */
function RevealPanel({ id }: { id: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(problem);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (revealed) heading.current?.focus();
  }, [revealed]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setBusy(true);
    try {
      setRevealed(
        await fetchData(
          api.POST('/api/v1/worker-profiles/{id}/reveal', {
            params: { path: { id } },
            body: { reason: reason as (typeof REVEAL_REASONS)[number] },
          }),
        ),
      );
      setOpen(false);
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="reveal-heading">
      <h2 id="reveal-heading" ref={heading} tabIndex={-1}>
        {t('reveal.title')}
      </h2>
      <p className="hint">{t('reveal.intro')}</p>
      {revealed ? (
        <>
          <dl className="facts">
            <div>
              <dt>{t('profile.name')}</dt>
              <dd>{revealed.name}</dd>
            </div>
            <div>
              <dt>{t('profile.idNumber')}</dt>
              <dd className="mono">{revealed.idNumber}</dd>
            </div>
            <div>
              <dt>{t('profile.certificateNumber')}</dt>
              <dd className="mono">{revealed.certificateNumber}</dd>
            </div>
            <div>
              <dt>{t('profile.phone')}</dt>
              <dd className="mono">{revealed.phone ?? t('common.none')}</dd>
            </div>
          </dl>
          <p className="muted small">{t('reveal.audited')}</p>
          <button type="button" className="secondary" onClick={() => setRevealed(null)}>
            {t('reveal.hide')}
          </button>
        </>
      ) : open ? (
        <form onSubmit={submit} noValidate aria-busy={busy}>
          <ProblemSummary problem={problem} labels={{ reason: t('reveal.reason') }} />
          <SelectField
            name="reason"
            label={t('reveal.reason')}
            hint={t('reveal.reasonHint')}
            required
            emptyLabel="—"
            options={REVEAL_REASONS.map((r) => ({ value: r, label: t(`revealReason.${r}`) }))}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            error={errors.reason}
          />
          <div className="button-row">
            <button type="submit" disabled={busy}>
              {t('reveal.confirm')}
            </button>
            <button type="button" className="secondary" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <button type="button" onClick={() => setOpen(true)}>
          {t('reveal.open')}
        </button>
      )}
    </section>
  );
}

function ConsentsSection({
  profile,
  refresh,
  onChanged,
  setMessage,
}: {
  profile: Profile;
  refresh: number;
  onChanged: () => void;
  setMessage: (m: string | null) => void;
}) {
  const { t, dateTime } = useI18n();
  const consents = useLoad(
    () =>
      fetchData(api.GET('/api/v1/worker-profiles/{id}/consents', { params: { path: { id: profile.id } } })),
    [profile.id, profile.version, refresh],
  );
  const [form, setForm] = useState({
    channel: 'paper_form' as (typeof CHANNELS)[number],
    textVersion: 'pi-2024.1',
    givenBy: 'self' as 'self' | 'guardian' | 'supporter',
    representativeName: '',
    assistedByStaff: false,
  });
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(problem);
  const record = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setMessage(null);
    setBusy(true);
    try {
      await fetchData(
        api.POST('/api/v1/worker-profiles/{id}/consents', {
          params: { path: { id: profile.id } },
          body: {
            purpose: 'sensitive_processing',
            channel: form.channel,
            textVersion: form.textVersion,
            givenBy: form.givenBy,
            assistedByStaff: form.assistedByStaff,
            ...(form.givenBy !== 'self'
              ? { representative: { relation: form.givenBy, name: form.representativeName } }
              : {}),
          },
        }),
      );
      setMessage(t('consent.recorded'));
      consents.reload();
      onChanged();
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  };
  const withdraw = async (consentId: string) => {
    setProblem(null);
    setMessage(null);
    try {
      await fetchData(
        api.POST('/api/v1/worker-profiles/{id}/consents/{consentId}/withdraw', {
          params: { path: { id: profile.id, consentId } },
          body: { reason: WITHDRAWAL_REASONS[0], channel: 'in_person' },
        }),
      );
      setMessage(t('consent.withdrawn'));
      consents.reload();
      onChanged();
    } catch (err) {
      setProblem(err);
    }
  };
  return (
    <section aria-labelledby="consents-heading">
      <h2 id="consents-heading">{t('consent.title')}</h2>
      <p>
        {profile.consent.processing ? (
          <>
            <span aria-hidden="true">✓ </span>
            {t('consent.processingSince', { time: dateTime(profile.consent.since) })}
          </>
        ) : (
          <>
            <span aria-hidden="true">✗ </span>
            {t('consent.noProcessing')}
          </>
        )}
      </p>
      <ProblemSummary problem={problem ?? consents.problem} />
      {consents.data && (
        <TableWrap label={t('consent.history')}>
          <table>
            <caption>{t('consent.history')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('consent.purpose')}</th>
                <th scope="col">{t('consent.givenAt')}</th>
                <th scope="col">{t('consent.channel')}</th>
                <th scope="col">{t('consent.givenBy')}</th>
                <th scope="col">{t('consent.state')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {consents.data.items.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{t(`consentPurpose.${c.purpose}`)}</th>
                  <td className="nowrap">{dateTime(c.givenAt)}</td>
                  <td>{t(`consentChannel.${c.channel}`)}</td>
                  <td>
                    {t(`consentGiver.${c.givenBy}`)}
                    {c.representative ? ` · ${c.representative.name}` : ''}
                  </td>
                  <td>
                    {c.active ? (
                      <>
                        <span aria-hidden="true">✓ </span>
                        {t('consent.active')}
                      </>
                    ) : (
                      <>
                        <span aria-hidden="true">– </span>
                        {t('consent.withdrawnAt', { time: dateTime(c.withdrawnAt) })}
                      </>
                    )}
                  </td>
                  <td>
                    {c.active && (
                      <button
                        type="button"
                        className="secondary"
                        aria-label={t('consent.withdrawOf', { purpose: t(`consentPurpose.${c.purpose}`) })}
                        onClick={() => void withdraw(c.id)}
                      >
                        {t('consent.withdraw')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {consents.data?.items.length === 0 && <p>{t('common.noRows')}</p>}
      <form className="panel" onSubmit={record} noValidate aria-busy={busy} aria-labelledby="record-consent">
        <h3 id="record-consent">{t('consent.recordTitle')}</h3>
        <p className="hint">{t('consent.recordHint')}</p>
        <SelectField
          name="channel"
          label={t('consent.channel')}
          options={CHANNELS.map((c) => ({ value: c, label: t(`consentChannel.${c}`) }))}
          value={form.channel}
          onChange={(e) => setForm({ ...form, channel: e.target.value as (typeof CHANNELS)[number] })}
          error={errors.channel}
        />
        <TextField
          name="textVersion"
          label={t('consent.textVersion')}
          required
          value={form.textVersion}
          onChange={(e) => setForm({ ...form, textVersion: e.target.value })}
          error={errors.textVersion}
        />
        <SelectField
          name="givenBy"
          label={t('consent.givenBy')}
          options={(['self', 'guardian', 'supporter'] as const).map((g) => ({
            value: g,
            label: t(`consentGiver.${g}`),
          }))}
          value={form.givenBy}
          onChange={(e) => setForm({ ...form, givenBy: e.target.value as 'self' | 'guardian' | 'supporter' })}
        />
        {form.givenBy !== 'self' && (
          <TextField
            name="representative"
            label={t('consent.representativeName')}
            required
            value={form.representativeName}
            onChange={(e) => setForm({ ...form, representativeName: e.target.value })}
            error={errors.representative}
          />
        )}
        <label className="check">
          <input
            type="checkbox"
            checked={form.assistedByStaff}
            onChange={(e) => setForm({ ...form, assistedByStaff: e.target.checked })}
          />
          {t('consent.assisted')}
        </label>
        <button type="submit" disabled={busy}>
          {t('consent.record')}
        </button>
      </form>
    </section>
  );
}

function TrainingSection({
  profile,
  canAdd,
  onChanged,
  setMessage,
}: {
  profile: Profile;
  canAdd: boolean;
  onChanged: () => void;
  setMessage: (m: string | null) => void;
}) {
  const { t, lang } = useI18n();
  const programmes = useVocab('training_programme');
  const [form, setForm] = useState({
    programmeCode: '',
    providerName: '',
    startDate: '',
    endDate: '',
    hours: '',
  });
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(problem);
  const labels = {
    programmeCode: t('training.programme'),
    providerName: t('training.provider'),
    startDate: t('training.start'),
    endDate: t('training.end'),
    hours: t('training.hours'),
  };
  const add = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setMessage(null);
    setBusy(true);
    try {
      await call(
        api.POST('/api/v1/worker-profiles/{id}/training-records', {
          params: { path: { id: profile.id } },
          body: { ...form, hours: Number(form.hours) || 0 },
        }),
      );
      setMessage(t('training.added'));
      setForm({ programmeCode: '', providerName: '', startDate: '', endDate: '', hours: '' });
      onChanged();
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="training-heading">
      <h2 id="training-heading">{t('training.title')}</h2>
      {profile.training.length ? (
        <TableWrap label={t('training.title')}>
          <table>
            <caption>{t('training.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{labels.programmeCode}</th>
                <th scope="col">{labels.providerName}</th>
                <th scope="col">{t('training.dates')}</th>
                <th scope="col">{labels.hours}</th>
                <th scope="col">{t('training.certificate')}</th>
              </tr>
            </thead>
            <tbody>
              {profile.training.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{vocabLabel(programmes, r.programmeCode, lang)}</th>
                  <td>{r.providerName}</td>
                  <td className="nowrap">
                    {r.startDate} – {r.endDate}
                  </td>
                  <td>{r.hours}</td>
                  <td className="mono">{r.certificateNumber ?? t('common.none')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : (
        <p>{t('training.none')}</p>
      )}
      {canAdd && (
        <form className="panel" onSubmit={add} noValidate aria-busy={busy} aria-labelledby="add-training">
          <h3 id="add-training">{t('training.add')}</h3>
          <ProblemSummary problem={problem} labels={labels} />
          <SelectField
            name="programmeCode"
            label={labels.programmeCode}
            required
            emptyLabel="—"
            options={vocabOptions(programmes, lang)}
            value={form.programmeCode}
            onChange={(e) => setForm({ ...form, programmeCode: e.target.value })}
            error={errors.programmeCode}
          />
          <TextField
            name="providerName"
            label={labels.providerName}
            required
            value={form.providerName}
            onChange={(e) => setForm({ ...form, providerName: e.target.value })}
            error={errors.providerName}
          />
          <TextField
            name="startDate"
            type="date"
            label={labels.startDate}
            required
            value={form.startDate}
            onChange={(e) => setForm({ ...form, startDate: e.target.value })}
            error={errors.startDate}
          />
          <TextField
            name="endDate"
            type="date"
            label={labels.endDate}
            required
            value={form.endDate}
            onChange={(e) => setForm({ ...form, endDate: e.target.value })}
            error={errors.endDate}
          />
          <TextField
            name="hours"
            type="number"
            min={1}
            label={labels.hours}
            required
            value={form.hours}
            onChange={(e) => setForm({ ...form, hours: e.target.value })}
            error={errors.hours}
          />
          <button type="submit" disabled={busy}>
            {t('training.add')}
          </button>
        </form>
      )}
    </section>
  );
}
