import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyTable, routeTable } from '../../src/app.js';
import type { Actor, OrgType } from '../../src/lib/auth/actor.js';
import { checkRouteTable, routeLabel } from '../../src/lib/auth/policy.js';
import { ROLES, type Role, type RouteDef } from '../../src/lib/http/route.js';
import { transition } from '../../src/modules/matches/matches.service.js';
import type { MatchStatus } from '../../src/modules/matching/reconcile.js';
import { insertDeliveries, updateDelivery } from '../../src/modules/notifications/deliveries.repository.js';
import { listInbox } from '../../src/modules/notifications/notifications.repository.js';
import { notify } from '../../src/modules/notifications/notifications.service.js';
import { newObjectId } from '../../src/modules/notifications/webhooks.repository.js';
import { createWebhook } from '../../src/modules/notifications/webhooks.service.js';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import { createTransferBatch } from '../../src/modules/placements/batches.js';
import { createBatchBody } from '../../src/modules/placements/placements.schemas.js';
import { createPlanSchema } from '../../src/modules/plans/plans.schemas.js';
import { createPlan, runPlan } from '../../src/modules/plans/plans.service.js';
import { createPartnership } from '../../src/modules/reference/reference.service.js';
import { issueLink } from '../../src/modules/self-service/self-service.service.js';
import { createImport } from '../../src/modules/worker-profiles/imports.service.js';
import {
  bearer,
  expiredToken,
  makeCreditCode,
  makeOrg,
  makeUser,
  signIn,
  TEST_PASSWORD,
  type TestActor,
} from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { placementOfHire } from '../fixtures/jobs.js';
import { makeMatch, shareConsent } from '../fixtures/matches.js';
import { makeOpening, openingBody } from '../fixtures/openings.js';
import { rosterCsv, rosterRow } from '../fixtures/rosters.js';
import { makeProfile, profileBody, staffActor } from '../fixtures/worker-profiles.js';

/**
 * The authorization matrix, generated from the route table: every guarded route × every role ×
 * own record / foreign record / expired session, plus no session and a mass-assignment attempt
 * for every route with a body. A route without a scenario below fails the suite, as does a route
 * without a policy (createApp refuses to build, and the table check names it).
 */

interface Call {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
  /** A raw body (file uploads), sent with its `headers['Content-Type']`. */
  raw?: Buffer;
  headers?: Record<string, string>;
  /** List routes: an id the response must contain (own) or must not (foreign). */
  listed?: string;
  unlisted?: string;
}

interface World {
  orgs: Record<Role, Organization>;
  /** For each role, an organisation of the same type outside the actor's scope. */
  foreignOrgs: Record<Role, Organization>;
  actor(role: Role): Promise<TestActor>;
  otherUser(): Promise<{ id: string }>;
}

interface Scenario {
  /** Status of an allowed call on an own record. */
  ok: number;
  own(w: World, a: TestActor): Promise<Call> | Call;
  /**
   * A call naming a record outside the actor's scope (404, or absent from a list); undefined when
   * nothing is outside that actor's scope (admins). `notApplicable` says why a route has no records.
   */
  foreign:
    | { notApplicable: string }
    | ((w: World, a: TestActor) => Promise<Call | undefined> | Call | undefined);
}

const STRONG = 'Another-strong-Pass9';
const self = { notApplicable: 'acts on the caller’s own session or account only' };

const SCENARIOS: Record<string, Scenario> = {
  getMetrics: { ok: 200, own: () => ({}), foreign: { notApplicable: 'process metrics, no records' } },
  createQueueDashboardTicket: { ok: 201, own: () => ({}), foreign: self },
  logout: { ok: 204, own: () => ({}), foreign: self },
  getMe: { ok: 200, own: () => ({}), foreign: self },
  updateMe: { ok: 200, own: () => ({ body: { language: 'en' } }), foreign: self },
  changePassword: {
    ok: 204,
    own: () => ({ body: { currentPassword: TEST_PASSWORD, newPassword: STRONG } }),
    foreign: self,
  },
  listUsers: {
    ok: 200,
    // Oldest first, 50 a page: every scenario before this one adds users, so narrow to the
    // actor's own organisation and take the largest page.
    own: (_w, a) => ({ query: { organizationId: a.org.id, limit: '200' }, listed: a.user.id }),
    foreign: () => undefined,
  },
  createUser: {
    ok: 201,
    own: (w) => ({
      body: {
        username: `new.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
        displayName: '新用户',
        organizationId: w.orgs.federation_staff.id,
        roles: ['federation_staff'],
        password: STRONG,
      },
    }),
    foreign: { notApplicable: 'creates a record; admins may create in any organisation' },
  },
  getUser: {
    ok: 200,
    own: async (w) => ({ params: { id: (await w.otherUser()).id } }),
    foreign: () => undefined,
  },
  updateUser: {
    ok: 200,
    own: async (w) => ({
      params: { id: (await w.otherUser()).id },
      headers: { 'If-Match': '"1"' },
      body: { displayName: '改名' },
    }),
    foreign: () => undefined,
  },
  resetUserPassword: {
    ok: 200,
    own: async (w) => ({ params: { id: (await w.otherUser()).id }, body: { password: STRONG } }),
    foreign: () => undefined,
  },
  unlockUser: {
    ok: 200,
    own: async (w) => ({ params: { id: (await w.otherUser()).id } }),
    foreign: () => undefined,
  },
  listOrganizations: {
    ok: 200,
    own: (_w, a) => ({ listed: a.org.id }),
    foreign: (w, a) => (a.user.roles.includes('admin') ? undefined : { unlisted: foreignOrgOf(w, a).id }),
  },
  createOrganization: {
    ok: 201,
    own: () => ({
      body: {
        type: 'employer',
        name: '佛山示例新厂',
        creditCode: makeCreditCode('440600'),
        locationCode: '440600',
        industryCode: 'C39',
        staffCount: 50,
      },
    }),
    foreign: { notApplicable: 'creates a record' },
  },
  getOrganization: {
    ok: 200,
    own: (_w, a) => ({ params: { id: a.org.id } }),
    foreign: (w, a) =>
      a.user.roles.includes('admin') ? undefined : { params: { id: foreignOrgOf(w, a).id } },
  },
  updateOrganization: {
    ok: 200,
    own: async () => ({
      params: { id: (await makeOrg('employer', '330300')).id },
      headers: { 'If-Match': '"1"' },
      body: { staffCount: 321 },
    }),
    foreign: () => undefined,
  },
  listAuditEntries: { ok: 200, own: () => ({}), foreign: () => undefined },
  createPartnership: {
    ok: 201,
    own: () => ({ body: { ...nextPartnership(), to: null } }),
    foreign: { notApplicable: 'creates reference data; admins edit all of it' },
  },
  updatePartnership: {
    ok: 200,
    own: async () => ({
      params: { id: (await createPartnership({ ...nextPartnership(), to: null })).id },
      headers: { 'If-Match': 'W/"1"' },
      body: { note: '延长' },
    }),
    foreign: () => undefined,
  },
  listNotifications: {
    ok: 200,
    own: async (_w, a) => ({ listed: await notificationOf(a.user.id) }),
    foreign: async (w) => ({ unlisted: await notificationOf((await w.otherUser()).id) }),
  },
  markAllNotificationsRead: { ok: 200, own: () => ({}), foreign: self },
  markNotificationRead: {
    ok: 200,
    own: async (_w, a) => ({ params: { id: await notificationOf(a.user.id) } }),
    foreign: async (w) => ({ params: { id: await notificationOf((await w.otherUser()).id) } }),
  },
  getNotificationPreferences: { ok: 200, own: () => ({}), foreign: self },
  getMyWork: {
    ok: 200,
    own: () => ({}),
    foreign: {
      notApplicable: 'the caller’s own counts; foreign records left out: test/integration/work.test.ts',
    },
  },
  updateNotificationPreferences: {
    ok: 200,
    own: () => ({ body: { digest: true, email: 'me@example.com' } }),
    foreign: self,
  },
  listWebhooks: {
    ok: 200,
    own: (_w, a) => ({ params: { id: a.org.id } }),
    foreign: (w, a) =>
      a.user.roles.includes('admin') ? undefined : { params: { id: foreignOrgOf(w, a).id } },
  },
  createWebhook: {
    ok: 201,
    own: (_w, a) => ({
      params: { id: a.org.id },
      body: { kind: 'generic', name: 'HR system', url: 'https://hooks.example.com/in' },
    }),
    foreign: (w, a) =>
      a.user.roles.includes('admin')
        ? undefined
        : {
            params: { id: foreignOrgOf(w, a).id },
            body: { kind: 'generic', name: 'HR system', url: 'https://hooks.example.com/in' },
          },
  },
  getWebhook: webhookScenarios(200, (id) => ({ params: { id } })),
  updateWebhook: webhookScenarios(200, (id) => ({
    params: { id },
    headers: { 'If-Match': 'W/"1"' },
    body: { name: 'renamed' },
  })),
  deleteWebhook: webhookScenarios(204, (id) => ({ params: { id } })),
  rotateWebhookSecret: webhookScenarios(200, (id) => ({ params: { id } })),
  listNotificationDeliveries: { ok: 200, own: () => ({}), foreign: () => undefined },
  retryNotificationDelivery: {
    ok: 202,
    own: async (_w, a) => ({ params: { id: await failedDelivery(a.org.id) } }),
    foreign: () => undefined,
  },
  deletePartnership: {
    ok: 204,
    own: async () => ({ params: { id: (await createPartnership({ ...nextPartnership(), to: null })).id } }),
    foreign: () => undefined,
  },
  // Openings: the own record is an opening of the role's employer in 佛山, which every role may
  // read once published (reviewers: all published; 佛山 staff: their city; 甘孜 staff: paired with
  // 广东). Foreign: another employer's opening for employers, a draft for reviewers, a 温州
  // opening for 甘孜 staff.
  listOpenings: {
    ok: 200,
    own: async (w) => ({ query: { limit: '200' }, listed: (await openingOf(w, 'open')).id }),
    foreign: async (w, a) => {
      const call = await foreignOpening(w, a);
      return call && { query: { limit: '200' }, unlisted: call.params!.id };
    },
  },
  exportOpenings: {
    ok: 200,
    own: () => ({}),
    foreign: { notApplicable: 'exports the caller’s own scope; its rows are checked in openings.test.ts' },
  },
  createOpening: {
    ok: 201,
    own: (w, a) => ({
      body: a.user.roles.includes('admin') ? openingBody({ employerId: w.orgs.employer.id }) : openingBody(),
    }),
    foreign: { notApplicable: 'creates a record for the caller’s own organisation' },
  },
  getOpening: {
    ok: 200,
    own: async (w) => ({ params: { id: (await openingOf(w, 'open')).id } }),
    foreign: foreignOpening,
  },
  updateOpening: {
    ok: 200,
    own: async (w) => ({
      params: { id: (await openingOf(w, 'draft')).id },
      headers: { 'If-Match': 'W/"1"' },
      body: { wageMax: 6000 },
    }),
    foreign: async (w, a) => {
      const call = await foreignOpening(w, a);
      return call && { ...call, headers: { 'If-Match': 'W/"1"' }, body: { wageMax: 6000 } };
    },
  },
  openOpening: {
    ok: 200,
    own: async (w) => ({ params: { id: (await openingOf(w, 'draft')).id } }),
    foreign: foreignOpening,
  },
  pauseOpening: {
    ok: 200,
    own: async (w) => ({ params: { id: (await openingOf(w, 'open')).id } }),
    foreign: foreignOpening,
  },
  closeOpening: {
    ok: 200,
    own: async (w) => ({ params: { id: (await openingOf(w, 'open')).id } }),
    foreign: foreignOpening,
  },
  ...workerProfileScenarios(),
  ...selfServiceScenarios(),
  ...planScenarios(),
  ...matchingScenarios(),
  ...reviewScenarios(),
  // Search: the same own and foreign openings as the list, found through the index once it has
  // caught up with MongoDB; newest first, so the own opening is on the first page.
  searchOpenings: {
    ok: 200,
    own: async (w) => {
      const opening = await openingOf(w, 'open');
      await t.searchSync?.syncNow();
      return { query: { limit: '100', sort: '-updatedAt' }, listed: opening.id };
    },
    foreign: async (w, a) => {
      const call = await foreignOpening(w, a);
      await t.searchSync?.syncNow();
      return call && { query: { limit: '100', sort: '-updatedAt' }, unlisted: call.params!.id };
    },
  },
};

/** A suggestion of `profile` for an open opening of the role's employer, written as matching would. */
async function suggestionOf(w: World, profile: { id: string; regionPath: string[] }): Promise<string> {
  const opening = await openingOf(w, 'open');
  const now = new Date();
  const res = await mongoose.connection.db!.collection('matches').insertOne({
    profileId: profile.id,
    openingId: opening.id,
    employerId: opening.employerId,
    profileRegionPath: profile.regionPath,
    openingRegionPath: opening.regionPath,
    status: 'suggested',
    version: 1,
    score: 50,
    components: [],
    reasons: [],
    algorithmVersion: 'test',
    inOpeningTop: true,
    inProfileTop: false,
    suggestedAt: now,
    history: [],
    createdAt: now,
    updatedAt: now,
  });
  return res.insertedId.toHexString();
}

// Matching: suggestions are read like the profiles they are about (employers: 403). Own: a
// suggestion of a profile in the actor's scope; foreign: an opening or profile out of scope, or a
// suggestion of a profile out of scope.
function matchingScenarios(): Record<string, Scenario> {
  return {
    listOpeningMatches: {
      ok: 200,
      own: async (w, a) => {
        const id = await suggestionOf(w, await ownProfile(w, a));
        const doc = await mongoose.connection
          .db!.collection('matches')
          .findOne({ _id: new mongoose.Types.ObjectId(id) });
        return { params: { id: doc!.openingId as string }, listed: id };
      },
      foreign: foreignOpening,
    },
    listWorkerProfileMatches: { ok: 200, ...onProfile() },
    getWorkerProfileBestOpenings: { ok: 200, ...onProfile() },
    explainMatch: {
      ok: 200,
      own: async (w, a) => ({ params: { id: await suggestionOf(w, await ownProfile(w, a)) } }),
      foreign: async (w, a) => {
        const p = await foreignProfile(w, a);
        return p ? { params: { id: await suggestionOf(w, p) } } : undefined;
      },
    },
    // Advice: the opening's read scope (employers: their own only), counts only.
    getOpeningAdvice: {
      ok: 200,
      own: async (w) => ({ params: { id: (await openingOf(w, 'open')).id } }),
      foreign: foreignOpening,
    },
    // Training advice: an origin in the caller's jurisdiction (staff) or partnership scope (reviewers).
    getTrainingAdvice: {
      ok: 200,
      own: (_w, a) => ({ query: { origin: a.user.roles.includes('reviewer') ? '513400' : '513300' } }),
      foreign: (_w, a) =>
        a.user.roles.includes('admin')
          ? undefined
          : { query: { origin: a.user.roles.includes('reviewer') ? '513300' : '513400' } },
    },
    adviseDraftOpening: {
      ok: 200,
      own: (w, a) => ({
        body: a.user.roles.includes('admin')
          ? openingBody({ employerId: w.orgs.employer.id })
          : openingBody(),
      }),
      foreign: { notApplicable: 'a draft body is the caller’s own; nothing stored is named' },
    },
    // Any pair, stored or not: own = a profile and an opening both in scope; foreign = a profile
    // out of scope beside an opening in scope (the opening does not make the person visible).
    getWorkerProfileFit: {
      ok: 200,
      own: async (w, a) => ({
        params: { id: (await ownProfile(w, a)).id },
        query: { openingId: (await openingOf(w, 'open')).id },
      }),
      foreign: async (w, a) => {
        const p = await foreignProfile(w, a);
        return p
          ? { params: { id: p.id }, query: { openingId: (await openingOf(w, 'open')).id } }
          : undefined;
      },
    },
  };
}

/** Personal access links and what the person did with them (issue 22). */
function selfServiceScenarios(): Record<string, Scenario> {
  // Issued by the federation that registered the profile (the only staff who may).
  const linkOf = async (w: World, p: { id: string; registeringFederationId: string }) => {
    const org = [w.orgs.federation_staff, w.foreignOrgs.federation_staff].find(
      (o) => o.id === p.registeringFederationId,
    )!;
    return (await issueLink(t.deps, staffActor(org), p.id, 14)).link.id;
  };
  return {
    issueAccessLink: { ok: 201, ...onProfile(() => ({ body: { validDays: 7 } })) },
    listAccessLinks: { ok: 200, ...onProfile() },
    listSelfServiceActions: { ok: 200, ...onProfile() },
    revokeAccessLink: {
      ok: 204,
      own: async (w, a) => {
        const p = await ownProfile(w, a);
        return { params: { id: p.id, linkId: await linkOf(w, p) } };
      },
      foreign: async (w, a) => {
        const p = await foreignProfile(w, a);
        return p ? { params: { id: p.id, linkId: await linkOf(w, p) } } : undefined;
      },
    },
  };
}

/** A profile the actor's role can see: 甘孜 (federation staff, admins) or 凉山 (佛山 reviewers). */
async function ownProfile(w: World, a: TestActor) {
  return a.user.roles.includes('reviewer')
    ? makeProfile(t.deps, w.foreignOrgs.federation_staff, '513401')
    : makeProfile(t.deps, w.orgs.federation_staff, '513301');
}

/** A profile outside the actor's scope; none for admins. */
async function foreignProfile(w: World, a: TestActor) {
  if (a.user.roles.includes('admin')) return undefined;
  return a.user.roles.includes('reviewer')
    ? makeProfile(t.deps, w.orgs.federation_staff, '513301')
    : makeProfile(t.deps, w.foreignOrgs.federation_staff, '513401');
}

function onProfile(extra: (w: World, a: TestActor) => Call = () => ({})) {
  return {
    own: async (w: World, a: TestActor) => ({ params: { id: (await ownProfile(w, a)).id }, ...extra(w, a) }),
    foreign: async (w: World, a: TestActor) => {
      const p = await foreignProfile(w, a);
      return p ? { params: { id: p.id }, ...extra(w, a) } : undefined;
    },
  };
}

async function firstConsentOf(profileId: string): Promise<string> {
  const doc = await mongoose.connection.db!.collection('consents').findOne({ profileId });
  return doc!._id.toHexString();
}

async function importBy(org: Organization): Promise<string> {
  const actor = staffActor(org);
  const record = await createImport(
    t.deps,
    actor,
    Buffer.from(rosterCsv([rosterRow({ code: '513301', name: '康定市' })])),
  );
  return record.id;
}

function workerProfileScenarios(): Record<string, Scenario> {
  const notOne = { notApplicable: 'acts on the caller’s own scope, names no record' };
  return {
    createWorkerProfile: {
      ok: 201,
      own: () => ({ body: profileBody('513301') }),
      foreign: {
        notApplicable: 'creates a record (an origin outside the jurisdiction is a 400, tested elsewhere)',
      },
    },
    // Search: the same own and foreign profiles as the list, through the index once it caught up.
    searchWorkerProfiles: {
      ok: 200,
      own: async (w, a) => {
        const p = await ownProfile(w, a);
        await t.searchSync?.syncNow();
        return { listed: p.id, query: { limit: '100', sort: '-updatedAt' } };
      },
      foreign: async (w, a) => {
        const p = await foreignProfile(w, a);
        await t.searchSync?.syncNow();
        return p ? { unlisted: p.id, query: { limit: '100', sort: '-updatedAt' } } : undefined;
      },
    },
    listWorkerProfiles: {
      ok: 200,
      own: async (w, a) => ({ listed: (await ownProfile(w, a)).id, query: { limit: '200' } }),
      foreign: async (w, a) => {
        const p = await foreignProfile(w, a);
        return p ? { unlisted: p.id, query: { limit: '200' } } : undefined;
      },
    },
    exportWorkerProfiles: { ok: 200, own: () => ({}), foreign: notOne },
    // Counts, never records: what each role counts is tested in reports.test.ts.
    getProfilesReport: { ok: 200, own: () => ({}), foreign: notOne },
    exportProfilesReport: { ok: 200, own: () => ({}), foreign: notOne },
    // Counts by category, never records: scope per role is tested in reports-fairness.test.ts.
    getFairnessReport: { ok: 200, own: () => ({}), foreign: notOne },
    exportFairnessReport: { ok: 200, own: () => ({}), foreign: notOne },
    getPlacementsReport: { ok: 200, own: () => ({ query: { year: '2026' } }), foreign: notOne },
    exportPlacementsReport: {
      ok: 200,
      own: () => ({ query: { year: '2026', section: 'byCounty' } }),
      foreign: notOne,
    },
    getPlacementTarget: {
      ok: 200,
      own: (w, a) => ({
        params: { year: '2026' },
        ...(a.user.roles.includes('admin') ? { query: { organizationId: w.orgs.federation_staff.id } } : {}),
      }),
      foreign: (w, a) =>
        a.user.roles.includes('admin')
          ? undefined
          : { params: { year: '2026' }, query: { organizationId: w.foreignOrgs.federation_staff.id } },
    },
    setPlacementTarget: {
      ok: 200,
      // A year of its own each time: the first set of a year is If-Match W/"0".
      own: (w, a) => ({
        params: { year: String(nextTargetYear()) },
        headers: { 'If-Match': 'W/"0"' },
        body: {
          target: 12,
          ...(a.user.roles.includes('admin') ? { organizationId: w.orgs.federation_staff.id } : {}),
        },
      }),
      foreign: {
        notApplicable:
          'federation staff set only their own organisation’s target (naming another is a mass assignment, see reports-placements.test.ts); admins set any',
      },
    },
    // Asks the worker for a snapshot of everyone's counts: no record named, nothing returned but
    // the run's time (deduplicated; the job and what it computes are tested in reports-fairness.test.ts).
    refreshFairnessReport: { ok: 202, own: () => ({}), foreign: notOne },
    getWorkerProfileImportTemplate: { ok: 200, own: () => ({}), foreign: notOne },
    createWorkerProfileImport: {
      ok: 202,
      own: () => ({
        headers: { 'Content-Type': 'text/csv' },
        raw: Buffer.from(rosterCsv([rosterRow({ code: '513301', name: '康定市' })])),
      }),
      foreign: { notApplicable: 'creates a record' },
    },
    getWorkerProfileImport: {
      ok: 200,
      own: async (w) => ({ params: { importId: await importBy(w.orgs.federation_staff) } }),
      foreign: async (w, a) =>
        a.user.roles.includes('admin')
          ? undefined
          : { params: { importId: await importBy(w.foreignOrgs.federation_staff) } },
    },
    getWorkerProfileImportRejections: {
      ok: 200,
      own: async (w) => ({ params: { importId: await importBy(w.orgs.federation_staff) } }),
      foreign: async (w, a) =>
        a.user.roles.includes('admin')
          ? undefined
          : { params: { importId: await importBy(w.foreignOrgs.federation_staff) } },
    },
    getWorkerProfile: { ok: 200, ...onProfile() },
    updateWorkerProfile: {
      ok: 200,
      ...onProfile(() => ({ headers: { 'If-Match': 'W/"1"' }, body: { education: 'senior' } })),
    },
    changeWorkerProfileStatus: { ok: 200, ...onProfile(() => ({ body: { action: 'start_process' } })) },
    revealWorkerProfile: { ok: 200, ...onProfile(() => ({ body: { reason: 'contact_person' } })) },
    eraseWorkerProfile: { ok: 204, ...onProfile(() => ({ body: { reason: 'registered_in_error' } })) },
    addWorkerProfileTrainingRecord: {
      ok: 201,
      ...onProfile(() => ({
        body: {
          programmeCode: 'tp_sewing',
          providerName: '康定市职校',
          startDate: '2024-01-02',
          endDate: '2024-02-02',
          hours: 80,
        },
      })),
    },
    recordWorkerProfileConsent: {
      ok: 201,
      ...onProfile(() => ({
        body: { purpose: 'sensitive_processing', textVersion: 'pi-2', channel: 'paper_form' },
      })),
    },
    listWorkerProfileConsents: { ok: 200, ...onProfile() },
    withdrawWorkerProfileConsent: {
      ok: 200,
      own: async (w, a) => {
        const p = await ownProfile(w, a);
        return {
          params: { id: p.id, consentId: await firstConsentOf(p.id) },
          body: { reason: 'person_request', channel: 'in_person' },
        };
      },
      foreign: async (w, a) => {
        const p = await foreignProfile(w, a);
        return p
          ? {
              params: { id: p.id, consentId: await firstConsentOf(p.id) },
              body: { reason: 'person_request', channel: 'in_person' },
            }
          : undefined;
      },
    },
  };
}

/**
 * A computed plan whose origin the actor's role can see: a 凉山 county for the 佛山 reviewer (and
 * admins), a 甘孜 one for nobody but admins (foreign). Computed in-process: the matrix runs no worker.
 */
async function planFor(originCode: string): Promise<string> {
  const planner: Actor = {
    userId: newObjectId(),
    organizationId: newObjectId(),
    orgType: 'platform',
    roles: ['admin'],
  };
  const plan = await createPlan(t.deps, planner, createPlanSchema.parse({ people: { originCode } }));
  await runPlan({ config: t.config, logger: t.deps.logger }, plan.id);
  return plan.id;
}

function planScenarios(): Record<string, Scenario> {
  const ownPlan = () => planFor('513401');
  const foreignPlan = async (_w: World, a: TestActor) =>
    a.user.roles.includes('admin') ? undefined : planFor('513301');
  return {
    createPlan: {
      ok: 202,
      own: () => ({ body: { people: { originCode: '513401' } } }),
      foreign: { notApplicable: 'creates a record (an origin outside the scope is a 400, tested elsewhere)' },
    },
    listPlans: {
      ok: 200,
      own: async () => ({ listed: await ownPlan(), query: { limit: '200' } }),
      foreign: async (w, a) => {
        const id = await foreignPlan(w, a);
        return id ? { unlisted: id, query: { limit: '200' } } : undefined;
      },
    },
    getPlan: {
      ok: 200,
      own: async () => ({ params: { id: await ownPlan() } }),
      foreign: async (w, a) => {
        const id = await foreignPlan(w, a);
        return id ? { params: { id } } : undefined;
      },
    },
    acceptPlan: {
      ok: 200,
      own: async () => ({ params: { id: await ownPlan() }, body: { assignments: 'all' } }),
      foreign: async (w, a) => {
        const id = await foreignPlan(w, a);
        return id ? { params: { id }, body: { assignments: 'all' } } : undefined;
      },
    },
  };
}

// ---- review, placements, transfer batches, quota ----------------------------------------------
// Own records: a person the role sees (佛山 reviewers: 凉山; 甘孜 staff and admins: 甘孜) matched to
// the matrix's own employer (佛山). Foreign: a 甘孜 person for the reviewer, a 凉山 person for 甘孜
// staff, another employer's proposal for the employer.

function personFor(w: World, a: TestActor, foreign = false) {
  const reviewerSide = a.user.roles.includes('reviewer') !== foreign;
  return reviewerSide
    ? makeProfile(t.deps, w.foreignOrgs.federation_staff, '513401')
    : makeProfile(t.deps, w.orgs.federation_staff, '513301');
}

async function matchFor(w: World, a: TestActor, status: MatchStatus, options: { consent?: boolean } = {}) {
  const profile = await personFor(w, a);
  const opening = await makeOpening(t.deps, w.orgs.employer, 'open');
  if (options.consent) {
    const fed = a.user.roles.includes('reviewer') ? w.foreignOrgs.federation_staff : w.orgs.federation_staff;
    await shareConsent(t.deps, fed, profile, opening);
  }
  return makeMatch(profile, opening, { status });
}

async function foreignMatch(w: World, a: TestActor, status: MatchStatus) {
  const role = a.user.roles[0]!;
  if (role === 'admin') return undefined;
  if (role === 'employer') {
    const profile = await makeProfile(t.deps, w.orgs.federation_staff, '513301');
    const opening = await makeOpening(t.deps, w.foreignOrgs.employer, 'open', {
      regionCode: '330300',
      address: '温州市示例工业区',
    });
    return makeMatch(profile, opening, { status: status === 'suggested' ? 'proposed' : status });
  }
  const profile = await personFor(w, a, true);
  return makeMatch(profile, await makeOpening(t.deps, w.orgs.employer, 'open'), { status });
}

const svc = () => ({ config: t.config, logger: t.deps.logger, queues: t.runtime.queues });

/** A listed item's id: its own, or the match it stands for (transfer candidates). */
const itemId = (i: { id?: string; matchId?: string }) => i.id ?? i.matchId;
function hireBody() {
  return { contractStart: '2026-03-01', contractEnd: '2027-02-28', monthlyWage: 4200, socialInsurance: true };
}

/** A placement of a person the role sees (or, `foreign`, one it does not), hired by an admin. */
async function placementFor(w: World, a: TestActor, foreign = false, start = hireBody().contractStart) {
  const profile = await personFor(w, a, foreign);
  const employer = foreign && a.user.roles.includes('employer') ? w.foreignOrgs.employer : w.orgs.employer;
  const opening = await makeOpening(
    t.deps,
    employer,
    'open',
    foreign ? { regionCode: '330300', address: '温州' } : {},
  );
  const m = await makeMatch(profile, opening, { status: 'interviewing' });
  const admin = platformAdmin(w.orgs.admin.id);
  await transition(admin, m.id, 'hire', { ...hireBody(), contractStart: start }, svc());
  return placementOfHire(t, m.id);
}

async function batchOf(org: Organization, originCode: string, employerId: string) {
  const b = await createTransferBatch(
    staffActor(org),
    createBatchBody.parse({
      originCode,
      employerId,
      destinationCode: '440600',
      travelDate: '2026-03-01',
      transport: 'chartered_bus',
    }),
  );
  return b.id;
}

function onMatch(status: MatchStatus, body?: Record<string, unknown>, options: { consent?: boolean } = {}) {
  return {
    ok: 200,
    own: async (w: World, a: TestActor) => ({
      params: { id: (await matchFor(w, a, status, options)).id },
      ...(body ? { body } : {}),
    }),
    foreign: async (w: World, a: TestActor) => {
      const m = await foreignMatch(w, a, status);
      return m ? { params: { id: m.id }, ...(body ? { body } : {}) } : undefined;
    },
  };
}

function reviewScenarios(): Record<string, Scenario> {
  const noRecords = { notApplicable: 'configuration lists, no records' };
  return {
    getReviewQueue: {
      ok: 200,
      own: async (w, a) => {
        const m = await matchFor(w, a, 'suggested');
        return { query: { openingId: m.openingId }, listed: m.id };
      },
      foreign: async (w, a) => {
        const m = await foreignMatch(w, a, 'suggested');
        return m ? { query: { openingId: m.openingId, limit: '200' }, unlisted: m.id } : undefined;
      },
    },
    getReviewReasons: { ok: 200, own: () => ({}), foreign: noRecords },
    getMatch: onMatch('proposed'),
    approveMatch: onMatch('suggested', {}),
    rejectMatch: onMatch('suggested', { reasonCode: 'health' }),
    proposeMatch: onMatch('approved', {}, { consent: true }),
    markMatchInterested: onMatch('proposed', {}),
    declineMatch: onMatch('proposed', { reasonCode: 'no_show' }),
    scheduleMatchInterview: onMatch('interested', { at: '2026-03-01T02:00:00Z', mode: 'video' }),
    hireMatch: onMatch('interviewing', hireBody()),
    withdrawMatch: onMatch('approved', { reasonCode: 'health' }),
    listEmployerProposals: {
      ok: 200,
      own: async (w, a) => {
        const m = await matchFor(w, a, 'proposed');
        return { query: { openingId: m.openingId }, listed: m.id };
      },
      foreign: async (w, a) => {
        const m = await foreignMatch(w, a, 'proposed');
        return m ? { query: { limit: '200' }, unlisted: m.id } : undefined;
      },
    },
    getEmployerProposal: onMatch('proposed'),
    listPlacements: {
      ok: 200,
      own: async (w, a) => ({ query: { limit: '200' }, listed: await placementFor(w, a) }),
      foreign: async (w, a) =>
        a.user.roles.includes('admin')
          ? undefined
          : { query: { limit: '200' }, unlisted: await placementFor(w, a, true) },
    },
    getPlacement: {
      ok: 200,
      own: async (w, a) => ({ params: { id: await placementFor(w, a) } }),
      foreign: async (w, a) =>
        a.user.roles.includes('admin') ? undefined : { params: { id: await placementFor(w, a, true) } },
    },
    endPlacement: {
      ok: 200,
      own: async (w, a) => ({ params: { id: await placementFor(w, a) }, body: { reasonCode: 'resigned' } }),
      foreign: async (w, a) =>
        a.user.roles.includes('admin')
          ? undefined
          : { params: { id: await placementFor(w, a, true) }, body: { reasonCode: 'resigned' } },
    },
    listFollowUps: {
      ok: 200,
      own: () => ({ query: { due: '2099-12-31' } }),
      foreign: { notApplicable: 'lists the caller’s own scope (the placement scope, tested above)' },
    },
    recordFollowUp: (() => {
      const body = { stillEmployed: true, wagePaidOnTime: true, accommodationWorking: true, dormitory: true };
      const started = () => new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
      return {
        ok: 200,
        own: async (w: World, a: TestActor) => ({
          params: { id: await placementFor(w, a, false, started()), checkpoint: 'd7' },
          body,
        }),
        foreign: async (w: World, a: TestActor) =>
          a.user.roles.includes('admin')
            ? undefined
            : { params: { id: await placementFor(w, a, true, started()), checkpoint: 'd7' }, body },
      };
    })(),
    getEmployerQuota: {
      ok: 200,
      own: async (w, a) => {
        // A recipient federation reads the quota of employers where its people are placed.
        if (a.user.roles.includes('federation_staff')) await placementFor(w, a);
        return { params: { id: w.orgs.employer.id } };
      },
      foreign: (w, a) =>
        a.user.roles.includes('admin') ? undefined : { params: { id: w.foreignOrgs.employer.id } },
    },
    listTransferBatches: {
      ok: 200,
      own: async (w) => ({
        query: { limit: '200' },
        listed: await batchOf(w.orgs.federation_staff, '513301', w.orgs.employer.id),
      }),
      foreign: async (w, a) =>
        a.user.roles.includes('admin')
          ? undefined
          : {
              query: { limit: '200' },
              unlisted: await batchOf(w.foreignOrgs.federation_staff, '513401', w.orgs.employer.id),
            },
    },
    listTransferCandidates: {
      ok: 200,
      own: async (w, a) => {
        const m = await matchFor(w, a, 'approved');
        return { params: { id: m.openingId }, listed: m.id };
      },
      // The opening is in sight; the person of another jurisdiction is not offered.
      foreign: async (w, a) => {
        const m = await foreignMatch(w, a, 'approved');
        return m ? { params: { id: m.openingId }, unlisted: m.id } : undefined;
      },
    },
    createTransferBatch: {
      ok: 201,
      own: (w) => ({
        body: {
          originCode: '513301',
          employerId: w.orgs.employer.id,
          destinationCode: '440600',
          travelDate: '2026-03-01',
          transport: 'chartered_bus',
        },
      }),
      foreign: { notApplicable: 'creates a record (an origin outside the jurisdiction is a 400)' },
    },
    ...Object.fromEntries(
      (
        [
          ['getTransferBatch', 200, {}],
          ['updateTransferBatch', 200, { headers: { 'If-Match': 'W/"1"' }, body: { transport: 'train' } }],
          ['deleteTransferBatch', 204, {}],
          ['exportTransferBatchRoster', 200, {}],
        ] as const
      ).map(([op, ok, extra]) => [
        op,
        {
          ok,
          own: async (w: World) => ({
            params: { id: await batchOf(w.orgs.federation_staff, '513301', w.orgs.employer.id) },
            ...extra,
          }),
          foreign: async (w: World, a: TestActor) =>
            a.user.roles.includes('admin')
              ? undefined
              : {
                  params: { id: await batchOf(w.foreignOrgs.federation_staff, '513401', w.orgs.employer.id) },
                  ...extra,
                },
        } satisfies Scenario,
      ]),
    ),
    setMinimumWage: {
      ok: 200,
      own: () => ({ params: { code: '440300' }, body: { monthlyCny: 2360, effectiveFrom: '2022-07-01' } }),
      foreign: { notApplicable: 'reference data; admins edit all of it' },
    },
    setQuotaRate: {
      ok: 200,
      own: () => ({ params: { code: '440000' }, body: { ratePercent: 1.5 } }),
      foreign: { notApplicable: 'reference data; admins edit all of it' },
    },
  };
}

/** A fresh opening of the matrix's own employer (佛山), in `status`. */
function openingOf(w: World, status: 'draft' | 'open') {
  return makeOpening(t.deps, w.orgs.employer, status);
}

/** An opening outside the actor's read scope (undefined for admins, who see all). */
async function foreignOpening(w: World, a: TestActor): Promise<Call | undefined> {
  const role = a.user.roles[0]!;
  if (role === 'admin') return undefined;
  const wenzhou = { regionCode: '330300', address: '温州市示例工业区' };
  const opening =
    role === 'employer'
      ? await makeOpening(t.deps, w.foreignOrgs.employer, 'open', wenzhou)
      : role === 'reviewer'
        ? await makeOpening(t.deps, w.foreignOrgs.employer, 'draft')
        : await makeOpening(t.deps, w.foreignOrgs.employer, 'open', wenzhou);
  return { params: { id: opening.id } };
}

/** A notification in the user's inbox (through notify(), as other modules make them). */
async function notificationOf(userId: string): Promise<string> {
  const token = `m${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  await notify(
    { type: 'system.test', data: { token } },
    { userId },
    {
      config: t.config,
      logger: t.deps.logger,
      queues: t.runtime.queues,
    },
  );
  return (await listInbox(userId, { limit: 1 })).items[0]!.id;
}

const platformAdmin = (organizationId: string): Actor => ({
  userId: newObjectId(),
  organizationId,
  orgType: 'platform',
  roles: ['admin'],
});

async function webhookOf(organizationId: string): Promise<string> {
  const w = await createWebhook(t.config, platformAdmin(organizationId), organizationId, {
    kind: 'generic',
    name: 'HR',
    url: 'https://hooks.example.com/tongxin',
  });
  return w.id;
}

async function failedDelivery(organizationId: string): Promise<string> {
  const [d] = await insertDeliveries(
    [
      {
        id: newObjectId(),
        key: `matrix/${newObjectId()}`,
        channel: 'webhook',
        type: 'system.test',
        data: { token: 'x' },
        organizationId,
        notificationId: null,
        userId: null,
        webhookId: newObjectId(),
      },
    ],
    new Date(),
  );
  await updateDelivery(d!.id, { state: 'failed', lastError: 'http status 410' });
  return d!.id;
}

function webhookScenarios(ok: number, call: (id: string) => Call): Scenario {
  return {
    ok,
    own: async (_w, a) => call(await webhookOf(a.org.id)),
    foreign: async (w, a) =>
      a.user.roles.includes('admin') ? undefined : call(await webhookOf(foreignOrgOf(w, a).id)),
  };
}

let targetYear = 2030;
/** Each call a year nobody has set a target for yet. */
function nextTargetYear() {
  return targetYear++;
}

let partnershipDay = 0;
/** A fresh (supporting, receiving, from) triple each time: that triple is unique. */
function nextPartnership() {
  const from = new Date(Date.UTC(2030, 0, 1) + partnershipDay++ * 86_400_000).toISOString().slice(0, 10);
  return { supportingCode: '330300', receivingCode: '511321', from };
}

function foreignOrgOf(w: World, a: TestActor): Organization {
  const role = a.user.roles[0]!;
  return w.foreignOrgs[role];
}

const ORG_OF_ROLE: Record<Role, [OrgType, string | undefined]> = {
  admin: ['platform', undefined],
  federation_staff: ['recipient_federation', '513300'], // 甘孜
  reviewer: ['supporting_federation', '440600'], // 佛山
  employer: ['employer', '440600'],
};
const FOREIGN_OF_ROLE: Record<Role, [OrgType, string]> = {
  admin: ['employer', '330300'],
  federation_staff: ['recipient_federation', '513400'], // 凉山
  reviewer: ['supporting_federation', '330300'], // 温州
  employer: ['employer', '330300'],
};

// Top-level await: the cases are generated from the running app's route table at collection time.
const t: TestApp = await startTestApp({
  RATE_LIMIT_PER_MINUTE: '100000',
  LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
});
const routes: RouteDef[] = routeTable(t.deps);
let world: World;

beforeAll(async () => {
  const orgs = {} as Record<Role, Organization>;
  const foreignOrgs = {} as Record<Role, Organization>;
  for (const role of ROLES) {
    const [type, region] = ORG_OF_ROLE[role];
    orgs[role] = await makeOrg(type, region);
    const [ftype, fregion] = FOREIGN_OF_ROLE[role];
    foreignOrgs[role] = await makeOrg(ftype, fregion);
  }
  world = {
    orgs,
    foreignOrgs,
    actor: async (role) => {
      const user = await makeUser(orgs[role], [role]);
      return signIn(t.config, user, orgs[role]);
    },
    otherUser: () => makeUser(orgs.employer, ['employer']),
  };
});
afterAll(async () => {
  await t.close();
});

function send(route: RouteDef, call: Call, token?: string) {
  const path = route.path.replace(
    /:([A-Za-z0-9_]+)/g,
    (_, name: string) => call.params?.[name] ?? '000000000000000000000000',
  );
  let req = request(t.app)[route.method](path);
  if (token) req = req.set(bearer(token));
  for (const [k, v] of Object.entries(call.headers ?? {})) req = req.set(k, v);
  if (call.query) req = req.query(call.query);
  if (call.body !== undefined) req = req.send(call.body);
  if (call.raw !== undefined) req = req.send(call.raw);
  return req;
}

const guarded = () => routes.filter((r) => !('public' in r.access));
const allowed = (route: RouteDef, role: Role) => 'roles' in route.access && route.access.roles.includes(role);

describe('the route table', () => {
  it('when the app is built, then every guarded route names a policy in the policy table', () => {
    expect(checkRouteTable(routes, policyTable())).toEqual([]);
  });

  it('when a route has no policy, then the table check names it (and createApp would refuse to start)', () => {
    const policyLess = {
      method: 'get',
      path: '/api/v1/secret-things',
      operationId: 'listSecretThings',
      summary: 'A route someone forgot to guard properly',
      tags: ['test'],
      access: { roles: ['admin', 'employer'] },
      responses: { 200: { description: 'ok' } },
      handler: () => undefined,
    } as unknown as RouteDef;
    const problems = checkRouteTable([...routes, policyLess], policyTable());
    expect(problems).toEqual([expect.stringContaining('listSecretThings')]);
    expect(problems[0]).toMatch(/names no policy/);
  });

  it('when the route table is read, then every guarded route has a matrix scenario', () => {
    const missing = guarded()
      .filter((r) => !SCENARIOS[r.operationId])
      .map(routeLabel);
    expect(missing).toEqual([]);
  });

  it('when the route table is read, then every public route says why', () => {
    expect.hasAssertions();
    for (const r of routes.filter((x) => 'public' in x.access))
      expect((r.access as { why: string }).why.length).toBeGreaterThan(5);
  });
});

describe('route × role matrix', () => {
  for (const route of routes.filter((r) => !('public' in r.access))) {
    const label = routeLabel(route);
    const scenario = SCENARIOS[route.operationId];
    if (!scenario) continue; // reported by the "every guarded route has a matrix scenario" test

    describe(label, () => {
      it('when there is no session, then 401 unauthenticated', async () => {
        const res = await send(route, {});
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('unauthenticated');
      });

      for (const role of ROLES) {
        it(`when ${role} sends an expired session, then 401 session_expired`, async () => {
          const a = await world.actor(role);
          const res = await send(route, await scenario.own(world, a), await expiredToken(t.config, a.user));
          expect(res.status).toBe(401);
          expect(res.body.code).toBe('session_expired');
        });

        if (!allowed(route, role)) {
          it(`when ${role} calls it on an own record, then 403 forbidden`, async () => {
            const a = await world.actor(role);
            const res = await send(route, await scenario.own(world, a), a.token);
            expect(res.status).toBe(403);
            expect(res.body.code).toBe('forbidden');
          });
          continue;
        }

        it(`when ${role} calls it on an own record, then ${scenario.ok}`, async () => {
          const a = await world.actor(role);
          const call = await scenario.own(world, a);
          const res = await send(route, call, a.token);
          expect(res.status, JSON.stringify(res.body)).toBe(scenario.ok);
          if (call.listed) expect(res.body.items.map(itemId)).toContain(call.listed);
        });

        if (typeof scenario.foreign === 'function') {
          const foreign = scenario.foreign;
          it(`when ${role} names a record outside its scope, then it is not found`, async () => {
            const a = await world.actor(role);
            const call = await foreign(world, a);
            if (!call) {
              // Nothing lies outside this role's scope (admins see all): the own case covers it.
              expect(a.user.roles).toContain('admin');
              return;
            }
            const res = await send(route, call, a.token);
            if (call.unlisted) {
              expect(res.status).toBe(200);
              expect(res.body.items.map(itemId)).not.toContain(call.unlisted);
            } else {
              expect(res.status).toBe(404);
              expect(res.body.code).toBe('not_found');
            }
          });
        }

        if (route.request?.body) {
          it(`when ${role} sends a field it may not set, then 400 mass_assignment naming it`, async () => {
            const a = await world.actor(role);
            const call = await scenario.own(world, a);
            const res = await send(
              route,
              { ...call, body: { ...call.body, registeredBy: 'x', version: 7 } },
              a.token,
            );
            expect(res.status).toBe(400);
            expect(res.body.code).toBe('mass_assignment');
            expect(res.body.fields).toEqual(['registeredBy', 'version']);
          });
        }
      }
    });
  }
});
