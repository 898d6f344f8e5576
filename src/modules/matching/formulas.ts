/**
 * The arithmetic of the score, shared by the reference `score()` and the columnar kernel so both
 * produce bit-identical numbers: same operations, same order. Change a formula here, bump
 * ALGORITHM_VERSION.
 */

/** Credit for holding a skill at `have` (0 = not at all) when `required` is asked. */
export function skillCredit(have: number, required: number): number {
  return Math.min(have, required) / required;
}

// Divisors are passed as reciprocals, computed once per opening or context by both callers:
// a multiplication costs a fraction of a division in the kernel's inner loop.

/** Mean of `sum` over `count` items, given 1 / count. */
export function mean(sum: number, inverseCount: number): number {
  return sum * inverseCount;
}

/**
 * Wage against expectation: 1 when even the bottom of the range meets it; 0 when even the top is
 * below it; otherwise `reachCredit` for a range that reaches it (its top at least the
 * expectation), plus the rest in proportion to the share of the range at or above it.
 * `expectation < 0` means none recorded. `inverseRange` = 1 / (max − min).
 */
export function wageValue(
  expectation: number,
  min: number,
  max: number,
  inverseRange: number,
  reachCredit: number,
): number {
  if (expectation < 0 || min >= expectation) return 1;
  if (max < expectation) return 0;
  // Here min < expectation ≤ max, so the range is not empty.
  return reachCredit + (1 - reachCredit) * (max - expectation) * inverseRange;
}

/** `inverseSaturation` = 1 / months of relevant experience that give full credit. */
export function experienceValue(
  relevantMonths: number,
  totalMonths: number,
  inverseSaturation: number,
  otherFactor: number,
): number {
  return Math.min(1, (relevantMonths + otherFactor * (totalMonths - relevantMonths)) * inverseSaturation);
}

export function peerValue(count: number, saturation: number): number {
  return count <= 0 ? 0 : Math.min(1, count / saturation);
}

/**
 * A component's points in hundredths (an integer), from its value and its scale (weight × 100).
 * Integers add up exactly, so the points shown (hundredths / 100) always sum to the score shown.
 */
export function points(scale: number, value: number): number {
  // Rounds half up; value × scale is within [0, 10000], so truncating to int32 is exact and cheap.
  return (value * scale + 0.5) | 0;
}

/** The score, 0–100 with two decimals, from the seven components' hundredths in COMPONENT_KEYS order. */
export function total(a: number, b: number, c: number, d: number, e: number, f: number, g: number): number {
  return Math.min(10000, a + b + c + d + e + f + g) / 100;
}

/** YYYY-MM-DD → yyyymmdd as an integer; 0 when malformed. */
export function ymd(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return 0;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return 0;
  return y * 10000 + mo * 100 + d;
}

/**
 * Completed years between two yyyymmdd integers: the difference of yyyymmdd numbers divided by
 * 10000 compares (month, day) exactly as a birthday does, 29 February included.
 */
export function ageAt(birthYmd: number, asOfYmd: number): number {
  if (birthYmd <= 0) return Number.NaN;
  return Math.floor((asOfYmd - birthYmd) / 10000);
}

export function provinceOf(code: string): string {
  return `${code.slice(0, 2)}0000`;
}

/** Prefecture of a county or prefecture code (a province code is returned as is). */
export function prefectureOf(code: string): string {
  if (code.endsWith('0000')) return code;
  return `${code.slice(0, 4)}00`;
}
