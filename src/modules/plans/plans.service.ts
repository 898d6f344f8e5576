/**
 * Campaign placement plans (issue 10): what other modules use. So far the pure planning core —
 * candidate selection and `planCampaign`; the routes, the BullMQ job that loads people and
 * openings, scores them and stores the plan, and acceptance into matches come with the matching
 * and review modules.
 */
export {
  CandidateCollector,
  type CandidateSelection,
  candidatesFromScorer,
  selectCandidates,
  selectCandidatesAsync,
} from './candidates.js';
export type { CandidatePair, Market, PlanOpening, PlanPerson } from './market.js';
export {
  type AssignmentExplanation,
  type OpeningPlan,
  type PlacedPerson,
  type PlanFigures,
  type PlanOptions,
  type PlanResult,
  planCampaign,
  type SolverName,
  type SolverReport,
  type TopOpeningNote,
  type TopOpeningReason,
  type UnassignedPerson,
  type UnassignedReason,
} from './plan.js';
