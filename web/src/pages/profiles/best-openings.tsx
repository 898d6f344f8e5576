import { api, fetchData } from '../../api/client.js';
import { Loading, ProblemSummary, TableWrap } from '../../components/ui.js';
import { useLoad } from '../../hooks.js';
import { useI18n } from '../../i18n.js';
import { ReasonList } from '../review/explanation.js';
import { statusLabel } from '../review/queue.js';

/**
 * The person's best open openings (GET /worker-profiles/:id/best-openings), computed by the API
 * when asked over every open opening with places left; each says whether a match is stored for
 * the pair and in which state (matches keep each opening's top suggestions and what people acted
 * on, not every person's own top list).
 */
export function BestOpeningsSection({ profileId }: { profileId: string }) {
  const { t } = useI18n();
  const best = useLoad(
    () =>
      fetchData(
        api.GET('/api/v1/worker-profiles/{id}/best-openings', {
          params: { path: { id: profileId }, query: { limit: 10 } },
        }),
      ),
    [profileId],
  );
  return (
    <section aria-labelledby="best-openings-heading" id="best-openings">
      <h2 id="best-openings-heading">{t('bestOpenings.title')}</h2>
      <p className="hint">{t('bestOpenings.hint')}</p>
      <ProblemSummary problem={best.problem} />
      {best.loading && !best.data ? (
        <Loading />
      ) : best.data && !best.data.eligible ? (
        <p>{t('bestOpenings.notEligible')}</p>
      ) : best.data?.items.length === 0 ? (
        <p>{t('bestOpenings.none')}</p>
      ) : best.data ? (
        <TableWrap label={t('bestOpenings.table')}>
          <table>
            <caption>{t('bestOpenings.table')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('match.opening')}</th>
                <th scope="col">{t('match.score')}</th>
                <th scope="col">{t('match.status')}</th>
                <th scope="col">{t('match.reasons')}</th>
              </tr>
            </thead>
            <tbody>
              {best.data.items.map((o) => (
                <tr key={o.openingId}>
                  <th scope="row">{o.openingTitle ?? t('match.untitled')}</th>
                  <td>{t('match.scoreOf', { score: o.score })}</td>
                  <td>{o.match ? t(statusLabel(o.match.status)) : t('bestOpenings.notStored')}</td>
                  <td>
                    <ReasonList reasons={o.reasons} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </section>
  );
}
