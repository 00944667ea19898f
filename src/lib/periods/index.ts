// The period engine: when a publicity or decision period ends under the Civil Code's rules on
// periods (arts. 200–204) and the working-day calendar in ../calendar.
export { computePeriod } from './compute.js';
export type { PeriodInput, PeriodResult, PeriodExplanation, ExplainedDay } from './compute.js';
export { BUILT_IN_RULES, PERIOD_UNITS, PERIOD_MIN_LENGTH, PERIOD_MAX_LENGTH, isBuiltInRuleCode } from './rules.js';
export type { PeriodUnit, PeriodRule, NamedPeriodRule, BuiltInRuleCode } from './rules.js';
