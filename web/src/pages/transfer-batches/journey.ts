import type { Schemas } from '../../api/client.js';

/** A transfer batch's journey as the forms edit it and as the API takes it (pure). */

export type Batch = Schemas['TransferBatch'];
export const TRANSPORTS = ['chartered_bus', 'train', 'flight', 'other'] as const;
export type Transport = (typeof TRANSPORTS)[number];
/** Escorts per batch, as the API allows. */
export const MAX_ESCORTS = 20;

/** The parts of a batch both the create and the edit form change. */
export interface JourneyDraft {
  destinationCode: string;
  travelDate: string;
  transport: Transport | '';
  leaderName: string;
  leaderPhone: string;
  escorts: { name: string; phone: string }[];
  note: string;
}

export const EMPTY_JOURNEY: JourneyDraft = {
  destinationCode: '',
  travelDate: '',
  transport: 'chartered_bus',
  leaderName: '',
  leaderPhone: '',
  escorts: [],
  note: '',
};

export function journeyOf(b: Batch): JourneyDraft {
  return {
    destinationCode: b.destinationCode,
    travelDate: b.travelDate,
    transport: b.transport,
    leaderName: b.groupLeader?.name ?? '',
    leaderPhone: b.groupLeader?.phone ?? '',
    escorts: b.escorts.map((e) => ({ name: e.name, phone: e.phone ?? '' })),
    note: b.note ?? '',
  };
}

const person = (name: string, phone: string) => ({
  name: name.trim(),
  ...(phone.trim() ? { phone: phone.trim() } : {}),
});

/**
 * The request fields of a journey. Empty text stays empty (not left out), so the API names the
 * field that is missing instead of the form guessing; rows without a name are dropped.
 */
export function journeyBody(d: JourneyDraft) {
  return {
    destinationCode: d.destinationCode,
    travelDate: d.travelDate,
    transport: (d.transport || undefined) as Transport,
    groupLeader: d.leaderName.trim() || d.leaderPhone.trim() ? person(d.leaderName, d.leaderPhone) : null,
    escorts: d.escorts.filter((e) => e.name.trim() || e.phone.trim()).map((e) => person(e.name, e.phone)),
    ...(d.note.trim() ? { note: d.note.trim() } : {}),
  };
}
