// Keys and references, checked by query: constraints may be missing (a restore without them, a migration that
// dropped them) or bypassed (session_replication_role = replica), so their presence proves nothing.
import type { Check } from './types.js';
import { rule } from './sql.js';

/** One row per key value that is NULL or appears more than once. */
function keyCheck(table: string, columns: readonly string[]): Check {
  const sample = columns.length === 1 ? columns[0]! : `concat_ws('/', ${columns.join(', ')})`;
  const anyNull = columns.map((c) => `${c} IS NULL`).join(' OR ');
  return rule(
    `key.${table}`,
    'keys',
    'duplicate or NULL keys',
    `${table} must have exactly one row per (${columns.join(', ')}); samples are the repeated key values.`,
    `SELECT ${sample} AS sample FROM ${table} GROUP BY ${columns.join(', ')} HAVING count(*) > 1 OR ${anyNull}`,
  );
}

/** Rows of `table` whose `column` names no row of `parent` (NULL counts as an orphan unless `nullable`). */
function refCheck(table: string, column: string, parent: string, sample = 'c.id', nullable = false): Check {
  const skipNull = nullable ? `c.${column} IS NOT NULL AND ` : '';
  return rule(
    `ref.${table}.${column}`,
    'referential',
    'orphans',
    `these ${table} rows reference a ${parent} row that does not exist.`,
    `SELECT ${sample} AS sample FROM ${table} c
      WHERE ${skipNull}NOT EXISTS (SELECT 1 FROM ${parent} p WHERE p.id = c.${column})`,
  );
}

export const KEY_CHECKS: readonly Check[] = [
  keyCheck('hcp_profiles', ['id']),
  keyCheck('territory_assignments', ['id']),
  keyCheck('campaigns', ['id']),
  keyCheck('stimuli', ['id']),
  // An outcome's id is its stimulus's id, so this is also "at most one outcome per stimulus".
  keyCheck('outcomes', ['id']),
  keyCheck('rx_history', ['hcp_id', 'month', 'product']),
  keyCheck('engagement_scores', ['hcp_id']),
];

export const REFERENTIAL_CHECKS: readonly Check[] = [
  refCheck('territory_assignments', 'hcp_id', 'hcp_profiles'),
  refCheck('stimuli', 'hcp_id', 'hcp_profiles'),
  refCheck('stimuli', 'campaign_id', 'campaigns', 'c.id', true),
  refCheck('outcomes', 'stimulus_id', 'stimuli'),
  refCheck('outcomes', 'hcp_id', 'hcp_profiles'),
  refCheck('rx_history', 'hcp_id', 'hcp_profiles', `concat_ws('/', c.hcp_id, c.month, c.product)`),
  refCheck('engagement_scores', 'hcp_id', 'hcp_profiles', 'c.hcp_id'),
  rule(
    'ref.outcomes.matches_stimulus',
    'referential',
    'mismatches',
    "an outcome's hcp_id and channel must be those of the stimulus it answers.",
    `SELECT o.id AS sample FROM outcomes o JOIN stimuli s ON s.id = o.stimulus_id
      WHERE o.hcp_id IS DISTINCT FROM s.hcp_id OR o.channel IS DISTINCT FROM s.channel`,
  ),
];
