// validateFiles on a file output built from a freshly generated PostgreSQL database (file-output.ts): the same
// report as runValidation on the database, for CSV and Parquet, split into shards; every way a directory can be
// incomplete or tampered with refused before any SQL (exit 2); damage inside the data a failing check (exit 1).
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type pg from 'pg';
import { manifestClaim, openFiles, validateFiles } from '../../src/files/validate-files.js';
import type { Manifest } from '../../src/files/manifest-read.js';
import { UserError } from '../../src/lib/errors.js';
import type { Plan } from '../../src/plan/types.js';
import { runValidation } from '../../src/validation/run.js';
import type { Queryable, ValidationReport } from '../../src/validation/types.js';
import { describePostgres } from '../helpers/describe-postgres.js';
import { hcpgen } from '../reliability/cli.js';
import { freshGeneratedDatabase, type FreshDatabase } from '../validation/fresh-data.js';
import {
  comparable,
  connect,
  csvToParquet,
  exportCsv,
  fileEntry,
  sha256,
  writeManifest,
} from './file-output.js';

/** The plan with every declared distribution check evaluated, however small the run. */
function everyDistribution(plan: Plan): Plan {
  const p = structuredClone(plan);
  p.validation.distributionsMinHcps = 0;
  p.validation.checks = p.validation.checks.map((c) => ({ ...c, min_hcps: 0 }));
  return p;
}

async function refusal(dir: string): Promise<UserError> {
  try {
    await validateFiles(dir);
  } catch (err) {
    expect(err).to.be.instanceOf(UserError);
    expect((err as UserError).exitCode).to.equal(2);
    return err as UserError;
  }
  throw new Error(`validateFiles accepted ${dir}`);
}

function readManifest(dir: string, name: string): Manifest {
  return JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as Manifest;
}

describePostgres('validate --files', function () {
  this.timeout(120_000);
  let fresh: FreshDatabase;
  let client: pg.Client & Queryable;
  let tmp: string;
  let csv: string;
  let parquet: string;
  let work = 0;
  /** A copy of the CSV output to damage. */
  const copy = (from = csv): string => {
    const dir = path.join(tmp, `case-${++work}`);
    cpSync(from, dir, { recursive: true });
    return dir;
  };

  before(async function () {
    fresh = await freshGeneratedDatabase('postgres');
    client = await connect(fresh.where);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-files-'));
    csv = path.join(tmp, 'csv');
    parquet = path.join(tmp, 'parquet');
    const manifests = await exportCsv(client, csv, { shards: 2 });
    await csvToParquet(csv, manifests, parquet);
  });
  after(async function () {
    await client?.end();
    await fresh?.cleanup();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('passes on CSV and Parquet with the report runValidation gives on the database', async function () {
    const reference = await runValidation(client);
    expect(reference.failed).to.equal(0);
    for (const dir of [csv, parquet]) {
      const report = await validateFiles(dir);
      expect(report.failed, dir).to.equal(0);
      expect(report.runId).to.equal(null);
      expect(comparable(report)).to.deep.equal(comparable(reference));
      const status = report.results.find((r) => r.name === 'run.status')!;
      expect(status.status).to.equal('pass');
      expect(status.actual).to.equal('2 of 2');
    }
  });

  it('gives the same numbers for every check, each by its own query, distribution checks included', async function () {
    const plan = everyDistribution(fresh.plan);
    for (const sharedPasses of [true, false]) {
      const reference = await runValidation(client, { plan, run: fresh.run, sharedPasses });
      expect(reference.skipped).to.be.lessThan(5);
      for (const dir of [csv, parquet]) {
        const opened = await openFiles(dir, { validationSettings: true });
        try {
          const report = await runValidation(opened.db, {
            plan,
            claim: manifestClaim(opened.output),
            sharedPasses,
          });
          expect(comparable(report), `${dir} sharedPasses=${sharedPasses}`).to.deep.equal(
            comparable(reference),
          );
        } finally {
          await opened.close();
        }
      }
    }
  });

  it('queries the views with PostgreSQL value conventions', async function () {
    const opened = await openFiles(parquet);
    try {
      for (const table of ['campaigns', 'stimuli', 'engagement_scores', 'hcp_profiles', 'rx_history']) {
        const key =
          table === 'engagement_scores' ? 'hcp_id' : table === 'rx_history' ? 'hcp_id, month, product' : 'id';
        const sql = `SELECT * FROM ${table} ORDER BY ${key} LIMIT 50`;
        const fromPg = await client.query(sql);
        const fromFiles = await opened.db.query(sql);
        expect(fromFiles.rows, table).to.deep.equal(fromPg.rows);
      }
    } finally {
      await opened.close();
    }
  });

  describe('refuses an output that is not one complete run as written (exit 2)', function () {
    it('no manifest', async function () {
      const dir = copy();
      for (const m of ['manifest-0001-of-0002.json', 'manifest-0002-of-0002.json'])
        unlinkSync(path.join(dir, m));
      expect((await refusal(dir)).message).to.match(/has table directories .* but no manifest\.json/);
      expect((await refusal(path.join(tmp))).message).to.match(/is not an hcpgen file output/);
    });

    it('a shard missing', async function () {
      const dir = copy();
      unlinkSync(path.join(dir, 'manifest-0002-of-0002.json'));
      const err = await refusal(dir);
      expect(err.message).to.match(/Shard 2 of 2 is missing/);
      expect(err.message).to.include('--shard 2/2');
      expect(err.message).to.include(`--out ${dir}`);
    });

    it('a shard present twice', async function () {
      const dir = copy();
      cpSync(
        path.join(dir, 'manifest-0001-of-0002.json'),
        path.join(dir, 'manifest-0001-of-0002 (copy).json'),
      );
      expect((await refusal(dir)).message).to.match(/Shard 1 of 2 is present twice/);
    });

    it('manifests of another run mixed in', async function () {
      const other = path.join(tmp, 'other-run');
      await exportCsv(client, other, { shards: 2, runSalt: 'another run' });
      const dir = copy();
      cpSync(path.join(other, 'manifest-0002-of-0002.json'), path.join(dir, 'manifest-0002-of-0002.json'));
      expect((await refusal(dir)).message).to.match(/mixes the output of 2 different runs/);
    });

    it('a listed file missing', async function () {
      const dir = copy();
      unlinkSync(path.join(dir, 'stimuli', 'part-0002-of-0002-00000.csv'));
      expect((await refusal(dir)).message).to.match(
        /stimuli\/part-0002-of-0002-00000\.csv is listed in manifest-0002-of-0002\.json but missing/,
      );
    });

    it('a file no manifest lists', async function () {
      const dir = copy();
      cpSync(
        path.join(dir, 'stimuli', 'part-0002-of-0002-00000.csv'),
        path.join(dir, 'stimuli', 'part-0002-of-0002-00001.csv'),
      );
      expect((await refusal(dir)).message).to.match(
        /part-0002-of-0002-00001\.csv is not listed in any manifest/,
      );
    });

    it('a truncated file', async function () {
      const dir = copy(parquet);
      const file = path.join(dir, 'outcomes', 'part-0001-of-0002-00000.parquet');
      truncateSync(file, 100);
      expect((await refusal(dir)).message).to.match(
        /part-0001-of-0002-00000\.parquet is 100 bytes, .* truncated/,
      );
    });

    it('a flipped byte', async function () {
      for (const from of [csv, parquet]) {
        const dir = copy(from);
        const file = path.join(
          dir,
          'rx_history',
          `part-0001-of-0002-00000.${from === csv ? 'csv' : 'parquet'}`,
        );
        const bytes = readFileSync(file);
        bytes[Math.floor(bytes.length / 2)]! ^= 1;
        writeFileSync(file, bytes);
        expect((await refusal(dir)).message).to.match(
          /does not match the SHA-256 in manifest-0001-of-0002\.json/,
        );
      }
    });

    it('a file with other rows than its manifest lists', async function () {
      const dir = copy();
      const rel = 'territory_assignments/part-0001-of-0002-00000.csv';
      const lines = readFileSync(path.join(dir, rel), 'utf8').split('\n');
      writeFileSync(path.join(dir, rel), lines.slice(0, -2).join('\n') + '\n');
      // A consistent checksum and size: only the row count gives it away.
      const m = readManifest(dir, 'manifest-0001-of-0002.json');
      const f = m.files.find((x) => x.path === rel)!;
      Object.assign(f, { ...(await fileEntry(dir, f.table, rel, f.rows)), rows: f.rows });
      await writeManifest(dir, m);
      expect((await refusal(dir)).message).to.match(
        /part-0001-of-0002-00000\.csv holds \d+ rows, .* says \d+/,
      );
    });
  });

  it('fails the check that finds damage inside the data (exit 1), through the CLI too', async function () {
    const dir = copy();
    const rel = 'stimuli/part-0001-of-0002-00000.csv';
    const lines = readFileSync(path.join(dir, rel), 'utf8').split('\n');
    const fields = lines[1]!.split(',');
    const id = Number(fields[0]);
    fields[1] = '999999';
    lines[1] = fields.join(',');
    writeFileSync(path.join(dir, rel), lines.join('\n'));
    const m = readManifest(dir, 'manifest-0001-of-0002.json');
    const f = m.files.find((x) => x.path === rel)!;
    Object.assign(f, await fileEntry(dir, f.table, rel, f.rows));
    expect(f.sha256).to.equal(sha256(readFileSync(path.join(dir, rel))));
    await writeManifest(dir, m);

    const report = await validateFiles(dir);
    const orphan = report.results.find((r) => r.name === 'ref.stimuli.hcp_id')!;
    expect(orphan.status).to.equal('fail');
    expect(orphan.samples).to.include(id);

    const cli = await hcpgen(['validate', '--files', dir]);
    expect(cli.status).to.equal(1);
    expect(cli.stdout).to.match(/FAIL {2}ref\.stimuli\.hcp_id +expected 0 orphans, actual 1/);
    const json = await hcpgen(['validate', '--files', dir, '--json']);
    expect(json.status).to.equal(1);
    expect((JSON.parse(json.stdout) as ValidationReport).failed).to.equal(report.failed);
  });

  it('CLI: validate and sql --files, and --files with --db refused', async function () {
    const ok = await hcpgen(['validate', '--files', parquet]);
    expect(ok.stderr).to.equal('');
    expect(ok.status).to.equal(0);
    expect(ok.stdout).to.match(
      /^PASS {2}run\.status +expected manifests of all 2 shards of run [0-9a-f]{12}, actual 2 of 2$/m,
    );
    const sql = await hcpgen([
      'sql',
      '--files',
      csv,
      'select count(*) as n, min(id) as lo from hcp_profiles',
    ]);
    expect(sql.status).to.equal(0);
    expect(sql.stdout).to.equal(`n   | lo\n----+---\n200 |  1\n(1 row)\n`);
    const both = await hcpgen(['validate', '--files', csv, '--db', fresh.where]);
    expect(both.status).to.equal(2);
    expect(both.stderr).to.match(/--files and --db/);
    const missing = await hcpgen(['sql', '--files', path.join(tmp, 'nowhere'), 'select 1']);
    expect(missing.status).to.equal(2);
    expect(missing.stderr).to.match(/is not a directory/);
  });
});
