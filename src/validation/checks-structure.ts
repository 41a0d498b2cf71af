// Row-level rules of the data contract (docs/architecture.md): NPI format, check digit and uniqueness, derived
// ids, value ranges, and values that must come from the scenario's vocabulary (a hand edit that types "Tier1"
// or a channel the scenario never declared is damage).
import type { Check } from './types.js';
import { rule } from './sql.js';
import { allOf, stimulusIdsUnique, zeroIn } from './passes.js';
import { campaignTargets, hcpValuesBroken, npiBroken, Params } from './row-rules.js';
import { STIMULUS_ID_BASE } from '../steps/stimuli.js';
import { TERRITORY_ID_BASE } from '../steps/territory-assignments.js';

export const STRUCTURE_CHECKS: readonly Check[] = [
  rule(
    'structure.hcp_profiles.npi',
    'structure',
    'invalid NPIs',
    'an NPI is 10 digits starting with 1 or 2 whose last digit is the Luhn check digit over 80840 + the first nine.',
    `SELECT id AS sample FROM hcp_profiles WHERE ${npiBroken('npi')}`,
    { clean: zeroIn('hcps', 'invalid_npi') },
  ),
  rule(
    'structure.hcp_profiles.npi_unique',
    'structure',
    'repeated NPIs',
    'every HCP must have its own NPI; samples are the repeated NPIs.',
    `SELECT npi AS sample FROM hcp_profiles WHERE npi IS NOT NULL GROUP BY npi HAVING count(*) > 1`,
    { enforcedBy: { table: 'hcp_profiles', constraint: 'hcp_profiles_npi_key' } },
  ),
  rule(
    'structure.rx_history.trx_nrx',
    'structure',
    'rows breaking trx >= nrx >= 0',
    'TRx counts new and refill prescriptions, so trx >= nrx >= 0 (samples are hcp_id/month/product).',
    `SELECT concat_ws('/', hcp_id, month, product) AS sample FROM rx_history
      WHERE NOT coalesce(trx >= nrx AND nrx >= 0, false)`,
    { clean: zeroIn('hcps', 'trx_below_nrx') },
  ),
  rule(
    'structure.engagement_scores.score',
    'structure',
    'scores outside 0..100',
    'engagement scores are on a 0..100 scale and response rates on 0..1 (samples are hcp_ids).',
    `SELECT hcp_id AS sample FROM engagement_scores
      WHERE NOT coalesce(score BETWEEN 0 AND 100 AND response_rate BETWEEN 0 AND 1, false)`,
    { clean: zeroIn('engagement', 'score_out_of_range') },
  ),
  rule(
    'structure.stimuli.id',
    'structure',
    'ids breaking the rule',
    `stimulus ids are hcp_id * ${STIMULUS_ID_BASE} + j, j counting the HCP's stimuli from 1 in time order.`,
    // Ids are HCP-major, so id order is (hcp_id, j) order: one pass in primary-key order, no sort by HCP.
    `SELECT id AS sample FROM (
       SELECT id, hcp_id, occurred_at, lag(id) OVER w AS previous_id, lag(occurred_at) OVER w AS previous
         FROM stimuli WINDOW w AS (ORDER BY id)) s
      WHERE id / ${STIMULUS_ID_BASE} IS DISTINCT FROM hcp_id OR id % ${STIMULUS_ID_BASE} = 0
         OR (previous_id / ${STIMULUS_ID_BASE} = id / ${STIMULUS_ID_BASE} AND occurred_at < previous)`,
    // With unique ids that divide to their hcp_id, an HCP's group is its ids' group, and ordering it by
    // (occurred_at, id) gives id order exactly when no stimulus is earlier than the one before it.
    {
      clean: allOf(
        zeroIn('stimuli', 'id_rule_broken'),
        stimulusIdsUnique,
        zeroIn('engagement', 'unordered_hcps'),
      ),
    },
  ),
  rule(
    'structure.outcomes.id',
    'structure',
    'ids breaking the rule',
    "an outcome's id is the id of the stimulus it answers.",
    `SELECT id AS sample FROM outcomes WHERE id IS DISTINCT FROM stimulus_id`,
    { clean: zeroIn('engagement', 'outcome_id_rule_broken') },
  ),
  rule(
    'structure.territory_assignments.id',
    'structure',
    'ids breaking the rule',
    `territory assignment ids are hcp_id * ${TERRITORY_ID_BASE} + j (j = 1 for the primary rep).`,
    `SELECT id AS sample FROM territory_assignments
      WHERE id / ${TERRITORY_ID_BASE} IS DISTINCT FROM hcp_id OR id % ${TERRITORY_ID_BASE} = 0`,
  ),
  rule(
    'structure.hcp_profiles.values',
    'structure',
    'HCPs with values outside the scenario',
    "specialty and taxonomy code, state and region, decile 1..10, tier and segment must be the scenario's.",
    ({ plan }) => {
      const p = new Params();
      const broken = hcpValuesBroken(plan, p.add);
      return [`SELECT h.id AS sample FROM hcp_profiles h WHERE ${broken}`, p.values];
    },
    { clean: zeroIn('hcps', 'values_outside_scenario') },
  ),
  rule(
    'structure.territory_assignments.values',
    'structure',
    'assignments outside the scenario',
    "an assignment's role is the scenario's primary or secondary role and its region is the HCP's.",
    ({ plan }) => [
      `SELECT t.id AS sample FROM territory_assignments t LEFT JOIN hcp_profiles h ON h.id = t.hcp_id
        WHERE NOT coalesce(t.role IN ($1, $2) AND t.region = h.region, false)`,
      [plan.territories.primaryRole, plan.territories.secondaryRole],
    ],
  ),
  rule(
    'structure.campaigns.values',
    'structure',
    'campaigns outside the scenario',
    "a campaign's type, product and channels must be declared by the scenario.",
    ({ plan }) => [
      `SELECT id AS sample FROM campaigns
        WHERE NOT coalesce(campaign_type = ANY($1::text[]) AND product = ANY($2::text[])
                           AND channels <@ $3::text[] AND array_length(channels, 1) > 0, false)`,
      [
        plan.campaigns.types.map((t) => t.name),
        plan.products.map((p) => p.id),
        plan.channels.map((c) => c.id),
      ],
    ],
  ),
  rule(
    'structure.stimuli.channel',
    'structure',
    'stimuli on undeclared channels',
    'every stimulus channel must be one the scenario declares.',
    ({ plan }) => [
      `SELECT id AS sample FROM stimuli WHERE NOT coalesce(channel = ANY($1::text[]), false)`,
      [plan.channels.map((c) => c.id)],
    ],
    { clean: zeroIn('stimuli', 'undeclared_channel') },
  ),
  rule(
    'structure.outcomes.type',
    'structure',
    'outcomes of undeclared types',
    "an outcome's type must be one its channel declares.",
    ({ plan }) => {
      const pairs = plan.channels.flatMap((c) => c.outcomes.map((o) => [c.id, o.type] as const));
      return [
        `SELECT o.id AS sample FROM outcomes o
          WHERE NOT EXISTS (SELECT 1 FROM (SELECT unnest($1::text[]) AS channel, unnest($2::text[]) AS type) d
                             WHERE d.channel = o.channel AND d.type = o.outcome_type)`,
        [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
      ];
    },
    { clean: zeroIn('engagement', 'undeclared_outcome_type') },
  ),
  rule(
    'structure.stimuli.campaign_targeting',
    'structure',
    'stimuli their campaign does not target',
    "a campaign's stimuli use one of its channels and reach HCPs it targets (specialty, tier, segment; NULL = all).",
    (_ctx, dialect) => [
      `SELECT s.id AS sample FROM stimuli s
         JOIN campaigns c ON c.id = s.campaign_id
         JOIN hcp_profiles h ON h.id = s.hcp_id
        WHERE NOT coalesce(${campaignTargets(dialect)}, false)`,
      [],
    ],
    { clean: zeroIn('stimuli', 'untargeted') },
  ),
];
