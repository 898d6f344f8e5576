import { AxisBottom, AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleBand, scaleLinear } from '@visx/scale';
import { Bar } from '@visx/shape';
import { useEffect, useId, useState } from 'react';
import { api, fetchData } from '../../api/client.js';
import type { components } from '../../api/schema.js';
import { ChartTable } from '../../components/chart-table.js';
import { Loading, PageHeading, ProblemSummary, StatusMessage, TableWrap } from '../../components/ui.js';
import { useLoad } from '../../hooks.js';
import { useI18n } from '../../i18n.js';
import { useSession } from '../../session.js';
import { useVocab } from '../../vocab.js';

type Report = components['schemas']['FairnessReport'];
type Measures = Report['totals'];

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const ratio = (x: number | null) => (x === null ? '—' : x.toFixed(2));

/**
 * Fairness: suggestion and hire rates by disability category, counted by the API within the
 * reader's scope. The score never reads the category; this page exists so that gaps are seen.
 * The counts come from the worker's latest snapshot (the API says when it was computed); while
 * none exists or a recount was asked for, the page asks again every few seconds.
 */
export function FairnessReportPage() {
  const { t, lang } = useI18n();
  const categories = useVocab('disability_category');
  const levels = useVocab('disability_level');
  const report = useLoad(() => fetchData(api.GET('/api/v1/reports/fairness', {})), []);
  const { me } = useSession();
  const canRefresh = !!me && (me.user.roles.includes('admin') || me.user.roles.includes('federation_staff'));
  // The snapshot time a recount was asked from: the page polls until a newer one is published.
  const [recountFrom, setRecountFrom] = useState<string | null | undefined>(undefined);
  const [refreshProblem, setRefreshProblem] = useState<unknown>(null);
  const computedAt = report.data?.computedAt;
  const waiting = report.data !== undefined && (computedAt === null || recountFrom !== undefined);
  useEffect(() => {
    if (recountFrom !== undefined && computedAt && computedAt !== recountFrom) setRecountFrom(undefined);
  }, [computedAt, recountFrom]);
  const { reload } = report;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(reload, 5_000);
    return () => clearInterval(timer);
  }, [waiting, reload]);
  const recount = async () => {
    setRefreshProblem(null);
    try {
      const state = await fetchData(api.POST('/api/v1/reports/fairness/refresh'));
      setRecountFrom(state.computedAt);
    } catch (err) {
      setRefreshProblem(err);
    }
  };
  const label = (list: typeof categories, code: string) => {
    const e = list?.find((c) => c.code === code);
    return e ? (lang === 'en' ? e.en : e.zh) : t('fairness.unknown');
  };
  const columns = [
    t('fairness.registered'),
    t('fairness.available'),
    t('fairness.suggested'),
    t('fairness.suggestionRate'),
    t('fairness.approved'),
    t('fairness.proposed'),
    t('fairness.hired'),
    t('fairness.hireRate'),
    t('fairness.populationShare'),
    t('fairness.suggestionRepresentation'),
    t('fairness.hireRepresentation'),
  ];
  const cells = (r: Measures) => [
    r.registered,
    r.available,
    r.suggested,
    pct(r.suggestionRate),
    r.approved,
    r.proposed,
    r.hired,
    pct(r.hireRate),
    pct(r.populationShare),
    ratio(r.suggestionRepresentation),
    ratio(r.hireRepresentation),
  ];
  const data = report.data;
  return (
    <>
      <PageHeading title={t('fairness.title')}>{t('fairness.title')}</PageHeading>
      <p>{t('fairness.why')}</p>
      <p className="muted">{t('fairness.definitions')}</p>
      <ProblemSummary problem={report.problem} />
      <ProblemSummary problem={refreshProblem} />
      {data && (
        <div className="freshness">
          <p>
            {data.computedAt
              ? t('fairness.computedAt', {
                  time: new Date(data.computedAt).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN'),
                  minutes: Math.max(0, Math.round((Date.now() - Date.parse(data.computedAt)) / 60_000)),
                  seconds: Math.round((data.durationMs ?? 0) / 1_000),
                })
              : t('fairness.computing')}
          </p>
          {canRefresh && (
            <button type="button" onClick={recount} disabled={recountFrom !== undefined}>
              {t('fairness.refresh')}
            </button>
          )}
          <StatusMessage>{recountFrom !== undefined ? t('fairness.refreshing') : null}</StatusMessage>
        </div>
      )}
      {!data || !categories || !levels ? (
        <Loading />
      ) : (
        <>
          <ChartTable
            title={t('fairness.chart')}
            description={t('fairness.chartDesc', {
              registered: data.totals.registered,
              suggested: data.totals.suggested,
              hired: data.totals.hired,
            })}
            chart={
              <RateChart
                title={t('fairness.chart')}
                description={t('fairness.chartDesc', {
                  registered: data.totals.registered,
                  suggested: data.totals.suggested,
                  hired: data.totals.hired,
                })}
                series={[t('fairness.suggestionRate'), t('fairness.hireRate')]}
                groups={data.categories.map((r) => ({
                  key: r.disabilityCategory,
                  label: label(categories, r.disabilityCategory),
                  values: [r.suggestionRate, r.hireRate],
                }))}
              />
            }
            table={{
              columns: [t('profile.category'), ...columns],
              rows: data.categories.map((r) => ({
                key: r.disabilityCategory,
                header: label(categories, r.disabilityCategory),
                cells: cells(r),
              })),
              total: { header: t('reports.total'), cells: cells(data.totals) },
            }}
            exportPath="/api/v1/reports/fairness/export"
            exportName="fairness-report.xlsx"
          />
          {data.categories.some((r) => r.disabilityCategory === 'unknown') && (
            <p className="muted">{t('fairness.unknownNote')}</p>
          )}
          <section className="report" aria-labelledby="fairness-levels">
            <h2 id="fairness-levels">{t('fairness.byLevel')}</h2>
            <TableWrap label={t('report.tableOf', { title: t('fairness.byLevel') })}>
              <table>
                <caption>{t('report.tableOf', { title: t('fairness.byLevel') })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('profile.category')}</th>
                    <th scope="col">{t('fairness.level')}</th>
                    {columns.map((c) => (
                      <th key={c} scope="col" className="num">
                        {c}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data.levels.map((r) => (
                    <tr key={`${r.disabilityCategory}-${r.disabilityLevel}`}>
                      <th scope="row">{label(categories, r.disabilityCategory)}</th>
                      <td>{label(levels, r.disabilityLevel)}</td>
                      {cells(r).map((c, i) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: columns are fixed
                        <td key={i} className="num">
                          {c}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </section>
        </>
      )}
    </>
  );
}

const WIDTH = 640;
const GROUP = 64;
const MARGIN = { top: 40, right: 170, bottom: 36, left: 120 };

/**
 * Grouped horizontal bars, two per category: solid for the first series, hatched for the second,
 * each with its series name and percentage printed at its end, so nothing is told by colour alone
 * (a legend repeats the two fills with their names). A missing rate (nobody to count) reads "—".
 */
function RateChart({
  title,
  description,
  series,
  groups,
}: {
  title: string;
  description: string;
  series: [string, string];
  groups: { key: string; label: string; values: [number | null, number | null] }[];
}) {
  const id = useId();
  const hatch = `${id}-hatch`.replace(/:/g, '');
  const height = MARGIN.top + MARGIN.bottom + Math.max(1, groups.length) * GROUP;
  const innerW = WIDTH - MARGIN.left - MARGIN.right;
  const innerH = height - MARGIN.top - MARGIN.bottom;
  const max = Math.max(1, ...groups.flatMap((g) => g.values.map((v) => v ?? 0)));
  const y = scaleBand<string>({ domain: groups.map((g) => g.key), range: [0, innerH], padding: 0.2 });
  const inner = scaleBand<number>({ domain: [0, 1], range: [0, y.bandwidth()], padding: 0.1 });
  const x = scaleLinear<number>({ domain: [0, max], range: [0, innerW] });
  const labelOf = new Map(groups.map((g) => [g.key, g.label]));
  const fills = ['var(--primary)', `url(#${hatch})`];
  return (
    <svg
      role="img"
      aria-labelledby={`${id}-t ${id}-d`}
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
      style={{ maxWidth: `${WIDTH}px` }}
      className="bar-chart"
    >
      <title id={`${id}-t`}>{title}</title>
      <desc id={`${id}-d`}>{description}</desc>
      <defs>
        <pattern id={hatch} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
          <rect width="6" height="6" fill="var(--bg, #fff)" />
          <line x1="0" y1="0" x2="0" y2="6" stroke="var(--fg, #1b1f24)" strokeWidth="3" />
        </pattern>
      </defs>
      <g>
        {series.map((name, i) => (
          <g key={name} transform={`translate(${MARGIN.left + i * 200}, 8)`}>
            <rect width="18" height="18" style={{ fill: fills[i], stroke: 'var(--fg, #1b1f24)' }} />
            <text x="24" y="14" className="bar-value">
              {name}
            </text>
          </g>
        ))}
      </g>
      <Group left={MARGIN.left} top={MARGIN.top}>
        {groups.map((g) =>
          g.values.map((v, i) => {
            const top = (y(g.key) ?? 0) + (inner(i) ?? 0);
            const w = x(v ?? 0);
            return (
              <g key={`${g.key}-${series[i]}`}>
                <Bar
                  x={0}
                  y={top}
                  width={w}
                  height={inner.bandwidth()}
                  style={{ fill: fills[i], stroke: 'var(--fg, #1b1f24)', strokeWidth: 1 }}
                />
                <text
                  x={w + 6}
                  y={top + inner.bandwidth() / 2}
                  dominantBaseline="middle"
                  className="bar-value"
                >
                  {`${series[i]} ${pct(v)}`}
                </text>
              </g>
            );
          }),
        )}
        <AxisLeft
          scale={y}
          tickFormat={(k) => labelOf.get(k) ?? k}
          hideTicks
          stroke="#1b1f24"
          tickLabelProps={{ fill: '#1b1f24', fontSize: 14, textAnchor: 'end', dy: '0.33em' }}
        />
        <AxisBottom
          top={innerH}
          scale={x}
          numTicks={5}
          tickFormat={(v) => `${Math.round(Number(v) * 100)}%`}
          stroke="#1b1f24"
          tickStroke="#1b1f24"
          tickLabelProps={{ fill: '#1b1f24', fontSize: 12, textAnchor: 'middle' }}
        />
      </Group>
    </svg>
  );
}
