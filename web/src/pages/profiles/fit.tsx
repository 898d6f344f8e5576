import { useState } from 'react';
import { api, fetchData } from '../../api/client.js';
import { Loading, ProblemSummary, SelectField } from '../../components/ui.js';
import { useLoad } from '../../hooks.js';
import { useI18n } from '../../i18n.js';
import { ChartTable, ReasonList } from '../review/explanation.js';

/**
 * "为什么没有推荐？": the fit of this person with one open opening of the reader's scope, stored as
 * a match or not (GET /worker-profiles/:id/fit): every hard constraint that fails, then the chart.
 */
export function FitSection({ profileId }: { profileId: string }) {
  const { t } = useI18n();
  const [openingId, setOpeningId] = useState('');
  const openings = useLoad(
    () => fetchData(api.GET('/api/v1/openings', { params: { query: { status: 'open', limit: 100 } } })),
    [],
  );
  const fit = useLoad(
    async () =>
      openingId
        ? fetchData(
            api.GET('/api/v1/worker-profiles/{id}/fit', {
              params: { path: { id: profileId }, query: { openingId } },
            }),
          )
        : null,
    [profileId, openingId],
  );
  const title = openings.data?.items.find((o) => o.id === openingId)?.title ?? '';
  return (
    <section aria-labelledby="fit-heading" id="fit">
      <h2 id="fit-heading">{t('fit.title')}</h2>
      <p className="muted">{t('fit.intro')}</p>
      {openings.problem ? <ProblemSummary problem={openings.problem} /> : null}
      <SelectField
        name="fit-opening"
        label={t('fit.opening')}
        value={openingId}
        onChange={(e) => setOpeningId(e.target.value)}
        emptyLabel={t('fit.choose')}
        options={(openings.data?.items ?? []).map((o) => ({ value: o.id, label: o.title }))}
      />
      {openingId && fit.loading && !fit.data ? <Loading /> : null}
      {fit.problem ? <ProblemSummary problem={fit.problem} /> : null}
      {fit.data ? (
        <>
          <p>
            {fit.data.eligible
              ? t('fit.eligible', { score: fit.data.score })
              : t('fit.excluded', { n: fit.data.failures.length })}
          </p>
          <ReasonList reasons={fit.data.failures} label={t('fit.failures')} />
          <ChartTable rows={fit.data.rows} caption={t('match.compare', { title })} />
        </>
      ) : null}
    </section>
  );
}
