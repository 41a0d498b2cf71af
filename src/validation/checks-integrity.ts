// Keys and references, checked by query: constraints may be missing (a restore without them, a migration that
// dropped them) or bypassed (session_replication_role = replica), so their presence proves nothing — except
// inside the generation transaction that has just added them (CheckContext.enforced). Elsewhere the shared
// passes prove most of them without a scan of their own; the exact query runs only when that proof fails.
import type { Check } from './types.js';
import { rule, type RuleProofs } from './sql.js';
import { allOf, outcomeIdsUnique, outcomesJoined, stimulusIdsUnique, zeroIn } from './passes.js';

/** One row per key value that is NULL or appears more than once. */
function keyCheck(table: string, columns: readonly string[], clean?: RuleProofs['clean']): Check {
  const sample = columns.length === 1 ? columns[0]! : `concat_ws('/', ${columns.join(', ')})`;
  const anyNull = columns.map((c) => `${c} IS NULL`).join(' OR ');
  return rule(
    `key.${table}`,
    'keys',
    'duplicate or NULL keys',
    `${table} must have exactly one row per (${columns.join(', ')}); samples are the repeated key values.`,
    `SELECT ${sample} AS sample FROM ${table} GROUP BY ${columns.join(', ')} HAVING count(*) > 1 OR ${anyNull}`,
    { enforcedBy: { table, constraint: `${table}_pkey` }, ...(clean ? { clean } : {}) },
  );
}

/** Rows of `table` whose `column` names no row of `parent` (NULL counts as an orphan unless `nullable`). */
function refCheck(
  table: string,
  column: string,
  parent: string,
  clean: RuleProofs['clean'],
  sample = 'c.id',
  nullable = false,
): Check {
  const skipNull = nullable ? `c.${column} IS NOT NULL AND ` : '';
  return rule(
    `ref.${table}.${column}`,
    'referential',
    'orphans',
    `these ${table} rows reference a ${parent} row that does not exist.`,
    `SELECT ${sample} AS sample FROM ${table} c
      WHERE ${skipNull}NOT EXISTS (SELECT 1 FROM ${parent} p WHERE p.id = c.${column})`,
    {
      enforcedBy: { table, constraint: `${table}_${column}_fkey`, notNull: nullable ? [] : [column] },
      ...(clean ? { clean } : {}),
    },
  );
}

export const KEY_CHECKS: readonly Check[] = [
  keyCheck('hcp_profiles', ['id'], async (ctx) => {
    const h = await ctx.facts('hcps');
    return h !== null && h.hcp_ids === h.hcp_rows && h.hcp_distinct_ids === h.hcp_ids;
  }),
  keyCheck('territory_assignments', ['id']),
  keyCheck('campaigns', ['id']),
  keyCheck('stimuli', ['id'], stimulusIdsUnique),
  // An outcome's id is its stimulus's id, so this is also "at most one outcome per stimulus".
  keyCheck('outcomes', ['id'], outcomeIdsUnique),
  keyCheck('rx_history', ['hcp_id', 'month', 'product']),
  keyCheck('engagement_scores', ['hcp_id'], zeroIn('engagement', 'null_score_ids', 'repeated_score_ids')),
];

export const REFERENTIAL_CHECKS: readonly Check[] = [
  refCheck('territory_assignments', 'hcp_id', 'hcp_profiles', zeroIn('hcps', 'orphan_assignments')),
  refCheck('stimuli', 'hcp_id', 'hcp_profiles', zeroIn('stimuli', 'orphan_hcp')),
  refCheck('stimuli', 'campaign_id', 'campaigns', zeroIn('stimuli', 'orphan_campaign'), 'c.id', true),
  refCheck('outcomes', 'stimulus_id', 'stimuli', outcomesJoined),
  // An outcome's HCP is its stimulus's, whose HCP exists.
  refCheck(
    'outcomes',
    'hcp_id',
    'hcp_profiles',
    allOf(outcomesJoined, zeroIn('outcomes', 'mismatched'), zeroIn('stimuli', 'orphan_hcp')),
  ),
  refCheck(
    'rx_history',
    'hcp_id',
    'hcp_profiles',
    zeroIn('hcps', 'orphan_rx'),
    `concat_ws('/', c.hcp_id, c.month, c.product)`,
  ),
  refCheck('engagement_scores', 'hcp_id', 'hcp_profiles', zeroIn('hcps', 'orphan_scores'), 'c.hcp_id'),
  rule(
    'ref.outcomes.matches_stimulus',
    'referential',
    'mismatches',
    "an outcome's hcp_id and channel must be those of the stimulus it answers.",
    `SELECT o.id AS sample FROM outcomes o JOIN stimuli s ON s.id = o.stimulus_id
      WHERE o.hcp_id IS DISTINCT FROM s.hcp_id OR o.channel IS DISTINCT FROM s.channel`,
    { clean: zeroIn('outcomes', 'mismatched') },
  ),
];
