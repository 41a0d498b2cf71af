// Completeness (every HCP has what the contract promises it) and aggregates (engagement_scores must agree with
// the stimuli and outcomes it summarises, so an edit to either side shows up).
import type { Check } from './types.js';
import { rule, windowBounds } from './sql.js';
import { zeroIn } from './passes.js';

export const COMPLETENESS_CHECKS: readonly Check[] = [
  rule(
    'completeness.territory_assignments',
    'completeness',
    'HCPs without exactly one primary rep',
    'every HCP has exactly one territory assignment with the primary role (samples are hcp_ids).',
    ({ plan }) => [
      `SELECT h.id AS sample FROM hcp_profiles h
         LEFT JOIN (SELECT hcp_id, count(*) AS n FROM territory_assignments WHERE role = $1 GROUP BY hcp_id) t
           ON t.hcp_id = h.id
        WHERE coalesce(t.n, 0) <> 1`,
      [plan.territories.primaryRole],
    ],
    { clean: zeroIn('hcps', 'without_primary') },
  ),
  rule(
    'completeness.rx_history',
    'completeness',
    'HCPs with missing or extra Rx rows',
    'every HCP has one rx_history row per window month and product, and no others (samples are hcp_ids).',
    ({ plan }) => [
      `SELECT h.id AS sample FROM hcp_profiles h
         LEFT JOIN (SELECT hcp_id, count(*) AS total,
                           count(*) FILTER (WHERE month = ANY($1::date[]) AND product = ANY($2::text[])) AS grid
                      FROM rx_history GROUP BY hcp_id) r
           ON r.hcp_id = h.id
        WHERE coalesce(r.grid, 0) <> $3 OR coalesce(r.total, 0) <> $3`,
      [
        plan.window.months.map((m) => m.start),
        plan.products.map((p) => p.id),
        plan.window.months.length * plan.products.length,
      ],
    ],
    { clean: zeroIn('hcps', 'incomplete_rx') },
  ),
  rule(
    'completeness.engagement_scores',
    'completeness',
    'HCPs without a score',
    'every HCP has an engagement_scores row (samples are hcp_ids).',
    `SELECT h.id AS sample FROM hcp_profiles h
      WHERE NOT EXISTS (SELECT 1 FROM engagement_scores e WHERE e.hcp_id = h.id)`,
    { clean: zeroIn('hcps', 'without_score') },
  ),
];

export const AGGREGATE_CHECKS: readonly Check[] = [
  rule(
    'agg.engagement_scores.stimuli_count',
    'aggregates',
    'mismatches',
    "engagement_scores.stimuli_count must equal the HCP's rows in stimuli (samples are hcp_ids).",
    `SELECT e.hcp_id AS sample FROM engagement_scores e
       LEFT JOIN (SELECT hcp_id, count(*) AS n FROM stimuli GROUP BY hcp_id) s ON s.hcp_id = e.hcp_id
      WHERE e.stimuli_count IS DISTINCT FROM coalesce(s.n, 0)`,
    { clean: zeroIn('engagement', 'wrong_stimuli_count') },
  ),
  rule(
    'agg.engagement_scores.response_count',
    'aggregates',
    'mismatches',
    "engagement_scores.response_count must equal the HCP's rows in outcomes (samples are hcp_ids).",
    `SELECT e.hcp_id AS sample FROM engagement_scores e
       LEFT JOIN (SELECT hcp_id, count(*) AS n FROM outcomes GROUP BY hcp_id) o ON o.hcp_id = e.hcp_id
      WHERE e.response_count IS DISTINCT FROM coalesce(o.n, 0)`,
    { clean: zeroIn('engagement', 'wrong_response_count') },
  ),
  rule(
    'agg.engagement_scores.last_stimulus_at',
    'aggregates',
    'mismatches',
    "engagement_scores.last_stimulus_at must be the HCP's latest stimulus (NULL if none; samples are hcp_ids).",
    `SELECT e.hcp_id AS sample FROM engagement_scores e
       LEFT JOIN (SELECT hcp_id, max(occurred_at) AS last FROM stimuli GROUP BY hcp_id) s ON s.hcp_id = e.hcp_id
      WHERE e.last_stimulus_at IS DISTINCT FROM s.last`,
    { clean: zeroIn('engagement', 'wrong_last_stimulus_at') },
  ),
  rule(
    'agg.engagement_scores.derived',
    'aggregates',
    'inconsistent rows',
    'response_rate = response_count / stimuli_count, recency_days = whole days from last_stimulus_at to the ' +
      'window end, frequency_90d = stimuli in the last 90 days (samples are hcp_ids).',
    (ctx) => [
      `SELECT e.hcp_id AS sample FROM engagement_scores e
         LEFT JOIN (SELECT hcp_id, count(*) AS n FROM stimuli
                     WHERE occurred_at >= $1::timestamp - interval '90 days' GROUP BY hcp_id) s
           ON s.hcp_id = e.hcp_id
        WHERE NOT coalesce(abs(e.response_rate - CASE WHEN e.stimuli_count > 0
                                                 THEN e.response_count::float8 / e.stimuli_count ELSE 0 END) < 0.0001,
                           false)
           OR e.recency_days IS DISTINCT FROM
              floor(extract(epoch FROM ($1::timestamp - e.last_stimulus_at)) / 86400)::int
           OR e.frequency_90d IS DISTINCT FROM coalesce(s.n, 0)`,
      [windowBounds(ctx)[1]],
    ],
    { clean: zeroIn('engagement', 'wrong_derived') },
  ),
  rule(
    'agg.engagement_scores.segment',
    'aggregates',
    'HCPs in the wrong segment',
    "engagement_segment must be the scenario's segment for the score (samples are hcp_ids).",
    ({ plan }) => {
      // Thresholds compared as real, like the stored score, so rounding cannot move a score across a boundary.
      const segments = plan.engagement.segments;
      const params: unknown[] = [];
      const whens = segments.slice(0, -1).map((s) => {
        params.push(s.minScore, s.name);
        return `WHEN score >= $${params.length - 1}::real THEN $${params.length}::text`;
      });
      params.push(segments[segments.length - 1]?.name ?? null);
      return [
        `SELECT hcp_id AS sample FROM engagement_scores
          WHERE engagement_segment IS DISTINCT FROM (CASE ${whens.join(' ')} ELSE $${params.length}::text END)`,
        params,
      ];
    },
    { clean: zeroIn('engagement', 'wrong_segment') },
  ),
];
