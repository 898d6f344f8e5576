import { Types } from 'mongoose';
import type { Config } from '../../src/config.js';
import type { MatchProfile } from '../../src/modules/matching/engine.js';
import { ensureOrganization, type Organization } from '../../src/modules/orgs/orgs.repository.js';
import { insertConsents, type NewConsent } from '../../src/modules/worker-profiles/consents.repository.js';
import type { DisabilityCategory, DisabilityLevel } from '../../src/modules/worker-profiles/identity.js';
import type { ProfileContent } from '../../src/modules/worker-profiles/profile.js';
import {
  insertProfiles,
  newProfileDocument,
} from '../../src/modules/worker-profiles/worker-profiles.repository.js';
import { cryptoOf } from '../../src/modules/worker-profiles/worker-profiles.service.js';
import { makeIdentity } from '../../test/fixtures/identity.js';
import { generateMatchingData } from './generate/matching-data.js';

/**
 * Inserts `count` worker profiles for benchmarks: the demo generator (generate/matching-data.ts) gives the
 * people (origin, category and level, limitations, needs, skills, destinations, wage), a fictitious
 * but valid identity is made for each (test/fixtures/identity.ts) and encrypted as the profiles
 * module stores it, registered by one recipient federation per prefecture, with a consent record
 * for those who consented (matching checks the records, not only the profile's flag). Never for
 * real data.
 */
export async function insertDemoProfiles(
  config: Config,
  count: number,
  seed = 11,
  /** Reshapes a generated person before it is stored (e.g. one prefecture's campaign). */
  reshape: (p: MatchProfile, i: number) => MatchProfile = (p) => p,
): Promise<{ inserted: number; federations: Map<string, Organization> }> {
  const generated = generateMatchingData({ seed, profiles: count, openings: 0 });
  const disability = generated.disability;
  const profiles = generated.profiles.map(reshape);
  const consents: NewConsent[] = [];
  const crypto = cryptoOf({ config });
  const federations = new Map<string, Organization>();
  const now = new Date();
  let inserted = 0;
  for (let i = 0; i < profiles.length; i += 1_000) {
    const docs = [];
    for (const p of profiles.slice(i, i + 1_000)) {
      const prefecture = `${p.originCounty.slice(0, 4)}00`;
      let fed = federations.get(prefecture);
      if (!fed) {
        // The demo accounts may have registered this prefecture's federation already.
        ({ org: fed } = await ensureOrganization({
          type: 'recipient_federation',
          name: `残联 ${prefecture}（基准测试）`,
          jurisdictionCode: prefecture,
        }));
        federations.set(prefecture, fed);
      }
      const d = disability.get(p.id)!;
      const identity = makeIdentity({
        addressCode: p.originCounty,
        birthDate: p.birthDate,
        sex: p.sex,
        disabilityCategory: d.category as DisabilityCategory,
        disabilityLevel: String(d.level) as DisabilityLevel,
      });
      const content: ProfileContent = {
        identity: {
          name: identity.name,
          idNumber: identity.idNumber,
          certificateNumber: identity.certificateNumber,
          phone: identity.phone,
        },
        sex: p.sex,
        birthDate: p.birthDate,
        originCode: p.originCounty,
        disabilityCategory: identity.disabilityCategory,
        disabilityLevel: identity.disabilityLevel,
        functionalLimitations: [...p.limitations],
        assistiveDevices: [],
        accommodationsNeeded: [...p.accommodationsNeeded],
        skills: p.skills.map((s) => ({ code: s.code, level: String(s.level) })),
        education: null,
        languages: ['cmn'],
        experience: [],
        preferences: {
          destinationCodes: [...p.destinations],
          minimumWage: p.minWage,
          jobTypes: [],
          needsDormitory: p.needsDormitory,
          needsAccessibleDormitory: p.needsAccessibleDormitory,
          willingToTravelWithGroup: true,
        },
        guardian: null,
      };
      const _id = new Types.ObjectId();
      if (p.sensitiveDataConsent)
        consents.push({
          profileId: _id.toHexString(),
          purpose: 'sensitive_processing',
          employerId: null,
          openingId: null,
          dataCategories: [],
          textVersion: 'pi-2024.1',
          channel: 'paper_form',
          givenAt: now,
          givenBy: 'self',
          representative: null,
          assistedByStaff: true,
          recordedBy: 'bench',
          recordedByOrganizationId: fed.id,
          recordedAt: now,
        });
      docs.push(
        newProfileDocument(crypto, _id, content, {
          registeringFederationId: fed.id,
          registeredBy: 'bench',
          consent: { processing: p.sensitiveDataConsent, since: p.sensitiveDataConsent ? now : null },
          now,
        }),
      );
    }
    const { duplicates } = await insertProfiles(docs);
    inserted += docs.length - duplicates.size;
    await insertConsents(crypto, consents.splice(0));
  }
  return { inserted, federations };
}
