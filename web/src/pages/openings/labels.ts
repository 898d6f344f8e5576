import type { Schemas } from '../../api/client.js';

export type Opening = Schemas['Opening'];
export type OpeningStatus = Opening['status'];
export const OPENING_STATUSES: OpeningStatus[] = ['draft', 'open', 'paused', 'filled', 'closed'];
export const OPENING_SYMBOL: Record<OpeningStatus, string> = {
  draft: '✎',
  open: '●',
  paused: '❚❚',
  filled: '✓',
  closed: '–',
};
