import type { Response } from 'express';
import { AppError } from '../errors.js';
import type { Role } from '../http/route.js';

export const ORG_TYPES = ['platform', 'recipient_federation', 'supporting_federation', 'employer'] as const;
export type OrgType = (typeof ORG_TYPES)[number];

/**
 * Who is calling, resolved from the session alone. Every scope and every permission is derived
 * from this object and from nothing the request says.
 */
export interface Actor {
  userId: string;
  organizationId: string;
  orgType: OrgType;
  roles: Role[];
  /** A federation's region: a 四川 prefecture/county, or a 浙江/广东 province/city. */
  jurisdictionCode?: string;
  /**
   * Receiving regions (四川 prefectures or counties) a reviewer or a supporting federation may see:
   * those paired with the supporting city, or the recipient federation's own jurisdiction.
   */
  partnershipScope?: string[];
}

/** The actor put in `res.locals` by the authentication guard; a route without one is a bug. */
export function actorOf(res: Response): Actor {
  const actor = res.locals.actor as Actor | undefined;
  if (!actor) throw new AppError('unauthenticated');
  return actor;
}

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r));
}
