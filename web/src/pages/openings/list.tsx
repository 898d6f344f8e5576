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
import { OPENING_STATUSES, OPENING_SYMBOL, type Opening, type OpeningStatus } from './labels.js';

const PATH = '/openings';

/**
 * An employer's openings (admins: every employer's), newest change first, with the status actions
 * the API allows for each. Actions send the version read (If-Match): if someone changed the
 * opening meanwhile, the 412 says so and the list reloads on request.
 */
export function OpeningsPage() {
  const { t, lang, dateTime } = useI18n();
  const { me } = useSession();
  const { query } = useLocation();
  const regions = useRegions();
  const status = (query.get('status') ?? '') as OpeningStatus | '';
  const cursor = query.get('cursor') ?? undefined;
  const page = Number(query.get('page') ?? '1') || 1;
  const [message, setMessage] = useState<string | null>(takeFlash);
  const [problem, setProblem] = useState<unknown>(null);
  const isEmployer = me?.user.roles.includes('employer') && me.organization.type === 'employer';
  const list = useLoad(
    () =>
      fetchData(
        api.GET('/api/v1/openings', {
          params: {
            query: {
              employer: isEmployer ? me!.organization.id : undefined,
              status: status || undefined,
              cursor,
              limit: 50,
            },
          },
        }),
      ),
    [status, cursor, isEmployer],
  );
  const act = async (o: Opening, action: 'open' | 'pause' | 'close') => {
    setProblem(null);
    setMessage(null);
    try {
      await fetchData(
        api.POST(`/api/v1/openings/{id}/${action}`, {
          params: { path: { id: o.id } },
          headers: { 'If-Match': `W/"${o.version}"` },
        }),
      );
      setMessage(t(`openingAction.done.${action}`, { title: o.title }));
      list.reload();
    } catch (err) {
      setProblem(err);
    }
  };
  return (
    <>
      <PageHeading title={t('openings.title')}>{t('openings.title')}</PageHeading>
      <StatusMessage>{message}</StatusMessage>
      <ProblemSummary
        problem={problem ?? list.problem}
        onReload={() => {
          setProblem(null);
          list.reload();
        }}
      />
      <p>
        <Link className="button" to="/openings/new">
          {t('openings.create')}
        </Link>
      </p>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          name="status"
          label={t('openings.status')}
          value={status}
          emptyLabel={t('common.all')}
          options={OPENING_STATUSES.map((s) => ({ value: s, label: t(`openingStatus.${s}`) }))}
          onChange={(e) => navigate(withQuery(PATH, { status: e.target.value }), { focus: false })}
        />
      </form>
      {list.loading && !list.data ? (
        <Loading />
      ) : list.data ? (
        <>
          <TableWrap label={t('openings.title')}>
            <table>
              <caption>{t('openings.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('opening.titleField')}</th>
                  <th scope="col">{t('openings.status')}</th>
                  <th scope="col">{t('opening.region')}</th>
                  <th scope="col">{t('openings.headcount')}</th>
                  <th scope="col">{t('openings.wage')}</th>
                  <th scope="col">{t('openings.updated')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((o) => (
                  <tr key={o.id}>
                    <th scope="row">
                      {o.title}
                      {!isEmployer && <span className="muted small block">{o.employerName}</span>}
                    </th>
                    <td className="nowrap">
                      <span aria-hidden="true">{OPENING_SYMBOL[o.status]} </span>
                      {t(`openingStatus.${o.status}`)}
                    </td>
                    <td>{regionName(regions, o.regionCode, lang)}</td>
                    <td>{t('openings.filledOf', { filled: o.filled, headcount: o.headcount })}</td>
                    <td className="nowrap">
                      {o.wageMin}–{o.wageMax}
                    </td>
                    <td className="nowrap">{dateTime(o.updatedAt)}</td>
                    <td className="actions">
                      {o.status !== 'closed' && (
                        <Link
                          className="button button-secondary"
                          to={`/openings/${o.id}/edit`}
                          aria-label={t('openings.editOf', { title: o.title })}
                        >
                          {t('common.edit')}
                        </Link>
                      )}
                      {o.allowedActions.map((a) => (
                        <button
                          key={a}
                          type="button"
                          className={a === 'open' ? undefined : 'secondary'}
                          aria-label={t(`openingAction.of.${a}`, { title: o.title })}
                          onClick={() => void act(o, a)}
                        >
                          {t(`openingAction.${a}`)}
                        </button>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {list.data.items.length === 0 && <p>{t('common.noRows')}</p>}
          <Pager
            path={PATH}
            query={{ status }}
            nextCursor={list.data.nextCursor}
            page={page}
            shown={list.data.items.length}
          />
        </>
      ) : null}
    </>
  );
}
