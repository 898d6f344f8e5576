import { AxisBottom, AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleBand, scaleLinear } from '@visx/scale';
import { Bar } from '@visx/shape';
import { type ReactNode, useId, useState } from 'react';
import { downloadFile } from '../download.js';
import { useI18n } from '../i18n.js';
import { ProblemSummary, StatusMessage, TableWrap } from './ui.js';

export interface ChartBar {
  key: string;
  label: string;
  value: number;
}

export interface ReportTableData {
  /** Column headings; the first names the row headers. */
  columns: string[];
  rows: { key: string; header: string; cells: (string | number)[] }[];
  /** A totals row, if any. */
  total?: { header: string; cells: (string | number)[] };
}

/**
 * A report: the chart (for those who would rather look) and the same numbers as a table (for
 * everyone, screen readers first), with an XLSX export of the table from the API.
 *
 * The chart is SVG (visx primitives: scales, bars, axes), so it zooms and reflows with large
 * text, and it carries no information by colour alone: one colour with a contrasting outline,
 * each bar labelled with its value in text. The SVG is an image with a title and a short
 * description; the table beside it is the accessible form of the data.
 */
export function ChartTable({
  title,
  description,
  bars,
  chart,
  table,
  exportPath,
  exportName,
  children,
}: {
  title: string;
  description: string;
  bars?: ChartBar[];
  /** A chart of another shape (grouped bars, say) in place of the bar chart of `bars`. */
  chart?: ReactNode;
  table: ReportTableData;
  /** The API's XLSX of this report, with the same filters. */
  exportPath?: string;
  exportName?: string;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  const id = useId();
  const [problem, setProblem] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const exportXlsx = async () => {
    if (!exportPath) return;
    setProblem(null);
    setMessage(null);
    try {
      const name = await downloadFile(exportPath, exportName ?? 'report.xlsx');
      setMessage(t('report.exported', { name }));
    } catch (err) {
      setProblem(err);
    }
  };
  return (
    <section className="report" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{title}</h2>
      {children}
      <figure className="chart">
        {chart ?? <BarChart bars={bars ?? []} title={title} description={description} />}
        <figcaption className="muted small">{description}</figcaption>
      </figure>
      <TableWrap label={t('report.tableOf', { title })}>
        <table>
          <caption>{t('report.tableOf', { title })}</caption>
          <thead>
            <tr>
              {table.columns.map((c, i) => (
                <th key={c} scope="col" className={i > 0 ? 'num' : undefined}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.header}</th>
                {r.cells.map((c, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: columns are fixed per table
                  <td key={i} className="num">
                    {c}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
          {table.total && (
            <tfoot>
              <tr>
                <th scope="row">{table.total.header}</th>
                {table.total.cells.map((c, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: columns are fixed per table
                  <td key={i} className="num">
                    <strong>{c}</strong>
                  </td>
                ))}
              </tr>
            </tfoot>
          )}
        </table>
      </TableWrap>
      {exportPath && (
        <p>
          <button type="button" className="secondary" onClick={() => void exportXlsx()}>
            {t('report.export')}
          </button>
        </p>
      )}
      <StatusMessage>{message}</StatusMessage>
      <ProblemSummary problem={problem} />
    </section>
  );
}

const WIDTH = 640;
const ROW = 36;
const MARGIN = { top: 8, right: 56, bottom: 36, left: 120 };

/** Horizontal bars: labels read left to right in Chinese, values printed at the bar's end. */
export function BarChart({
  bars,
  title,
  description,
}: {
  bars: ChartBar[];
  title: string;
  description: string;
}) {
  const id = useId();
  const height = MARGIN.top + MARGIN.bottom + Math.max(1, bars.length) * ROW;
  const innerW = WIDTH - MARGIN.left - MARGIN.right;
  const innerH = height - MARGIN.top - MARGIN.bottom;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const y = scaleBand<string>({ domain: bars.map((b) => b.key), range: [0, innerH], padding: 0.25 });
  const x = scaleLinear<number>({ domain: [0, max], range: [0, innerW], nice: true });
  const labelOf = new Map(bars.map((b) => [b.key, b.label]));
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
      <Group left={MARGIN.left} top={MARGIN.top}>
        {bars.map((b) => {
          const w = x(b.value);
          const top = y(b.key) ?? 0;
          return (
            <g key={b.key}>
              <Bar x={0} y={top} width={w} height={y.bandwidth()} className="bar" />
              <text x={w + 6} y={top + y.bandwidth() / 2} dominantBaseline="middle" className="bar-value">
                {b.value}
              </text>
            </g>
          );
        })}
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
          numTicks={Math.min(5, max)}
          tickFormat={(v) => String(v)}
          stroke="#1b1f24"
          tickStroke="#1b1f24"
          tickLabelProps={{ fill: '#1b1f24', fontSize: 12, textAnchor: 'middle' }}
        />
      </Group>
    </svg>
  );
}
