// Every check of a run, in report order: first what the data claims to be (run metadata, volumes), then keys
// and references, completeness, row rules, aggregates, time, then the scenario's distribution checks, and last the checks derived from its model.
import type { Plan } from '../plan/types.js';
import type { Check } from './types.js';
import { RUN_DATA_CHECKS, RUN_RECORD_CHECKS, VOLUME_CHECKS } from './checks-run.js';
import { KEY_CHECKS, REFERENTIAL_CHECKS } from './checks-integrity.js';
import { AGGREGATE_CHECKS, COMPLETENESS_CHECKS } from './checks-completeness.js';
import { STRUCTURE_CHECKS } from './checks-structure.js';
import { TIME_CHECKS } from './checks-time.js';
import { distributionChecks } from './checks-distribution.js';
import { promotionChecks } from './checks-promotion.js';
import { marketChecks } from './checks-market.js';
import { modelChecks } from './checks-model.js';

export type { Check, CheckResult, CheckContext, Queryable } from './types.js';

/**
 * The checks for `plan`. `withRunRecord`: include the checks that compare against the hcpgen_runs row (left out
 * while validating inside the generation transaction, before the run is recorded).
 */
export function buildChecks(plan: Plan, withRunRecord: boolean): Check[] {
  return [
    ...(withRunRecord ? RUN_RECORD_CHECKS : []),
    ...RUN_DATA_CHECKS,
    ...VOLUME_CHECKS,
    ...KEY_CHECKS,
    ...REFERENTIAL_CHECKS,
    ...COMPLETENESS_CHECKS,
    ...STRUCTURE_CHECKS,
    ...AGGREGATE_CHECKS,
    ...TIME_CHECKS,
    ...marketChecks(plan),
    ...promotionChecks(plan),
    ...distributionChecks(plan),
    ...modelChecks(plan),
  ];
}
