import type { Actor } from '../../lib/auth/actor.js';
import { invalidateSessions } from '../../lib/auth/session-cache.js';
import { AppError, type ProblemIssue } from '../../lib/errors.js';
import { audit } from '../audit/audit.service.js';
import { findRegion } from '../reference/reference.service.js';
import { REGION_FIELD, regionRuleProblem, TYPE_FIELDS } from './org-rules.js';
import { organizationScope } from './orgs.policy.js';
import {
  findOrganizationById,
  findOrganizationInScope,
  insertOrganization,
  listOrganizationsInScope,
  type Organization,
  type OrganizationData,
  updateOrganizationIfVersion,
} from './orgs.repository.js';
import type {
  CreateOrganizationInput,
  ListOrganizationsQuery,
  UpdateOrganizationInput,
} from './orgs.schemas.js';

export type { Organization } from './orgs.repository.js';
export {
  ensureOrganization,
  findOrganizationById,
  findOrganizationsByIds,
  listOrganizationsInScope,
} from './orgs.repository.js';

function invalid(issues: ProblemIssue[]): AppError {
  return new AppError('validation_failed', {
    detail: `字段 ${issues.map((i) => i.path).join(', ')} 不符合要求`,
    detailEn: `Invalid field(s): ${issues.map((i) => i.path).join(', ')}`,
    issues,
  });
}

/** The shape rules ran in the schema; here the code must also be a region we know. */
async function checkRegion(type: Organization['type'], field: string, code: string): Promise<ProblemIssue[]> {
  const problem = regionRuleProblem(type, code);
  if (problem) return [{ path: `body.${field}`, code: 'region_not_allowed', message: problem.en }];
  if (!(await findRegion(code)))
    return [{ path: `body.${field}`, code: 'unknown_region', message: 'not a known GB/T 2260 region code' }];
  return [];
}

export function presentOrganization(org: Organization) {
  return {
    id: org.id,
    type: org.type,
    name: org.name,
    nameEn: org.nameEn ?? null,
    jurisdictionCode: org.jurisdictionCode ?? null,
    creditCode: org.creditCode ?? null,
    locationCode: org.locationCode ?? null,
    industryCode: org.industryCode ?? null,
    staffCount: org.staffCount ?? null,
    version: org.version,
    createdAt: org.createdAt.toISOString(),
    updatedAt: org.updatedAt.toISOString(),
  };
}

const notFound = () => new AppError('not_found', { detail: '机构不存在', detailEn: 'No such organisation' });

export async function createOrganization(
  _actor: Actor,
  input: CreateOrganizationInput,
): Promise<Organization> {
  const field = REGION_FIELD[input.type];
  if (field && field in input) {
    const issues = await checkRegion(input.type, field, (input as Record<string, string>)[field]!);
    if (issues.length) throw invalid(issues);
  }
  const org = await insertOrganization(input as OrganizationData);
  await audit.record({
    action: 'organization.create',
    resource: { type: 'organization', id: org.id },
    fields: Object.keys(input),
  });
  return org;
}

export async function getOrganization(actor: Actor, id: string): Promise<Organization> {
  const org = await findOrganizationInScope(id, organizationScope(actor));
  if (!org) throw notFound();
  return org;
}

export async function listOrganizations(actor: Actor, q: ListOrganizationsQuery) {
  const { items, hasMore } = await listOrganizationsInScope(
    { type: q.type, jurisdictionCode: q.jurisdictionCode, after: q.cursor },
    organizationScope(actor),
    q.limit,
  );
  return { items, nextCursor: hasMore ? (items.at(-1)?.id ?? null) : null };
}

export async function updateOrganization(
  actor: Actor,
  id: string,
  version: number,
  input: UpdateOrganizationInput,
): Promise<Organization> {
  const scope = organizationScope(actor);
  const current = await findOrganizationInScope(id, scope);
  if (!current) throw notFound();

  const typeOnly = new Set(Object.values(TYPE_FIELDS).flat());
  const issues: ProblemIssue[] = [];
  for (const key of Object.keys(input))
    if (typeOnly.has(key) && !TYPE_FIELDS[current.type].includes(key))
      issues.push({
        path: `body.${key}`,
        code: 'not_applicable',
        message: `does not apply to a ${current.type} organisation`,
      });
  const field = REGION_FIELD[current.type];
  const code = field ? input[field] : undefined;
  if (field && code) issues.push(...(await checkRegion(current.type, field, code)));
  if (issues.length) throw invalid(issues);

  const { nameEn, ...rest } = input;
  const changes: Partial<OrganizationData> = { ...rest, ...(nameEn ? { nameEn } : {}) };
  const unset = nameEn === null ? ['nameEn'] : [];
  const updated = await updateOrganizationIfVersion(id, version, scope, current.type, changes, unset);
  if (!updated) {
    const fresh = await findOrganizationById(id);
    if (fresh) throw new AppError('precondition_failed', { extra: { currentVersion: fresh.version } });
    throw notFound();
  }
  await invalidateSessions({ kind: 'organization', id });
  await audit.record({
    action: 'organization.update',
    resource: { type: 'organization', id },
    fields: Object.keys(input),
  });
  return updated;
}
