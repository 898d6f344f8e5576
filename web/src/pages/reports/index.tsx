import type { PageDef } from '../../pages.js';
import { FairnessReportPage } from './fairness.js';
import { PLACEMENT_REPORTS_PATH, PlacementReportsPage } from './placements.js';
import { ReportsPage } from './profiles.js';

/** Reports, each counted by the API within the reader's scope (federations, reviewers, admins). */
export const reportPages: PageDef[] = [
  {
    path: '/reports',
    roles: ['federation_staff', 'reviewer', 'admin'],
    title: 'reports.title',
    nav: { label: 'nav.reports', section: 'reports' },
    render: () => <ReportsPage />,
  },
  {
    path: PLACEMENT_REPORTS_PATH,
    roles: ['federation_staff', 'reviewer', 'admin'],
    title: 'placementReports.title',
    nav: { label: 'nav.placementReports', section: 'reports' },
    render: () => <PlacementReportsPage />,
  },
  {
    path: '/reports/fairness',
    roles: ['federation_staff', 'reviewer', 'admin'],
    title: 'fairness.title',
    nav: { label: 'nav.reportsFairness', section: 'reports' },
    render: () => <FairnessReportPage />,
  },
];
