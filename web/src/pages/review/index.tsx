import type { PageDef } from '../../pages.js';
import { ReviewQueuePage } from './queue.js';

/** Review: the reviewers' queue of suggestions (approve, reject, propose). */
export const reviewPages: PageDef[] = [
  {
    path: '/review',
    roles: ['reviewer', 'admin'],
    title: 'review.title',
    nav: { label: 'nav.reviewQueue', section: 'review' },
    render: () => <ReviewQueuePage />,
  },
];
