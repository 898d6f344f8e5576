import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiProblem, api, fetchData, type Schemas } from '../../api/client.js';
import { Loading, PageHeading, ProblemSummary, StatusMessage } from '../../components/ui.js';
import { useLoad } from '../../hooks.js';
import { type MessageKey, useI18n } from '../../i18n.js';
import { Link, useLocation } from '../../router.js';
import { ComparisonTable, ReasonList } from './explanation.js';
import { QueueFilters, queueLink } from './queue-filters.js';
import { QUEUE_PAGE, queueQuery, readQueueFilters } from './queue-query.js';

type Match = Schemas['Match'];
type Action = 'approve' | 'reject' | 'propose';
const TARGET: Record<Action, Match['status']> = {
  approve: 'approved',
  reject: 'rejected',
  propose: 'proposed',
};
const DONE: Record<Action, MessageKey> = {
  approve: 'review.approved',
  reject: 'review.rejected',
  propose: 'review.proposed',
};

export const statusLabel = (status: string): MessageKey => `matchStatus.${status}` as MessageKey;

function post(m: Match, action: Action, reasonCode: string) {
  const params = { path: { id: m.id } };
  // The version read: someone acting first makes this a 409 (rolled back) instead of a silent overwrite.
  const headers = { 'If-Match': `W/"${m.version}"` };
  if (action === 'approve') return api.POST('/api/v1/matches/{id}/approve', { params, headers, body: {} });
  if (action === 'propose') return api.POST('/api/v1/matches/{id}/propose', { params, headers, body: {} });
  return api.POST('/api/v1/matches/{id}/reject', { params, headers, body: { reasonCode } });
}

/** Text boxes and lists keep their keys; shortcuts act everywhere else on the page. */
function typing(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName))
  );
}

/**
 * The reviewer's queue: suggestions by score with their reasons; the selected one beside the
 * opening's requirements. Decisions show at once (optimistic) and are put back, with the API's
 * reason, when the server refuses (409: someone acted first, or no share consent to propose).
 */
export function ReviewQueuePage() {
  const { t, lang } = useI18n();
  const { query } = useLocation();
  const filters = readQueueFilters(query);
  const filterKey = JSON.stringify(filters);
  const queue = useLoad(
    () =>
      fetchData(
        api.GET('/api/v1/review/queue', { params: { query: { ...queueQuery(filters), limit: QUEUE_PAGE } } }),
      ),
    [filterKey],
  );
  const reasons = useLoad(() => fetchData(api.GET('/api/v1/review/reasons')), []);
  const [items, setItems] = useState<Match[]>([]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [reasonCode, setReasonCode] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ problem: unknown; match: Match } | null>(null);
  // Further pages: appended below the first, by the cursor of the last page loaded.
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [more, setMore] = useState<{ busy: boolean; problem: unknown }>({ busy: false, problem: null });
  const listRef = useRef<HTMLOListElement>(null);
  const reasonRef = useRef<HTMLSelectElement>(null);
  // The suggestion to give the focus once it is on the page: set together with the appended items
  // (one render), so the effect runs after they are in the DOM. A callback scheduled before the
  // render (requestAnimationFrame) could run first, find nothing, and leave the focus on the "more"
  // button, which the same render may remove.
  const [focusId, setFocusId] = useState<string | null>(null);
  useEffect(() => {
    if (!focusId) return;
    const button = listRef.current?.querySelector<HTMLButtonElement>(`[data-match="${focusId}"]`);
    if (!button) return;
    button.focus();
    setFocusId(null);
  }, [focusId]);

  useEffect(() => {
    if (!queue.data) return;
    const first = queue.data.items;
    setItems(first);
    setNextCursor(queue.data.nextCursor);
    setMore({ busy: false, problem: null });
    setSelectedId((cur) => (cur && first.some((m) => m.id === cur) ? cur : (first[0]?.id ?? null)));
  }, [queue.data]);

  const loadMore = async () => {
    if (!nextCursor || more.busy || queue.loading) return;
    setMore({ busy: true, problem: null });
    try {
      const page = await fetchData(
        api.GET('/api/v1/review/queue', {
          params: { query: { ...queueQuery(filters), limit: QUEUE_PAGE, cursor: nextCursor } },
        }),
      );
      // The first suggestion not already listed (a rescore between two pages may repeat one).
      const listed = new Set(items.map((m) => m.id));
      const firstNew = page.items.find((m) => !listed.has(m.id));
      setItems((cur) => {
        const seen = new Set(cur.map((m) => m.id));
        return [...cur, ...page.items.filter((m) => !seen.has(m.id))];
      });
      setNextCursor(page.nextCursor);
      setMore({ busy: false, problem: null });
      setMessage(t('review.moreLoaded', { n: page.items.length }));
      // The first new suggestion takes the focus, so keyboard users carry on where the list grew.
      if (firstNew) {
        setSelectedId(firstNew.id);
        setFocusId(firstNew.id);
      }
    } catch (err) {
      setMore({ busy: false, problem: err });
    }
  };

  const selected = items.find((m) => m.id === selectedId) ?? null;
  const titleOf = useCallback((m: Match) => m.openingTitle ?? t('match.untitled'), [t]);

  const select = useCallback(
    (offset: number) => {
      if (!items.length) return;
      const at = Math.max(
        0,
        items.findIndex((m) => m.id === selectedId),
      );
      const next = items[Math.min(items.length - 1, Math.max(0, at + offset))]!;
      setSelectedId(next.id);
      listRef.current?.querySelector<HTMLButtonElement>(`[data-match="${next.id}"]`)?.focus();
    },
    [items, selectedId],
  );

  const act = useCallback(
    async (m: Match, action: Action) => {
      if (!m.allowedActions.includes(action)) return;
      if (action === 'reject' && !reasonCode) {
        setFailure(null);
        setMessage(t('review.chooseReason'));
        reasonRef.current?.focus();
        return;
      }
      const before = m;
      setFailure(null);
      setMessage(t('review.working', { title: titleOf(m) }));
      setItems((cur) =>
        cur.map((x) => (x.id === m.id ? { ...x, status: TARGET[action], allowedActions: [] } : x)),
      );
      try {
        const r = await fetchData(post(m, action, reasonCode));
        setItems((cur) =>
          cur.map((x) =>
            x.id === m.id
              ? {
                  ...x,
                  status: r.status as Match['status'],
                  version: r.version,
                  allowedActions: r.allowedActions as Match['allowedActions'],
                }
              : x,
          ),
        );
        setMessage(t(DONE[action], { title: titleOf(m) }));
        if (action === 'reject') setReasonCode('');
      } catch (err) {
        setItems((cur) => cur.map((x) => (x.id === m.id ? before : x)));
        setMessage(null);
        setFailure({ problem: err, match: before });
      }
    },
    [reasonCode, t, titleOf],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      const key = e.key.toLowerCase();
      if (key === 'j') select(1);
      else if (key === 'k') select(-1);
      else if (key === 'a' && selected) void act(selected, 'approve');
      else if (key === 'p' && selected) void act(selected, 'propose');
      else if (key === 'r') reasonRef.current?.focus();
      else return;
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [select, act, selected]);

  const consentMissing =
    failure?.problem instanceof ApiProblem && failure.problem.code === 'consent_required';
  return (
    <>
      <PageHeading title={t('review.title')}>{t('review.title')}</PageHeading>
      <p className="muted">{t('review.intro')}</p>
      <details className="shortcuts">
        <summary>{t('review.shortcuts')}</summary>
        <p>{t('review.shortcutsIntro')}</p>
        <dl className="facts">
          {(['j', 'k', 'a', 'r', 'p'] as const).map((k) => (
            <div key={k}>
              <dt>
                <kbd>{k.toUpperCase()}</kbd>
              </dt>
              <dd>{t(`review.key.${k}`)}</dd>
            </div>
          ))}
        </dl>
      </details>
      <QueueFilters filters={filters} openingTitle={items[0]?.openingTitle ?? undefined} />
      <StatusMessage>{message}</StatusMessage>
      {failure &&
        (consentMissing ? (
          <div className="problem" role="alert">
            <h2 className="problem-title">
              <span aria-hidden="true">⚠ </span>
              {(failure.problem as ApiProblem).title}
            </h2>
            <p>{t('review.consentRequired')}</p>
            <p>
              {t('review.rolledBack', { status: t(statusLabel(failure.match.status)) })}{' '}
              <Link to={`/profiles/${failure.match.profileId}#matches`}>{t('review.consentLink')}</Link>
            </p>
          </div>
        ) : (
          <>
            <ProblemSummary problem={failure.problem} />
            <p role="status">{t('review.rolledBack', { status: t(statusLabel(failure.match.status)) })}</p>
          </>
        ))}
      <ProblemSummary problem={queue.problem ?? reasons.problem} />
      {queue.loading && !queue.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <p>{filterKey === '{}' ? t('review.empty') : t('review.emptyFiltered')}</p>
      ) : (
        <div className="review-layout">
          <section className="review-list" aria-labelledby="review-list-heading">
            <h2 id="review-list-heading">{t('review.list')}</h2>
            <p className="muted small">
              {t('review.shownOf', { n: items.length, total: queue.data?.total ?? items.length })}
            </p>
            <ol ref={listRef}>
              {items.map((m) => {
                const current = m.id === selectedId;
                return (
                  <li key={m.id} className={current ? 'current' : undefined}>
                    <button
                      type="button"
                      className="list-choice"
                      data-match={m.id}
                      aria-pressed={current}
                      onClick={() => setSelectedId(m.id)}
                    >
                      <strong>
                        {current && <span aria-hidden="true">▶ </span>}
                        {titleOf(m)}
                      </strong>
                      <span>
                        {t('match.scoreOf', { score: m.score })} · {t(statusLabel(m.status))} ·{' '}
                        {t('match.waiting')} {t('match.waitingDays', { n: m.waitingDays })}
                      </span>
                    </button>
                    <ReasonList reasons={m.reasons.slice(0, 3)} label={t('review.reasonsOf')} />
                  </li>
                );
              })}
            </ol>
            <ProblemSummary problem={more.problem} />
            {nextCursor && (
              <div className="button-row">
                <button
                  type="button"
                  className="secondary"
                  disabled={more.busy || queue.loading}
                  onClick={() => void loadMore()}
                >
                  {more.busy ? t('app.loading') : t('review.loadMore', { n: QUEUE_PAGE })}
                </button>
              </div>
            )}
          </section>
          <section className="review-detail" aria-labelledby="review-detail-heading">
            {selected ? (
              <>
                <h2 id="review-detail-heading">{titleOf(selected)}</h2>
                <dl className="facts">
                  <div>
                    <dt>{t('match.score')}</dt>
                    <dd>{t('match.scoreOf', { score: selected.score })}</dd>
                  </div>
                  <div>
                    <dt>{t('match.status')}</dt>
                    <dd>{t(statusLabel(selected.status))}</dd>
                  </div>
                  <div>
                    <dt>{t('match.person')}</dt>
                    <dd>
                      <Link to={`/profiles/${selected.profileId}`}>{t('match.openProfile')}</Link>
                    </dd>
                  </div>
                  {!filters.openingId && (
                    <div>
                      <dt>{t('match.opening')}</dt>
                      <dd>
                        <Link
                          to={queueLink({ ...filters, openingId: selected.openingId })}
                          onClick={() => setSelectedId(null)}
                        >
                          {t('review.onlyThisOpening')}
                        </Link>
                      </dd>
                    </div>
                  )}
                </dl>
                <h3>{t('review.reasonsOf')}</h3>
                <ReasonList reasons={selected.reasons} />
                <ComparisonTable matchId={selected.id} title={titleOf(selected)} />
                <fieldset className="panel">
                  <legend>{t('review.actionsFor')}</legend>
                  <div className="button-row">
                    <button
                      type="button"
                      disabled={!selected.allowedActions.includes('approve')}
                      aria-keyshortcuts="A"
                      onClick={() => void act(selected, 'approve')}
                    >
                      {t('review.approve')}
                    </button>
                    <button
                      type="button"
                      disabled={!selected.allowedActions.includes('propose')}
                      aria-keyshortcuts="P"
                      onClick={() => void act(selected, 'propose')}
                    >
                      {t('review.propose')}
                    </button>
                  </div>
                  <div className="field">
                    <label htmlFor="reject-reason">{t('review.rejectReason')}</label>
                    <select
                      id="reject-reason"
                      ref={reasonRef}
                      aria-keyshortcuts="R"
                      value={reasonCode}
                      onChange={(e) => setReasonCode(e.target.value)}
                    >
                      <option value="">—</option>
                      {reasons.data?.reject.map((r) => (
                        <option key={r.code} value={r.code}>
                          {lang === 'en' ? r.en : r.zh}
                        </option>
                      ))}
                    </select>
                  </div>
                  <button
                    type="button"
                    className="secondary"
                    disabled={!selected.allowedActions.includes('reject')}
                    onClick={() => void act(selected, 'reject')}
                  >
                    {t('review.reject')}
                  </button>
                </fieldset>
              </>
            ) : (
              <p id="review-detail-heading">{t('review.pick')}</p>
            )}
          </section>
        </div>
      )}
    </>
  );
}
