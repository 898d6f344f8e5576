import type { PageDef } from '../../pages.js';
import { FollowUpsPage } from './list.js';

/** Federation staff: follow-up visits of placed people, due and overdue. */
export const followUpPages: PageDef[] = [
  {
    path: '/follow-ups',
    roles: ['federation_staff', 'admin'],
    title: 'followUps.title',
    nav: { label: 'nav.followUps', section: 'placements' },
    render: () => <FollowUpsPage />,
  },
];
