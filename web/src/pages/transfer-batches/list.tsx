import { useState } from 'react';
import { api, fetchData } from '../../api/client.js';
import { Pager } from '../../components/pager.js';
import {
  Loading,
  PageHeading,
  ProblemSummary,
  SelectField,
  StatusMessage,
  TableWrap,
} from '../../components/ui.js';
import { takeFlash } from '../../flash.js';
import { regionName, useLoad, useRegions } from '../../hooks.js';
import { useI18n } from '../../i18n.js';
import { Link, navigate, useLocation, withQuery } from '../../router.js';
import { useSession } from '../../session.js';
import { transportLabel } from './fields.js';

const PATH = '/transfer-batches';
const SORTS = ['-travelDate', 'travelDate', '-createdAt'] as const;
type Sort = (typeof SORTS)[number];

/** Only recipient federations (and admins) organise batches; supporting federations read theirs. */
export function useOrganisesBatches(): boolean {
  const { me } = useSession();
  if (!me) return false;
  return (
    me.user.roles.includes('admin') ||
    (me.user.roles.includes('federation_staff') && me.organization.type === 'recipient_federation')
  );
}

/**
 * Transfer batches (组团输送) in the reader's scope: who travels when, from where to which employer,
 * how many. Sort and page live in the URL.
 */
export function TransferBatchesPage() {
  const { t, lang } = useI18n();
  const { query } = useLocation();
  const regions = useRegions();
  const organises = useOrganisesBatches();
  const sortParam = query.get('sort');
  const sort: Sort = (SORTS as readonly string[]).includes(sortParam ?? '')
    ? (sortParam as Sort)
    : '-travelDate';
  const cursor = query.get('cursor') ?? undefined;
  const page = Number(query.get('page') ?? '1') || 1;
  const [message] = useState<string | null>(takeFlash);
  const list = useLoad(
    () => fetchData(api.GET('/api/v1/transfer-batches', { params: { query: { sort, cursor, limit: 20 } } })),
    [sort, cursor],
  );
  return (
    <>
      <PageHeading title={t('batches.title')}>{t('batches.title')}</PageHeading>
      <p className="muted">{t('batches.intro')}</p>
      <StatusMessage>{message}</StatusMessage>
      <ProblemSummary problem={list.problem} />
      {organises && (
        <p>
          <Link className="button" to="/transfer-batches/new">
            {t('batches.create')}
          </Link>
        </p>
      )}
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          name="sort"
          label={t('batches.sort')}
          value={sort}
          options={SORTS.map((s) => ({ value: s, label: t(`batches.sort.${s}`) }))}
          onChange={(e) =>
            navigate(withQuery(PATH, { sort: e.target.value === '-travelDate' ? null : e.target.value }), {
              focus: false,
            })
          }
        />
      </form>
      {list.loading && !list.data ? (
        <Loading />
      ) : list.data ? (
        <>
          <p className="muted">{t('batches.total', { n: list.data.total })}</p>
          {list.data.items.length === 0 ? (
            <p>{t('batches.none')}</p>
          ) : (
            <TableWrap label={t('batches.table')}>
              <table>
                <caption>{t('batches.table')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('batch.travelDate')}</th>
                    <th scope="col">{t('batch.origin')}</th>
                    <th scope="col">{t('batch.destination')}</th>
                    <th scope="col">{t('batch.employer')}</th>
                    <th scope="col">{t('batch.transport')}</th>
                    <th scope="col">{t('batch.members')}</th>
                    <th scope="col">{t('batch.leader')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((b) => (
                    <tr key={b.id}>
                      <th scope="row" className="nowrap">
                        <Link
                          to={`/transfer-batches/${b.id}`}
                          aria-label={t('batches.openOf', {
                            date: b.travelDate,
                            employer: b.employerName ?? b.employerId,
                          })}
                        >
                          {b.travelDate}
                        </Link>
                      </th>
                      <td>{regionName(regions, b.originCode, lang)}</td>
                      <td>{regionName(regions, b.destinationCode, lang)}</td>
                      <td>{b.employerName ?? b.employerId}</td>
                      <td>{transportLabel(t, b.transport)}</td>
                      <td>{t('batch.memberCount', { n: b.members.length })}</td>
                      <td>{b.groupLeader?.name ?? t('common.none')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
          <Pager
            path={PATH}
            query={{ sort: sort === '-travelDate' ? undefined : sort }}
            nextCursor={list.data.nextCursor}
            page={page}
            shown={list.data.items.length}
          />
        </>
      ) : null}
    </>
  );
}
