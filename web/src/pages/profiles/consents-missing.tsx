import { useState } from 'react';
import { api, fetchData } from '../../api/client.js';
import { Loading, PageHeading, ProblemSummary, TableWrap } from '../../components/ui.js';
import { regionName, useLoad, useRegions } from '../../hooks.js';
import { useI18n } from '../../i18n.js';
import { Link, useLocation } from '../../router.js';
import { useVocab, vocabLabel } from '../../vocab.js';
import { STATUS_SYMBOL, statusKey } from './labels.js';
import { ProfilesPage } from './list.js';

/** `/profiles`: the search, or with `?consent=missing` (the start page's link) the people to record a consent for. */
export function ProfilesRoute() {
  const { query } = useLocation();
  return query.get('consent') === 'missing' ? <ConsentsMissingPage /> : <ProfilesPage />;
}

const PAGE = 50;

/**
 * People of the caller's jurisdiction whose processing consent is missing or withdrawn (matching
 * leaves them out until it is recorded), from the profile list: open one to record the consent.
 */
function ConsentsMissingPage() {
  const { t, lang, dateTime } = useI18n();
  const regions = useRegions();
  const categories = useVocab('disability_category');
  const [cursor, setCursor] = useState<string | undefined>();
  const list = useLoad(
    () =>
      fetchData(
        api.GET('/api/v1/worker-profiles', {
          params: {
            query: { consent: 'missing', limit: PAGE, sort: '-updatedAt', ...(cursor ? { cursor } : {}) },
          },
        }),
      ),
    [cursor],
  );
  const data = list.data;
  return (
    <>
      <PageHeading title={t('consentsMissing.title')}>{t('consentsMissing.title')}</PageHeading>
      <p className="muted">{t('consentsMissing.intro')}</p>
      <p>
        <Link to="/profiles">{t('consentsMissing.back')}</Link>
      </p>
      <ProblemSummary problem={list.problem} />
      {list.loading && !data ? (
        <Loading />
      ) : data ? (
        <>
          <p role="status" aria-live="polite">
            {t('search.total', { n: data.total })}
          </p>
          {data.items.length ? (
            <TableWrap label={t('consentsMissing.title')}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('profiles.person')}</th>
                    <th scope="col">{t('profiles.origin')}</th>
                    <th scope="col">{t('profiles.disability')}</th>
                    <th scope="col">{t('profiles.status')}</th>
                    <th scope="col">{t('profiles.updatedAt')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((p) => (
                    <tr key={p.id}>
                      <th scope="row">
                        <Link to={`/profiles/${p.id}`}>
                          {p.name} ({t('profiles.open', { id: p.id.slice(-6) })})
                        </Link>
                      </th>
                      <td>{regionName(regions, p.originCode, lang)}</td>
                      <td>{vocabLabel(categories, p.disabilityCategory, lang)}</td>
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
          ) : (
            <p>{t('consentsMissing.none')}</p>
          )}
          {data.nextCursor ? (
            <button type="button" onClick={() => setCursor(data.nextCursor ?? undefined)}>
              {t('common.nextPage')}
            </button>
          ) : null}
        </>
      ) : null}
    </>
  );
}
