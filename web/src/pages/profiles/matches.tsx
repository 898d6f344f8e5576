import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiProblem, api, fetchData, type Schemas } from '../../api/client.js';
import {
  Loading,
  ProblemSummary,
  SelectField,
  TableWrap,
  TextField,
  useFieldErrors,
} from '../../components/ui.js';
import { useLoad } from '../../hooks.js';
import { useI18n } from '../../i18n.js';
import { ReasonList } from '../review/explanation.js';
import { statusLabel } from '../review/queue.js';

type Match = Schemas['Match'];
const CHANNELS = ['paper_form', 'in_person', 'phone', 'video', 'online'] as const;
const CATEGORIES = ['identity', 'contact', 'disability', 'skills_training', 'preferences'] as const;

/**
 * The person's matches (GET /worker-profiles/:id/matches) with their reasons. Federation staff
 * record here the consent to share with one employer for one opening, which a reviewer needs
 * before proposing (the review queue links here when the API answers consent_required).
 */
export function MatchesSection({
  profileId,
  canRecordConsent,
  canPropose,
  consentsVersion,
  onConsentRecorded,
  setMessage,
}: {
  profileId: string;
  canRecordConsent: boolean;
  /** Reviewers: an approved match leaves the review queue, so it is proposed from here. */
  canPropose: boolean;
  consentsVersion: number;
  onConsentRecorded: () => void;
  setMessage: (m: string | null) => void;
}) {
  const { t, lang } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const matches = useLoad(async () => {
    const page = await fetchData(
      api.GET('/api/v1/worker-profiles/{id}/matches', {
        params: { path: { id: profileId }, query: { limit: 50 } },
      }),
    );
    return page.items.map((m) => ({ match: m, title: m.openingTitle ?? t('match.untitled') }));
  }, [profileId]);
  const consents = useLoad(
    () =>
      fetchData(api.GET('/api/v1/worker-profiles/{id}/consents', { params: { path: { id: profileId } } })),
    [profileId, consentsVersion],
  );
  const [open, setOpen] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const propose = async (m: Match, title: string) => {
    setProblem(null);
    setMessage(null);
    try {
      await fetchData(
        api.POST('/api/v1/matches/{id}/propose', {
          params: { path: { id: m.id } },
          headers: { 'If-Match': `W/"${m.version}"` },
          body: {},
        }),
      );
      setMessage(t('review.proposed', { title }));
      matches.reload();
    } catch (err) {
      setProblem(err);
    }
  };
  const actions = canRecordConsent || canPropose;

  // The review queue links to `#matches`: bring the reader here once the list is on the page.
  useEffect(() => {
    if (matches.data && location.hash === '#matches') {
      heading.current?.scrollIntoView();
      heading.current?.focus();
    }
  }, [matches.data]);

  const shared = (m: Match) =>
    consents.data?.items.some(
      (c) =>
        c.active &&
        c.purpose === 'share_with_employer' &&
        c.employerId === m.employerId &&
        c.openingId === m.openingId,
    ) ?? false;

  return (
    <section aria-labelledby="matches-heading" id="matches">
      <h2 id="matches-heading" ref={heading} tabIndex={-1}>
        {t('profileMatches.title')}
      </h2>
      <ProblemSummary problem={matches.problem ?? problem} />
      {problem instanceof ApiProblem && problem.code === 'consent_required' && (
        <p>{t('review.consentRequired')}</p>
      )}
      {matches.loading && !matches.data ? (
        <Loading />
      ) : matches.data?.length === 0 ? (
        <p>{t('profileMatches.none')}</p>
      ) : matches.data ? (
        <TableWrap label={t('profileMatches.table')}>
          <table>
            <caption>{t('profileMatches.table')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('match.opening')}</th>
                <th scope="col">{t('match.score')}</th>
                <th scope="col">{t('match.status')}</th>
                <th scope="col">{t('match.reasons')}</th>
                {actions && <th scope="col">{t('common.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {matches.data.map(({ match: m, title }) => (
                <tr key={m.id}>
                  <th scope="row">{title}</th>
                  <td>{t('match.scoreOf', { score: m.score })}</td>
                  <td>
                    {t(statusLabel(m.status))}
                    {shared(m) && (
                      <>
                        <br />
                        <span aria-hidden="true">✓ </span>
                        {t('profileMatches.shared')}
                      </>
                    )}
                  </td>
                  <td>
                    <ReasonList reasons={m.reasons} />
                  </td>
                  {actions && (
                    <td>
                      {canPropose && m.status === 'approved' && (
                        <button
                          type="button"
                          aria-label={`${t('review.propose')}${lang === 'en' ? ': ' : '：'}${title}`}
                          onClick={() => void propose(m, title)}
                        >
                          {t('review.propose')}
                        </button>
                      )}
                      {canRecordConsent && !shared(m) && (
                        <button
                          type="button"
                          className="secondary"
                          aria-expanded={open === m.id}
                          aria-label={t('shareConsent.titleFor', { title })}
                          onClick={() => setOpen(open === m.id ? null : m.id)}
                        >
                          {t('shareConsent.record')}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {canRecordConsent &&
        open &&
        matches.data
          ?.filter(({ match }) => match.id === open)
          .map(({ match, title }) => (
            <ShareConsentForm
              key={match.id}
              profileId={profileId}
              match={match}
              title={title}
              onDone={() => {
                setOpen(null);
                setMessage(t('shareConsent.recorded', { title }));
                consents.reload();
                onConsentRecorded();
              }}
            />
          ))}
    </section>
  );
}

/** Consent to share with this employer for this opening (PIPL Art. 23: a separate consent). */
function ShareConsentForm({
  profileId,
  match,
  title,
  onDone,
}: {
  profileId: string;
  match: Match;
  title: string;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const [channel, setChannel] = useState<(typeof CHANNELS)[number]>('paper_form');
  const [textVersion, setTextVersion] = useState('share-2024.1');
  const [categories, setCategories] = useState<string[]>([...CATEGORIES]);
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(problem);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setBusy(true);
    try {
      await fetchData(
        api.POST('/api/v1/worker-profiles/{id}/consents', {
          params: { path: { id: profileId } },
          body: {
            purpose: 'share_with_employer',
            employerId: match.employerId,
            openingId: match.openingId,
            dataCategories: categories as (typeof CATEGORIES)[number][],
            channel,
            textVersion,
            givenBy: 'self',
            assistedByStaff: false,
          },
        }),
      );
      onDone();
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="panel" onSubmit={submit} noValidate aria-busy={busy} aria-labelledby="share-consent">
      <h3 id="share-consent" ref={headingRef} tabIndex={-1}>
        {t('shareConsent.titleFor', { title })}
      </h3>
      <p className="hint">{t('shareConsent.hint')}</p>
      <ProblemSummary problem={problem} />
      <fieldset className="field" id="field-dataCategories">
        <legend>{t('shareConsent.categories')}</legend>
        {errors.dataCategories && (
          <p className="field-error">
            <span aria-hidden="true">✗ </span>
            {errors.dataCategories}
          </p>
        )}
        {CATEGORIES.map((c) => (
          <label key={c} className="check">
            <input
              type="checkbox"
              checked={categories.includes(c)}
              onChange={(e) =>
                setCategories(e.target.checked ? [...categories, c] : categories.filter((x) => x !== c))
              }
            />
            {t(`shareCategory.${c}`)}
          </label>
        ))}
      </fieldset>
      <SelectField
        name="shareChannel"
        label={t('consent.channel')}
        options={CHANNELS.map((c) => ({ value: c, label: t(`consentChannel.${c}`) }))}
        value={channel}
        onChange={(e) => setChannel(e.target.value as (typeof CHANNELS)[number])}
        error={errors.channel}
      />
      <TextField
        name="shareTextVersion"
        label={t('consent.textVersion')}
        required
        value={textVersion}
        onChange={(e) => setTextVersion(e.target.value)}
        error={errors.textVersion}
      />
      <button type="submit" disabled={busy}>
        {t('shareConsent.record')}
      </button>
    </form>
  );
}
