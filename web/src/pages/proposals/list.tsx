import { type FormEvent, type ReactNode, useState } from 'react';
import { api, fetchData, type Schemas } from '../../api/client.js';
import {
  Loading,
  PageHeading,
  ProblemSummary,
  SelectField,
  StatusMessage,
  TextField,
  useFieldErrors,
} from '../../components/ui.js';
import { regionName, useLoad, useRegions } from '../../hooks.js';
import { type MessageKey, useI18n } from '../../i18n.js';
import { Link, useLocation } from '../../router.js';
import { useSession } from '../../session.js';
import { useVocab, vocabLabel } from '../../vocab.js';
import { statusLabel } from '../review/queue.js';

type Proposal = Schemas['Proposal'];
type Reasons = { code: string; zh: string; en: string }[];
interface Anonymised {
  ref?: string;
  age?: number;
  sex?: 'male' | 'female';
  originPrefectureCode?: string;
  accommodationsNeeded?: string[];
  skills?: { code: string; level: string }[];
}

/**
 * The employer's proposals: anonymised (a reference, age, home prefecture, needs, skills) until the
 * person consents to share with this employer for this opening, then name and phone too. The forms
 * offered follow the API's `allowedActions` for each proposal.
 */
export function ProposalsPage() {
  const { t } = useI18n();
  const { query } = useLocation();
  // `?status=proposed` (the start page's link): only the proposals still waiting for an answer.
  const status = query.get('status') === 'proposed' ? ('proposed' as const) : undefined;
  const proposals = useLoad(
    () =>
      fetchData(
        api.GET('/api/v1/employer/proposals', {
          params: { query: { limit: 50, ...(status ? { status } : {}) } },
        }),
      ),
    [status],
  );
  const reasons = useLoad(() => fetchData(api.GET('/api/v1/review/reasons')), []);
  const [message, setMessage] = useState<string | null>(null);
  return (
    <>
      <PageHeading title={t('proposals.title')}>{t('proposals.title')}</PageHeading>
      <p className="muted">{t('proposals.intro')}</p>
      {status ? (
        <p>
          {t('proposals.onlyWaiting')} <Link to="/proposals">{t('proposals.showAll')}</Link>
        </p>
      ) : null}
      <StatusMessage>{message}</StatusMessage>
      <ProblemSummary problem={proposals.problem ?? reasons.problem} />
      <QuotaPanel version={message} />
      {proposals.loading && !proposals.data ? (
        <Loading />
      ) : proposals.data?.items.length === 0 ? (
        <p>{t('proposals.none')}</p>
      ) : (
        proposals.data?.items.map((p) => (
          <ProposalCard
            key={p.id}
            proposal={p}
            declineReasons={reasons.data?.decline ?? []}
            modes={reasons.data?.interviewModes ?? ['on_site', 'video', 'by_federation']}
            onDone={(text) => {
              setMessage(text);
              proposals.reload();
            }}
          />
        ))
      )}
    </>
  );
}

function ProposalCard({
  proposal: p,
  declineReasons,
  modes,
  onDone,
}: {
  proposal: Proposal;
  declineReasons: Reasons;
  modes: readonly string[];
  onDone: (message: string) => void;
}) {
  const { t, lang, dateTime } = useI18n();
  const regions = useRegions();
  const accommodations = useVocab('accommodation');
  const skills = useVocab('skill');
  const profile = (p.profile ?? {}) as Anonymised;
  // The same short reference the people list shows (the end of the id).
  const ref = `…${(profile.ref ?? p.id).slice(-6)}`;
  const who = p.identity
    ? t('proposals.named', { name: p.identity.name, ref })
    : t('proposals.candidate', { ref });
  const headingId = `proposal-${p.id}`;
  const can = (a: Proposal['allowedActions'][number]) => p.allowedActions.includes(a);
  return (
    <section className="panel wide" aria-labelledby={headingId}>
      <h2 id={headingId}>{who}</h2>
      <dl className="facts">
        <div>
          <dt>{t('match.opening')}</dt>
          <dd>{p.openingTitle ?? t('match.untitled')}</dd>
        </div>
        <div>
          <dt>{t('match.status')}</dt>
          <dd>{t(statusLabel(p.status))}</dd>
        </div>
        <div>
          <dt>{t('proposals.proposedAt')}</dt>
          <dd>{dateTime(p.proposedAt)}</dd>
        </div>
        {p.identity ? (
          <div>
            <dt>{t('proposals.phone')}</dt>
            <dd className="mono">{p.identity.phone ?? t('common.none')}</dd>
          </div>
        ) : (
          <div>
            <dt>{t('profile.name')}</dt>
            <dd>
              <span aria-hidden="true">🔒 </span>
              {t('proposals.pending')}
            </dd>
          </div>
        )}
        {profile.sex && (
          <div>
            <dt>{t('proposals.sexAge')}</dt>
            <dd>
              {t(`sex.${profile.sex}`)} · {t('profile.age', { n: profile.age ?? '' })}
            </dd>
          </div>
        )}
        {profile.originPrefectureCode && (
          <div>
            <dt>{t('proposals.originPrefecture')}</dt>
            <dd>{regionName(regions, profile.originPrefectureCode, lang)}</dd>
          </div>
        )}
      </dl>
      <dl className="facts stacked">
        <div>
          <dt>{t('profile.accommodationsNeeded')}</dt>
          <dd>
            {(profile.accommodationsNeeded ?? [])
              .map((c) => vocabLabel(accommodations, c, lang))
              .join('、') || t('common.none')}
          </dd>
        </div>
        <div>
          <dt>{t('profile.skills')}</dt>
          <dd>
            {(profile.skills ?? []).map((s) => vocabLabel(skills, s.code, lang)).join('、') ||
              t('common.none')}
          </dd>
        </div>
        {p.interview && (
          <div>
            <dt>{t('proposals.interview')}</dt>
            <dd>
              {dateTime(p.interview.at)} · {t(`interviewMode.${p.interview.mode}` as MessageKey)}
            </dd>
          </div>
        )}
      </dl>
      {p.allowedActions.length > 0 && (
        <Actions p={p} who={who} can={can} declineReasons={declineReasons} modes={modes} onDone={onDone} />
      )}
    </section>
  );
}

function Actions({
  p,
  who,
  can,
  declineReasons,
  modes,
  onDone,
}: {
  p: Proposal;
  who: string;
  can: (a: Proposal['allowedActions'][number]) => boolean;
  declineReasons: Reasons;
  modes: readonly string[];
  onDone: (message: string) => void;
}) {
  const { t, lang } = useI18n();
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(problem);
  const [declineReason, setDeclineReason] = useState('');
  const [interview, setInterview] = useState({ at: '', mode: modes[0] ?? 'on_site' });
  const [hire, setHire] = useState({
    contractStart: '',
    contractEnd: '',
    monthlyWage: '',
    socialInsurance: true,
  });
  const params = { path: { id: p.id } };
  const headers = { 'If-Match': `W/"${p.version}"` };

  const run = async (e: FormEvent | null, send: () => Promise<unknown>, done: MessageKey) => {
    e?.preventDefault();
    setProblem(null);
    setBusy(true);
    try {
      await fetchData(send() as Promise<{ data?: unknown; error?: unknown; response: Response }>);
      onDone(t(done, { who }));
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  };
  const form = (title: string, id: string, onSubmit: (e: FormEvent) => void, children: ReactNode) => (
    <form className="sub-form" onSubmit={onSubmit} noValidate aria-busy={busy} aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {children}
    </form>
  );
  return (
    <section aria-label={t('proposals.actionsOf', { who })}>
      <ProblemSummary
        problem={problem}
        labels={{
          at: t('proposals.interviewAt'),
          contractStart: t('proposals.contractStart'),
          contractEnd: t('proposals.contractEnd'),
          monthlyWage: t('proposals.monthlyWage'),
        }}
      />
      {can('interested') && (
        <p>
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void run(
                null,
                () => api.POST('/api/v1/matches/{id}/interested', { params, headers, body: {} }),
                'proposals.interestedDone',
              )
            }
          >
            {t('proposals.interestedAction')}
          </button>
        </p>
      )}
      {can('decline') &&
        form(
          t('proposals.declineAction'),
          `decline-${p.id}`,
          (e) =>
            void run(
              e,
              () =>
                api.POST('/api/v1/matches/{id}/decline', {
                  params,
                  headers,
                  body: { reasonCode: declineReason },
                }),
              'proposals.declineDone',
            ),
          <>
            <SelectField
              name={`declineReason-${p.id}`}
              label={t('proposals.declineReason')}
              required
              emptyLabel="—"
              options={declineReasons.map((r) => ({ value: r.code, label: lang === 'en' ? r.en : r.zh }))}
              value={declineReason}
              onChange={(e) => setDeclineReason(e.target.value)}
              error={errors.reasonCode}
            />
            <button type="submit" className="secondary" disabled={busy}>
              {t('proposals.declineAction')}
            </button>
          </>,
        )}
      {can('interview') &&
        form(
          t('proposals.interviewTitle'),
          `interview-${p.id}`,
          (e) =>
            void run(
              e,
              () =>
                api.POST('/api/v1/matches/{id}/interview', {
                  params,
                  headers,
                  body: {
                    // datetime-local has no zone: the reader's local time, sent with its offset.
                    at: interview.at ? new Date(interview.at).toISOString() : '',
                    mode: interview.mode as 'on_site',
                  },
                }),
              'proposals.interviewDone',
            ),
          <>
            <TextField
              name={`interviewAt-${p.id}`}
              type="datetime-local"
              label={t('proposals.interviewAt')}
              required
              value={interview.at}
              onChange={(e) => setInterview({ ...interview, at: e.target.value })}
              error={errors.at}
            />
            <SelectField
              name={`interviewMode-${p.id}`}
              label={t('proposals.interviewMode')}
              options={modes.map((m) => ({ value: m, label: t(`interviewMode.${m}` as MessageKey) }))}
              value={interview.mode}
              onChange={(e) => setInterview({ ...interview, mode: e.target.value })}
              error={errors.mode}
            />
            <button type="submit" disabled={busy}>
              {t('proposals.interviewAction')}
            </button>
          </>,
        )}
      {can('hire') &&
        form(
          t('proposals.hireTitle'),
          `hire-${p.id}`,
          (e) =>
            void run(
              e,
              () =>
                api.POST('/api/v1/matches/{id}/hire', {
                  params,
                  headers,
                  body: {
                    contractStart: hire.contractStart,
                    contractEnd: hire.contractEnd,
                    monthlyWage: Number(hire.monthlyWage) || 0,
                    socialInsurance: hire.socialInsurance,
                  },
                }),
              'proposals.hireDone',
            ),
          <>
            <TextField
              name={`contractStart-${p.id}`}
              type="date"
              label={t('proposals.contractStart')}
              required
              value={hire.contractStart}
              onChange={(e) => setHire({ ...hire, contractStart: e.target.value })}
              error={errors.contractStart}
            />
            <TextField
              name={`contractEnd-${p.id}`}
              type="date"
              label={t('proposals.contractEnd')}
              required
              value={hire.contractEnd}
              onChange={(e) => setHire({ ...hire, contractEnd: e.target.value })}
              error={errors.contractEnd}
            />
            <TextField
              name={`monthlyWage-${p.id}`}
              type="number"
              inputMode="numeric"
              min={1}
              label={t('proposals.monthlyWage')}
              required
              value={hire.monthlyWage}
              onChange={(e) => setHire({ ...hire, monthlyWage: e.target.value })}
              error={errors.monthlyWage}
            />
            <label className="check">
              <input
                type="checkbox"
                checked={hire.socialInsurance}
                onChange={(e) => setHire({ ...hire, socialInsurance: e.target.checked })}
              />
              {t('proposals.socialInsurance')}
            </label>
            <button type="submit" disabled={busy}>
              {t('proposals.hireAction')}
            </button>
          </>,
        )}
    </section>
  );
}

/** The employer's quota employment credit (GET /employers/:id/quota), read again after each action. */
function QuotaPanel({ version }: { version: string | null }) {
  const { t } = useI18n();
  const { me } = useSession();
  const id = me?.organization.id ?? '';
  const quota = useLoad(
    () => fetchData(api.GET('/api/v1/employers/{id}/quota', { params: { path: { id } } })),
    [id, version],
  );
  const q = quota.data;
  if (!q) return <ProblemSummary problem={quota.problem} />;
  const n = (v: number | null) => (v === null ? t('quota.unknown') : String(v));
  return (
    <section className="panel wide" aria-labelledby="quota-heading">
      <h2 id="quota-heading">{t('quota.title')}</h2>
      <p className="hint">{t('quota.hint', { day: q.day })}</p>
      <dl className="facts">
        <div>
          <dt>{t('quota.staff')}</dt>
          <dd>{n(q.staffCount)}</dd>
        </div>
        <div>
          <dt>{t('quota.rate')}</dt>
          <dd>{q.ratePercent}%</dd>
        </div>
        <div>
          <dt>{t('quota.required')}</dt>
          <dd>{n(q.required)}</dd>
        </div>
        <div>
          <dt>{t('quota.credited')}</dt>
          <dd>{q.credited}</dd>
        </div>
        <div>
          <dt>{t('quota.shortfall')}</dt>
          <dd>{n(q.shortfall)}</dd>
        </div>
      </dl>
    </section>
  );
}
