import type { MatchContext } from './context.js';
import { experienceValue, mean, peerValue, points, skillCredit, total, wageValue } from './formulas.js';
import { type NormalizedOpening, normalizeOpening, normalizeProfile } from './normalize.js';
import { EXCLUSION_CODES, type ExclusionCode, type MatchOpening, type MatchProfile } from './types.js';
import type { MatchVocabulary } from './vocabulary.js';

/*
 * The fast path. Available, consenting profiles live in columns (typed arrays, one slot per row);
 * codes become small integers through per-snapshot dictionaries; accommodation needs and
 * limitations are 64-bit masks (two uint32 words), skill levels 2-bit fields in per-row words.
 * Row bitsets index the rows by destination region, by skill, by needed accommodation, by
 * limitation and by the need for an accessible dormitory.
 *
 * Everything that depends only on the opening — which limitations have an unmitigated conflict,
 * which accommodations are missing, which origin areas are paired, points per county for peers,
 * the birth-date window of working age — is computed once per opening (`compile`). The kernel then
 * runs in two passes: `filter` drops excluded rows 32 at a time with the bitsets and checks age
 * and wage on the survivors; `score` computes the soft components of the eligible rows. Both read
 * the same normalised values and call the same formulas (formulas.ts) in the same order as
 * `assess()`, so eligibility, first exclusion and score are identical to the reference `score()`
 * (the property tests check it on random and on realistic data).
 */

const F_MALE = 1;
const F_NEEDS_ACCESSIBLE_DORM = 2;
const F_ANYWHERE = 4;

/** Filter modes for an optional row set: ignore it, keep only rows in it, keep only rows out of it. */
const ANY = 0;
const IN = 1;
const OUT = 2;

const DEST_NONE = 0;
const DEST_ANYWHERE = 1;
const DEST_PROVINCE = 2;
const DEST_CITY = 3;

/** Destination fit from (named the city, named the province, named nothing) bits, without branches. */
const DEST_OF = Uint8Array.of(
  DEST_NONE,
  DEST_ANYWHERE,
  DEST_PROVINCE,
  DEST_PROVINCE,
  DEST_CITY,
  DEST_CITY,
  DEST_CITY,
  DEST_CITY,
);

const CODE = Object.fromEntries(EXCLUSION_CODES.map((c, i) => [c, -(i + 1)])) as Record<
  ExclusionCode,
  number
>;
const X_AGE = CODE.outside_working_age;
const X_DEST = CODE.destination_not_acceptable;
const X_WAGE = CODE.wage_expectation_above_max;
const X_ACC = CODE.accommodation_not_offered;
const X_CONFLICT = CODE.demand_conflict;
const X_DORM = CODE.accessible_dormitory_missing;
const X_NO_SKILL = CODE.no_required_skill;

/** Kernel result: a score ≥ 0, or a negative number naming the first failed constraint. */
export function exclusionOf(result: number): ExclusionCode | null {
  return result >= 0 ? null : (EXCLUSION_CODES[-result - 1] ?? null);
}

/** Ranking order everywhere: higher score first, then profile/opening id ascending. */
export function ranksBefore(scoreA: number, idA: string, scoreB: number, idB: string): boolean {
  return scoreA > scoreB || (scoreA === scoreB && idA < idB);
}

/** Credit for (required level r, held level h) at CREDIT[r * 4 + h]; the same skillCredit values. */
const CREDIT = new Float64Array(16);
for (let r = 1; r <= 3; r++) for (let h = 0; h <= 3; h++) CREDIT[r * 4 + h] = skillCredit(h, r);

class Dict {
  readonly index = new Map<string, number>();
  readonly codes: string[] = [];
  constructor(
    private readonly what: string,
    private readonly limit = Number.POSITIVE_INFINITY,
  ) {}
  get(code: string): number {
    return this.index.get(code) ?? -1;
  }
  /** Like intern, but -1 instead of growing past the limit. */
  tryIntern(code: string): number {
    return this.index.has(code) || this.codes.length < this.limit ? this.intern(code) : -1;
  }
  intern(code: string): number {
    let i = this.index.get(code);
    if (i === undefined) {
      if (this.codes.length >= this.limit) {
        throw new Error(`matching snapshot: more than ${this.limit} distinct ${this.what} codes`);
      }
      i = this.codes.length;
      this.codes.push(code);
      this.index.set(code, i);
    }
    return i;
  }
  get size(): number {
    return this.codes.length;
  }
}

/** Variable-length per-row lists in one flat array; replaced lists are reclaimed by compaction. */
class Pool {
  data = new Float64Array(1024);
  used = 0;
  garbage = 0;
  off: Int32Array;
  len: Int32Array;
  constructor(capacity: number) {
    this.off = new Int32Array(capacity);
    this.len = new Int32Array(capacity);
  }
  growRows(capacity: number): void {
    const off = new Int32Array(capacity);
    off.set(this.off);
    this.off = off;
    const len = new Int32Array(capacity);
    len.set(this.len);
    this.len = len;
  }
  clear(row: number): void {
    this.garbage += this.len[row]!;
    this.len[row] = 0;
  }
  set(row: number, values: readonly number[], rows: number): void {
    this.clear(row);
    const n = values.length;
    if (n === 0) return;
    if (this.used + n > this.data.length) this.makeRoom(n, rows);
    const at = this.used;
    for (let i = 0; i < n; i++) this.data[at + i] = values[i]!;
    this.off[row] = at;
    this.len[row] = n;
    this.used = at + n;
  }
  private makeRoom(n: number, rows: number): void {
    let size = this.data.length;
    const live = this.used - this.garbage;
    while (live + n > size / 2) size *= 2;
    const data = new Float64Array(size);
    let at = 0;
    for (let r = 0; r < rows; r++) {
      const l = this.len[r]!;
      if (l === 0) continue;
      const o = this.off[r]!;
      data.set(this.data.subarray(o, o + l), at);
      this.off[r] = at;
      at += l;
    }
    this.data = data;
    this.used = at;
    this.garbage = 0;
  }
}

/**
 * An opening prepared against one snapshot and context. It holds dictionary indexes and references
 * to the snapshot's bitsets, so it is valid only until the snapshot next changes: `topN` compiles
 * afresh each call; `scanAll`/`evaluate` refuse a compiled opening from an older `epoch`.
 */
export interface CompiledOpening {
  readonly opening: NormalizedOpening;
  readonly epoch: number;
  /** 0, or the kernel code of an opening-level exclusion (not open, full). */
  readonly openingExclusion: number;
  readonly latestBirth: number;
  readonly earliestBirthMale: number;
  readonly earliestBirthFemale: number;
  readonly wageMin: number;
  readonly wageMax: number;
  readonly wageReach: number;
  readonly missingAcc0: number;
  readonly missingAcc1: number;
  readonly conflictLim0: number;
  readonly conflictLim1: number;
  /** Row bitsets whose rows are excluded outright: needs not offered, unmitigated conflicts. */
  readonly excludedSets: readonly Uint32Array[];
  /** Rows whose needs beyond the mask bits the opening does not offer; null when none. */
  readonly overflowUnmet: Uint32Array | null;
  readonly accessibleDorm: boolean;
  readonly cityIdx: number;
  readonly provinceIdx: number;
  readonly nReq: number;
  /** Word offset within a row's skill words, -1 when no profile holds the skill. */
  readonly reqWord: Int32Array;
  readonly reqShift: Int32Array;
  readonly reqLevel: Int32Array;
  readonly reqMark: Uint8Array;
  readonly trainingApplies: boolean;
  readonly programmeBase: Float64Array;
  readonly trainingFactor: number;
  readonly paired: Uint8Array;
  readonly anyPaired: boolean;
  /** Peer points per origin-county region index. */
  readonly peerPoints: Float64Array;
  /** Destination points per destination fit (DEST_*). */
  readonly destPoints: Float64Array;
  readonly expSaturation: number;
  readonly expOtherFactor: number;
  readonly w: Float64Array;
  /** Rows holding at least one required skill (skill index), rows from a paired area. */
  readonly skillSets: readonly Uint32Array[];
  readonly pairedSets: readonly Uint32Array[];
  /**
   * Highest score reachable by a row [with a required skill or not][from a paired area or not]:
   * exact upper bounds (the total is monotone in every component), used by topN to skip groups.
   */
  readonly bound: readonly (readonly number[])[];
}

export interface RankedProfile {
  profileId: string;
  score: number;
}

export type UpsertOutcome = 'inserted' | 'updated' | 'removed' | 'absent' | 'stale';

export interface SnapshotStats {
  profiles: number;
  capacity: number;
  skills: number;
  regions: number;
  programmes: number;
  /** Bytes held by columns, pools and bitsets (not the id strings and maps). */
  bytes: number;
}

export class ProfileSnapshot {
  private readonly skills = new Dict('skill');
  private readonly accs = new Dict('accommodation', 64);
  private readonly lims = new Dict('limitation', 64);
  private readonly regions = new Dict('region');
  private readonly programmes = new Dict('programme');

  private capacity = 0;
  private words = 0;
  private rows = 0;
  private readonly free: number[] = [];
  private readonly rowOf = new Map<string, number>();
  private ids: (string | undefined)[] = [];
  /** Version last applied (or removed) per profile id: an older upsert is stale. */
  private readonly versions = new Map<string, number>();
  private epochValue = 0;

  private flags = new Uint8Array(0);
  private birth = new Int32Array(0);
  private county = new Int32Array(0);
  private prefecture = new Int32Array(0);
  private acc0 = new Uint32Array(0);
  private acc1 = new Uint32Array(0);
  private lim0 = new Uint32Array(0);
  private lim1 = new Uint32Array(0);
  private minWage = new Float64Array(0);
  private expTotal = new Float64Array(0);
  private skillStride = 1;
  private skillWords = new Uint32Array(0);
  private readonly dest: Pool;
  private readonly train: Pool;
  private readonly exp: Pool;

  private live = new Uint32Array(0);
  private anywhere = new Uint32Array(0);
  private byRegion: Uint32Array[] = [];
  private bySkill: Uint32Array[] = [];
  /** Rows needing each accommodation, rows with each limitation: exclusions 32 rows at a time. */
  private byNeed: Uint32Array[] = [];
  /** Rows by origin county and by origin prefecture (for the partnership bound of topN). */
  private byOrigin: Uint32Array[] = [];
  private byLimitation: Uint32Array[] = [];
  private needsAccessibleDorm = new Uint32Array(0);
  private readonly overflowNeeds = new Map<number, string[]>();
  private scratchRows = new Int32Array(0);
  private scratchDests = new Uint8Array(0);
  private scratchOut = new Float64Array(0);

  constructor(
    private readonly vocabulary: MatchVocabulary,
    initialCapacity = 1024,
  ) {
    // Vocabulary codes first, so the common ones get the low indexes and masks stay stable.
    for (const c of vocabulary.skills.codes) this.skills.intern(c);
    // Limitation masks hold the vocabulary's limitations only: a term outside it has no entry in
    // the conflict table, so it can never exclude anyone and needs no bit.
    if (vocabulary.limitations.codes.length > 64) {
      throw new Error('matching snapshot: more than 64 limitations; widen the limitation masks');
    }
    for (const c of vocabulary.limitations.codes) this.lims.intern(c);
    for (const c of vocabulary.accommodations.codes) this.accs.tryIntern(c);
    this.skillStride = Math.max(1, Math.ceil(this.skills.size / 16));
    this.dest = new Pool(0);
    this.train = new Pool(0);
    this.exp = new Pool(0);
    this.grow(Math.max(32, initialCapacity));
  }

  get size(): number {
    return this.rowOf.size;
  }

  /** Changes with every upsert and removal; compiled openings from an older epoch are refused. */
  get epoch(): number {
    return this.epochValue;
  }

  has(id: string): boolean {
    return this.rowOf.has(id);
  }

  profileIds(): IterableIterator<string> {
    return this.rowOf.keys();
  }

  stats(): SnapshotStats {
    let bytes =
      this.flags.byteLength +
      this.birth.byteLength +
      this.county.byteLength +
      this.prefecture.byteLength +
      this.acc0.byteLength * 4 +
      this.minWage.byteLength +
      this.expTotal.byteLength +
      this.skillWords.byteLength +
      this.live.byteLength +
      this.anywhere.byteLength;
    for (const p of [this.dest, this.train, this.exp]) {
      bytes += p.data.byteLength + p.off.byteLength + p.len.byteLength;
    }
    for (const list of [this.byRegion, this.bySkill, this.byNeed, this.byLimitation, this.byOrigin]) {
      for (const b of list) bytes += b.byteLength;
    }
    bytes += this.needsAccessibleDorm.byteLength;
    return {
      profiles: this.rowOf.size,
      capacity: this.capacity,
      skills: this.skills.size,
      regions: this.regions.size,
      programmes: this.programmes.size,
      bytes,
    };
  }

  private grow(capacity: number): void {
    const cap = Math.ceil(capacity / 32) * 32;
    const resize = <T extends Uint8Array | Int32Array | Uint32Array | Float64Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.flags = resize(this.flags, cap);
    this.birth = resize(this.birth, cap);
    this.county = resize(this.county, cap);
    this.prefecture = resize(this.prefecture, cap);
    this.acc0 = resize(this.acc0, cap);
    this.acc1 = resize(this.acc1, cap);
    this.lim0 = resize(this.lim0, cap);
    this.lim1 = resize(this.lim1, cap);
    this.minWage = resize(this.minWage, cap);
    this.expTotal = resize(this.expTotal, cap);
    this.skillWords = resize(this.skillWords, cap * this.skillStride);
    this.dest.growRows(cap);
    this.train.growRows(cap);
    this.exp.growRows(cap);
    const words = cap >>> 5;
    this.live = resize(this.live, words);
    this.anywhere = resize(this.anywhere, words);
    this.byRegion = this.byRegion.map((b) => resize(b, words));
    this.bySkill = this.bySkill.map((b) => resize(b, words));
    this.byNeed = this.byNeed.map((b) => resize(b, words));
    this.byOrigin = this.byOrigin.map((b) => resize(b, words));
    this.byLimitation = this.byLimitation.map((b) => resize(b, words));
    this.needsAccessibleDorm = resize(this.needsAccessibleDorm, words);
    this.ids.length = cap;
    this.capacity = cap;
    this.words = words;
  }

  private widenSkills(): void {
    const stride = Math.ceil(this.skills.size / 16);
    if (stride <= this.skillStride) return;
    const next = new Uint32Array(this.capacity * stride);
    for (let r = 0; r < this.rows; r++) {
      next.set(this.skillWords.subarray(r * this.skillStride, (r + 1) * this.skillStride), r * stride);
    }
    this.skillWords = next;
    this.skillStride = stride;
  }

  private bitset(list: Uint32Array[], i: number): Uint32Array {
    while (list.length <= i) list.push(new Uint32Array(this.words));
    return list[i]!;
  }

  /**
   * Applies a profile: inserted or updated when available and consenting, removed otherwise.
   * An upsert with a lower `version` than the one last applied is ignored ('stale'), so change
   * events may arrive out of order or twice.
   */
  upsert(profile: MatchProfile): UpsertOutcome {
    const known = this.versions.get(profile.id);
    if (profile.version !== undefined && known !== undefined && profile.version < known) return 'stale';
    if (profile.version !== undefined) this.versions.set(profile.id, profile.version);
    const p = normalizeProfile(this.vocabulary, profile);
    if (!p.available || !p.consent) return this.drop(profile.id) ? 'removed' : 'absent';

    const sizes = [this.skills.size];
    const skillIdx: [number, number][] = [];
    for (const [code, level] of p.skills) skillIdx.push([this.skills.intern(code), level]);
    const expIdx = p.experience.map((e) => (e.skill === null ? -1 : this.skills.intern(e.skill)));
    const destIdx = [...p.destProvinces, ...p.destCities].map((c) => this.regions.intern(c));
    const countyIdx = this.regions.intern(p.county);
    const prefIdx = this.regions.intern(p.prefecture);
    const progIdx = p.training.map((t) => this.programmes.intern(t.programme));
    let a0 = 0;
    let a1 = 0;
    // Needs past the 64 mask bits (free-text supports from imports) are kept aside and checked
    // per opening in compile(); they are expected to be rare.
    const overflow: string[] = [];
    for (const a of p.needs) {
      const i = this.accs.tryIntern(a);
      if (i < 0) overflow.push(a);
      else if (i < 32) a0 |= 1 << i;
      else a1 |= 1 << (i - 32);
    }
    let l0 = 0;
    let l1 = 0;
    for (const l of p.limitations) {
      const i = this.lims.get(l);
      if (i < 0) continue;
      if (i < 32) l0 |= 1 << i;
      else l1 |= 1 << (i - 32);
    }
    if (sizes[0] !== this.skills.size) this.widenSkills();
    this.epochValue++;

    let row = this.rowOf.get(p.id);
    const inserted = row === undefined;
    if (row === undefined) {
      row = this.free.pop();
      if (row === undefined) {
        if (this.rows === this.capacity) this.grow(this.capacity * 2);
        row = this.rows++;
      }
      this.rowOf.set(p.id, row);
      this.ids[row] = p.id;
    } else {
      this.unindex(row);
    }

    this.flags[row] =
      (p.male ? F_MALE : 0) |
      (p.needsAccessibleDormitory ? F_NEEDS_ACCESSIBLE_DORM : 0) |
      (destIdx.length === 0 ? F_ANYWHERE : 0);
    this.birth[row] = p.birthYmd;
    this.county[row] = countyIdx;
    this.prefecture[row] = prefIdx;
    if (overflow.length > 0) this.overflowNeeds.set(row, overflow);
    else this.overflowNeeds.delete(row);
    this.acc0[row] = a0;
    this.acc1[row] = a1;
    this.lim0[row] = l0;
    this.lim1[row] = l1;
    this.minWage[row] = p.minWage;
    this.expTotal[row] = p.totalMonths;
    const base = row * this.skillStride;
    this.skillWords.fill(0, base, base + this.skillStride);
    for (const [s, level] of skillIdx) {
      this.skillWords[base + (s >>> 4)]! |= level << ((s & 15) << 1);
    }
    this.dest.set(row, destIdx, this.rows);
    this.train.set(
      row,
      p.training.map((t, i) => progIdx[i]! * 2 + (t.underPartnership ? 1 : 0)),
      this.rows,
    );
    const expFlat: number[] = [];
    p.experience.forEach((e, i) => {
      expFlat.push(expIdx[i]!, e.months);
    });
    this.exp.set(row, expFlat, this.rows);

    const word = row >>> 5;
    const bit = 1 << (row & 31);
    this.live[word]! |= bit;
    if (destIdx.length === 0) this.anywhere[word]! |= bit;
    for (const d of destIdx) this.bitset(this.byRegion, d)[word]! |= bit;
    for (const [s] of skillIdx) this.bitset(this.bySkill, s)[word]! |= bit;
    forEachBit(a0, a1, (i) => {
      this.bitset(this.byNeed, i)[word]! |= bit;
    });
    forEachBit(l0, l1, (i) => {
      this.bitset(this.byLimitation, i)[word]! |= bit;
    });
    if (p.needsAccessibleDormitory) this.needsAccessibleDorm[word]! |= bit;
    this.bitset(this.byOrigin, countyIdx)[word]! |= bit;
    this.bitset(this.byOrigin, prefIdx)[word]! |= bit;
    return inserted ? 'inserted' : 'updated';
  }

  /** Removes a profile (erased, withdrawn, placed); `version` guards against a late older upsert. */
  remove(id: string, version?: number): boolean {
    if (version !== undefined) {
      const known = this.versions.get(id);
      if (known === undefined || version >= known) this.versions.set(id, version);
    }
    return this.drop(id);
  }

  private drop(id: string): boolean {
    const row = this.rowOf.get(id);
    if (row === undefined) return false;
    this.epochValue++;
    this.unindex(row);
    this.dest.clear(row);
    this.train.clear(row);
    this.exp.clear(row);
    this.overflowNeeds.delete(row);
    this.rowOf.delete(id);
    this.ids[row] = undefined;
    this.free.push(row);
    return true;
  }

  private unindex(row: number): void {
    const word = row >>> 5;
    const keep = ~(1 << (row & 31));
    this.live[word]! &= keep;
    this.anywhere[word]! &= keep;
    const o = this.dest.off[row]!;
    const n = this.dest.len[row]!;
    for (let i = 0; i < n; i++) this.byRegion[this.dest.data[o + i]!]![word]! &= keep;
    const base = row * this.skillStride;
    for (let w = 0; w < this.skillStride; w++) {
      let bits = this.skillWords[base + w]!;
      while (bits !== 0) {
        const low = 31 - Math.clz32(bits & -bits);
        const s = (w << 4) + (low >>> 1);
        this.bySkill[s]![word]! &= keep;
        bits &= ~(3 << (low & ~1));
      }
    }
    forEachBit(this.acc0[row]!, this.acc1[row]!, (i) => {
      this.byNeed[i]![word]! &= keep;
    });
    forEachBit(this.lim0[row]!, this.lim1[row]!, (i) => {
      this.byLimitation[i]![word]! &= keep;
    });
    this.needsAccessibleDorm[word]! &= keep;
    this.byOrigin[this.county[row]!]![word]! &= keep;
    this.byOrigin[this.prefecture[row]!]![word]! &= keep;
  }

  /** Prepares an opening for the kernel (see CompiledOpening). */
  compile(opening: MatchOpening, ctx: MatchContext): CompiledOpening {
    if (ctx.vocabulary !== this.vocabulary) {
      throw new Error('matching snapshot: the context uses another vocabulary than the snapshot');
    }
    const o = normalizeOpening(this.vocabulary, opening);
    const v = this.vocabulary;
    const openingExclusion = !o.open ? CODE.opening_not_open : !o.hasRoom ? CODE.opening_full : 0;

    let missing0 = 0;
    let missing1 = 0;
    for (let i = 0; i < this.accs.size; i++) {
      if (o.offered.has(this.accs.codes[i]!)) continue;
      if (i < 32) missing0 |= 1 << i;
      else missing1 |= 1 << (i - 32);
    }
    let conflict0 = 0;
    let conflict1 = 0;
    for (let i = 0; i < this.lims.size; i++) {
      const lim = this.lims.codes[i]!;
      for (const d of o.demands) {
        const c = v.conflict(lim, d);
        if (!c) continue;
        if (c.anyOf.some((g) => g.every((a) => o.offered.has(a)))) continue;
        if (i < 32) conflict0 |= 1 << i;
        else conflict1 |= 1 << (i - 32);
      }
    }

    const excludedSets: Uint32Array[] = [];
    forEachBit(missing0, missing1, (i) => {
      const b = this.byNeed[i];
      if (b) excludedSets.push(b);
    });
    forEachBit(conflict0, conflict1, (i) => {
      const b = this.byLimitation[i];
      if (b) excludedSets.push(b);
    });
    if (!o.accessibleDormitory) excludedSets.push(this.needsAccessibleDorm);
    let overflowUnmet: Uint32Array | null = null;
    for (const [row, needs] of this.overflowNeeds) {
      if (needs.every((a) => o.offered.has(a))) continue;
      overflowUnmet ??= new Uint32Array(this.words);
      overflowUnmet[row >>> 5]! |= 1 << (row & 31);
    }
    if (overflowUnmet !== null) excludedSets.push(overflowUnmet);

    const nReq = o.required.length;
    const reqWord = new Int32Array(nReq);
    const reqShift = new Int32Array(nReq);
    const reqLevel = new Int32Array(nReq);
    const reqMark = new Uint8Array(this.skills.size);
    o.required.forEach((r, k) => {
      const s = this.skills.get(r.code);
      reqWord[k] = s < 0 ? -1 : s >>> 4;
      reqShift[k] = s < 0 ? 0 : (s & 15) << 1;
      reqLevel[k] = r.level;
      if (s >= 0) reqMark[s] = 1;
    });

    const trainingApplies = !(o.preferredTraining.size === 0 && o.required.length === 0);
    const programmeBase = new Float64Array(this.programmes.size);
    for (let i = 0; i < this.programmes.size; i++) {
      const code = this.programmes.codes[i]!;
      if (o.preferredTraining.has(code)) programmeBase[i] = 1;
      else {
        for (const s of ctx.programmeSkills(code)) {
          if (o.requiredSet.has(s)) {
            programmeBase[i] = ctx.params.trainingSkillRelatedCredit;
            break;
          }
        }
      }
    }

    const paired = new Uint8Array(this.regions.size);
    let anyPaired = false;
    const pairedSets: Uint32Array[] = [];
    for (const area of ctx.partnersOf(o.city)) {
      const i = this.regions.get(area);
      if (i >= 0) {
        paired[i] = 1;
        anyPaired = true;
        const b = this.byOrigin[i];
        if (b) pairedSets.push(b);
      }
    }
    const skillSets: Uint32Array[] = [];
    for (const r of o.required) {
      const i = this.skills.get(r.code);
      const b = i >= 0 ? this.bySkill[i] : undefined;
      if (b) skillSets.push(b);
    }
    const wt = ctx.scales;
    const peerPoints = new Float64Array(this.regions.size).fill(points(wt.peers, peerValue(0, 1)));
    for (const [county, count] of ctx.peersAt(o.employerId)) {
      const i = this.regions.get(county);
      if (i >= 0) peerPoints[i] = points(wt.peers, peerValue(count, ctx.params.peerSaturation));
    }
    const destPoints = new Float64Array(4);
    destPoints[DEST_NONE] = points(wt.destination, 0);
    destPoints[DEST_ANYWHERE] = points(wt.destination, 1);
    destPoints[DEST_CITY] = points(wt.destination, 1);
    destPoints[DEST_PROVINCE] = points(wt.destination, ctx.params.destinationProvinceCredit);

    const w = Float64Array.of(
      wt.skills,
      wt.training,
      wt.partnership,
      wt.wage,
      wt.destination,
      wt.peers,
      wt.experience,
    );
    const asOf = ctx.asOfYmd;
    const age = ctx.workingAge;
    return {
      opening: o,
      epoch: this.epochValue,
      openingExclusion,
      latestBirth: asOf - age.min * 10000,
      earliestBirthMale: asOf - (age.maxMale + 1) * 10000,
      earliestBirthFemale: asOf - (age.maxFemale + 1) * 10000,
      wageMin: o.wageMin,
      wageMax: o.wageMax,
      wageReach: ctx.params.wageWithinRangeCredit,
      missingAcc0: missing0,
      missingAcc1: missing1,
      conflictLim0: conflict0,
      conflictLim1: conflict1,
      excludedSets,
      overflowUnmet,
      accessibleDorm: o.accessibleDormitory,
      cityIdx: this.regions.get(o.city),
      provinceIdx: this.regions.get(o.province),
      nReq,
      reqWord,
      reqShift,
      reqLevel,
      reqMark,
      trainingApplies,
      programmeBase,
      trainingFactor: ctx.params.trainingOutsidePartnershipFactor,
      paired,
      anyPaired,
      peerPoints,
      destPoints,
      expSaturation: ctx.params.experienceSaturationMonths,
      expOtherFactor: ctx.params.otherExperienceFactor,
      w,
      skillSets,
      pairedSets,
      bound: [0, 1].map((hasSkill) =>
        [0, 1].map((isPaired) =>
          total(
            points(wt.skills, nReq === 0 || hasSkill === 1 ? 1 : 0),
            points(wt.training, trainingApplies ? Math.max(0, ...programmeBase) : 1),
            points(wt.partnership, anyPaired && isPaired === 1 ? 1 : 0),
            points(wt.wage, 1),
            Math.max(...destPoints),
            Math.max(0, ...peerPoints),
            points(wt.experience, 1),
          ),
        ),
      ),
    };
  }

  /** The first failed hard constraint of a stored row (kernel code), or 0 when it is eligible. */
  private exclusionCode(co: CompiledOpening, r: number, dest: number): number {
    const f = this.flags[r]!;
    const b = this.birth[r]!;
    if (b > co.latestBirth || b <= ((f & F_MALE) !== 0 ? co.earliestBirthMale : co.earliestBirthFemale)) {
      return X_AGE;
    }
    if (dest === DEST_NONE) return X_DEST;
    if (this.minWage[r]! > co.wageMax) return X_WAGE;
    if (((this.acc0[r]! & co.missingAcc0) | (this.acc1[r]! & co.missingAcc1)) !== 0) return X_ACC;
    if (co.overflowUnmet !== null && (co.overflowUnmet[r >>> 5]! & (1 << (r & 31))) !== 0) return X_ACC;
    if (((this.lim0[r]! & co.conflictLim0) | (this.lim1[r]! & co.conflictLim1)) !== 0) return X_CONFLICT;
    if ((f & F_NEEDS_ACCESSIBLE_DORM) !== 0 && !co.accessibleDorm) return X_DORM;
    return 0;
  }

  /**
   * Kernel pass 1, fused with candidate generation. Works 32 rows at a time where it can: the
   * region index gives the rows whose destinations accept the opening's city, the skill index
   * keeps or drops rows holding a required skill (`withSkill`), and the need / limitation /
   * accessible-dormitory bitsets drop every row the opening cannot serve. Only the survivors are
   * visited one by one, for working age and wage, checked without a branch per constraint.
   * Eligible rows and their destination fit are appended to the scratch lists for pass 2;
   * returns their count. `skill` / `paired`: ANY, or only rows IN / OUT of the opening's
   * skill sets / paired-area sets (the groups topN visits separately); `within`: only these rows.
   */
  private filter(
    co: CompiledOpening,
    skill: number,
    paired: number,
    within: Uint32Array | null = null,
  ): number {
    const { city, province } = this.destWords(co);
    const { rows, dests } = this.scratch(this.capacity);
    const anywhere = this.anywhere;
    const skillSets = co.skillSets;
    const nSkillSets = skill === ANY ? 0 : skillSets.length;
    const pairedSets = co.pairedSets;
    const nPairedSets = paired === ANY ? 0 : pairedSets.length;
    const excluded = co.excludedSets;
    const nExcluded = excluded.length;
    const flags = this.flags;
    const birth = this.birth;
    const minWages = this.minWage;
    const latest = co.latestBirth;
    const earliestMale = co.earliestBirthMale;
    const earliestFemale = co.earliestBirthFemale;
    const wageMax = co.wageMax;
    const words = this.words;

    let m = 0;
    for (let word = 0; word < words; word++) {
      const c = city === null ? 0 : city[word]!;
      const p = province === null ? 0 : province[word]!;
      const a = anywhere[word]!;
      let bits = (c | p | a) & (within === null ? -1 : within[word]!);
      if (bits === 0) continue;
      if (skill !== ANY) {
        let s = 0;
        for (let k = 0; k < nSkillSets; k++) s |= skillSets[k]![word]!;
        bits &= skill === IN ? s : ~s;
      }
      if (paired !== ANY) {
        let s = 0;
        for (let k = 0; k < nPairedSets; k++) s |= pairedSets[k]![word]!;
        bits &= paired === IN ? s : ~s;
      }
      let x = 0;
      for (let k = 0; k < nExcluded; k++) x |= excluded[k]![word]!;
      bits &= ~x;
      while (bits !== 0) {
        const bit = 31 - Math.clz32(bits & -bits);
        bits ^= 1 << bit;
        const r = (word << 5) | bit;
        const b = birth[r]!;
        const earliest = (flags[r]! & F_MALE) !== 0 ? earliestMale : earliestFemale;
        // Birth dates are yyyymmdd integers, far from int32 overflow.
        const bad = (((latest - b) | (b - earliest - 1)) >> 31) | (minWages[r]! > wageMax ? 1 : 0);
        // Written unconditionally, kept only when eligible: no branch on the outcome.
        rows[m] = r;
        dests[m] = DEST_OF[(((c >>> bit) & 1) << 2) | (((p >>> bit) & 1) << 1) | ((a >>> bit) & 1)]!;
        m += bad === 0 ? 1 : 0;
      }
    }
    return m;
  }

  /**
   * Kernel pass 2: the soft components of the `m` eligible rows left by `filter`, into `out[e]`
   * (`out[row]` when `byRow`). One tight loop over locals: the columns and the opening's fields are
   * read once, not per row. Mirrors assess() operation for operation.
   */
  private score(
    co: CompiledOpening,
    m: number,
    out: Float64Array,
    byRow: boolean,
    noSkill: number = X_NO_SKILL,
  ): void {
    const { rows, dests } = this.scratch(m);
    const minWages = this.minWage;
    const county = this.county;
    const prefecture = this.prefecture;
    const expTotal = this.expTotal;
    const skillWords = this.skillWords;
    const stride = this.skillStride;
    const trainOff = this.train.off;
    const trainLen = this.train.len;
    const trainData = this.train.data;
    const expOff = this.exp.off;
    const expLen = this.exp.len;
    const expData = this.exp.data;

    const wageMin = co.wageMin;
    const wageMax = co.wageMax;
    const nReq = co.nReq;
    const reqWord = co.reqWord;
    const reqShift = co.reqShift;
    const reqLevel = co.reqLevel;
    const reqMark = co.reqMark;
    const trainingApplies = co.trainingApplies;
    const programmeBase = co.programmeBase;
    const trainingFactor = co.trainingFactor;
    const paired = co.paired;
    const anyPaired = co.anyPaired;
    const invExpSaturation = 1 / co.expSaturation;
    const invReq = 1 / nReq;
    const invWageRange = 1 / (wageMax - wageMin);
    const wageReach = co.wageReach;
    const expOther = co.expOtherFactor;
    const w = co.w;
    const w0 = w[0]!;
    const w1 = w[1]!;
    const w3 = w[3]!;
    const w6 = w[6]!;
    // Components that cannot vary between rows of this opening: points computed once.
    const skillsFixed = points(w0, 1);
    const trainingFixed = points(w1, 1);
    const pairedPoints = points(w[2]!, 1);
    const unpairedPoints = points(w[2]!, 0);
    const destPoints = co.destPoints;
    const peerPoints = co.peerPoints;

    for (let e = 0; e < m; e++) {
      const r = rows[e]!;
      const minWage = minWages[r]!;
      let skillsPoints = skillsFixed;
      let relevant = 0;
      // Some required skill held, or related training (no_required_skill when neither).
      let qualified = nReq === 0;
      if (nReq > 0) {
        const base = r * stride;
        let sum = 0;
        for (let k = 0; k < nReq; k++) {
          const word = reqWord[k]!;
          const have = word < 0 ? 0 : (skillWords[base + word]! >>> reqShift[k]!) & 3;
          sum += CREDIT[reqLevel[k]! * 4 + have]!;
        }
        skillsPoints = points(w0, mean(sum, invReq));
        qualified = sum !== 0;
        const eo = expOff[r]!;
        const en = expLen[r]!;
        for (let j = 0; j < en; j += 2) {
          const sk = expData[eo + j]!;
          if (sk >= 0 && reqMark[sk | 0] === 1) relevant += expData[eo + j + 1]!;
        }
      }

      let trainingPoints = trainingFixed;
      if (trainingApplies) {
        let best = 0;
        const o = trainOff[r]!;
        const tn = trainLen[r]!;
        for (let j = 0; j < tn; j++) {
          const t = trainData[o + j]!;
          const base = programmeBase[t >>> 1]!;
          const credit = (t & 1) === 1 ? base : base * trainingFactor;
          if (credit > best) best = credit;
        }
        trainingPoints = points(w1, best);
        if (best !== 0) qualified = true;
      }

      const c = county[r]!;
      const partnershipPoints =
        anyPaired && (paired[c]! | paired[prefecture[r]!]!) !== 0 ? pairedPoints : unpairedPoints;

      if (!qualified) {
        out[byRow ? r : e] = noSkill;
        continue;
      }
      out[byRow ? r : e] = total(
        skillsPoints,
        trainingPoints,
        partnershipPoints,
        points(w3, wageValue(minWage, wageMin, wageMax, invWageRange, wageReach)),
        destPoints[dests[e]!]!,
        peerPoints[c]!,
        points(w6, experienceValue(relevant, expTotal[r]!, invExpSaturation, expOther)),
      );
    }
  }

  private checkEpoch(co: CompiledOpening): void {
    if (co.epoch !== this.epochValue) {
      throw new Error('matching snapshot: compiled opening is stale (the snapshot changed); compile again');
    }
  }

  private scratch(n: number): { rows: Int32Array; dests: Uint8Array; out: Float64Array } {
    if (this.scratchRows.length < n) {
      const size = Math.max(n, this.capacity);
      this.scratchRows = new Int32Array(size);
      this.scratchDests = new Uint8Array(size);
      this.scratchOut = new Float64Array(size);
    }
    return { rows: this.scratchRows, dests: this.scratchDests, out: this.scratchOut };
  }

  private destWords(co: CompiledOpening): { city: Uint32Array | null; province: Uint32Array | null } {
    return {
      city: co.cityIdx >= 0 ? (this.byRegion[co.cityIdx] ?? null) : null,
      province: co.provinceIdx >= 0 ? (this.byRegion[co.provinceIdx] ?? null) : null,
    };
  }

  private destOf(
    r: number,
    word: number,
    bit: number,
    city: Uint32Array | null,
    province: Uint32Array | null,
  ): number {
    if (city && (city[word]! & bit) !== 0) return DEST_CITY;
    if (province && (province[word]! & bit) !== 0) return DEST_PROVINCE;
    return (this.flags[r]! & F_ANYWHERE) !== 0 ? DEST_ANYWHERE : DEST_NONE;
  }

  /** Kernel result for one stored profile, or undefined when it is not in the snapshot. */
  evaluate(profileId: string, co: CompiledOpening): number | undefined {
    this.checkEpoch(co);
    const r = this.rowOf.get(profileId);
    if (r === undefined) return undefined;
    if (co.openingExclusion !== 0) return co.openingExclusion;
    const { city, province } = this.destWords(co);
    const dest = this.destOf(r, r >>> 5, 1 << (r & 31), city, province);
    const code = this.exclusionCode(co, r, dest);
    if (code !== 0) return code;
    const { rows, dests, out } = this.scratch(1);
    rows[0] = r;
    dests[0] = dest;
    this.score(co, 1, out, false);
    return out[0]!;
  }

  /**
   * Scores every stored profile (no narrowing) into `out[row]`: the score, or for an excluded row
   * -1 (the first failed constraint's code when `codes`, see exclusionOf). Returns the number of
   * rows scored. The shape of a full rematch, and the measure of raw kernel throughput.
   */
  scanAll(co: CompiledOpening, out: Float64Array, codes = false): number {
    this.checkEpoch(co);
    out.fill(-1, 0, this.rows);
    if (co.openingExclusion === 0)
      this.score(co, this.filter(co, ANY, ANY), out, true, codes ? X_NO_SKILL : -1);
    if (codes) {
      const { city, province } = this.destWords(co);
      for (let r = 0; r < this.rows; r++) {
        if (this.ids[r] === undefined || out[r]! >= 0 || out[r] === X_NO_SKILL) continue;
        if (co.openingExclusion !== 0) {
          out[r] = co.openingExclusion;
          continue;
        }
        const word = r >>> 5;
        const bit = 1 << (r & 31);
        out[r] = this.exclusionCode(co, r, this.destOf(r, word, bit, city, province));
      }
    }
    return this.rowOf.size;
  }

  /** Ids of the profiles whose origin county or prefecture is `area`. */
  idsFrom(area: string): string[] {
    const i = this.regions.get(area);
    const rows = i >= 0 ? this.byOrigin[i] : undefined;
    const out: string[] = [];
    if (!rows) return out;
    for (let w = 0; w < rows.length; w++) {
      for (let bits = rows[w]!; bits !== 0; bits &= bits - 1) {
        const id = this.ids[(w << 5) | (31 - Math.clz32(bits & -bits))];
        if (id !== undefined) out.push(id);
      }
    }
    return out;
  }

  /** Words of a row bitset of this snapshot (32 rows each), valid until it next grows. */
  get rowWords(): number {
    return this.words;
  }

  /**
   * The eligible rows of a compiled opening, as a row bitset: their bits are set in `into` and
   * their scores written to `out[row]` (other slots of `out` are left as they were). `pairedOnly`
   * keeps only people from an area paired with the opening's city; `within` only those rows.
   * The same two kernel passes as topN and scanAll, so the same eligibility and scores (advice
   * counts, issue 21). Returns the number of rows set.
   */
  scanEligible(
    co: CompiledOpening,
    out: Float64Array,
    into: Uint32Array,
    opts: { pairedOnly?: boolean; within?: Uint32Array | null } = {},
  ): number {
    this.checkEpoch(co);
    if (co.openingExclusion !== 0) return 0;
    const m = this.filter(co, ANY, opts.pairedOnly ? IN : ANY, opts.within ?? null);
    this.score(co, m, out, true, -1);
    const { rows } = this.scratch(m);
    let n = 0;
    for (let e = 0; e < m; e++) {
      const r = rows[e]!;
      if (out[r]! < 0) continue;
      into[r >>> 5]! |= 1 << (r & 31);
      n++;
    }
    return n;
  }

  /** Row → profile id, for results of scanAll. */
  idOfRow(row: number): string | undefined {
    return this.ids[row];
  }

  /**
   * The best `n` eligible profiles for an opening, best first (score, then id). Candidates are
   * narrowed exactly: only rows whose destinations accept the opening's city are visited (region
   * index), minus those the opening cannot serve (need and limitation bitsets). They are visited
   * in groups — holding a required skill or not, from an area paired with the city or not — in
   * order of the best score each group could reach; a group whose bound cannot beat the current
   * n-th score is skipped.
   */
  topN(opening: MatchOpening, ctx: MatchContext, n: number): RankedProfile[] {
    const co = this.compile(opening, ctx);
    if (co.openingExclusion !== 0 || n <= 0) return [];
    const heap = new TopHeap(n, this.ids);
    const skillSplit = co.nReq > 0;
    const pairSplit = co.pairedSets.length > 0;
    const groups: { skill: number; paired: number; bound: number }[] = [];
    for (const hasSkill of skillSplit ? [1, 0] : [1]) {
      for (const isPaired of pairSplit ? [1, 0] : [1]) {
        groups.push({
          skill: skillSplit ? (hasSkill ? IN : OUT) : ANY,
          paired: pairSplit ? (isPaired ? IN : OUT) : ANY,
          bound: co.bound[hasSkill]![isPaired]!,
        });
      }
    }
    groups.sort((x, y) => y.bound - x.bound);
    for (const g of groups) {
      if (heap.full && heap.minScore > g.bound) continue;
      const eligible = this.filter(co, g.skill, g.paired);
      const { rows, out } = this.scratch(eligible);
      this.score(co, eligible, out, false);
      for (let e = 0; e < eligible; e++) if (out[e]! >= 0) heap.offer(out[e]!, rows[e]!);
    }
    return heap.sorted().map(([score, r]) => ({ profileId: this.ids[r]!, score }));
  }
}

/** Calls `fn` with the index of every set bit of a 64-bit mask given as two words. */
function forEachBit(lo: number, hi: number, fn: (i: number) => void): void {
  for (let bits = lo; bits !== 0; bits &= bits - 1) fn(31 - Math.clz32(bits & -bits));
  for (let bits = hi; bits !== 0; bits &= bits - 1) fn(32 + 31 - Math.clz32(bits & -bits));
}

/** A bounded min-heap on (score, id): the root is the weakest of the current top n. */
class TopHeap {
  private readonly scores: Float64Array;
  private readonly rows: Int32Array;
  private size = 0;
  constructor(
    private readonly n: number,
    private readonly ids: (string | undefined)[],
  ) {
    this.scores = new Float64Array(n);
    this.rows = new Int32Array(n);
  }
  get full(): boolean {
    return this.size === this.n;
  }
  get minScore(): number {
    return this.scores[0]!;
  }
  /** True when entry i ranks below entry j (so it sits nearer the root). */
  private weaker(si: number, ri: number, sj: number, rj: number): boolean {
    return ranksBefore(sj, this.ids[rj]!, si, this.ids[ri]!);
  }
  offer(score: number, row: number): void {
    if (this.size < this.n) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.weaker(score, row, this.scores[parent]!, this.rows[parent]!)) break;
        this.scores[i] = this.scores[parent]!;
        this.rows[i] = this.rows[parent]!;
        i = parent;
      }
      this.scores[i] = score;
      this.rows[i] = row;
      return;
    }
    if (score < this.scores[0]!) return;
    if (!this.weaker(this.scores[0]!, this.rows[0]!, score, row)) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const rr = l + 1;
      let m = l;
      if (rr < this.size && this.weaker(this.scores[rr]!, this.rows[rr]!, this.scores[l]!, this.rows[l]!))
        m = rr;
      if (!this.weaker(this.scores[m]!, this.rows[m]!, score, row)) break;
      this.scores[i] = this.scores[m]!;
      this.rows[i] = this.rows[m]!;
      i = m;
    }
    this.scores[i] = score;
    this.rows[i] = row;
  }
  sorted(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < this.size; i++) out.push([this.scores[i]!, this.rows[i]!]);
    return out.sort((x, y) => (ranksBefore(x[0], this.ids[x[1]]!, y[0], this.ids[y[1]]!) ? -1 : 1));
  }
}
