import { describe, expect, it } from 'vitest';
import { issuesFromZod } from '../../src/lib/errors.js';
import { buildReferenceSeed } from '../../src/modules/reference/reference.seed.js';
import { matchingEligibility, workingAgeBirthDates } from '../../src/modules/worker-profiles/eligibility.js';
import { ageOn, checkWorkingAge, DEFAULT_WORKING_AGE } from '../../src/modules/worker-profiles/identity.js';
import {
  anonymisedProfile,
  presentProfile,
  revealIdentity,
} from '../../src/modules/worker-profiles/present.js';
import type { WorkerProfile } from '../../src/modules/worker-profiles/profile.js';
import { checkProfileReferences } from '../../src/modules/worker-profiles/profile-rules.js';
import { buildReferenceSnapshot } from '../../src/modules/worker-profiles/reference-snapshot.js';
import { actionsFrom, nextStatus, STATUS_ACTION_NAMES } from '../../src/modules/worker-profiles/status.js';
import {
  createProfileSchema,
  updateProfileSchema,
} from '../../src/modules/worker-profiles/worker-profiles.schemas.js';
import { makeIdentity, seededRandom } from '../fixtures/identity.js';
import { profileBody } from '../fixtures/worker-profiles.js';

const seed = buildReferenceSeed();
const ref = buildReferenceSnapshot(seed.vocabularies, seed.regions);
const GANZI = { ref, jurisdictionCode: '513300' };
const NOW = new Date('2026-06-01T04:00:00Z');

describe('status actions', () => {
  it.each([
    ['available', 'start_process', 'in_process'],
    ['in_process', 'return_to_pool', 'available'],
    ['in_process', 'place', 'placed'],
    ['available', 'place', 'placed'],
    ['placed', 'end_placement', 'available'],
    ['inactive', 'reactivate', 'available'],
  ] as const)('when a %s profile gets %s, then it becomes %s', (from, action, to) => {
    expect(nextStatus(from, action)).toEqual({ ok: true, to });
  });

  it('when an action does not apply, then it is refused with the actions that do', () => {
    expect(nextStatus('placed', 'start_process')).toEqual({
      ok: false,
      code: 'illegal_transition',
      allowed: ['end_placement', 'deactivate'],
    });
    expect(nextStatus('inactive', 'deactivate', 'other')).toMatchObject({
      ok: false,
      code: 'illegal_transition',
    });
  });

  it('when deactivating, then a reason is required', () => {
    expect(nextStatus('available', 'deactivate')).toEqual({ ok: false, code: 'reason_required' });
    expect(nextStatus('available', 'deactivate', 'moved_away')).toEqual({ ok: true, to: 'inactive' });
  });

  it('when any status is reached, then some action leads out of it (no dead end)', () => {
    for (const s of ['available', 'in_process', 'placed', 'inactive'] as const)
      expect(actionsFrom(s).length).toBeGreaterThan(0);
    expect(STATUS_ACTION_NAMES).toHaveLength(6);
  });
});

describe('matching eligibility', () => {
  const base = {
    status: 'available' as const,
    sex: 'female' as const,
    birthDate: '1990-03-01',
    consent: { processing: true },
  };

  it('when available, consented and of working age, then eligible with no reasons', () => {
    expect(matchingEligibility(base, { on: NOW })).toEqual({ eligible: true, age: 36, reasons: [] });
  });

  it('when several things exclude a profile, then every reason is listed in zh and en', () => {
    const e = matchingEligibility(
      { ...base, status: 'inactive', consent: { processing: false }, birthDate: '1960-01-01' },
      { on: NOW },
    );
    expect(e.eligible).toBe(false);
    expect(e.reasons.map((r) => r.code)).toEqual([
      'status_not_available',
      'no_processing_consent',
      'working_age_too_old',
    ]);
    for (const r of e.reasons) expect(r.message.zh && r.message.en).toBeTruthy();
  });

  it('when the birth-date range for the query is compared with the age rule day by day, then they agree', () => {
    expect.hasAssertions();
    const random = seededRandom('working-age');
    for (let i = 0; i < 3000; i++) {
      const on = new Date(Date.UTC(2020 + random(8), random(12), 1 + random(28), random(24)));
      const sex = random(2) ? 'male' : 'female';
      const age = 10 + random(60);
      const birth = new Date(on.getTime() - age * 365.25 * 86_400_000 + (random(40) - 20) * 86_400_000);
      const birthDate = birth.toISOString().slice(0, 10);
      const range = workingAgeBirthDates(sex, { on });
      const inRange = birthDate > range.after && birthDate <= range.onOrBefore;
      expect(inRange, `${birthDate} on ${on.toISOString()} (${sex}, ${ageOn(birthDate, on)})`).toBe(
        checkWorkingAge({ birthDate, sex }, { on }).ok,
      );
    }
  });

  it('when the bounds are configured, then the range follows them', () => {
    const bounds = { ...DEFAULT_WORKING_AGE, maxAgeFemale: 59 };
    expect(workingAgeBirthDates('female', { on: NOW, bounds })).toEqual({
      after: '1966-06-01',
      onOrBefore: '2010-06-01',
    });
  });
});

describe('reference rules', () => {
  const issues = (input: Parameters<typeof checkProfileReferences>[0], ctx = GANZI) =>
    checkProfileReferences(input, ctx).map((i) => `${i.path}:${i.code}`);

  it('when every code is known and the origin lies in the jurisdiction, then there is nothing to report', () => {
    const body = createProfileSchema.parse(
      profileBody('513301', {}, makeIdentity({ addressCode: '513301' })),
    );
    expect(issues(body)).toEqual([]);
  });

  it('when origins are outside 四川, a province, unknown, or in another federation, then each is named', () => {
    expect(issues({ originCode: '440600' })).toEqual(['body.originCode:region_not_allowed']);
    expect(issues({ originCode: '510000' })).toEqual(['body.originCode:region_not_allowed']);
    expect(issues({ originCode: '513399' })).toEqual(['body.originCode:unknown_region']);
    expect(issues({ originCode: '513431' })).toEqual(['body.originCode:outside_jurisdiction']);
    expect(issues({ originCode: '513431' }, { ref, jurisdictionCode: '513400' })).toEqual([]);
    expect(issues({ originCode: '513400' }, { ref, jurisdictionCode: '513431' })).toEqual([
      'body.originCode:outside_jurisdiction',
    ]);
  });

  it('when codes are unknown, then each is named by its position', () => {
    expect(
      issues({
        functionalLimitations: ['standing', 'x'],
        skills: [{ code: 'sewing', level: '4' }],
        experience: [{ skill: 'nope', occupationGroup: '6' }],
        preferences: { destinationCodes: ['440600', '330000', '513400', '440699'], jobTypes: ['9'] },
      }),
    ).toEqual([
      'body.functionalLimitations.1:unknown_code',
      'body.skills.0.level:unknown_code',
      'body.experience.0.skill:unknown_code',
      'body.preferences.jobTypes.0:unknown_code',
      'body.preferences.destinationCodes.2:region_not_allowed',
      'body.preferences.destinationCodes.3:unknown_region',
    ]);
  });
});

describe('schemas: precise issue codes', () => {
  const codes = (
    body: unknown,
    schema: typeof createProfileSchema | typeof updateProfileSchema = createProfileSchema,
  ) => {
    const r = schema.safeParse(body);
    return r.success ? [] : issuesFromZod(r.error).map((i) => `${i.path}:${i.code}`);
  };

  it('when identity rules fail, then the issue carries their code, not zod’s generic custom', () => {
    const who = makeIdentity({ addressCode: '513301', disabilityCategory: '2', disabilityLevel: '3' });
    const body = profileBody('513301', { disabilityCategory: '4', phone: '1234' }, who);
    expect(codes(body)).toEqual(['phone:phone_length', 'disabilityCategory:certificate_category_mismatch']);
  });

  it('when an update is empty or sets a derived or unknown field, then it is refused', () => {
    expect(codes({}, updateProfileSchema)).toEqual([':empty_update']);
    expect(codes({ status: 'placed' }, updateProfileSchema)).toContain(':unrecognized_keys');
  });
});

function profile(over: Partial<WorkerProfile> = {}): WorkerProfile {
  const who = makeIdentity({ addressCode: '513301', sex: 'male', birthDate: '1990-05-06' });
  return {
    id: '665f1c2e9b1d8a0012345678',
    version: 3,
    status: 'available',
    statusReason: null,
    statusChangedAt: NOW,
    identity: {
      name: '欧阳娜娜',
      idNumber: who.idNumber,
      certificateNumber: who.certificateNumber,
      phone: '13812345678',
    },
    sex: 'male',
    birthDate: '1990-05-06',
    originCode: '513301',
    regionPath: ['510000', '513300', '513301'],
    registeringFederationId: 'f'.repeat(24),
    registeredBy: 'u'.repeat(24),
    disabilityCategory: '4',
    disabilityLevel: '2',
    functionalLimitations: ['standing'],
    assistiveDevices: ['crutches'],
    accommodationsNeeded: ['seated_workstation'],
    skills: [{ code: 'sewing', level: '2' }],
    education: 'junior',
    languages: ['cmn', 'tibetan'],
    experience: [{ skill: 'sewing', months: 24, employerName: '某某服装厂', description: '在某地做过两年' }],
    preferences: {
      destinationCodes: ['440600'],
      minimumWage: 3500,
      jobTypes: ['6'],
      needsDormitory: true,
      needsAccessibleDormitory: false,
      willingToTravelWithGroup: true,
    },
    guardian: { relation: 'guardian', name: '王大明', phone: '13912345678' },
    training: [
      {
        id: 't'.repeat(24),
        programmeCode: 'tp_sewing',
        providerName: '康定市职校',
        providerOrganizationId: null,
        startDate: '2024-01-02',
        endDate: '2024-02-02',
        hours: 80,
        certificateNumber: 'KD-2024-0077',
        certificateLevel: 'level5',
        addedByOrganizationId: 'f'.repeat(24),
        addedByUserId: 'u'.repeat(24),
        underPartnership: false,
        source: 'api',
        addedAt: NOW,
      },
    ],
    consent: { processing: true, since: NOW },
    source: null,
    createdAt: NOW,
    updatedAt: NOW,
    ...over,
  };
}

describe('views', () => {
  it('when staff see a profile, then identity, contact and guardian are masked', () => {
    const p = profile();
    const v = presentProfile(p, 'staff', { on: NOW });
    expect(v).toMatchObject({
      masked: true,
      name: '欧阳**',
      idNumber: `${p.identity.idNumber.slice(0, 4)}**********${p.identity.idNumber.slice(-4)}`,
      phone: '138****5678',
      birthDate: '1990-05-06',
      age: 36,
      guardian: { relation: 'guardian', name: '王**', phone: '139****5678' },
    });
    expect(v.training[0]!.certificateNumber).toBe('KD*******077');
    expect(JSON.stringify(v)).not.toContain(p.identity.idNumber);
    expect(JSON.stringify(v)).not.toContain('13812345678');
  });

  it('when a reviewer sees a profile, then there is no phone, guardian or birth date', () => {
    const v = presentProfile(profile(), 'reviewer', { on: NOW });
    expect(v).toMatchObject({ phone: null, guardian: null, birthDate: null, age: 36 });
  });

  it('when the employer view is built, then nothing identifies the person and no category or level is shown', () => {
    const p = profile();
    const v = anonymisedProfile(p, 'm-1', { on: NOW });
    const text = JSON.stringify(v);
    for (const value of [
      p.id,
      '欧阳娜娜',
      p.identity.idNumber,
      '13812345678',
      '王大明',
      '1990-05-06',
      '某某服装厂',
      'KD-2024-0077',
      '513301',
    ])
      expect(text).not.toContain(value);
    expect(v).not.toHaveProperty('disabilityCategory');
    expect(v).toMatchObject({
      ref: 'm-1',
      age: 36,
      originPrefectureCode: '513300',
      accommodationsNeeded: ['seated_workstation'],
    });
  });

  it('when a reveal names fields, then exactly those come back', () => {
    const p = profile();
    expect(revealIdentity(p, ['name', 'guardian.phone'])).toEqual({
      id: p.id,
      name: '欧阳娜娜',
      guardian: { phone: '13912345678' },
    });
    expect(revealIdentity(profile({ guardian: null }), ['guardian.name'])).toEqual({
      id: p.id,
      guardian: null,
    });
  });
});
