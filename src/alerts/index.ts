/** The alerts feature (issue 7): what the composition root and /alert import. */
export { createAlerts, SCHEDULE_NAME, type AlertsApi, type AlertsFeature } from './service.js';
export { parseAddWords, type AddWords, type ParseError } from './parse.js';
export { describeRule, describeOptions, describePoint, ruleActions } from './describe.js';
export type { AddOutcome, ChangeAction, ChangeOutcome, RuleView } from './api.js';
export type { AlertRecord, RuleSpec, Metric, Direction, Tenor } from './types.js';
