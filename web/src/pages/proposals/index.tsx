import type { PageDef } from '../../pages.js';
import { ProposalsPage } from './list.js';

/** Employers: the candidates proposed to them, with the interested / decline / interview / hire forms. */
export const proposalPages: PageDef[] = [
  {
    path: '/proposals',
    roles: ['employer'],
    title: 'proposals.title',
    nav: { label: 'nav.proposals', section: 'openings' },
    render: () => <ProposalsPage />,
  },
];
