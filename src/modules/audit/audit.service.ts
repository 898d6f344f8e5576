import type { Actor } from '../../lib/auth/actor.js';
import { currentContext } from '../../lib/context.js';
import { auditScope } from './audit.policy.js';
import {
  type AuditEntry,
  type AuditOutcome,
  appendAuditEntry,
  findAuditEntries,
} from './audit.repository.js';
import { AUDIT_ACTION, AUDIT_FIELD, AUDIT_TOKEN, type AuditQueryInput } from './audit.schemas.js';

export interface AuditEvent {
  /** Dotted code, e.g. `auth.login`, `worker_profile.read_sensitive`, `match.disclose`. */
  action: string;
  outcome?: AuditOutcome;
  resource?: { type: string; id?: string | null };
  /** Names of the fields read or changed — never their values. */
  fields?: readonly string[];
  /** A short code saying why (`wrong_password`, `locked`), never free text. */
  reason?: string;
  /** Defaults to the request's actor (from the request context). */
  actor?: { userId?: string; organizationId?: string; roles?: readonly string[] };
}

function check(what: string, value: string | undefined, pattern: RegExp): void {
  // Free text here could smuggle personal data into an append-only store: refuse it loudly.
  if (value !== undefined && !pattern.test(value)) throw new Error(`audit ${what} "${value}" is not a code`);
}

/**
 * Appends one entry to the audit trail, with the request id, ip and actor of the current request.
 * Awaited by callers: an action whose audit entry cannot be written fails with it.
 */
export async function record(event: AuditEvent): Promise<void> {
  check('action', event.action, AUDIT_ACTION);
  check('resource type', event.resource?.type, AUDIT_TOKEN);
  check('reason', event.reason, AUDIT_TOKEN);
  for (const f of event.fields ?? []) check('field', f, AUDIT_FIELD);
  const ctx = currentContext();
  const actor = event.actor ?? {
    userId: ctx?.userId,
    organizationId: ctx?.organizationId,
    roles: ctx?.roles,
  };
  await appendAuditEntry({
    at: new Date(),
    actorUserId: actor.userId,
    actorOrganizationId: actor.organizationId,
    actorRoles: actor.roles?.length ? [...actor.roles] : undefined,
    action: event.action,
    resourceType: event.resource?.type,
    resourceId: event.resource?.id ?? undefined,
    fields: event.fields?.length ? [...event.fields] : undefined,
    outcome: event.outcome ?? 'success',
    reason: event.reason,
    requestId: ctx?.requestId,
    ip: ctx?.ip,
  });
}

/** An id as asked for comes from the request: it is recorded only when it has the shape of one. */
const ASKED_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The rule for every read of personal data: `found`, or, when nothing is there for the caller
 * (outside their jurisdiction or not existing at all, one 404 for both), an entry with outcome
 * `denied` naming the resource type and the id asked for, then the 404. Failed attempts on
 * personal data are what an auditor looks for; the entry holds codes and ids only.
 */
export async function foundOrDenied<T>(
  found: T | null | undefined,
  event: Omit<AuditEvent, 'outcome' | 'resource' | 'reason'> & { resource: { type: string; id: string } },
  notFound: () => Error,
): Promise<T> {
  if (found !== null && found !== undefined) return found;
  const { type, id } = event.resource;
  await record({
    ...event,
    outcome: 'denied',
    reason: 'not_found_in_scope',
    resource: { type, id: ASKED_ID.test(id) ? id : null },
  });
  throw notFound();
}

/** What other modules use: `await audit.record({ action, resource, fields })`. */
export const audit = { record, foundOrDenied };

function present(e: AuditEntry) {
  return {
    id: e.id,
    at: e.at.toISOString(),
    actor: {
      userId: e.actorUserId ?? null,
      organizationId: e.actorOrganizationId ?? null,
      roles: e.actorRoles ?? [],
    },
    action: e.action,
    resource: { type: e.resourceType ?? null, id: e.resourceId ?? null },
    fields: e.fields ?? [],
    outcome: e.outcome,
    reason: e.reason ?? null,
    requestId: e.requestId ?? null,
    ip: e.ip ?? null,
  };
}

export async function listAudit(actor: Actor, q: AuditQueryInput) {
  const { items, hasMore } = await findAuditEntries(
    {
      actorUserId: q.actor,
      actorOrganizationId: q.organization,
      action: q.action,
      resourceType: q.resourceType,
      resourceId: q.resourceId,
      outcome: q.outcome,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      before: q.cursor,
    },
    auditScope(actor),
    q.limit,
  );
  return { items: items.map(present), nextCursor: hasMore ? (items.at(-1)?.id ?? null) : null };
}
