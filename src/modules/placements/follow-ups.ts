/**
 * Follow-up checkpoints of a placement (pure). The schedule is configurable (FOLLOW_UP_SCHEDULE,
 * default 7 days, 1, 3 and 6 months after the contract start: common practice, no national rule);
 * each checkpoint is a task for the job seeker's federation, reminded when due and when overdue.
 */
import { chinaTime } from '../../lib/china-time.js';
export interface CheckpointSpec {
  /** `d7`, `m1`, `m3`, `m6`: stable codes, also the notification's `checkpoint`. */
  code: string;
  days?: number;
  months?: number;
}

export const DEFAULT_SCHEDULE = '7d,1m,3m,6m';

/** `7d,1m,3m,6m` → checkpoint specs, in order; throws on anything else (config validation). */
export function parseSchedule(value: string): CheckpointSpec[] {
  const specs = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^(\d{1,3})([dm])$/.exec(part);
      if (!m) throw new Error(`follow-up checkpoint "${part}" must look like 7d or 3m`);
      const n = Number(m[1]);
      if (n < 1) throw new Error(`follow-up checkpoint "${part}" must be at least 1`);
      return m[2] === 'd' ? { code: `d${n}`, days: n } : { code: `m${n}`, months: n };
    });
  if (specs.length === 0) throw new Error('the follow-up schedule is empty');
  if (new Set(specs.map((s) => s.code)).size !== specs.length)
    throw new Error('a checkpoint is listed twice');
  return specs;
}

/** `YYYY-MM-DD` + n months, clamped to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

export function dueOn(start: string, spec: CheckpointSpec): string {
  return spec.months ? addMonths(start, spec.months) : addDays(start, spec.days ?? 0);
}

/** Checkpoints are due in the morning of their day in China. */
export function dueAt(day: string): Date {
  return chinaTime(day, '09:00');
}

export interface CheckpointRecord {
  code: string;
  dueOn: string;
  /** When the due reminder went out (the job fired): the task is open from then on. */
  dueNotifiedAt: Date | null;
  overdueNotifiedAt: Date | null;
  doneAt: Date | null;
  doneBy: string | null;
  visitedOn: string | null;
  stillEmployed: boolean | null;
  wagePaidOnTime: boolean | null;
  accommodationWorking: boolean | null;
  dormitory: boolean | null;
  riskFlags: string[];
  notes: string | null;
}

export function scheduleFor(start: string, specs: readonly CheckpointSpec[]): CheckpointRecord[] {
  return specs.map((s) => ({
    code: s.code,
    dueOn: dueOn(start, s),
    dueNotifiedAt: null,
    overdueNotifiedAt: null,
    doneAt: null,
    doneBy: null,
    visitedOn: null,
    stillEmployed: null,
    wagePaidOnTime: null,
    accommodationWorking: null,
    dormitory: null,
    riskFlags: [],
    notes: null,
  }));
}

export type CheckpointState = 'upcoming' | 'due' | 'overdue' | 'done';

/**
 * Where a checkpoint stands on `today`. A reminder that fired opens the task even if the clock of
 * the reader disagrees (the scheduler is the source of "now" for reminders).
 */
export function checkpointState(c: CheckpointRecord, today: string, graceDays: number): CheckpointState {
  if (c.doneAt) return 'done';
  if (c.overdueNotifiedAt || addDays(c.dueOn, graceDays) < today) return 'overdue';
  if (c.dueNotifiedAt || c.dueOn <= today) return 'due';
  return 'upcoming';
}

/** A checkpoint on the follow-up list of `day`: not recorded yet, and due on or before it. */
export function openBy(c: CheckpointRecord, day: string): boolean {
  return !c.doneAt && c.dueOn <= day;
}

/** A checkpoint may be recorded once it is due (a visit up to 3 days early counts). */
export function canRecord(c: CheckpointRecord, today: string): boolean {
  return !c.doneAt && (c.dueNotifiedAt !== null || addDays(c.dueOn, -3) <= today);
}

/** The earliest open checkpoint's day: the indexed field the task list queries. */
export function nextDueOn(checkpoints: readonly CheckpointRecord[]): string | null {
  const open = checkpoints.filter((c) => !c.doneAt).map((c) => c.dueOn);
  return open.length ? open.sort()[0]! : null;
}

export interface Retention {
  /** Employed at the 3-month checkpoint (null: not recorded yet). */
  m3: boolean | null;
  m6: boolean | null;
  /**
   * Stable for ≥ 3 months with wages paid on time: the evidence cross-province employment subsidies
   * usually ask for (an example policy, not a national rule).
   */
  subsidyEvidence: boolean;
}

export function retentionOf(checkpoints: readonly CheckpointRecord[]): Retention {
  const at = (code: string) => checkpoints.find((c) => c.code === code && c.doneAt);
  const m3 = at('m3');
  const m6 = at('m6');
  const stable = [m3, m6].filter(Boolean).some((c) => c!.stillEmployed && c!.wagePaidOnTime);
  return {
    m3: m3 ? !!m3.stillEmployed : null,
    m6: m6 ? !!m6.stillEmployed : null,
    subsidyEvidence: stable,
  };
}
