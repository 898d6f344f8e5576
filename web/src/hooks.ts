import { type DependencyList, useCallback, useEffect, useState } from 'react';
import { api, fetchData, type Schemas } from './api/client.js';
import type { Lang } from './i18n.js';

export interface Loaded<D> {
  data: D | undefined;
  problem: unknown;
  loading: boolean;
  reload(): void;
}

/** Runs `load` when `deps` change; the latest answer wins (an older, slower one is dropped). */
export function useLoad<D>(load: () => Promise<D>, deps: DependencyList): Loaded<D> {
  const [data, setData] = useState<D>();
  const [problem, setProblem] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists what `load` reads
  useEffect(() => {
    let live = true;
    setLoading(true);
    setProblem(null);
    load()
      .then((d) => {
        if (live) setData(d);
      })
      .catch((err: unknown) => {
        if (live) setProblem(err);
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, problem, loading, reload };
}

type Region = Schemas['Region'];
let regions: Promise<Map<string, Region>> | undefined;

/** Every region (GB/T 2260) once per page load: names for codes, in Chinese or pinyin. */
export function useRegions(): Map<string, Region> | undefined {
  const [map, setMap] = useState<Map<string, Region>>();
  useEffect(() => {
    regions ??= fetchData(api.GET('/api/v1/reference/regions')).then(
      (r) => new Map(r.items.map((x) => [x.code, x])),
    );
    regions.then(setMap).catch(() => {
      regions = undefined;
    });
  }, []);
  return map;
}

export function regionName(
  map: Map<string, Region> | undefined,
  code: string | null | undefined,
  lang: Lang,
) {
  if (!code) return '';
  const r = map?.get(code);
  if (!r) return code;
  // Place names stay in Chinese in both languages (the stored pinyin has no word breaks).
  return lang === 'en' ? `${r.zh} (${code})` : `${r.zh}（${code}）`;
}
