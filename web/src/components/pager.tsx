import { useI18n } from '../i18n.js';
import { navigate, withQuery } from '../router.js';

/**
 * Cursor paging kept in the URL (`cursor`, `page`), so Back returns to the previous page. Only
 * "next" and "first": the API pages by cursor, newest first, and has no total count.
 */
export function Pager({
  path,
  query,
  nextCursor,
  page,
  shown,
}: {
  path: string;
  query: Record<string, string | undefined>;
  nextCursor: string | null | undefined;
  page: number;
  shown: number;
}) {
  const { t } = useI18n();
  const go = (cursor: string | null, n: number) =>
    navigate(withQuery(path, { ...query, cursor, page: n > 1 ? String(n) : null }), { focus: false });
  return (
    <nav className="pager" aria-label={t('common.pageN', { n: page })}>
      <span>
        {t('common.pageN', { n: page })} · {t('common.rowsShown', { n: shown })}
      </span>
      {page > 1 && (
        <button type="button" className="secondary" onClick={() => go(null, 1)}>
          {t('common.firstPage')}
        </button>
      )}
      {nextCursor && (
        <button type="button" onClick={() => go(nextCursor, page + 1)}>
          {t('common.nextPage')}
        </button>
      )}
    </nav>
  );
}
