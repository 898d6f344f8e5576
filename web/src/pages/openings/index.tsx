import type { PageDef } from '../../pages.js';
import { OpeningCreatePage, OpeningEditPage } from './form.js';
import { OpeningsPage } from './list.js';
import { OpeningSearchPage } from './search.js';

/**
 * Openings: employers manage their own (admins any employer's); staff and reviewers search the
 * published ones in their scope. Proposals to employers and hires join this section later.
 */
export const openingPages: PageDef[] = [
  {
    path: '/openings',
    roles: ['employer', 'admin'],
    title: 'openings.title',
    nav: { label: 'nav.openings', section: 'openings' },
    render: () => <OpeningsPage />,
  },
  {
    path: '/openings/new',
    roles: ['employer'],
    title: 'openings.create',
    render: () => <OpeningCreatePage />,
  },
  {
    path: '/openings/search',
    roles: ['federation_staff', 'reviewer', 'admin'],
    title: 'openingSearch.title',
    nav: { label: 'nav.openingSearch', section: 'openings' },
    render: () => <OpeningSearchPage />,
  },
  {
    path: '/openings/:id/edit',
    roles: ['employer', 'admin'],
    title: 'opening.edit',
    render: (p) => <OpeningEditPage key={p.id} id={p.id!} />,
  },
];
