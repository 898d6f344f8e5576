import { api, fetchData } from '../../api/client.js';
import { ChartTable } from '../../components/chart-table.js';
import { Loading, PageHeading, ProblemSummary, SelectField } from '../../components/ui.js';
import { useLoad } from '../../hooks.js';
import { useI18n } from '../../i18n.js';
import { navigate, useLocation, withQuery } from '../../router.js';
import { useVocab } from '../../vocab.js';
import { PROFILE_STATUSES, type ProfileStatus, statusKey } from '../profiles/labels.js';

const PATH = '/reports';

/**
 * Registered people by disability category and status, counted by the API within the reader's
 * scope. The placement reports have their own page (placements.tsx).
 */
export function ReportsPage() {
  const { t, lang } = useI18n();
  const { query } = useLocation();
  const categories = useVocab('disability_category');
  const status = (query.get('status') ?? '') as ProfileStatus | '';
  const report = useLoad(
    () =>
      fetchData(api.GET('/api/v1/reports/profiles', { params: { query: { status: status || undefined } } })),
    [status],
  );
  const statuses = status ? [status] : PROFILE_STATUSES;
  const rows = report.data?.rows ?? [];
  const count = (c: string, s?: string) =>
    rows.filter((r) => r.disabilityCategory === c && (!s || r.status === s)).reduce((n, r) => n + r.count, 0);
  const cats = categories ?? [];
  const name = (c: (typeof cats)[number]) => (lang === 'en' ? c.en : c.zh);
  return (
    <>
      <PageHeading title={t('reports.title')}>{t('reports.title')}</PageHeading>
      <p className="muted">{t('reports.intro')}</p>
      <ProblemSummary problem={report.problem} />
      {!report.data || !categories ? (
        <Loading />
      ) : (
        <ChartTable
          title={t('reports.byCategory')}
          description={t('reports.byCategoryDesc', {
            total: report.data.total,
            status: status ? t(statusKey(status)) : t('common.all'),
          })}
          bars={cats.map((c) => ({ key: c.code, label: name(c), value: count(c.code) }))}
          table={{
            columns: [t('profile.category'), ...statuses.map((s) => t(statusKey(s))), t('reports.total')],
            rows: cats.map((c) => ({
              key: c.code,
              header: name(c),
              cells: [...statuses.map((s) => count(c.code, s)), count(c.code)],
            })),
            total: {
              header: t('reports.total'),
              cells: [
                ...statuses.map((s) => rows.filter((r) => r.status === s).reduce((n, r) => n + r.count, 0)),
                report.data.total,
              ],
            },
          }}
          exportPath={withQuery('/api/v1/reports/profiles/export', { status })}
          exportName="profiles-report.xlsx"
        >
          <form className="filters" onSubmit={(e) => e.preventDefault()}>
            <SelectField
              name="status"
              label={t('profiles.status')}
              value={status}
              emptyLabel={t('common.all')}
              options={PROFILE_STATUSES.map((s) => ({ value: s, label: t(statusKey(s)) }))}
              onChange={(e) => navigate(withQuery(PATH, { status: e.target.value }), { focus: false })}
            />
          </form>
        </ChartTable>
      )}
    </>
  );
}
