import { api, fetchData, type Schemas } from '../../api/client.js';
import { Loading, ProblemSummary, TableWrap } from '../../components/ui.js';
import { useLoad } from '../../hooks.js';
import { type T, useI18n } from '../../i18n.js';
import { checkpointName } from '../follow-ups/list.js';

type Placement = Schemas['Placement'];

/** A retention checkpoint's outcome in words (never by colour alone). */
function retentionText(t: T, value: boolean | null): string {
  if (value === null) return t('placements.retention.pending');
  return value ? t('placements.retention.yes') : t('placements.retention.no');
}

/** The next open follow-up visit of a placement, or none. */
function nextVisit(t: T, p: Placement): string {
  const open = p.checkpoints.filter((c) => !c.doneAt).sort((a, b) => a.dueOn.localeCompare(b.dueOn));
  const next = open[0];
  return next ? `${checkpointName(t, next.code)} · ${next.dueOn}` : t('common.none');
}

/**
 * The person's placements (GET /placements?profileId=): where they work, the contract, the wage,
 * whether they were still employed at 3 and 6 months, and the next follow-up visit.
 */
export function PlacementsSection({ profileId }: { profileId: string }) {
  const { t } = useI18n();
  const placements = useLoad(
    () => fetchData(api.GET('/api/v1/placements', { params: { query: { profileId, limit: 50 } } })),
    [profileId],
  );
  const items = placements.data?.items ?? [];
  return (
    <section aria-labelledby="placements-heading">
      <h2 id="placements-heading">{t('placements.section')}</h2>
      <ProblemSummary problem={placements.problem} />
      {placements.loading && !placements.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <p>{t('placements.none')}</p>
      ) : (
        <TableWrap label={t('placements.section')}>
          <table>
            <caption className="visually-hidden">{t('placements.section')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('match.opening')}</th>
                <th scope="col">{t('placements.contract')}</th>
                <th scope="col">{t('placements.wage')}</th>
                <th scope="col">{t('placements.status')}</th>
                <th scope="col">{t('placements.m3')}</th>
                <th scope="col">{t('placements.m6')}</th>
                <th scope="col">{t('placements.nextVisit')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.id}>
                  <th scope="row">{p.openingTitle ?? t('match.untitled')}</th>
                  <td className="nowrap">
                    {p.contractStart} – {p.contractEnd}
                  </td>
                  <td>{t('placements.wageValue', { wage: p.monthlyWage })}</td>
                  <td>
                    {t(`matchStatus.${p.status}`)}
                    {p.endedOn ? ` (${p.endedOn})` : ''}
                  </td>
                  <td>{retentionText(t, p.retention.m3)}</td>
                  <td>{retentionText(t, p.retention.m6)}</td>
                  <td>{nextVisit(t, p)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
