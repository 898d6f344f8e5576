/**
 * The review queue's filters as the URL holds them and as the API takes them (pure: the console
 * and the unit tests share it).
 */

/** Suggestions per request; "more" appends the next page by the API's cursor. */
export const QUEUE_PAGE = 50;

export const QUEUE_SORTS = ['-score', 'suggestedAt', '-suggestedAt', 'score'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

/** The filters the queue API takes, as the URL holds them (a reload or shared link keeps them). */
export interface QueueFilterValues {
  prefecture?: string;
  openingId?: string;
  scoreMin?: string;
  waitingDays?: string;
  sort?: QueueSort;
}

export const SICHUAN_CODE = /^51\d{4}$/;
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
  if (sort && (QUEUE_SORTS as readonly string[]).includes(sort) && sort !== '-score')
    out.sort = sort as QueueSort;
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
