import type { ReactNode } from 'react';
import type { Role } from './api/client.js';
import type { MessageKey } from './i18n.js';
import { adminPages } from './pages/admin/index.js';
import { followUpPages } from './pages/follow-ups/index.js';
import { HomePage } from './pages/home.js';
import { openingPages } from './pages/openings/index.js';
import { profilePages } from './pages/profiles/index.js';
import { proposalPages } from './pages/proposals/index.js';
import { reportPages } from './pages/reports/index.js';
import { reviewPages } from './pages/review/index.js';
import { transferBatchPages } from './pages/transfer-batches/index.js';
import { ALL_ROLES } from './roles.js';

/**
 * Every page of the console. The navigation, the start page and the router read this one table,
 * and a page is listed only for the roles it names (the API checks again: this only spares people
 * links they could not use). Add a domain's pages by exporting a `PageDef[]` from
 * `pages/<domain>/index.ts` and spreading it here; list only pages that work end to end.
 */
/**
 * Navigation sections, in menu order, each under its heading; a section with no page for the
 * reader's roles is left out. A new area (the review queue, placements, …) adds its section here
 * with a `nav.section.*` message and lists its pages — nothing is shown before it works.
 */
export const NAV_SECTIONS = ['people', 'review', 'openings', 'placements', 'reports', 'admin'] as const;
export type NavSection = (typeof NAV_SECTIONS)[number];

export interface PageDef {
  /** Path pattern; `:name` segments become params. */
  path: string;
  roles: readonly Role[];
  title: MessageKey;
  /** Shown in the navigation and on the start page (detail pages have none). */
  nav?: { label: MessageKey; section: NavSection };
  render(params: Record<string, string>): ReactNode;
}

export const PAGES: PageDef[] = [
  { path: '/', roles: ALL_ROLES, title: 'nav.home', render: () => <HomePage /> },
  ...profilePages,
  ...reviewPages,
  ...openingPages,
  ...proposalPages,
  ...followUpPages,
  ...transferBatchPages,
  ...reportPages,
  ...adminPages,
];

export function pagesFor(roles: readonly Role[]): PageDef[] {
  return PAGES.filter((p) => p.roles.some((r) => roles.includes(r)));
}
