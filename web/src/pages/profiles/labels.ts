import type { Schemas } from '../../api/client.js';
import type { MessageKey } from '../../i18n.js';

export type ProfileStatus = Schemas['WorkerProfile']['status'];
export const PROFILE_STATUSES: ProfileStatus[] = ['available', 'in_process', 'placed', 'inactive'];

export const statusKey = (s: ProfileStatus): MessageKey => `profileStatus.${s}`;

/** A status shown as a word with a symbol, never by colour alone. */
export const STATUS_SYMBOL: Record<ProfileStatus, string> = {
  available: '○',
  in_process: '◐',
  placed: '●',
  inactive: '–',
};
