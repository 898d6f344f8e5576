import type { PageDef } from '../../pages.js';
import { ProfilesRoute } from './consents-missing.js';
import { ProfilePage } from './detail.js';
import { ImportPage } from './import.js';
import { RegisterProfilePage } from './register.js';

/**
 * The people: search (staff and reviewers, each in scope), registration and import (recipient
 * federation staff). Pages for matches and placements of a person join the profile page later.
 */
export const profilePages: PageDef[] = [
  {
    path: '/profiles',
    roles: ['federation_staff', 'reviewer', 'admin'],
    title: 'profiles.title',
    nav: { label: 'nav.profiles', section: 'people' },
    render: () => <ProfilesRoute />,
  },
  {
    path: '/profiles/new',
    roles: ['federation_staff'],
    title: 'profiles.register',
    nav: { label: 'nav.register', section: 'people' },
    render: () => <RegisterProfilePage />,
  },
  {
    path: '/profiles/import',
    roles: ['federation_staff'],
    title: 'import.title',
    nav: { label: 'nav.import', section: 'people' },
    render: () => <ImportPage />,
  },
  {
    path: '/profiles/:id',
    roles: ['federation_staff', 'reviewer', 'admin'],
    title: 'profile.title',
    render: (p) => <ProfilePage key={p.id} id={p.id!} />,
  },
];
