import { writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { csvRow } from '../../src/db/csv.js';
import { DATA_TABLES } from '../../src/db/entities.js';
import { PgTarget } from '../../src/db/pg-target.js';
import { lockFileFor } from '../../src/db/pglite-lock.js';
import { PgliteTarget } from '../../src/db/pglite-target.js';
import {
  readLatestRun,
  wipeGeneratorTables,
  withAtomicRegeneration,
  type RunInfo,
  type Stage,
} from '../../src/db/swap.js';
import type { Target } from '../../src/db/target.js';
import { UserError } from '../../src/lib/errors.js';
import { createPgliteDir, describeOnTestTarget } from '../helpers/testdb.js';

function runInfo(seed: number): RunInfo {
  return {
    scenarioName: 'tiny',
    scenarioHash: `hash-${seed}`,
    seed,
    hcps: 2,
    months: 1,
    asOf: '2024-06-30',
    generatorVersion: '0.1.0-test',
    plan: { seed, note: 'a "plan"' },
    fixturesHash: null,
  };
}

/** Loads a tiny consistent data set whose names carry `tag`, so tests can tell generations apart. */
async function loadTiny(stage: Stage, tag: string): Promise<void> {
  await stage.copyFrom(
    'hcp_profiles',
    [
      'id',
      'npi',
      'first_name',
      'last_name',
      'specialty',
      'tier',
      'segment',
      'decile',
      'monthly_trx_baseline',
    ].concat(['region', 'state', 'city', 'zip', 'is_target', 'time_zone']),
    [1, 2].map((id) =>
      csvRow([
        id,
        `100000000${id}`,
        `${tag}-${id}`,
        'Doe',
        'Cardiology',
        'A',
        'S1',
        5,
        12.5,
        'NE',
        'MA',
        'Boston',
        '02110',
        1,
        'America/New_York',
      ]),
    ),
  );
  await stage.copyFrom(
    'campaigns',
    ['id', 'name', 'campaign_type', 'product', 'channels', 'start_date', 'end_date'],
    [csvRow([1, `${tag} launch`, 'launch', 'Drugx', ['email', 'rep'], '2024-01-01', '2024-06-30'])],
  );
  await stage.copyFrom(
    'stimuli',
    ['id', 'hcp_id', 'campaign_id', 'channel', 'occurred_at'],
    [
      csvRow([10001, 1, 1, 'email', '2024-02-01 10:00:00']) +
        csvRow([20001, 2, null, 'rep', '2024-02-02 11:00:00']),
    ],
  );
}

/** Every table's rows plus the list of schemas: "the database" as far as the tests are concerned. */
async function snapshot(target: Target): Promise<unknown> {
  const out: Record<string, unknown> = {};
  const tables = await target.query<{ name: string }>(
    `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
      WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
  );
  out.tables = tables.rows;
  for (const { name } of tables.rows) {
    const [schema, table] = name.split('.');
    out[name] = (await target.query(`SELECT * FROM "${schema}"."${table}" ORDER BY 1`)).rows;
  }
  out.schemas = (await target.query(`SELECT nspname FROM pg_namespace ORDER BY 1`)).rows;
  return out;
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describeOnTestTarget('withAtomicRegeneration', (h) => {
  it('creates the tables, swaps them into public and records the run', async () => {
    const result = await withAtomicRegeneration(h.target(), {
      run: runInfo(1),
      load: (s) => loadTiny(s, 'first'),
    });
    expect(result.counts).to.deep.equal({
      hcp_profiles: 2,
      territory_assignments: 0,
      campaigns: 1,
      stimuli: 2,
      outcomes: 0,
      rx_history: 0,
      engagement_scores: 0,
    });
    const names = await h.target().query('SELECT first_name FROM public.hcp_profiles ORDER BY id');
    expect(names.rows).to.deep.equal([{ first_name: 'first-1' }, { first_name: 'first-2' }]);
    const staging = await h
      .target()
      .query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'hcpgen_staging_%'`);
    expect(staging.rows).to.deep.equal([]);
    const run = await readLatestRun(h.target());
    expect(run).to.include({
      id: result.runId,
      scenarioName: 'tiny',
      seed: 1,
      asOf: '2024-06-30',
      status: 'succeeded',
    });
    expect(run?.plan).to.deep.equal({ seed: 1, note: 'a "plan"' });
    expect(run?.counts).to.deep.equal(result.counts);
    expect(run?.finishedAt).to.be.instanceOf(Date);
    // Keys came along: the FK from stimuli to hcp_profiles is enforced in public.
    const fkErr = await rejection(h.target().query(`INSERT INTO stimuli VALUES (1, 99, NULL, 'x', now())`));
    expect(fkErr.message).to.match(/foreign key/);
  });

  it('replaces the previous generation on the next run', async () => {
    await withAtomicRegeneration(h.target(), { run: runInfo(2), load: (s) => loadTiny(s, 'second') });
    const names = await h.target().query('SELECT first_name FROM hcp_profiles ORDER BY id');
    expect(names.rows).to.deep.equal([{ first_name: 'second-1' }, { first_name: 'second-2' }]);
    expect((await readLatestRun(h.target()))?.seed).to.equal(2);
  });

  for (const [what, options] of [
    ['the load callback throws', { load: async (s: Stage) => (await loadTiny(s, 'bad'), failNow()) }],
    ['validation fails', { load: (s: Stage) => loadTiny(s, 'bad'), validate: async () => failNow() }],
    [
      'a foreign key is violated',
      {
        load: async (s: Stage) => {
          await loadTiny(s, 'bad');
          await s.copyFrom(
            'outcomes',
            ['id', 'stimulus_id', 'hcp_id', 'outcome_type', 'channel', 'occurred_at'],
            [csvRow([5, 424242, 1, 'open', 'email', '2024-02-01 10:00:00'])],
          );
        },
      },
    ],
  ] as const) {
    it(`leaves every table exactly as it was when ${what}`, async () => {
      const before = await snapshot(h.target());
      const err = await rejection(withAtomicRegeneration(h.target(), { run: runInfo(3), ...options }));
      expect(err.message).to.match(/boom|foreign key/);
      expect(await snapshot(h.target())).to.deep.equal(before);
      expect((await readLatestRun(h.target()))?.seed).to.equal(2);
    });
  }

  // With row counts from the load, a foreign key onto a larger table (outcomes -> stimuli here: 2 stimuli, 1
  // outcome) is checked with hash joins turned off for that statement on PostgreSQL 15: the check must still
  // catch a dangling reference, and the setting must be back as it was for what runs after it.
  const TINY_COUNTS = { hcp_profiles: 2, campaigns: 1, stimuli: 2, outcomes: 1 };
  const outcome = (stimulusId: number) =>
    csvRow([stimulusId, stimulusId, 1, 'open', 'email', '2024-02-01 10:30:00']);
  const OUTCOME_COLUMNS = ['id', 'stimulus_id', 'hcp_id', 'outcome_type', 'channel', 'occurred_at'];

  it('catches a dangling reference onto a larger table when the load reports its row counts', async () => {
    const before = await snapshot(h.target());
    const err = await rejection(
      withAtomicRegeneration(h.target(), {
        run: runInfo(5),
        load: async (s) => {
          await loadTiny(s, 'bad');
          await s.copyFrom('outcomes', OUTCOME_COLUMNS, [outcome(424242)]);
          return TINY_COUNTS;
        },
      }),
    );
    expect(err.message).to.match(/foreign key/);
    expect(await snapshot(h.target())).to.deep.equal(before);
  });

  it('puts the planner settings back after the foreign keys, before validation', async () => {
    const { rows } = await h.target().query<{ v: string }>(`SELECT current_setting('enable_hashjoin') AS v`);
    let during: string | undefined;
    await withAtomicRegeneration(h.target(), {
      run: runInfo(6),
      load: async (s) => {
        await loadTiny(s, 'ok');
        await s.copyFrom('outcomes', OUTCOME_COLUMNS, [outcome(10001)]);
        return TINY_COUNTS;
      },
      validate: async (s) => {
        const r = await s.query<{ v: string }>(`SELECT current_setting('enable_hashjoin') AS v`);
        during = r.rows[0]?.v;
        const fk = await s.query(
          `SELECT 1 FROM pg_constraint WHERE conname = 'outcomes_stimulus_id_fkey' AND convalidated
              AND connamespace = current_schema()::regnamespace`,
        );
        expect(fk.rows).to.have.length(1);
      },
    });
    expect(during).to.equal(rows[0]?.v);
    expect((await readLatestRun(h.target()))?.counts).to.deep.equal(TINY_COUNTS);
  });

  it('refuses to drop tables that other objects depend on, and changes nothing', async () => {
    await h.target().query('CREATE VIEW someone_elses_view AS SELECT id FROM hcp_profiles');
    try {
      const before = await snapshot(h.target());
      const err = await rejection(
        withAtomicRegeneration(h.target(), { run: runInfo(4), load: (s) => loadTiny(s, 'x') }),
      );
      expect(err).to.be.instanceOf(UserError);
      expect(err.message).to.match(/depend/);
      expect(await snapshot(h.target())).to.deep.equal(before);
    } finally {
      await h.target().query('DROP VIEW someone_elses_view');
    }
  });

  it('refuses tables it did not create (no hcpgen_runs) unless forced, and keeps the schema', async () => {
    await h.target().query('CREATE SCHEMA theirs');
    await h.target().query('CREATE TABLE theirs.hcp_profiles (id integer, precious text)');
    await h.target().query(`INSERT INTO theirs.hcp_profiles VALUES (1, 'keep me')`);
    const before = await snapshot(h.target());
    const regen = await rejection(
      withAtomicRegeneration(h.target(), {
        run: runInfo(5),
        schema: 'theirs',
        load: (s) => loadTiny(s, 'x'),
      }),
    );
    expect(regen).to.be.instanceOf(UserError);
    expect(regen.message).to.match(/"hcp_profiles" but no "hcpgen_runs".*--force/);
    const wipe = await rejection(wipeGeneratorTables(h.target(), { schema: 'theirs' }));
    expect(wipe.message).to.match(/did not create them/);
    expect(await snapshot(h.target())).to.deep.equal(before);

    await withAtomicRegeneration(h.target(), {
      run: runInfo(6),
      schema: 'theirs',
      force: true,
      load: (s) => loadTiny(s, 'forced'),
    });
    const rows = await h.target().query('SELECT first_name FROM theirs.hcp_profiles ORDER BY id');
    expect(rows.rows).to.deep.equal([{ first_name: 'forced-1' }, { first_name: 'forced-2' }]);
    const dropped = await wipeGeneratorTables(h.target(), { schema: 'theirs' });
    expect(dropped).to.have.members([...DATA_TABLES, 'hcpgen_runs']);
    const schema = await h.target().query(`SELECT nspname FROM pg_namespace WHERE nspname = 'theirs'`);
    expect(schema.rows).to.have.length(1);
  });

  if (h.kind === 'postgres') {
    it("refuses a second concurrent run, naming the first run's pid", async () => {
      const other = await PgTarget.connect(h.url());
      try {
        let refusal: Error | undefined;
        await withAtomicRegeneration(h.target(), {
          run: runInfo(7),
          load: async (s) => {
            await loadTiny(s, 'winner');
            refusal = await rejection(
              withAtomicRegeneration(other, { run: runInfo(8), load: (s2) => loadTiny(s2, 'loser') }),
            );
          },
        });
        expect(refusal).to.be.instanceOf(UserError);
        expect(refusal?.message).to.match(
          new RegExp(`^Another hcpgen run is writing to this database \\(pid ${process.pid}\\)`),
        );
        expect((await readLatestRun(other))?.seed).to.equal(7);
      } finally {
        await other.close();
      }
    });
  } else {
    it('refuses a second process on the same data directory, and takes over a stale lock', async () => {
      const { dir, remove } = await createPgliteDir();
      try {
        const first = await PgliteTarget.open(dir);
        const err = await rejection(PgliteTarget.open(dir));
        expect(err).to.be.instanceOf(UserError);
        expect(err.message).to.include(`in use by another hcpgen process (pid ${process.pid})`);
        await first.close();

        // A live process that is not us (our parent) holds it: refused with its pid.
        writeFileSync(
          lockFileFor(dir),
          JSON.stringify({ pid: process.ppid, host: (await import('node:os')).hostname() }),
        );
        expect((await rejection(PgliteTarget.open(dir))).message).to.include(`pid ${process.ppid}`);

        // A process that has exited held it: stale, taken over.
        const dead = spawnSync(process.execPath, ['-e', '0']).pid;
        writeFileSync(
          lockFileFor(dir),
          JSON.stringify({ pid: dead, host: (await import('node:os')).hostname() }),
        );
        const again = await PgliteTarget.open(dir);
        expect((await again.query('SELECT 1 AS one')).rows).to.deep.equal([{ one: 1 }]);
        await again.close();
      } finally {
        remove();
      }
    });
  }
});

function failNow(): never {
  throw new Error('boom');
}
