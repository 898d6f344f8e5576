/**
 * The one seam between authorization and the reference module (regions and partnerships).
 * TEMPORARY: until src/modules/reference lands, these are minimal stand-ins with the same contract.
 */

export type RegionLevel = 'province' | 'prefecture' | 'county';

export interface Region {
  code: string;
  level: RegionLevel;
  parentCode: string | null;
  zh: string;
  pinyin: string;
}

export interface Partnership {
  id: string;
  supportingCode: string;
  receivingCode: string;
  from: Date | string | null;
  to: Date | string | null;
}

const CODE = /^\d{6}$/;

/** GB/T 2260: province XX0000 ⊃ prefecture XXYY00 ⊃ county XXYYZZ. */
export function levelOf(code: string): RegionLevel {
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'prefecture';
  return 'county';
}

export function provinceOf(code: string): string {
  return `${code.slice(0, 2)}0000`;
}

/** True when `code` is `ancestorCode` itself or lies inside it. */
export function isWithin(code: string, ancestorCode: string): boolean {
  if (!CODE.test(code) || !CODE.test(ancestorCode)) return false;
  switch (levelOf(ancestorCode)) {
    case 'province':
      return code.slice(0, 2) === ancestorCode.slice(0, 2);
    case 'prefecture':
      return code.slice(0, 4) === ancestorCode.slice(0, 4);
    case 'county':
      return code === ancestorCode;
  }
}

export async function findRegion(code: string): Promise<Region | null> {
  if (!CODE.test(code) || !['51', '33', '44'].includes(code.slice(0, 2))) return null;
  const level = levelOf(code);
  const parentCode =
    level === 'province' ? null : level === 'prefecture' ? provinceOf(code) : `${code.slice(0, 4)}00`;
  return { code, level, parentCode, zh: code, pinyin: code };
}

export async function listPartnerships(): Promise<Partnership[]> {
  return [
    { id: 'p1', supportingCode: '440600', receivingCode: '513400', from: '2016-01-01', to: null },
    { id: 'p2', supportingCode: '330300', receivingCode: '511300', from: '2016-01-01', to: null },
    { id: 'p3', supportingCode: '330300', receivingCode: '513200', from: '2016-01-01', to: null },
  ];
}
