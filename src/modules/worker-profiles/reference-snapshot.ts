import type { Region, VocabularyEntry, VocabularyKind } from '../reference/reference.service.js';

/**
 * The reference data one validation needs, held in memory so that rules stay pure (no I/O) and a
 * spreadsheet of 10,000 rows is checked without a query per cell.
 */
export interface ReferenceSnapshot {
  hasCode(kind: VocabularyKind, code: string): boolean;
  entries(kind: VocabularyKind): readonly VocabularyEntry[];
  region(code: string): Region | undefined;
  regions(): readonly Region[];
}

export function buildReferenceSnapshot(
  vocabulary: readonly VocabularyEntry[],
  regions: readonly Region[],
): ReferenceSnapshot {
  const codes = new Set(vocabulary.map((v) => `${v.kind}.${v.code}`));
  const byKind = new Map<VocabularyKind, VocabularyEntry[]>();
  for (const v of vocabulary) {
    const list = byKind.get(v.kind) ?? [];
    list.push(v);
    byKind.set(v.kind, list);
  }
  const regionIndex = new Map(regions.map((r) => [r.code, r]));
  return {
    hasCode: (kind, code) => codes.has(`${kind}.${code}`),
    entries: (kind) => byKind.get(kind) ?? [],
    region: (code) => regionIndex.get(code),
    regions: () => regions,
  };
}
