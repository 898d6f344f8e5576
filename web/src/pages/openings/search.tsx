import { type FormEvent, useState } from 'react';
import { api, fetchData } from '../../api/client.js';
import { FacetGroup, listParam } from '../../components/facets.js';
import { Loading, PageHeading, ProblemSummary, TableWrap, TextField } from '../../components/ui.js';
import { regionName, useLoad, useRegions } from '../../hooks.js';
import { useI18n } from '../../i18n.js';
import { navigate, useLocation, withQuery } from '../../router.js';
import { useVocab, vocabLabel } from '../../vocab.js';
import { OPENING_SYMBOL, type OpeningStatus } from './labels.js';

const PATH = '/openings/search';
const FACETS = ['status', 'region', 'category', 'accommodation', 'dormitory'] as const;

/** Published openings in the caller's scope, by words (Chinese, pinyin, synonyms) and facets. */
export function OpeningSearchPage() {
  const { t, lang } = useI18n();
  const { query } = useLocation();
  const regions = useRegions();
  const occupations = useVocab('occupation_group');
  const accommodations = useVocab('accommodation');
  const q = query.get('q') ?? '';
  const [words, setWords] = useState(q);
  const page = Number(query.get('page') ?? '1') || 1;
  const filters = Object.fromEntries(FACETS.map((f) => [f, listParam(query, f)])) as Record<
    (typeof FACETS)[number],
    string[]
  >;
  const key = query.toString();
  const result = useLoad(
    () =>
      fetchData(
        api.GET('/api/v1/search/openings', {
          params: {
            query: {
              q: q || undefined,
              status: (filters.status.join(',') || undefined) as never,
              region: filters.region[0],
              category: filters.category.join(',') || undefined,
              accommodation: filters.accommodation.join(',') || undefined,
              facets: FACETS.filter((f) => f !== 'dormitory').join(',') as never,
              sort: q ? 'relevance' : '-updatedAt',
              page,
              limit: 20,
            },
          },
        }),
      ),
    [key],
  );
  const go = (patch: Record<string, string | undefined>) =>
    navigate(
      withQuery(PATH, {
        q,
        ...Object.fromEntries(FACETS.map((f) => [f, filters[f].join(',')])),
        ...patch,
        page: patch.page,
      }),
      { focus: false },
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go({ q: words.trim() });
  };
  const facetLabel: Record<string, (c: string) => string> = {
    status: (c) => t(`openingStatus.${c as OpeningStatus}`),
    region: (c) => regionName(regions, c, lang),
    category: (c) => vocabLabel(occupations, c, lang),
    accommodation: (c) => vocabLabel(accommodations, c, lang),
  };
  const data = result.data;
  return (
    <>
      <PageHeading title={t('openingSearch.title')}>{t('openingSearch.title')}</PageHeading>
      <p className="muted">{t('openingSearch.intro')}</p>
      <form className="filters" aria-label={t('openingSearch.title')} onSubmit={submit}>
        <TextField
          name="q"
          type="search"
          label={t('openingSearch.words')}
          hint={t('openingSearch.wordsHint')}
          value={words}
          onChange={(e) => setWords(e.target.value)}
        />
        <div className="button-row">
          <button type="submit">{t('common.searchAction')}</button>
          {key && (
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setWords('');
                navigate(PATH, { focus: false });
              }}
            >
              {t('common.reset')}
            </button>
          )}
        </div>
      </form>
      <ProblemSummary problem={result.problem} />
      <div className="search-layout">
        <aside className="facets" aria-label={t('search.facets')}>
          <h2 className="h3">{t('search.facets')}</h2>
          {FACETS.filter((f) => f !== 'dormitory').map((f) => (
            <FacetGroup
              key={f}
              name={f}
              legend={t(`openingSearch.facet.${f as 'status' | 'region' | 'category' | 'accommodation'}`)}
              counts={data?.facets[f]}
              selected={filters[f]}
              label={facetLabel[f]!}
              onChange={(next) => go({ [f]: (f === 'region' ? next.slice(-1) : next).join(',') })}
            />
          ))}
        </aside>
        <div className="results">
          {result.loading && !data ? (
            <Loading />
          ) : data ? (
            <>
              <p role="status" aria-live="polite">
                {t('search.total', { n: data.total })}
              </p>
              <TableWrap label={t('openingSearch.title')}>
                <table>
                  <caption>
                    {t('profiles.tableCaption', { page, pages: Math.max(1, data.totalPages) })}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('opening.titleField')}</th>
                      <th scope="col">{t('openingSearch.employer')}</th>
                      <th scope="col">{t('opening.region')}</th>
                      <th scope="col">{t('openings.wage')}</th>
                      <th scope="col">{t('opening.accommodations')}</th>
                      <th scope="col">{t('openings.status')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((o) => (
                      <tr key={o.id}>
                        <th scope="row">{o.title}</th>
                        <td>{o.employerName}</td>
                        <td>{o.regionNames.at(-1) ?? ''}</td>
                        <td className="nowrap">
                          {o.wageMin ?? '?'}–{o.wageMax ?? '?'}
                        </td>
                        <td>
                          {o.accommodations.map((a) => vocabLabel(accommodations, a, lang)).join('、') ||
                            t('common.none')}
                        </td>
                        <td className="nowrap">
                          <span aria-hidden="true">{OPENING_SYMBOL[o.status]} </span>
                          {t(`openingStatus.${o.status}`)} ·{' '}
                          {t('openingSearch.openSlots', { n: o.headcountOpen })}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
              {data.items.length === 0 && <p>{t('common.noRows')}</p>}
              <nav className="pager" aria-label={t('common.pageN', { n: page })}>
                {page > 1 && (
                  <button type="button" className="secondary" onClick={() => go({ page: String(page - 1) })}>
                    {t('common.prevPage')}
                  </button>
                )}
                {page < data.totalPages && (
                  <button type="button" onClick={() => go({ page: String(page + 1) })}>
                    {t('common.nextPage')}
                  </button>
                )}
              </nav>
            </>
          ) : null}
        </div>
      </div>
    </>
  );
}
