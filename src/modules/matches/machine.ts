import type { Role } from '../../lib/http/route.js';
import type { MatchStatus } from '../matching/reconcile.js';

/**
 * The review state machine (pure): every change of a match's status after the matching jobs made
 * it a suggestion goes through `decide`, in one place. DESIGN §2:
 * `suggested → approved | rejected → proposed → interested | declined → interviewing → hired →
 * placed → retained | ended`, and `withdrawn` from any state before the hire.
 *
 * Actions people take carry the roles allowed to take them; `system` actions follow other records
 * (a placement created, retained or ended; a consent withdrawn; a profile erased) and are never
 * offered to a client. Proposing needs a human approval first (PIPL Art. 24): `propose` starts only
 * from `approved`, which only a person reaches.
 */
export const HUMAN_ACTIONS = [
  'approve',
  'reject',
  'propose',
  'interested',
  'decline',
  'interview',
  'hire',
  'withdraw',
] as const;
export type HumanAction = (typeof HUMAN_ACTIONS)[number];
export const SYSTEM_ACTIONS = ['suggest', 'supersede', 'auto_withdraw', 'place', 'retain', 'end'] as const;
export type SystemAction = (typeof SYSTEM_ACTIONS)[number];
export type ReviewAction = HumanAction | SystemAction;

/** Before the hire: the states a withdrawal (by staff, or on a consent withdrawn) may end. */
export const PRE_HIRE: readonly MatchStatus[] = [
  'suggested',
  'approved',
  'proposed',
  'interested',
  'interviewing',
];
/** Where a person counts as "in a process" for this opening (not free for another one). */
export const IN_PROCESS: readonly MatchStatus[] = [
  'approved',
  'proposed',
  'interested',
  'interviewing',
  'hired',
];
/** Where a person counts as employed through this match. */
export const EMPLOYED: readonly MatchStatus[] = ['hired', 'placed', 'retained'];
/** States an employer sees (from the proposal on; a withdrawn or rejected match disappears). */
export const EMPLOYER_VISIBLE: readonly MatchStatus[] = [
  'proposed',
  'interested',
  'declined',
  'interviewing',
  'hired',
  'placed',
  'retained',
  'ended',
];

interface ActionSpec {
  from: readonly MatchStatus[];
  to: MatchStatus | 'same';
  roles: readonly Role[];
  zh: string;
  en: string;
}

export const ACTIONS: Record<ReviewAction, ActionSpec> = {
  // A superseded suggestion may still be approved when it was only outranked (a campaign plan or
  // a reviewer may prefer it); the service refuses one superseded for ineligibility.
  approve: {
    from: ['suggested', 'superseded'],
    to: 'approved',
    roles: ['reviewer', 'admin'],
    zh: '审核通过',
    en: 'approve',
  },
  reject: {
    from: ['suggested'],
    to: 'rejected',
    roles: ['reviewer', 'admin'],
    zh: '审核不通过',
    en: 'reject',
  },
  // Only reviewers: the one human decision that lets a match reach an employer.
  propose: { from: ['approved'], to: 'proposed', roles: ['reviewer'], zh: '推荐给用人单位', en: 'propose' },
  interested: {
    from: ['proposed'],
    to: 'interested',
    roles: ['employer', 'admin'],
    zh: '用人单位有意向',
    en: 'mark interested',
  },
  decline: {
    from: ['proposed', 'interested', 'interviewing'],
    to: 'declined',
    roles: ['employer', 'admin'],
    zh: '用人单位婉拒',
    en: 'decline',
  },
  // A new date for an interview already scheduled stays `interviewing` (a new notification).
  interview: {
    from: ['interested', 'interviewing'],
    to: 'interviewing',
    roles: ['employer', 'reviewer', 'admin'],
    zh: '安排面试',
    en: 'schedule an interview',
  },
  hire: {
    from: ['interested', 'interviewing'],
    to: 'hired',
    roles: ['employer', 'reviewer', 'admin'],
    zh: '录用',
    en: 'hire',
  },
  withdraw: {
    from: PRE_HIRE,
    to: 'withdrawn',
    roles: ['federation_staff', 'reviewer', 'admin'],
    zh: '撤回',
    en: 'withdraw',
  },
  // The matching runs' own moves (set-based writes whose filters and targets come from here): a
  // suggestion rescored or listed again, and one that left both top-N lists or can no longer be made.
  suggest: { from: ['suggested', 'superseded'], to: 'suggested', roles: [], zh: '系统推荐', en: 'suggest' },
  supersede: { from: ['suggested'], to: 'superseded', roles: [], zh: '被取代', en: 'supersede' },
  auto_withdraw: { from: PRE_HIRE, to: 'withdrawn', roles: [], zh: '自动撤回', en: 'withdraw automatically' },
  place: { from: ['hired'], to: 'placed', roles: [], zh: '安置就业', en: 'place' },
  retain: { from: ['placed'], to: 'retained', roles: [], zh: '稳定就业', en: 'retain' },
  end: { from: ['hired', 'placed', 'retained'], to: 'ended', roles: [], zh: '结束就业', en: 'end' },
};

export type Decision =
  | { ok: true; to: MatchStatus }
  | { ok: false; code: 'illegal_transition'; current: MatchStatus; allowed: HumanAction[] }
  | { ok: false; code: 'forbidden' };

/** The human actions possible from `status` (what a client may offer), optionally for `roles`. */
export function allowedActions(status: MatchStatus, roles?: readonly Role[]): HumanAction[] {
  return HUMAN_ACTIONS.filter(
    (a) => ACTIONS[a].from.includes(status) && (!roles || ACTIONS[a].roles.some((r) => roles.includes(r))),
  );
}

/**
 * Whether `action` may move a match in `current`; `roles` undefined for the system (any action).
 * A role that may never take the action is `forbidden` (403) before the state is looked at.
 */
export function decide(current: MatchStatus, action: ReviewAction, roles?: readonly Role[]): Decision {
  const spec = ACTIONS[action];
  if (roles && !spec.roles.some((r) => roles.includes(r))) return { ok: false, code: 'forbidden' };
  if (!spec.from.includes(current))
    return { ok: false, code: 'illegal_transition', current, allowed: allowedActions(current, roles) };
  return { ok: true, to: spec.to === 'same' ? current : spec.to };
}

// ---- reason codes (configurable lists; labels for the known ones) --------------------------------

export const REASON_LABELS: Record<string, { zh: string; en: string }> = {
  skills_mismatch: { zh: '技能不符', en: 'skills do not fit' },
  unwilling_to_travel: { zh: '本人不愿外出', en: 'the person does not want to travel' },
  opening_full: { zh: '岗位已满', en: 'the opening is full' },
  health: { zh: '健康原因', en: 'health reasons' },
  other: { zh: '其他', en: 'other' },
  requirements_not_met: { zh: '不符合岗位要求', en: 'does not meet the requirements' },
  no_show: { zh: '未参加面试', en: 'did not attend the interview' },
  position_cancelled: { zh: '岗位取消', en: 'position cancelled' },
  person_declined: { zh: '本人放弃', en: 'the person declined' },
  found_other_work: { zh: '已在别处就业', en: 'found other work' },
  duplicate: { zh: '重复匹配', en: 'duplicate match' },
  consent_withdrawn: { zh: '本人撤回同意', en: 'consent withdrawn' },
  share_consent_withdrawn: { zh: '撤回向该单位提供信息的同意', en: 'consent to share withdrawn' },
  profile_erased: { zh: '档案已删除', en: 'profile erased' },
};

export function reasonLabel(code: string): { code: string; zh: string; en: string } {
  return { code, ...(REASON_LABELS[code] ?? { zh: code, en: code }) };
}

/** Reason codes that need a free-text note (so "other" always says what). */
export function needsNote(code: string): boolean {
  return code === 'other';
}

/** `a,b,c` → the list of codes (config parsing). */
export function parseCodeList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
