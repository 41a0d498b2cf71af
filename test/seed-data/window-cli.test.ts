// plan --json and generate --json count the fixture rows, and the shipped example fixtures work with every
// --months: run as a user runs them (a separate process, real argv, stdout and stderr), into a fresh database of
// the test target, and the tables counted afterwards.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { PgTarget } from '../../src/db/pg-target.js';
import { PgliteTarget } from '../../src/db/pglite-target.js';
import type { Target } from '../../src/db/target.js';
import { TABLES, type TableName } from '../../src/plan/types.js';
import { generatedRows } from './helpers.js';
import { packageRoot } from '../../src/scenario/resolve.js';
import type { SkippedFixture } from '../../src/fixtures/types.js';
import { createPgliteDir, createTestDatabase, TEST_TARGET } from '../helpers/testdb.js';

const ROOT = packageRoot();
const ENTRY = path.join(ROOT, 'bin', 'dev.js');
const EXAMPLE = path.join(ROOT, 'seed-data');
const HCPS = 150;

interface Json {
  expected: Record<TableName, number>;
  expectedGenerated: Record<TableName, number>;
  counts?: Record<TableName, number>;
  fixtures: { rows: Record<TableName, number>; skippedItems: SkippedFixture[] } | null;
}

function hcpgen(
  args: string[],
  env: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } {
  const e: Record<string, string | undefined> = { ...process.env, ...env };
  delete e.DEBUG;
  delete e.DATABASE_URL;
  const r = spawnSync(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: e,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const GENERATED = generatedRows(HCPS);
/** Tables whose generated volume is exact (no sampling noise): their plan number is the row count. */
const EXACT: TableName[] = ['hcp_profiles', 'campaigns', 'rx_history', 'engagement_scores'];

function run(months: number, seedData: string[] = ['--seed-data', EXAMPLE]): string[] {
  return ['--hcps', String(HCPS), '--months', String(months), '--seed', '5', ...seedData];
}

describe(`seed-data through the CLI: plan and generate count the fixtures [${TEST_TARGET}]`, function () {
  this.timeout(300_000);

  it('plan prints totals with the fixtures and their breakdown, and --no-seed-data the generated volume', function () {
    const text = hcpgen(['plan', ...run(3)]);
    expect(text.status, text.stderr).to.equal(0);
    expect(text.stdout).to.match(/hcp_profiles +153 +\(150 generated \+ 3 fixtures\)/);
    expect(text.stdout).to.match(/campaigns +\d+ +\(\d+ generated \+ 2 fixtures\)/);
    expect(text.stdout).to.contain('Seed-data fixtures from');
    const json = JSON.parse(hcpgen(['plan', '--json', ...run(3)]).stdout) as Json;
    for (const t of TABLES) {
      expect(json.expected[t], t).to.equal(json.expectedGenerated[t] + json.fixtures!.rows[t]);
    }
    expect(json.fixtures!.skippedItems).to.deep.equal([]);
    const none = JSON.parse(hcpgen(['plan', '--json', ...run(3, ['--no-seed-data'])]).stdout) as Json;
    expect(none.fixtures).to.equal(null);
    expect(none.expected).to.deep.equal(json.expectedGenerated);
    expect(hcpgen(['plan', ...run(3, ['--no-seed-data'])]).stdout).to.not.contain('generated +');
  });

  it('plan --json --months=1 lists the skipped records, and notes each on stderr', function () {
    const r = hcpgen(['plan', '--json', ...run(1)]);
    expect(r.status, r.stderr).to.equal(0);
    const json = JSON.parse(r.stdout) as Json;
    expect(json.fixtures!.skippedItems.map((s) => `${s.file}:${s.line}`)).to.deep.equal([
      'example-fixtures.yaml:44',
      'example-fixtures.yaml:47',
      'example-fixtures.yaml:56',
      'example-fixtures.yaml:91',
      'example-fixtures.yaml:102',
      'example-fixtures.yaml:103',
    ]);
    const notices = r.stderr.split('\n').filter((l) => l.includes(': skipped '));
    expect(notices).to.have.length(6);
    expect(notices[0]).to.equal(
      'seed-data/example-fixtures.yaml:44: skipped in_person_detail stimulus dated -55d 10:15 (2025-11-06) with ' +
        'its sample_request outcome: outside the 1-month window 2025-12-01..2025-12-31',
    );
  });

  for (const months of [1, 2]) {
    it(`generate --months=${months} with the example fixtures succeeds and writes the rows plan --json expects`, async function () {
      const planned = JSON.parse(hcpgen(['plan', '--json', ...run(months)]).stdout) as Json;
      let target: Target;
      let cleanup: () => Promise<void>;
      let where: string[] = [];
      let env: Record<string, string> = {};
      let dir: { dir: string; remove(): void } | undefined;
      if (TEST_TARGET === 'postgres') {
        const db = await createTestDatabase();
        where = ['--db', db.url];
        cleanup = () => db.drop();
      } else {
        dir = await createPgliteDir();
        env = { HCPGEN_DATA_DIR: dir.dir };
        cleanup = async () => dir!.remove();
      }
      try {
        const r = hcpgen(['generate', '--json', ...run(months), ...where], env);
        expect(r.status, r.stdout + r.stderr).to.equal(0);
        const json = JSON.parse(r.stdout) as Json;
        const notices = r.stderr.split('\n').filter((l) => l.includes(': skipped '));
        expect(notices, r.stderr).to.have.length(months === 1 ? 6 : 1);
        expect(notices.at(-1)).to.match(/^seed-data\/example-fixtures\.yaml:(102|103): skipped Rx of month/);
        // generate --json says what plan --json said, and `expected` includes the fixture rows.
        expect(json.expected).to.deep.equal(planned.expected);
        expect(json.expectedGenerated).to.deep.equal(planned.expectedGenerated);
        expect(json.fixtures!.rows).to.deep.equal(planned.fixtures!.rows);
        expect(json.fixtures!.skippedItems).to.deep.equal(planned.fixtures!.skippedItems);

        target =
          TEST_TARGET === 'postgres' ? await PgTarget.connect(where[1]!) : await PgliteTarget.open(dir!.dir);
        try {
          for (const t of TABLES) {
            const { rows } = await target.query<{ all: string; generated: string }>(
              `SELECT count(*)::text AS all, count(*) FILTER (WHERE ${GENERATED[t]})::text AS generated FROM ${t}`,
            );
            const all = Number(rows[0]!.all);
            const fixture = all - Number(rows[0]!.generated);
            expect(all, `${t} rows`).to.equal(json.counts![t]);
            expect(fixture, `${t} fixture rows`).to.equal(planned.fixtures!.rows[t]);
            if (EXACT.includes(t)) expect(all, `${t} = plan --json expected`).to.equal(planned.expected[t]);
          }
          // The skipped records are not there: no fixture stimulus and no fixture Rx month before the window.
          const start = months === 1 ? '2025-12-01' : '2025-11-01';
          const { rows: before } = await target.query<{ n: string }>(
            `SELECT ((SELECT count(*) FROM stimuli WHERE hcp_id > ${HCPS} AND occurred_at < $1::timestamp) +
                     (SELECT count(*) FROM rx_history WHERE hcp_id > ${HCPS} AND month < $1::date))::text AS n`,
            [start],
          );
          expect(before[0]!.n).to.equal('0');
          const { rows: maria } = await target.query<{ day: string }>(
            `SELECT CAST(CAST(s.occurred_at AS date) AS text) AS day FROM stimuli s JOIN hcp_profiles h ON h.id = s.hcp_id
              WHERE h.npi = '1904567819' ORDER BY 1`,
          );
          expect(maria.map((m) => m.day)).to.deep.equal(
            months === 1
              ? ['2025-12-19', '2025-12-24']
              : ['2025-11-06', '2025-11-21', '2025-12-19', '2025-12-24'],
          );
        } finally {
          await target.close();
        }
      } finally {
        await cleanup();
      }
    });
  }
});
