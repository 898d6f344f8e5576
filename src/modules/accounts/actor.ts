import type { Actor } from '../../lib/auth/actor.js';
import { partnershipCodesFor } from '../../lib/auth/scope.js';
import type { Organization } from '../orgs/orgs.service.js';
import type { PartnershipRecord } from '../reference/reference.service.js';
import { ROLES_BY_ORG_TYPE } from './users.policy.js';
import type { User } from './users.repository.js';

/**
 * The actor of a session (pure). Roles that do not fit the organisation type are dropped even if
 * they were stored, so a bad record can never grant more than the organisation allows.
 */
export function buildActor(
  user: Pick<User, 'id' | 'roles'>,
  org: Pick<Organization, 'id' | 'type' | 'jurisdictionCode'>,
  partnerships: readonly Pick<PartnershipRecord, 'supportingCode' | 'receivingCode' | 'from' | 'to'>[],
  now: Date,
): Actor {
  const roles = user.roles.filter((r) => ROLES_BY_ORG_TYPE[org.type].includes(r));
  const actor: Actor = { userId: user.id, organizationId: org.id, orgType: org.type, roles };
  if (org.jurisdictionCode) actor.jurisdictionCode = org.jurisdictionCode;
  if (org.type === 'recipient_federation' && org.jurisdictionCode)
    actor.partnershipScope = [org.jurisdictionCode];
  if (org.type === 'supporting_federation' && org.jurisdictionCode)
    actor.partnershipScope = partnershipCodesFor(org.jurisdictionCode, partnerships, now);
  return actor;
}
