import type { PageDef } from '../../pages.js';
import { TransferBatchCreatePage } from './create.js';
import { TransferBatchPage } from './detail.js';
import { TransferBatchesPage } from './list.js';

/**
 * Transfer batches (组团输送): recipient federations organise who travels together to an employer;
 * the supporting federation of the destination city reads them.
 */
export const transferBatchPages: PageDef[] = [
  {
    path: '/transfer-batches',
    roles: ['federation_staff', 'admin'],
    title: 'batches.title',
    nav: { label: 'nav.transferBatches', section: 'placements' },
    render: () => <TransferBatchesPage />,
  },
  {
    path: '/transfer-batches/new',
    roles: ['federation_staff', 'admin'],
    title: 'batches.create',
    render: () => <TransferBatchCreatePage />,
  },
  {
    path: '/transfer-batches/:id',
    roles: ['federation_staff', 'admin'],
    title: 'batch.title',
    render: (p) => <TransferBatchPage key={p.id} id={p.id!} />,
  },
];
