// One corruption per check: SQL that damages freshly generated data the way a migration, a failed manual edit
// or another tool could, the check that must catch it, the checks it may also trip (damage rarely stays in
// one place: an orphan also breaks a count), and the id the failure must name among its samples.
//
// Every case runs inside a transaction that the test rolls back, with foreign-key triggers off
// (session_replication_role = replica) so that the damage constraints would refuse can be made at all.
import type { Queryable } from '../../src/validation/types.js';
import { TABLES } from '../../src/plan/types.js';

export interface Corruption {
  /** The check that must fail. */
  check: string;
  what: string;
  /** Damages the data; returns the id the failure must list among its samples (if the check lists ids). */
  corrupt(q: Queryable): Promise<string | number | undefined>;
  /** Other checks this damage may also fail (exact names, or prefixes ending in '*'). */
  alsoFails?: string[];
}

async function one(q: Queryable, sql: string, params: unknown[] = []): Promise<unknown> {
  const { rows } = await q.query<{ v: unknown }>(sql, params);
  return rows[0]?.v;
}

async function exec(q: Queryable, ...sql: string[]): Promise<void> {
  for (const s of sql) await q.query(s);
}

/** The first outcome (its id is also its stimulus's id). */
const firstOutcome = (q: Queryable) => one(q, 'SELECT min(id) AS v FROM outcomes') as Promise<number>;
const PRIMARY = 'Sales Representative';

export const CORRUPTIONS: Corruption[] = [
  // --- run metadata
  {
    check: 'run.status',
    // As generate --keep-failed records a run kept with failed checks: the tables hold its data.
    what: 'a later run is recorded as failed',
    corrupt: async (q) => {
      await exec(
        q,
        `INSERT INTO hcpgen_runs (scenario_name, scenario_hash, seed, hcps, months, as_of, generator_version,
                                  started_at, status, plan, counts)
         SELECT scenario_name, scenario_hash, seed, hcps, months, as_of, generator_version, started_at, 'failed', plan,
                counts
           FROM hcpgen_runs ORDER BY id DESC LIMIT 1`,
      );
      return undefined;
    },
  },
  {
    check: 'run.counts',
    what: 'the recorded counts no longer match the tables',
    corrupt: async (q) => {
      await exec(q, `UPDATE hcpgen_runs SET counts = jsonb_set(counts, '{stimuli}', '1')`);
      return 'stimuli';
    },
  },
  {
    check: 'run.scenario',
    what: 'the recorded scenario hash was edited',
    corrupt: async (q) => {
      await exec(q, `UPDATE hcpgen_runs SET scenario_hash = 'deadbeef'`);
      return undefined;
    },
  },
  {
    check: 'run.hcps',
    what: 'the metadata claims more HCPs than were generated',
    corrupt: async (q) => {
      await exec(q, `UPDATE hcpgen_runs SET hcps = hcps + 100`);
      return undefined;
    },
    alsoFails: ['run.months', 'run.as_of', 'run.seed'],
  },
  {
    check: 'run.months',
    what: 'the first month of Rx history was deleted',
    corrupt: async (q) => {
      await exec(q, `DELETE FROM rx_history WHERE month = (SELECT min(month) FROM rx_history)`);
      return undefined;
    },
    alsoFails: ['run.counts', 'volume.rx_history', 'completeness.rx_history', 'dist.*'],
  },
  {
    check: 'run.as_of',
    what: "one HCP's score is dated after as-of",
    corrupt: async (q) => {
      await exec(q, `UPDATE engagement_scores SET as_of = as_of + 31 WHERE hcp_id = 7`);
      return 7;
    },
  },
  {
    check: 'run.seed',
    what: "an HCP's NPI was replaced by another valid NPI",
    corrupt: async (q) => {
      // 1234567893 is a valid NPI (CMS's own example), just not the one seed 1 gives HCP #3.
      await exec(q, `UPDATE hcp_profiles SET npi = '1234567893' WHERE id = 3`);
      return 3;
    },
  },
  // --- keys (constraints dropped first: they would refuse the duplicate)
  ...(
    [
      [
        'hcp_profiles',
        'id',
        ['structure.hcp_profiles.npi_unique', 'run.*', 'volume.*', 'dist.*', 'completeness.*'],
      ],
      [
        'territory_assignments',
        'id',
        ['run.counts', 'volume.territory_assignments', 'completeness.territory_assignments'],
      ],
      ['campaigns', 'id', ['run.counts', 'volume.campaigns']],
      ['stimuli', 'id', ['run.counts', 'volume.stimuli', 'agg.*', 'structure.stimuli.id', 'dist.*']],
      ['outcomes', 'id', ['run.counts', 'volume.outcomes', 'agg.*', 'dist.*']],
      ['rx_history', 'hcp_id', ['run.counts', 'volume.rx_history', 'completeness.rx_history', 'dist.*']],
      ['engagement_scores', 'hcp_id', ['run.counts', 'volume.engagement_scores', 'dist.*']],
    ] as const
  ).map(([table, key, alsoFails]): Corruption => ({
    check: `key.${table}`,
    what: `a ${table} row is duplicated`,
    alsoFails: [...alsoFails],
    corrupt: async (q) => {
      await exec(
        q,
        `ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey CASCADE`,
        `ALTER TABLE hcp_profiles DROP CONSTRAINT IF EXISTS hcp_profiles_npi_key`,
      );
      const first = await one(q, `SELECT min(${key}) AS v FROM ${table}`);
      const order = table === 'rx_history' ? 'month' : key;
      await exec(
        q,
        `INSERT INTO ${table} SELECT * FROM ${table} WHERE ${key} = ${Number(first)} ORDER BY ${order} LIMIT 1`,
      );
      if (table !== 'rx_history') return first as number;
      const month = await one(q, `SELECT min(month) AS v FROM rx_history WHERE hcp_id = ${Number(first)}`);
      return `${first}/${month}/CARDIVEX`;
    },
  })),
  // --- references (one deleted HCP orphans rows in five tables)
  ...(
    [
      ['territory_assignments', (id: number) => id * 10 + 1],
      ['stimuli', (id: number) => id * 10_000 + 1],
      ['outcomes', undefined],
      ['rx_history', undefined],
      ['engagement_scores', (id: number) => id],
    ] as const
  ).map(([table, sample]): Corruption => ({
    check: `ref.${table}.hcp_id`,
    what: 'an HCP profile was deleted, its rows left behind',
    alsoFails: ['run.*', 'volume.hcp_profiles', 'ref.*', 'structure.*', 'dist.*'],
    corrupt: async (q) => {
      // HCP 5 has stimuli and outcomes in any realistic run; take the first HCP with an outcome to be sure.
      const id = Number(await one(q, 'SELECT min(hcp_id) AS v FROM outcomes'));
      await exec(q, `DELETE FROM hcp_profiles WHERE id = ${id}`);
      if (table === 'rx_history')
        return `${id}/${await one(q, `SELECT min(month)::text AS v FROM rx_history`)}/CARDIVEX`;
      if (table === 'outcomes')
        return Number(await one(q, `SELECT min(id) AS v FROM outcomes WHERE hcp_id = ${id}`));
      return sample!(id);
    },
  })),
  {
    check: 'ref.stimuli.campaign_id',
    what: 'a campaign with stimuli was deleted',
    alsoFails: ['run.counts', 'volume.campaigns'],
    corrupt: async (q) => {
      const stimulus = Number(await one(q, 'SELECT min(id) AS v FROM stimuli WHERE campaign_id IS NOT NULL'));
      await exec(
        q,
        `DELETE FROM campaigns WHERE id = (SELECT campaign_id FROM stimuli WHERE id = ${stimulus})`,
      );
      return stimulus;
    },
  },
  {
    check: 'ref.outcomes.stimulus_id',
    what: 'a stimulus with an outcome was deleted',
    alsoFails: ['run.counts', 'volume.stimuli', 'agg.*', 'time.outcomes.after_stimulus'],
    corrupt: async (q) => {
      const id = await firstOutcome(q);
      await exec(q, `DELETE FROM stimuli WHERE id = ${id}`);
      return id;
    },
  },
  {
    check: 'ref.outcomes.matches_stimulus',
    what: 'an outcome was moved to another HCP',
    alsoFails: ['agg.*'],
    corrupt: async (q) => {
      const id = await firstOutcome(q);
      await exec(q, `UPDATE outcomes SET hcp_id = hcp_id + 1 WHERE id = ${id}`);
      return id;
    },
  },
  // --- completeness
  {
    check: 'completeness.territory_assignments',
    what: "an HCP's primary assignment was deleted",
    // Its rep-delivered stimuli now name a rep the HCP is not assigned to.
    alsoFails: ['run.counts', 'volume.territory_assignments', 'promotion.stimuli.rep_attribution'],
    corrupt: async (q) => {
      await exec(q, `DELETE FROM territory_assignments WHERE hcp_id = 9 AND role = '${PRIMARY}'`);
      return 9;
    },
  },
  {
    check: 'completeness.rx_history',
    what: 'one month of Rx is missing for one HCP',
    alsoFails: ['run.counts', 'volume.rx_history'],
    corrupt: async (q) => {
      await exec(
        q,
        `DELETE FROM rx_history WHERE hcp_id = 12 AND month = (SELECT max(month) FROM rx_history)`,
      );
      return 12;
    },
  },
  {
    check: 'completeness.engagement_scores',
    what: "an HCP's score was deleted",
    alsoFails: ['run.counts', 'volume.engagement_scores'],
    corrupt: async (q) => {
      await exec(q, `DELETE FROM engagement_scores WHERE hcp_id = 13`);
      return 13;
    },
  },
  // --- row rules
  {
    check: 'structure.hcp_profiles.npi',
    what: "an NPI's check digit is wrong",
    alsoFails: ['run.seed'],
    corrupt: async (q) => {
      await exec(
        q,
        `UPDATE hcp_profiles SET npi = substr(npi, 1, 9) || ((substr(npi, 10, 1)::int + 1) % 10)::text WHERE id = 4`,
      );
      return 4;
    },
  },
  {
    check: 'structure.hcp_profiles.npi',
    what: 'an NPI is not ten digits',
    alsoFails: ['run.seed'],
    corrupt: async (q) => {
      await exec(q, `UPDATE hcp_profiles SET npi = 'N/A' WHERE id = 4`);
      return 4;
    },
  },
  {
    check: 'structure.hcp_profiles.npi_unique',
    what: 'two HCPs share an NPI',
    alsoFails: ['run.seed'],
    corrupt: async (q) => {
      await exec(
        q,
        'ALTER TABLE hcp_profiles DROP CONSTRAINT hcp_profiles_npi_key',
        'UPDATE hcp_profiles SET npi = (SELECT npi FROM hcp_profiles WHERE id = 1) WHERE id = 2',
      );
      return String(await one(q, 'SELECT npi AS v FROM hcp_profiles WHERE id = 1'));
    },
  },
  {
    check: 'structure.rx_history.trx_nrx',
    what: 'NRx exceeds TRx',
    corrupt: async (q) => {
      await exec(
        q,
        `UPDATE rx_history SET nrx = trx + 1 WHERE hcp_id = 6 AND month = (SELECT min(month) FROM rx_history)`,
      );
      return `6/${await one(q, 'SELECT min(month)::text AS v FROM rx_history')}/CARDIVEX`;
    },
    alsoFails: ['dist.*'],
  },
  {
    check: 'structure.engagement_scores.score',
    what: 'a score above 100',
    alsoFails: ['agg.engagement_scores.segment'],
    corrupt: async (q) => {
      await exec(q, `UPDATE engagement_scores SET score = 140 WHERE hcp_id = 8`);
      return 8;
    },
  },
  {
    check: 'structure.stimuli.id',
    what: "an HCP's stimulus ids are no longer in time order",
    corrupt: async (q) => {
      const hcp = Number(await one(q, `SELECT min(hcp_id) AS v FROM stimuli WHERE id % 10000 = 2`));
      const a = hcp * 10_000 + 1;
      await exec(
        q,
        `UPDATE stimuli SET occurred_at = (SELECT occurred_at FROM stimuli WHERE id = ${a}) - interval '1 minute'
          WHERE id = ${a + 1}`,
      );
      return a + 1;
    },
    alsoFails: [
      'agg.*',
      'time.stimuli.campaign_window',
      'time.stimuli.window',
      'promotion.stimuli.business_hours',
    ],
  },
  {
    check: 'structure.outcomes.id',
    what: "an outcome's id is not its stimulus's id",
    corrupt: async (q) => {
      const id = await firstOutcome(q);
      await exec(q, `UPDATE outcomes SET id = ${id} + 5000 WHERE id = ${id}`);
      return id + 5000;
    },
  },
  {
    check: 'structure.territory_assignments.id',
    what: "an assignment's id does not derive from its HCP",
    corrupt: async (q) => {
      await exec(q, `UPDATE territory_assignments SET id = 999991 WHERE id = 11`);
      return 999991;
    },
  },
  {
    check: 'structure.hcp_profiles.values',
    what: 'a tier the scenario does not have',
    corrupt: async (q) => {
      await exec(q, `UPDATE hcp_profiles SET tier = 'Tier1' WHERE id = 10`);
      return 10;
    },
    alsoFails: ['structure.stimuli.campaign_targeting', 'dist.*'],
  },
  {
    check: 'structure.territory_assignments.values',
    what: "an assignment's region is not the HCP's",
    corrupt: async (q) => {
      await exec(q, `UPDATE territory_assignments SET region = 'Atlantis' WHERE id = 21`);
      return 21;
    },
  },
  {
    check: 'structure.campaigns.values',
    what: 'a campaign uses a channel the scenario does not declare',
    corrupt: async (q) => {
      await exec(q, `UPDATE campaigns SET channels = array_append(channels, 'fax') WHERE id = 3`);
      return 3;
    },
  },
  {
    check: 'structure.stimuli.channel',
    what: 'a stimulus on an undeclared channel',
    alsoFails: ['ref.outcomes.matches_stimulus', 'structure.stimuli.campaign_targeting', 'dist.*'],
    corrupt: async (q) => {
      const id = Number(await one(q, 'SELECT min(id) AS v FROM stimuli'));
      await exec(q, `UPDATE stimuli SET channel = 'fax' WHERE id = ${id}`);
      return id;
    },
  },
  {
    check: 'structure.outcomes.type',
    what: 'an outcome type its channel does not declare',
    alsoFails: ['dist.*'],
    corrupt: async (q) => {
      const id = await firstOutcome(q);
      await exec(q, `UPDATE outcomes SET outcome_type = 'ignored' WHERE id = ${id}`);
      return id;
    },
  },
  {
    check: 'structure.stimuli.campaign_targeting',
    what: 'an e-mail stimulus attributed to a campaign without e-mail',
    alsoFails: ['time.stimuli.campaign_window'],
    corrupt: async (q) => {
      const id = Number(await one(q, `SELECT min(id) AS v FROM stimuli WHERE channel = 'email'`));
      await exec(
        q,
        `UPDATE stimuli SET campaign_id = (SELECT min(id) FROM campaigns WHERE NOT ('email' = ANY(channels)))
          WHERE id = ${id}`,
      );
      return id;
    },
  },
  // --- aggregates
  {
    check: 'agg.engagement_scores.stimuli_count',
    what: 'a stimulus count off by one',
    alsoFails: ['agg.engagement_scores.derived'],
    corrupt: async (q) => {
      await exec(q, `UPDATE engagement_scores SET stimuli_count = stimuli_count + 1 WHERE hcp_id = 14`);
      return 14;
    },
  },
  {
    check: 'agg.engagement_scores.response_count',
    what: 'an outcome deleted behind the score',
    alsoFails: ['run.counts', 'volume.outcomes'],
    corrupt: async (q) => {
      const id = await firstOutcome(q);
      const hcp = Number(await one(q, `SELECT hcp_id AS v FROM outcomes WHERE id = ${id}`));
      await exec(q, `DELETE FROM outcomes WHERE id = ${id}`);
      return hcp;
    },
  },
  {
    check: 'agg.engagement_scores.last_stimulus_at',
    what: "an HCP's latest stimulus deleted behind the score",
    alsoFails: [
      'run.counts',
      'volume.stimuli',
      'agg.*',
      'ref.outcomes.stimulus_id',
      'time.outcomes.after_stimulus',
    ],
    corrupt: async (q) => {
      await exec(q, `DELETE FROM stimuli WHERE id = (SELECT max(id) FROM stimuli WHERE hcp_id = 15)`);
      return 15;
    },
  },
  {
    check: 'agg.engagement_scores.derived',
    what: 'frequency_90d edited',
    corrupt: async (q) => {
      await exec(q, `UPDATE engagement_scores SET frequency_90d = frequency_90d + 3 WHERE hcp_id = 16`);
      return 16;
    },
  },
  {
    check: 'agg.engagement_scores.segment',
    what: 'an HCP moved to another segment',
    corrupt: async (q) => {
      await exec(
        q,
        `UPDATE engagement_scores SET engagement_segment = CASE WHEN engagement_segment = 'High' THEN 'Low' ELSE 'High' END
          WHERE hcp_id = 17`,
      );
      return 17;
    },
    alsoFails: ['dist.*'],
  },
  // --- time
  {
    check: 'time.stimuli.window',
    what: 'a stimulus after as-of',
    alsoFails: [
      'agg.*',
      'structure.stimuli.id',
      'time.stimuli.campaign_window',
      'time.outcomes.after_stimulus',
      'dist.*',
      'promotion.stimuli.*',
    ],
    corrupt: async (q) => {
      const id = Number(await one(q, 'SELECT min(id) AS v FROM stimuli'));
      await exec(
        q,
        `UPDATE stimuli SET occurred_at = (SELECT max(as_of) + 15 FROM engagement_scores) WHERE id = ${id}`,
      );
      return id;
    },
  },
  {
    check: 'time.outcomes.window',
    what: 'an outcome after as-of',
    alsoFails: ['dist.*'],
    corrupt: async (q) => {
      const id = await firstOutcome(q);
      await exec(
        q,
        `UPDATE outcomes SET occurred_at = (SELECT max(as_of) + 2 FROM engagement_scores) WHERE id = ${id}`,
      );
      return id;
    },
  },
  {
    check: 'time.outcomes.after_stimulus',
    what: 'an outcome before its stimulus',
    alsoFails: ['dist.*'],
    corrupt: async (q) => {
      const id = await firstOutcome(q);
      await exec(
        q,
        `UPDATE outcomes o SET occurred_at = s.occurred_at - interval '1 minute' FROM stimuli s
          WHERE s.id = o.stimulus_id AND o.id = ${id}`,
      );
      return id;
    },
  },
  {
    check: 'time.stimuli.campaign_window',
    what: "a campaign's end date moved before its stimuli",
    corrupt: async (q) => {
      const id = Number(
        await one(
          q,
          `SELECT min(s.id) AS v FROM stimuli s JOIN campaigns c ON c.id = s.campaign_id
            WHERE s.occurred_at >= c.start_date + 1`,
        ),
      );
      await exec(
        q,
        `UPDATE campaigns SET end_date = start_date WHERE id = (SELECT campaign_id FROM stimuli WHERE id = ${id})`,
      );
      return id;
    },
  },
  {
    check: 'time.campaigns.window',
    what: 'a campaign starting before the window',
    corrupt: async (q) => {
      await exec(q, `UPDATE campaigns SET start_date = start_date - 400 WHERE id = 1`);
      return 1;
    },
  },
  {
    check: 'time.rx_history.month',
    what: 'an Rx row moved to a month before the window',
    alsoFails: ['completeness.rx_history', 'run.months', 'dist.*'],
    corrupt: async (q) => {
      const month = String(await one(q, 'SELECT min(month)::text AS v FROM rx_history'));
      await exec(
        q,
        `UPDATE rx_history SET month = month - interval '1 year' WHERE hcp_id = 18 AND month = '${month}'`,
      );
      return `18/${Number(month.slice(0, 4)) - 1}${month.slice(4)}/CARDIVEX`;
    },
  },
  {
    check: 'time.territory_assignments.assigned_on',
    what: 'an assignment starting after as-of',
    corrupt: async (q) => {
      await exec(q, `UPDATE territory_assignments SET assigned_on = '2099-01-01' WHERE id = 191`);
      return 191;
    },
  },
  // --- promotion rules on stimuli (proven by the stimuli and calls passes when they find nothing)
  {
    check: 'promotion.stimuli.business_hours',
    what: 'an in-person call at 3 a.m.',
    corrupt: async (q) => {
      // An HCP's first stimulus: moved earlier on its own day, it stays first in time.
      const id = Number(
        await one(
          q,
          `SELECT min(id) AS v FROM stimuli WHERE channel = 'in_person_detail' AND id % 10000 = 1`,
        ),
      );
      await exec(
        q,
        `UPDATE stimuli SET occurred_at = date_trunc('day', occurred_at) + interval '3 hours' WHERE id = ${id}`,
      );
      return id;
    },
    alsoFails: ['agg.*', 'dist.*'],
  },
  {
    check: 'promotion.stimuli.holidays',
    what: 'a rep call moved onto Memorial Day',
    corrupt: async (q) => {
      // A rep call the day after, with nothing of its HCP's since the holiday began: a day earlier, it keeps
      // its place in time and its hours.
      const id = Number(
        await one(
          q,
          `SELECT min(s.id) AS v FROM stimuli s
            WHERE s.channel IN ('in_person_detail', 'phone_detail', 'video_detail', 'samples')
              AND CAST(s.occurred_at AS date) = '2024-05-28'
              AND NOT EXISTS (SELECT 1 FROM stimuli p WHERE p.hcp_id = s.hcp_id AND p.id < s.id
                                AND p.occurred_at >= '2024-05-27')`,
        ),
      );
      await exec(q, `UPDATE stimuli SET occurred_at = occurred_at - interval '1 day' WHERE id = ${id}`);
      return id;
    },
    alsoFails: ['agg.*', 'dist.*'],
  },
  {
    check: 'promotion.stimuli.non_target_rep_calls',
    what: 'an HCP with rep calls marked as no target',
    corrupt: async (q) => {
      const hcp = Number(
        await one(q, `SELECT min(hcp_id) AS v FROM stimuli WHERE channel = 'in_person_detail'`),
      );
      await exec(q, `UPDATE hcp_profiles SET is_target = 0 WHERE id = ${hcp}`);
      return undefined;
    },
    alsoFails: ['promotion.hcp_profiles.is_target', 'promotion.stimuli.non_target_specialty_share', 'dist.*'],
  },
  {
    check: 'promotion.stimuli.same_day_in_person',
    what: "an HCP's next in-person call moved onto the day of the one before",
    corrupt: async (q) => {
      const first = Number(
        await one(
          q,
          `SELECT min(s.id) AS v FROM stimuli s JOIN stimuli t ON t.id = s.id + 1
            WHERE s.channel = 'in_person_detail' AND t.channel = 'in_person_detail'
              AND CAST(s.occurred_at AS date) <> CAST(t.occurred_at AS date)
              AND date_part('hour', s.occurred_at) < 17`,
        ),
      );
      await exec(
        q,
        `UPDATE stimuli SET occurred_at = (SELECT occurred_at FROM stimuli WHERE id = ${first}) + interval '1 minute'
          WHERE id = ${first + 1}`,
      );
      return first;
    },
    alsoFails: ['agg.*', 'dist.*', 'time.outcomes.after_stimulus'],
  },
  {
    check: 'promotion.stimuli.rep_capacity',
    what: 'eleven in-person calls of one day given to one rep',
    corrupt: async (q) => {
      const day = String(
        await one(
          q,
          `SELECT CAST(CAST(occurred_at AS date) AS text) AS v FROM stimuli WHERE channel = 'in_person_detail'
            GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
        ),
      );
      const ids = `SELECT id FROM stimuli WHERE channel = 'in_person_detail' AND CAST(occurred_at AS date) = '${day}'
                    ORDER BY id LIMIT 11`;
      const first = Number(await one(q, `SELECT min(id) AS v FROM (${ids}) x`));
      await exec(
        q,
        `UPDATE stimuli SET rep_id = (SELECT rep_id FROM stimuli WHERE id = ${first}) WHERE id IN (${ids})`,
      );
      return first;
    },
    alsoFails: ['promotion.stimuli.rep_attribution'],
  },
  // --- volumes: half of each table's rows deleted (the check allows 4 standard deviations of sampling noise,
  // about 30% of the stimuli at this test's 200 HCPs x 3 months, so a fifth would be within the noise)
  ...TABLES.map((table): Corruption => ({
    check: `volume.${table}`,
    what: `half of ${table} deleted`,
    alsoFails: [
      'run.*',
      'ref.*',
      'completeness.*',
      'agg.*',
      'time.*',
      'structure.*',
      'dist.*',
      'promotion.*',
    ],
    corrupt: async (q) => {
      await exec(
        q,
        `DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} LIMIT (SELECT count(*) / 2 FROM ${table}))`,
      );
      return undefined;
    },
  })),
];
