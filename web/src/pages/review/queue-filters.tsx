import { type FormEvent, useEffect, useState } from 'react';
import { SelectField, TextField } from '../../components/ui.js';
import { regionName, useRegions } from '../../hooks.js';
import { useI18n } from '../../i18n.js';
import { Link, navigate, withQuery } from '../../router.js';
import { QUEUE_SORTS, type QueueFilterValues, type QueueSort, SICHUAN_CODE } from './queue-query.js';

const PATH = '/review';

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
          setDraft({
            ...draft,
            sort: e.target.value === '-score' ? undefined : (e.target.value as QueueSort),
          })
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
