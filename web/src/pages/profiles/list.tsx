import { type FormEvent, useState } from 'react';
import { api, fetchData } from '../../api/client.js';
import { FacetGroup, listParam } from '../../components/facets.js';
import {
  Loading,
  PageHeading,
  ProblemSummary,
  StatusMessage,
  TableWrap,
  TextField,
} from '../../components/ui.js';
import { takeFlash } from '../../flash.js';
import { regionName, useLoad, useRegions } from '../../hooks.js';
import { useI18n } from '../../i18n.js';
import { Link, navigate, useLocation, withQuery } from '../../router.js';
import { useSession } from '../../session.js';
import { useVocab, vocabLabel } from '../../vocab.js';
import { type ProfileStatus, STATUS_SYMBOL, statusKey } from './labels.js';

const PATH = '/profiles';
const FACETS = ['status', 'category', 'level', 'region', 'accommodation'] as const;
const PAGE_SIZE = 20;

/**
 * Worker profiles in the caller's scope through the search endpoint: de-identified hits (codes and
 * labels, no names), words matched in skills and training, facets with counts as filters. The
 * filters live in the URL, so Back and a shared link show the same list.
 */
export function ProfilesPage() {
  const { t, lang, dateTime } = useI18n();
  const { me } = useSession();
  const { query } = useLocation();
  const regions = useRegions();
  const categories = useVocab('disability_category');
  const levels = useVocab('disability_level');
  const accommodations = useVocab('accommodation');
  const skills = useVocab('skill');
  const [message] = useState<string | null>(takeFlash);
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
        api.GET('/api/v1/search/worker-profiles', {
          params: {
            query: {
              q: q || undefined,
              status: filters.status.join(',') || undefined,
              category: filters.category.join(',') || undefined,
              level: filters.level.join(',') || undefined,
              // The region facet holds every level of the origin's region path: one value narrows.
              region: filters.region[0],
              accommodation: filters.accommodation.join(',') || undefined,
              facets: FACETS.join(','),
              sort: q ? 'relevance' : '-updatedAt',
              page,
              limit: PAGE_SIZE,
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
  const facetLabel: Record<(typeof FACETS)[number], (c: string) => string> = {
    status: (c) => t(statusKey(c as ProfileStatus)),
    category: (c) => vocabLabel(categories, c, lang),
    level: (c) => vocabLabel(levels, c, lang),
    region: (c) => regionName(regions, c, lang),
    accommodation: (c) => vocabLabel(accommodations, c, lang),
  };
  const isStaff = me?.user.roles.includes('federation_staff');
  const data = result.data;
  return (
    <>
      <PageHeading title={t('profiles.title')}>{t('profiles.title')}</PageHeading>
      <StatusMessage>{message}</StatusMessage>
      <p className="muted">{t('profiles.intro')}</p>
      {isStaff && (
        <p className="button-row">
          <Link className="button" to="/profiles/new">
            {t('profiles.register')}
          </Link>
          <Link className="button button-secondary" to="/profiles/import">
            {t('import.title')}
          </Link>
        </p>
      )}
      <form className="filters" aria-label={t('profiles.searchLabel')} onSubmit={submit}>
        <TextField
          name="q"
          type="search"
          label={t('profiles.words')}
          hint={t('profiles.wordsHint')}
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
          {FACETS.map((f) => (
            <FacetGroup
              key={f}
              name={f}
              legend={t(`profiles.facet.${f}`)}
              counts={data?.facets[f]}
              selected={filters[f]}
              label={facetLabel[f]}
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
              <TableWrap label={t('profiles.title')}>
                <table>
                  <caption>
                    {t('profiles.tableCaption', { page, pages: Math.max(1, data.totalPages) })}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('profiles.person')}</th>
                      <th scope="col">{t('profiles.origin')}</th>
                      <th scope="col">{t('profiles.disability')}</th>
                      <th scope="col">{t('profiles.skills')}</th>
                      <th scope="col">{t('profiles.status')}</th>
                      <th scope="col">{t('profiles.updatedAt')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((p) => (
                      <tr key={p.id}>
                        <th scope="row">
                          <Link to={`/profiles/${p.id}`}>{t('profiles.open', { id: p.id.slice(-6) })}</Link>
                        </th>
                        <td>{p.originRegionNames.at(-1) ?? p.originRegionCodes.at(-1)}</td>
                        <td>
                          {vocabLabel(categories, p.disabilityCategory, lang)} ·{' '}
                          {vocabLabel(levels, p.disabilityLevel, lang)}
                        </td>
                        <td>{p.skills.map((s) => vocabLabel(skills, s, lang)).join('、') || '—'}</td>
                        <td className="nowrap">
                          <span aria-hidden="true">{STATUS_SYMBOL[p.status]} </span>
                          {t(statusKey(p.status))}
                        </td>
                        <td className="nowrap">{dateTime(p.updatedAt)}</td>
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
