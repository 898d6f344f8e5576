/**
 * The benchmark convention: every figure is one JSON line, so runs can be compared and collected.
 * `baseline` is the same metric for the reference implementation measured in the same run, and
 * `ratio` is value / baseline.
 */
export interface Figure {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
}

export function report(f: Figure): void {
  const ratio = f.ratio ?? (f.baseline ? Number((f.value / f.baseline).toFixed(3)) : null);
  console.log(
    JSON.stringify({
      bench: f.bench,
      metric: f.metric,
      value: Number(f.value.toFixed(3)),
      unit: f.unit,
      baseline: f.baseline === undefined ? null : Number(f.baseline.toFixed(3)),
      ratio,
      node: process.version,
    }),
  );
}
