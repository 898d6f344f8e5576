/**
 * The opening status machine (pure). Employers act through `open`, `pause` and `close`; `fill` and
 * `reopen` belong to the system: they follow the hires recorded against the headcount (see
 * `markFilledIfFull`), so a client can never declare an opening filled or unfilled.
 */
export const OPENING_STATUSES = ['draft', 'open', 'paused', 'filled', 'closed'] as const;
export type OpeningStatus = (typeof OPENING_STATUSES)[number];

export const EMPLOYER_ACTIONS = ['open', 'pause', 'close'] as const;
export type EmployerAction = (typeof EMPLOYER_ACTIONS)[number];
export type SystemAction = 'fill' | 'reopen';
export type OpeningAction = EmployerAction | SystemAction;

/**
 * Statuses visible beyond the employer: everything once published. A draft is the employer's work
 * in progress; a paused, filled or closed opening stays readable because matches, interviews and
 * placements made on it still point at it.
 */
export const PUBLISHED_STATUSES: readonly OpeningStatus[] = ['open', 'paused', 'filled', 'closed'];

export const TRANSITIONS: Readonly<Record<OpeningAction, Partial<Record<OpeningStatus, OpeningStatus>>>> = {
  // Publishing a draft, or resuming a paused opening.
  open: { draft: 'open', paused: 'open' },
  pause: { open: 'paused' },
  // A draft may be discarded; closed is terminal, so an opening is never reused for other work.
  close: { draft: 'closed', open: 'closed', paused: 'closed', filled: 'closed' },
  // The last hire may land while the employer has paused recruiting (interviews still running).
  fill: { open: 'filled', paused: 'filled' },
  // A hire was released (or the headcount raised): recruiting resumes.
  reopen: { filled: 'open' },
};

/** The status after `action`, or undefined when the action is not allowed from `current`. */
export function nextStatus(current: OpeningStatus, action: OpeningAction): OpeningStatus | undefined {
  return TRANSITIONS[action][current];
}

/** The actions an employer may take from `current` (for clients to offer the right buttons). */
export function allowedActions(current: OpeningStatus): EmployerAction[] {
  return EMPLOYER_ACTIONS.filter((a) => nextStatus(current, a) !== undefined);
}

/** Closed openings are history: their content no longer changes. */
export function isEditable(status: OpeningStatus): boolean {
  return status !== 'closed';
}

/**
 * The status the hires call for: full → `filled` (from open or paused), no longer full → `open`
 * (from filled); otherwise unchanged. Drafts and closed openings never change this way.
 */
export function statusForHires(status: OpeningStatus, filled: number, headcount: number): OpeningStatus {
  if (filled >= headcount) return nextStatus(status, 'fill') ?? status;
  return nextStatus(status, 'reopen') ?? status;
}
