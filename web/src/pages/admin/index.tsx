import type { PageDef } from '../../pages.js';
import { AuditPage } from './audit.js';
import { OrganizationCreatePage, OrganizationEditPage, OrganizationsPage } from './organizations.js';
import { PartnershipEditPage, PartnershipsPage } from './partnerships.js';
import { QueueDashboardPage } from './queues.js';
import { UserCreatePage, UsersPage } from './users.js';
import { VocabulariesPage } from './vocabularies.js';

const admin = ['admin'] as const;

/** Administration: each page calls only admin endpoints (or public reference data). */
export const adminPages: PageDef[] = [
  {
    path: '/admin/organizations',
    roles: admin,
    title: 'org.title',
    nav: { label: 'nav.organizations', section: 'admin' },
    render: () => <OrganizationsPage />,
  },
  {
    path: '/admin/organizations/new',
    roles: admin,
    title: 'org.create',
    render: () => <OrganizationCreatePage />,
  },
  {
    path: '/admin/organizations/:id',
    roles: admin,
    title: 'org.edit',
    render: (p) => <OrganizationEditPage key={p.id} id={p.id!} />,
  },
  {
    path: '/admin/users',
    roles: admin,
    title: 'user.title',
    nav: { label: 'nav.users', section: 'admin' },
    render: () => <UsersPage />,
  },
  { path: '/admin/users/new', roles: admin, title: 'user.create', render: () => <UserCreatePage /> },
  {
    path: '/admin/partnerships',
    roles: admin,
    title: 'partnership.title',
    nav: { label: 'nav.partnerships', section: 'admin' },
    render: () => <PartnershipsPage />,
  },
  {
    path: '/admin/partnerships/:id',
    roles: admin,
    title: 'partnership.edit',
    render: (p) => <PartnershipEditPage key={p.id} id={p.id!} />,
  },
  {
    path: '/admin/vocabularies',
    roles: admin,
    title: 'vocab.title',
    nav: { label: 'nav.vocabularies', section: 'admin' },
    render: () => <VocabulariesPage />,
  },
  {
    path: '/admin/audit',
    roles: admin,
    title: 'audit.title',
    nav: { label: 'nav.audit', section: 'admin' },
    render: () => <AuditPage />,
  },
  {
    path: '/admin/queue-dashboard',
    roles: admin,
    title: 'queues.title',
    nav: { label: 'nav.queues', section: 'admin' },
    render: () => <QueueDashboardPage />,
  },
];
