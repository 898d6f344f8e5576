import { type FormEvent, useEffect, useState } from 'react';
import { SelectField, TextField } from '../../components/ui.js';
import { regionName, useRegions } from '../../hooks.js';
import { useI18n } from '../../i18n.js';
import { Link, navigate, withQuery } from '../../router.js';

/** Suggestions per request; "more" appends the next page by the API's cursor. */
export const QUEUE_PAGE = 50;
const PATH = '/review';

export const QUEUE_SORTS = ['-score', 'suggestedAt', '-suggestedAt', 'score'] as const;
type Sort = (typeof QUEUE_SORTS)[number];

/** The filters the queue API takes, as the URL holds them (a reload or shared link keeps them). */
export interface QueueFilterValues {
  prefecture?: string;
  openingId?: string;
  scoreMin?: string;
  waitingDays?: string;
  sort?: Sort;
}

const SICHUAN_CODE = /^51\d{4}$/;
const OBJECT_ID = /^[0-9a-f]{24}$/;
const WHOLE = /^\d{1,4}$/;
const SCORE = /^\d{1,3}(\.\d{1,4})?$/;

/** Reads the filters from the URL, dropping values the API would refuse (a hand-edited link). */
export function readQueueFilters(query: URLSearchParams): QueueFilterValues {
  const out: QueueFilterValues = {};
  const prefecture = query.get('prefecture');
  if (prefecture && SICHUAN_CODE.test(prefecture)) out.prefecture = prefecture;
  const openingId = query.get('openingId');
  if (openingId && OBJECT_ID.test(openingId)) out.openingId = openingId;
  const scoreMin = query.get('scoreMin');
  if (scoreMin && SCORE.test(scoreMin) && Number(scoreMin) <= 100) out.scoreMin = scoreMin;
  const waitingDays = query.get('waitingDays');
  if (waitingDays && WHOLE.test(waitingDays)) out.waitingDays = waitingDays;
  const sort = query.get('sort');
  if (sort && (QUEUE_SORTS as readonly string[]).includes(sort) && sort !== '-score') out.sort = sort as Sort;
  return out;
}

/** The API query for `filters` (best score first unless told). */
export function queueQuery(f: QueueFilterValues) {
  return {
    sort: f.sort ?? ('-score' as const),
    ...(f.prefecture ? { prefecture: f.prefecture } : {}),
    ...(f.openingId ? { openingId: f.openingId } : {}),
    ...(f.scoreMin ? { scoreMin: Number(f.scoreMin) } : {}),
    ...(f.waitingDays ? { waitingDays: Number(f.waitingDays) } : {}),
  };
}

export const queueLink = (f: QueueFilterValues) => withQuery(PATH, { ...f });

/**
 * Filters and sort of the review queue. Applied on submit (not per keystroke: each change is a new
 * query, and a reviewer typing "60" should not load the queue for "6" first).
 */
export function QueueFilters({
  filters,
  openingTitle,
}: {
  filters: QueueFilterValues;
  openingTitle?: string;
}) {
  const { t, lang } = useI18n();
  const regions = useRegions();
  const [draft, setDraft] = useState(filters);
  const key = JSON.stringify(filters);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `filters` (a new object each render)
  useEffect(() => setDraft(filters), [key]);
  const prefectures = [...(regions?.values() ?? [])]
    .filter((r) => r.level === 'prefecture' && SICHUAN_CODE.test(r.code))
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((r) => ({ value: r.code, label: regionName(regions, r.code, lang) }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(queueLink(draft), { focus: false });
  };
  const active = key !== '{}';
  return (
    <form className="filters" onSubmit={submit} aria-label={t('review.filters')}>
      <SelectField
        name="prefecture"
        label={t('review.filter.prefecture')}
        emptyLabel={t('common.all')}
        options={prefectures}
        value={draft.prefecture ?? ''}
        onChange={(e) => setDraft({ ...draft, prefecture: e.target.value || undefined })}
      />
      <TextField
        name="scoreMin"
        type="number"
        inputMode="decimal"
        min={0}
        max={100}
        step="any"
        label={t('review.filter.scoreMin')}
        value={draft.scoreMin ?? ''}
        onChange={(e) => setDraft({ ...draft, scoreMin: e.target.value || undefined })}
      />
      <TextField
        name="waitingDays"
        type="number"
        inputMode="numeric"
        min={0}
        label={t('review.filter.waitingDays')}
        value={draft.waitingDays ?? ''}
        onChange={(e) => setDraft({ ...draft, waitingDays: e.target.value || undefined })}
      />
      <SelectField
        name="sort"
        label={t('review.filter.sort')}
        options={QUEUE_SORTS.map((s) => ({ value: s, label: t(`review.sort.${s}`) }))}
        value={draft.sort ?? '-score'}
        onChange={(e) =>
          setDraft({ ...draft, sort: e.target.value === '-score' ? undefined : (e.target.value as Sort) })
        }
      />
      {filters.openingId && (
        <p className="field">
          {t('review.filter.opening', { title: openingTitle ?? t('match.untitled') })}{' '}
          <Link to={queueLink({ ...filters, openingId: undefined })}>{t('review.filter.allOpenings')}</Link>
        </p>
      )}
      <div className="button-row">
        <button type="submit">{t('common.search')}</button>
        {active && (
          <Link className="button button-secondary" to={PATH}>
            {t('common.reset')}
          </Link>
        )}
      </div>
    </form>
  );
}
