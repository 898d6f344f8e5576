/**
 * GB/T 2260 administrative division codes are hierarchical: province `XX0000`, prefecture
 * `XXYY00`, county `XXYYZZ`. Containment is therefore decidable from the codes alone.
 */
export type RegionLevel = 'province' | 'prefecture' | 'county';

export const REGION_CODE = /^[1-8]\d{5}$/;

export const PROVINCES = { sichuan: '510000', zhejiang: '330000', guangdong: '440000' } as const;

export function levelOf(code: string): RegionLevel {
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'prefecture';
  return 'county';
}

export function provinceOf(code: string): string {
  return `${code.slice(0, 2)}0000`;
}

/** The prefecture of a prefecture or county code; undefined for a province. */
export function prefectureOf(code: string): string | undefined {
  return levelOf(code) === 'province' ? undefined : `${code.slice(0, 4)}00`;
}

export function parentOf(code: string): string | null {
  const level = levelOf(code);
  if (level === 'province') return null;
  if (level === 'prefecture') return provinceOf(code);
  return prefectureOf(code) ?? null;
}

/** True when `code` is `ancestor` itself or lies inside it. */
export function isWithin(code: string, ancestor: string): boolean {
  switch (levelOf(ancestor)) {
    case 'province':
      return code.slice(0, 2) === ancestor.slice(0, 2);
    case 'prefecture':
      return code.slice(0, 4) === ancestor.slice(0, 4);
    case 'county':
      return code === ancestor;
  }
}

export function isInProvince(code: string, ...provinces: string[]): boolean {
  return provinces.some((p) => isWithin(code, p));
}
