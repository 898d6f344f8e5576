import type { Actor } from '../../lib/auth/actor.js';
import { audit } from '../audit/audit.service.js';
import { findPreferences, type PreferenceRecord, savePreference } from './preferences.repository.js';

/** A user's own notification preferences. */

export function presentPreferences(p: PreferenceRecord) {
  return {
    email: p.email,
    language: p.language,
    digest: p.digest,
    events: p.events,
    updatedAt: p.updatedAt?.toISOString() ?? null,
  };
}

export async function getMyPreferences(actor: Actor) {
  return presentPreferences((await findPreferences([actor.userId])).get(actor.userId)!);
}

export async function updateMyPreferences(
  actor: Actor,
  input: Partial<Pick<PreferenceRecord, 'email' | 'language' | 'digest' | 'events'>>,
) {
  const saved = await savePreference(actor.userId, input);
  await audit.record({
    action: 'notification_preferences.update',
    resource: { type: 'user', id: actor.userId },
    fields: Object.keys(input),
  });
  return presentPreferences(saved);
}
