import type { DisabilityCategory, DisabilityLevel, Sex } from './identity.js';
import type { ProfileStatus } from './status.js';
import type { CERTIFICATE_LEVELS, Preferences } from './worker-profiles.schemas.js';

/**
 * A worker profile as services see it: identity decrypted, in memory only. It never reaches a
 * response or a log as such — `present.ts` builds every outward view.
 */
export interface WorkerProfile {
  id: string;
  version: number;
  status: ProfileStatus;
  statusReason: string | null;
  statusChangedAt: Date;
  identity: Identity;
  sex: Sex;
  /** `YYYY-MM-DD`, derived from the ID number. */
  birthDate: string;
  originCode: string;
  regionPath: string[];
  registeringFederationId: string;
  registeredBy: string;
  disabilityCategory: DisabilityCategory;
  disabilityLevel: DisabilityLevel;
  functionalLimitations: string[];
  assistiveDevices: string[];
  accommodationsNeeded: string[];
  skills: Skill[];
  education: string | null;
  languages: string[];
  experience: Experience[];
  preferences: Preferences;
  guardian: Guardian | null;
  training: TrainingRecord[];
  consent: { processing: boolean; since: Date | null };
  source: { importId: string; row: number } | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface Identity {
  name: string;
  idNumber: string;
  certificateNumber: string;
  phone: string | null;
}

export interface Skill {
  code: string;
  level: string;
}

export interface Experience {
  occupationGroup?: string;
  skill?: string;
  months: number;
  endedYear?: number;
  employerName?: string;
  description?: string;
}

export interface Guardian {
  relation: 'guardian' | 'supporter' | 'family';
  name: string;
  phone: string | null;
}

export interface TrainingRecord {
  id: string;
  programmeCode: string;
  providerName: string | null;
  providerOrganizationId: string | null;
  startDate: string | null;
  endDate: string | null;
  hours: number | null;
  certificateNumber: string | null;
  certificateLevel: (typeof CERTIFICATE_LEVELS)[number] | null;
  addedByOrganizationId: string;
  addedByUserId: string;
  /** Delivered by a supporting federation of the person's partnership. */
  underPartnership: boolean;
  source: 'api' | 'import';
  addedAt: Date;
}

/** The fields a create, an update or an import row writes (identity in clear, encrypted on the way in). */
export type ProfileContent = Omit<
  WorkerProfile,
  | 'id'
  | 'version'
  | 'status'
  | 'statusReason'
  | 'statusChangedAt'
  | 'regionPath'
  | 'registeringFederationId'
  | 'registeredBy'
  | 'training'
  | 'consent'
  | 'source'
  | 'createdAt'
  | 'updatedAt'
>;
