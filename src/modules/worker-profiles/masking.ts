/**
 * Masked forms of a worker profile's identity, for staff lists and exports (PIPL Art. 51:
 * de-identification). Enough remains for a member of staff to recognise someone they already
 * know; the full values come only from the audited reveal endpoint.
 *
 * Characters are counted by code point, so rare characters outside the BMP (e.g. 𠮷) are one
 * character, and one `*` stands for each hidden character.
 */

const MASK = '*';

/** 复姓: common two-character surnames (百家姓), kept whole like a one-character surname. */
// biome-ignore format: a table reads better packed
const COMPOUND_SURNAMES = new Set([
  '欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒',
  '夏侯', '轩辕', '令狐', '钟离', '闾丘', '独孤', '南宫', '西门', '万俟', '呼延', '端木', '申屠',
  '澹台', '太史', '赫连', '拓跋', '司空', '百里', '东郭', '公冶', '濮阳', '宗政', '第五',
]);

/** Separators inside a name (· in transliterated minority names, spaces and hyphens in Latin ones). */
const NAME_SEPARATOR = /^[\s·•・．.\-'’]$/u;

function stars(n: number): string {
  return MASK.repeat(Math.max(0, n));
}

function keepEnds(value: string, head: number, tail: number): string {
  const chars = Array.from(value);
  if (chars.length <= head + tail) return stars(chars.length);
  return chars.slice(0, head).join('') + stars(chars.length - head - tail) + chars.slice(-tail).join('');
}

/** Hides every non-separator character after the first `keep` characters. */
function maskAfter(chars: string[], keep: number): string {
  return chars.map((c, i) => (i < keep || NAME_SEPARATOR.test(c) ? c : MASK)).join('');
}

/** Latin names: the initial of each word stays (`John Smith` → `J*** S****`). */
function maskLatinName(name: string): string {
  return name
    .split(/(\s+|-)/u)
    .map((part) => (/^(\s+|-)$/u.test(part) ? part : maskAfter(Array.from(part), 1)))
    .join('');
}

/**
 * The surname stays, the given name is hidden: `张三` → `张*`, `张三丰` → `张**`, `欧阳娜娜` → `欧阳**`.
 * Names whose surname cannot be told (Tibetan and Yi names, transliterated names with ·) keep only
 * their first character, erring towards privacy: `扎西多吉` → `扎***`, `阿依·买买提` → `阿*·***`.
 * Latin names keep each word's initial. A one-character value is hidden entirely.
 */
export function maskName(name: string): string {
  const trimmed = name.trim();
  const chars = Array.from(trimmed);
  if (chars.length <= 1) return stars(chars.length);
  if (/[A-Za-z]/.test(trimmed) && !/\p{Script=Han}/u.test(trimmed)) return maskLatinName(trimmed);
  const surname = chars.length > 2 && COMPOUND_SURNAMES.has(chars.slice(0, 2).join('')) ? 2 : 1;
  return maskAfter(chars, surname);
}

/**
 * First 4 and last 4 characters of a resident ID number (GB 11643-1999): province and prefecture
 * of the address code, and the end of the sequence with the check character —
 * `5133**********1234`. Shorter values are hidden entirely.
 */
export function maskIdNumber(idNumber: string): string {
  return keepEnds(idNumber.trim(), 4, 4);
}

/** First 3 and last 4 digits of a mobile number: `138****5678`. */
export function maskPhone(phone: string): string {
  return keepEnds(phone.trim(), 3, 4);
}

/**
 * A second-generation disability certificate number (GB/T 26341-2010): its ID part masked as
 * `maskIdNumber`, then the category and level digits and any reissue mark, which staff see as
 * fields anyway — `5133**********123441B1`. Anything not shaped like one is masked as an ID number.
 */
export function maskCertificate(certificateNumber: string): string {
  const value = certificateNumber.trim();
  if (!/^[\dXx]{18}\d{2}(B\d+)?$/u.test(value)) return maskIdNumber(value);
  return maskIdNumber(value.slice(0, 18)) + value.slice(18);
}

/** Any other identifying code (a training certificate number): first 2 and last 3 characters. */
export function maskCode(code: string): string {
  return keepEnds(code.trim(), 2, 3);
}
