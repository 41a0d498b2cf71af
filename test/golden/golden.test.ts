// Golden output: each shipped scenario at 300 HCPs, seed 42, 3 and 12 months must generate exactly the rows
// recorded in test/golden/*.json (scripts/golden.ts: SHA-256 per table of the canonical CSV rendering), through
// every sink: CSV files, Parquet files and the database (PostgreSQL with TEST_DATABASE_URL, else the embedded one).
// The determinism tests compare two runs of one build; this compares a build with the data users already have.
import { expect } from 'chai';
import { PgTarget } from '../../src/db/pg-target.js';
import { PgliteTarget } from '../../src/db/pglite-target.js';
import type { Target } from '../../src/db/target.js';
import { generate } from '../../src/generate/run.js';
import { DATA_VERSION } from '../../src/lib/data-version.js';
import type { DataTableName } from '../../src/tables/tables.js';
import {
  GOLDEN_CASES,
  UPDATE_COMMAND,
  canonicalTables,
  caseName,
  changedTables,
  fileTables,
  generateCase,
  readGolden,
  recordCase,
  summariseAll,
  type GoldenCase,
  type GoldenRecord,
  type GoldenTable,
} from '../../scripts/golden.js';
import { TEST_TARGET, createPgliteDir, createTestDatabase, withDataDir } from '../helpers/testdb.js';

/** The failure message: which tables changed, how, and what to do about it. */
function changeMessage(
  c: GoldenCase,
  sink: string,
  golden: GoldenRecord,
  actual: Record<DataTableName, GoldenTable>,
  scenarioHash?: string,
): string {
  const changed = changedTables(golden, actual);
  const how = changed.map((t) => {
    const e = golden.tables[t];
    const a = actual[t];
    return e && e.rows !== a.rows
      ? `${t} (${e.rows} -> ${a.rows} rows)`
      : `${t} (same row count, other values)`;
  });
  const scenario =
    scenarioHash && scenarioHash !== golden.scenarioHash
      ? ` The scenario file ${c.scenario} changed since the record was written.`
      : '';
  return (
    `${sink}: generated values changed for ${caseName(c)} (${golden.command}): ${how.join(', ')}.${scenario} ` +
    `If the change is deliberate, bump DATA_VERSION in src/lib/data-version.ts (now ${DATA_VERSION}), run ` +
    `\`${UPDATE_COMMAND}\`, and say what changed in CHANGELOG.md. If it is not, the change altered users' data ` +
    'for the same seed: find the draw it moved.'
  );
}

function expectSame(
  c: GoldenCase,
  sink: string,
  golden: GoldenRecord,
  actual: Record<DataTableName, GoldenTable>,
  scenarioHash?: string,
): void {
  if (changedTables(golden, actual).length > 0) {
    expect.fail(changeMessage(c, sink, golden, actual, scenarioHash));
  }
}

/** Generates a case into a database and returns its canonical tables; one database for every case (--wipe). */
interface DatabaseSink {
  tables(c: GoldenCase): Promise<Record<DataTableName, GoldenTable>>;
  cleanup(): Promise<void>;
}

async function databaseSink(): Promise<DatabaseSink> {
  const request = (c: GoldenCase) => ({ ...c, wipe: true, workers: 0, quiet: true, seedData: undefined });
  const read = async (target: Target) => {
    try {
      return await canonicalTables(target);
    } finally {
      await target.close();
    }
  };
  if (TEST_TARGET === 'postgres') {
    const db = await createTestDatabase();
    return {
      tables: async (c) => {
        await generate({ ...request(c), db: db.url });
        return read(await PgTarget.connect(db.url));
      },
      cleanup: () => db.drop(),
    };
  }
  const dir = await createPgliteDir();
  return {
    tables: async (c) => {
      await withDataDir(dir.dir, () => generate(request(c)));
      return read(await PgliteTarget.open(dir.dir));
    },
    cleanup: async () => dir.remove(),
  };
}

describe('golden output (test/golden/*.json)', function () {
  this.timeout(120_000);
  let database: DatabaseSink | undefined;

  before(async function () {
    database = await databaseSink();
  });
  after(async function () {
    await database?.cleanup();
  });

  for (const c of GOLDEN_CASES) {
    describe(caseName(c), function () {
      const golden = readGolden(c);

      it('has a golden record written by this data version', function () {
        expect(golden, `no golden record for ${caseName(c)}: run \`${UPDATE_COMMAND}\``).to.not.equal(null);
        expect(
          golden!.dataVersion,
          `test/golden/${caseName(c)}.json was written at data version ${golden!.dataVersion}, this build is ` +
            `DATA_VERSION ${DATA_VERSION}: run \`${UPDATE_COMMAND}\``,
        ).to.equal(DATA_VERSION);
      });

      it('the CSV sink writes the recorded rows', async function () {
        if (!golden) this.skip();
        const { record, notCanonical } = await recordCase(c);
        expectSame(c, 'CSV files', golden, record.tables, record.scenarioHash);
        expect(record.tables, 'sample rows').to.deep.equal(golden.tables);
        // The canonical rendering is the CSV sink's own encoding: the files hold exactly those lines.
        expect(notCanonical, 'tables whose CSV files differ from their canonical rendering').to.deep.equal(
          [],
        );
      });

      it('the Parquet sink holds the same rows', async function () {
        if (!golden) this.skip();
        const out = await generateCase(c, 'parquet');
        try {
          expectSame(
            c,
            'Parquet files',
            golden,
            summariseAll(await fileTables(out.dir)),
            out.result.scenario.hash,
          );
        } finally {
          out.remove();
        }
      });

      it(`the database sink holds the same rows [${TEST_TARGET}]`, async function () {
        if (!golden) this.skip();
        expectSame(c, `database [${TEST_TARGET}]`, golden, await database!.tables(c));
      });
    });
  }
});
