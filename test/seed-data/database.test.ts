// Fixtures on real PostgreSQL: loaded with the random data in one transaction, identical on every run and
// after --wipe, invisible to the generated rows (HCPs 1..N and everything that belongs to them are the same
// with and without fixture files), and covered by validation like any other data.
import { expect } from 'chai';
import path from 'node:path';
import { PgTarget } from '../../src/db/pg-target.js';
import { generate, type GenerateOptions } from '../../src/generate/run.js';
import { TABLES } from '../../src/plan/types.js';
import { generatedRows } from './helpers.js';
import { packageRoot } from '../../src/scenario/resolve.js';
import { runValidation } from '../../src/validation/run.js';
import type { ValidationReport } from '../../src/validation/types.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testdb.js';
import { fixtureDir, SMALL } from './helpers.js';
import { describePostgres } from '../helpers/describe-postgres.js';

const EXAMPLE = path.join(packageRoot(), 'seed-data');
const HCPS = 200;
const BASE = { scenario: 'default', seed: 1, hcps: HCPS, months: 3, asOf: '2024-06-30', workers: 0, quiet: true };

const GENERATED = generatedRows(HCPS);

async function dump(url: string, which: 'generated' | 'fixtures'): Promise<Record<string, string[]>> {
  const t = await PgTarget.connect(url);
  try {
    const out: Record<string, string[]> = {};
    for (const table of TABLES) {
      const cond = which === 'generated' ? GENERATED[table] : `NOT (${GENERATED[table]})`;
      const { rows } = await t.query<{ r: string }>(`SELECT x::text AS r FROM ${table} x WHERE ${cond} ORDER BY 1`);
      out[table] = rows.map((r) => r.r);
    }
    return out;
  } finally {
    await t.close();
  }
}

function failures(report: ValidationReport): string[] {
  return report.results
    .filter((r) => r.status === 'fail')
    .map((r) => `${r.name}: expected ${r.expected}, actual ${r.actual} ${r.detail ?? ''}`);
}

describePostgres('seed-data on PostgreSQL', function () {
  let withFixtures: TestDatabase;
  let without: TestDatabase;
  let inTransaction: ValidationReport | undefined;

  before(async function () {
    withFixtures = await createTestDatabase();
    without = await createTestDatabase();
    const options: GenerateOptions = {
      ...BASE,
      db: withFixtures.url,
      seedData: EXAMPLE,
      validate: async (stage, plan) => {
        inTransaction = await runValidation(stage, { plan });
      },
    };
    await generate(options);
    await generate({ ...BASE, db: without.url });
  });

  after(async function () {
    await withFixtures?.drop();
    await without?.drop();
  });

  it('loads the fixtures with the run and records their hash', async function () {
    const fixtures = await dump(withFixtures.url, 'fixtures');
    expect(fixtures.hcp_profiles).to.have.length(3);
    // source is followed by later columns (phone, ...): find it as a whole field.
    expect(fixtures.hcp_profiles!.every((r) => /,fixture[,)]/.test(r))).to.equal(true);
    expect(fixtures.campaigns).to.have.length(2);
    expect(fixtures.stimuli!.length).to.be.greaterThan(10);
    const t = await PgTarget.connect(withFixtures.url);
    try {
      const { rows } = await t.query<{ fixtures_hash: string | null; counts: Record<string, number> }>(
        'SELECT fixtures_hash, counts FROM hcpgen_runs ORDER BY id DESC LIMIT 1',
      );
      expect(rows[0]?.fixtures_hash).to.match(/^[0-9a-f]{64}$/);
      const { rows: named } = await t.query<{ last_name: string; outcome_type: string }>(
        `SELECT h.last_name, o.outcome_type FROM hcp_profiles h JOIN stimuli s ON s.hcp_id = h.id
           JOIN campaigns c ON c.id = s.campaign_id JOIN outcomes o ON o.stimulus_id = s.id
          WHERE h.npi = '1904567819' AND s.channel = 'email'`,
      );
      expect(named).to.deep.equal([{ last_name: 'Alvarez', outcome_type: 'opened' }]);
    } finally {
      await t.close();
    }
  });

  it('changes no generated row: HCPs 1..N and their rows are identical without fixture files', async function () {
    const a = await dump(withFixtures.url, 'generated');
    const b = await dump(without.url, 'generated');
    for (const table of TABLES) {
      expect(a[table]!.length, table).to.be.greaterThan(0);
      expect(a[table], table).to.deep.equal(b[table]);
    }
    expect((await dump(without.url, 'fixtures')).hcp_profiles).to.deep.equal([]);
  });

  it('passes validation with fixtures loaded, inside the run and afterwards', async function () {
    expect(inTransaction, 'validate callback ran').to.not.equal(undefined);
    expect(failures(inTransaction!)).to.deep.equal([]);
    const t = await PgTarget.connect(withFixtures.url);
    try {
      const report = await runValidation(t);
      expect(failures(report)).to.deep.equal([]);
      expect(report.results.find((r) => r.name === 'volume.hcp_profiles')?.actual).to.equal(String(HCPS + 3));
    } finally {
      await t.close();
    }
  });

  it('gives identical fixture rows on the next run and after --wipe', async function () {
    const first = await dump(withFixtures.url, 'fixtures');
    const again = await generate({ ...BASE, db: withFixtures.url, seedData: EXAMPLE });
    expect(again.status).to.equal('exists');
    await generate({ ...BASE, db: withFixtures.url, seedData: EXAMPLE, wipe: true });
    expect(await dump(withFixtures.url, 'fixtures')).to.deep.equal(first);
  });

  it('counts the fixtures as part of "the same run"', async function () {
    const other = fixtureDir({ 'a.yaml': SMALL });
    try {
      let error: Error | undefined;
      try {
        await generate({ ...BASE, db: withFixtures.url, seedData: other.dir });
      } catch (err) {
        error = err as Error;
      }
      expect(error?.message).to.contain('already holds different generated data').and.contain('seed-data fixtures');
      const replaced = await generate({ ...BASE, db: withFixtures.url, seedData: other.dir, wipe: true });
      expect(replaced.fixtures?.hcps).to.equal(1);
      expect(replaced.counts.hcp_profiles).to.equal(HCPS + 1);
    } finally {
      other.remove();
    }
  });
});
