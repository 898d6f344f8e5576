/**
 * The status lifecycle of a worker profile (pure). Status changes only through these actions;
 * no request body can set it. The review and placement modules call the same actions through
 * `transitionProfileStatus` in the service.
 */
export const PROFILE_STATUSES = ['available', 'in_process', 'placed', 'inactive'] as const;
export type ProfileStatus = (typeof PROFILE_STATUSES)[number];

/** Why a profile is set inactive; codes, never free text (they reach the audit trail). */
export const DEACTIVATION_REASONS = [
  'employed_elsewhere',
  'studying',
  'unwilling',
  'unable_to_work',
  'moved_away',
  'cannot_contact',
  'deceased',
  'other',
] as const;
export type DeactivationReason = (typeof DEACTIVATION_REASONS)[number];

interface ActionSpec {
  from: readonly ProfileStatus[];
  to: ProfileStatus;
  /** Whether a deactivation reason must be given. */
  needsReason?: true;
  zh: string;
  en: string;
}

export const STATUS_ACTIONS = {
  /** A match was approved or proposed: the person is in a recruitment process. */
  start_process: {
    from: ['available'],
    to: 'in_process',
    zh: '进入招聘流程',
    en: 'enter a recruitment process',
  },
  /** Every process ended without a hire: back in the pool. */
  return_to_pool: { from: ['in_process'], to: 'available', zh: '退回待岗', en: 'return to the pool' },
  /** Hired (through a match, or a placement found outside the platform). */
  place: { from: ['available', 'in_process'], to: 'placed', zh: '已安置就业', en: 'mark as placed' },
  end_placement: { from: ['placed'], to: 'available', zh: '结束安置', en: 'end the placement' },
  deactivate: {
    from: ['available', 'in_process', 'placed'],
    to: 'inactive',
    needsReason: true,
    zh: '停用',
    en: 'deactivate',
  },
  reactivate: { from: ['inactive'], to: 'available', zh: '重新启用', en: 'reactivate' },
} as const satisfies Record<string, ActionSpec>;

export type StatusAction = keyof typeof STATUS_ACTIONS;
export const STATUS_ACTION_NAMES = Object.keys(STATUS_ACTIONS) as StatusAction[];

export type TransitionResult =
  | { ok: true; to: ProfileStatus }
  | { ok: false; code: 'illegal_transition'; allowed: StatusAction[] }
  | { ok: false; code: 'reason_required' };

/** Actions allowed from a status. */
export function actionsFrom(status: ProfileStatus): StatusAction[] {
  return STATUS_ACTION_NAMES.filter((a) => (STATUS_ACTIONS[a].from as readonly string[]).includes(status));
}

/** The status after `action`, or why it is not allowed. */
export function nextStatus(
  current: ProfileStatus,
  action: StatusAction,
  reason?: DeactivationReason | null,
): TransitionResult {
  const spec: ActionSpec = STATUS_ACTIONS[action];
  if (!spec.from.includes(current))
    return { ok: false, code: 'illegal_transition', allowed: actionsFrom(current) };
  if (spec.needsReason && !reason) return { ok: false, code: 'reason_required' };
  return { ok: true, to: spec.to };
}
