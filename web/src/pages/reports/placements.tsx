import { type FormEvent, useState } from 'react';
import { chinaYear } from '../../../../src/lib/china-time.js';
import { api, fetchData, type Schemas } from '../../api/client.js';
import { ChartTable } from '../../components/chart-table.js';
import {
  Loading,
  PageHeading,
  ProblemSummary,
  SelectField,
  StatusMessage,
  TextField,
  useFieldErrors,
} from '../../components/ui.js';
import { useLoad } from '../../hooks.js';
import { type MessageKey, useI18n } from '../../i18n.js';
import { navigate, useLocation, withQuery } from '../../router.js';
import { useSession } from '../../session.js';

export const PLACEMENT_REPORTS_PATH = '/reports/placements';

type Report = Schemas['PlacementsReport'];
type Row = Report['byCounty'][number];
type Section = 'byPartnership' | 'byCounty' | 'byCategoryLevel' | 'byEmployer';

/**
 * The placement report of a year: progress towards the target (in words, with a progress bar),
 * then one chart and table per section, each exportable. The target form is for federation staff
 * (their own organisation) and admins (any federation).
 */
export function PlacementReportsPage() {
  const { t } = useI18n();
  const { query } = useLocation();
  const { me } = useSession();
  const current = chinaYear();
  const year = Number(query.get('year') ?? current) || current;
  const report = useLoad(
    () => fetchData(api.GET('/api/v1/reports/placements', { params: { query: { year } } })),
    [year],
  );
  const canSetTarget = me?.user.roles.some((r) => r === 'federation_staff' || r === 'admin') ?? false;
  const years = Array.from({ length: 5 }, (_, i) => String(current - i));
  return (
    <>
      <PageHeading title={t('placementReports.title')}>{t('placementReports.title')}</PageHeading>
      <p className="muted">{t('placementReports.intro')}</p>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          name="year"
          label={t('placementReports.year')}
          value={String(year)}
          options={years.map((y) => ({ value: y, label: y }))}
          onChange={(e) =>
            navigate(withQuery(PLACEMENT_REPORTS_PATH, { year: e.target.value }), { focus: false })
          }
        />
      </form>
      <ProblemSummary problem={report.problem} />
      {!report.data ? <Loading /> : <Sections report={report.data} />}
      {canSetTarget && <TargetForm year={year} onSaved={report.reload} />}
    </>
  );
}

function Sections({ report }: { report: Report }) {
  const { t, lang } = useI18n();
  const exportOf = (section: string) =>
    withQuery('/api/v1/reports/placements/export', { year: String(report.year), section });
  const s = report.summary;
  const notSet = t('placementReports.notSet');
  const label = (r: { label: string; labelEn: string }) => (lang === 'en' ? r.labelEn : r.label);
  const rowsSection = (section: Section) => {
    const rows: Row[] = report[section];
    const sum = (k: 'placements' | 'retained3m' | 'retained6m' | 'quotaCredit') =>
      rows.reduce((n, r) => n + r[k], 0);
    return (
      <ChartTable
        key={section}
        title={t(`placementReports.${section}` as MessageKey)}
        description={t('placementReports.rowsDesc', { total: sum('placements') })}
        bars={rows.map((r) => ({ key: r.key, label: label(r), value: r.placements }))}
        table={{
          columns: [
            t(`placementReports.group.${section}` as MessageKey),
            t('placementReports.placements'),
            t('placementReports.retained3m'),
            t('placementReports.retained6m'),
            t('placementReports.quotaCredit'),
          ],
          rows: rows.map((r) => ({
            key: r.key,
            header: label(r),
            cells: [r.placements, r.retained3m, r.retained6m, r.quotaCredit],
          })),
          total: {
            header: t('reports.total'),
            cells: [sum('placements'), sum('retained3m'), sum('retained6m'), sum('quotaCredit')],
          },
        }}
        exportPath={exportOf(section)}
        exportName={`placements-${section}-${report.year}.xlsx`}
      />
    );
  };
  const ttp = report.timeToPlacement;
  const days = (n: number | null) => (n === null ? t('placementReports.none') : String(n));
  return (
    <>
      <ChartTable
        title={t('placementReports.summary')}
        description={t('placementReports.summaryDesc')}
        bars={[
          { key: 'placed', label: t('placementReports.placed'), value: s.placed },
          ...(s.target === null
            ? []
            : [{ key: 'target', label: t('placementReports.target'), value: s.target }]),
        ]}
        table={{
          columns: [t('placementReports.item'), t('placementReports.value')],
          rows: [
            { key: 'placed', header: t('placementReports.placed'), cells: [s.placed] },
            { key: 'target', header: t('placementReports.target'), cells: [s.target ?? notSet] },
            { key: 'percent', header: t('placementReports.percent'), cells: [s.percentOfTarget ?? notSet] },
          ],
        }}
        exportPath={exportOf('summary')}
        exportName={`placements-summary-${report.year}.xlsx`}
      >
        <p>
          {s.target === null
            ? t('placementReports.noTarget', { placed: s.placed })
            : t('placementReports.progress', {
                placed: s.placed,
                target: s.target,
                percent: s.percentOfTarget ?? 0,
              })}
        </p>
        {s.target !== null && s.target > 0 && (
          <progress
            max={s.target}
            value={Math.min(s.placed, s.target)}
            aria-label={t('placementReports.progressLabel')}
          >
            {s.percentOfTarget}%
          </progress>
        )}
      </ChartTable>
      <ChartTable
        title={t('placementReports.funnel')}
        description={t('placementReports.funnelDesc')}
        bars={report.funnel.map((f) => ({
          key: f.stage,
          label: t(`stage.${f.stage}` as MessageKey),
          value: f.count,
        }))}
        table={{
          columns: [t('placementReports.stage'), t('placementReports.count')],
          rows: report.funnel.map((f) => ({
            key: f.stage,
            header: t(`stage.${f.stage}` as MessageKey),
            cells: [f.count],
          })),
        }}
        exportPath={exportOf('funnel')}
        exportName={`placements-funnel-${report.year}.xlsx`}
      />
      {(['byPartnership', 'byCounty', 'byCategoryLevel', 'byEmployer'] as const).map(rowsSection)}
      <ChartTable
        title={t('placementReports.time')}
        description={t('placementReports.timeDesc', {
          median: days(ttp.median),
          p75: days(ttp.p75),
          p90: days(ttp.p90),
        })}
        bars={ttp.histogram.map((h) => ({ key: h.key, label: h.key, value: h.count }))}
        table={{
          columns: [t('placementReports.days'), t('placementReports.count')],
          rows: ttp.histogram.map((h) => ({ key: h.key, header: h.key, cells: [h.count] })),
          total: { header: t('reports.total'), cells: [ttp.placements] },
        }}
        exportPath={exportOf('timeToPlacement')}
        exportName={`placements-time-${report.year}.xlsx`}
      >
        {ttp.unknown > 0 && <p className="muted">{t('placementReports.unknownDays', { n: ttp.unknown })}</p>}
      </ChartTable>
      <ChartTable
        title={t('placementReports.quota')}
        description={t('placementReports.quotaDesc', { day: s.creditDay, total: report.quotaCredit.total })}
        bars={report.quotaCredit.byEmployer.map((r) => ({ key: r.key, label: label(r), value: r.credit }))}
        table={{
          columns: [
            t('placementReports.group.byEmployer'),
            t('placementReports.credited'),
            t('placementReports.credit'),
          ],
          rows: report.quotaCredit.byEmployer.map((r) => ({
            key: r.key,
            header: label(r),
            cells: [r.placements, r.credit],
          })),
          total: {
            header: t('reports.total'),
            cells: [
              report.quotaCredit.byEmployer.reduce((n, r) => n + r.placements, 0),
              report.quotaCredit.total,
            ],
          },
        }}
        exportPath={exportOf('quotaCredit')}
        exportName={`placements-quota-${report.year}.xlsx`}
      />
    </>
  );
}

/** Federation staff set their organisation's target; admins choose the federation first. */
function TargetForm({ year, onSaved }: { year: number; onSaved(): void }) {
  const { t } = useI18n();
  const { me } = useSession();
  const admin = me?.user.roles.includes('admin') ?? false;
  const [orgId, setOrgId] = useState('');
  const federations = useLoad(
    () =>
      admin
        ? fetchData(
            api.GET('/api/v1/organizations', {
              params: { query: { type: 'recipient_federation', limit: 100 } },
            }),
          ).then((p) => p.items)
        : Promise.resolve([]),
    [admin],
  );
  const organizationId = admin ? orgId || undefined : undefined;
  const ready = !admin || !!organizationId;
  const target = useLoad(
    () =>
      ready
        ? fetchData(
            api.GET('/api/v1/reports/placement-targets/{year}', {
              params: { path: { year }, query: { organizationId } },
            }),
          )
        : Promise.resolve(undefined),
    [year, organizationId, ready],
  );
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const errors = useFieldErrors(problem);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!target.data) return;
    setProblem(null);
    setMessage(null);
    try {
      const saved = await fetchData(
        api.PUT('/api/v1/reports/placement-targets/{year}', {
          params: { path: { year } },
          headers: { 'If-Match': `W/"${target.data.version}"` },
          body: { target: Number(value), ...(organizationId ? { organizationId } : {}) },
        }),
      );
      setMessage(t('target.saved', { year, target: saved.target ?? '' }));
      setValue('');
      target.reload();
      onSaved();
    } catch (err) {
      setProblem(err);
      target.reload();
    }
  };
  return (
    <section className="report" aria-labelledby="target-h">
      <h2 id="target-h">{t('target.title')}</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        {admin && (
          <SelectField
            name="organizationId"
            label={t('target.organization')}
            value={orgId}
            emptyLabel="—"
            options={(federations.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
            onChange={(e) => setOrgId(e.target.value)}
          />
        )}
        {target.data && (
          <p>
            {t('target.current', {
              year,
              target: target.data.target ?? t('placementReports.notSet'),
            })}
          </p>
        )}
        <TextField
          name="target"
          label={t('target.value')}
          type="number"
          inputMode="numeric"
          min={0}
          required
          value={value}
          error={errors.target}
          onChange={(e) => setValue(e.target.value)}
        />
        <p>
          <button type="submit" disabled={!target.data || value === ''}>
            {t('target.save')}
          </button>
        </p>
        <StatusMessage>{message}</StatusMessage>
        <ProblemSummary problem={problem ?? target.problem} />
      </form>
    </section>
  );
}
