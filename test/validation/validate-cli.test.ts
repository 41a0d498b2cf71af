// `hcpgen validate` run as CI runs it: a separate process, real argv, real exit codes and streams.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { packageRoot } from '../../src/scenario/resolve.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testdb.js';
import { freshGeneratedDatabase, type FreshDatabase } from './fresh-data.js';
import { describePostgres } from '../helpers/describe-postgres.js';

const ROOT = packageRoot();
const ENTRY = path.join(ROOT, 'bin', 'dev.js');

function hcpgen(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env.DEBUG;
  delete env.DATABASE_URL;
  const r = spawnSync(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describePostgres('hcpgen validate', function () {
  let fresh: FreshDatabase;
  let empty: TestDatabase;
  let dir: string;
  before(async function () {
    fresh = await freshGeneratedDatabase('postgres');
    empty = await createTestDatabase();
    dir = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-junit-'));
  });
  after(async function () {
    await fresh?.cleanup();
    await empty?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints one line per check and the summary, and exits 0 on sound data', function () {
    const r = hcpgen('validate', '--db', fresh.where);
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
    const lines = r.stdout.trimEnd().split('\n');
    // Realism ranges that need more HCPs than this sample are skipped, never failed.
    expect(lines.slice(0, -1).every((l) => /^(PASS|SKIP) {2}\S.* +expected .*, actual /.test(l))).to.equal(
      true,
    );
    const skipped = lines.filter((l) => l.startsWith('SKIP')).length;
    const summary = `Validation: ${lines.length - 1 - skipped} passed, 0 failed`;
    expect(lines.at(-1)).to.equal(skipped > 0 ? `${summary}, ${skipped} skipped` : summary);
  });

  it('with --json prints only the report as JSON, and --junit writes the XML', function () {
    const file = path.join(dir, 'ok.xml');
    const r = hcpgen('validate', '--db', fresh.where, '--json', '--junit', file);
    expect(r.status).to.equal(0);
    const json = JSON.parse(r.stdout) as {
      failed: number;
      passed: number;
      skipped: number;
      results: unknown[];
      summary: string;
    };
    expect(json.failed).to.equal(0);
    expect(json.passed + json.skipped).to.equal(json.results.length);
    const xml = readFileSync(file, 'utf8');
    expect(xml).to.contain(`tests="${json.results.length}" failures="0"`);
  });

  it('exits 1 and names the failing check when the data was damaged after generation', async function () {
    await fresh.target.query('UPDATE engagement_scores SET score = 140 WHERE hcp_id = 8');
    const file = path.join(dir, 'bad.xml');
    const r = hcpgen('validate', '--db', fresh.where, '--junit', file);
    expect(r.status).to.equal(1);
    expect(r.stdout).to.match(
      /^FAIL {2}structure\.engagement_scores\.score +expected 0 scores outside 0\.\.100, actual 1 \(1 offending, e\.g\. 8\)$/m,
    );
    expect(r.stdout.trimEnd().split('\n').at(-1)).to.match(
      /^Validation: \d+ passed, [12] failed(, \d+ skipped)?$/,
    );
    expect(readFileSync(file, 'utf8')).to.match(
      /<failure message="expected 0 scores outside 0\.\.100, actual 1"/,
    );
    const json = hcpgen('validate', '--db', fresh.where, '--json');
    expect(json.status).to.equal(1);
    expect((JSON.parse(json.stdout) as { failed: number }).failed).to.be.greaterThan(0);
  });

  it('exits 2 with a clear message when there is no generated data', function () {
    const r = hcpgen('validate', '--db', empty.url);
    expect(r.status).to.equal(2);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.contain(
      `No generated data found in postgres://postgres@127.0.0.1:5432/${empty.name}`,
    );
    expect(r.stderr).to.contain('run `hcpgen generate` first');
  });

  it('exits 2 when the database cannot be reached or the JUnit file cannot be written', function () {
    expect(hcpgen('validate', '--db', 'postgres://postgres@127.0.0.1:1/nowhere').status).to.equal(2);
    const r = hcpgen('validate', '--db', fresh.where, '--junit', path.join(dir, 'missing', 'x.xml'));
    expect(r.status).to.equal(2);
    expect(r.stderr).to.contain('Cannot write the JUnit report');
  });
});
