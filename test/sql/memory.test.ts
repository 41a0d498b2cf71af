// hcpgen sql streams: a 1,000,000-row result written as CSV to a file runs in about the memory of a 1,000-row
// one (the process's peak RSS, measured by the bench's rusage preload), where holding the rows would take
// hundreds of MiB. Run as a user runs it: a child process, --csv --out FILE.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ROOT } from '../reliability/cli.js';
import { createPgliteDir, createTestDatabase, TEST_TARGET } from '../helpers/testdb.js';

const PRELOAD = path.join(ROOT, 'src', 'bench', 'rusage-preload.ts');

async function sqlPeak(args: string[], env: NodeJS.ProcessEnv, tmp: string, tag: string): Promise<number> {
  const rusage = path.join(tmp, `${tag}.json`);
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, HCPGEN_BENCH_RUSAGE: rusage };
  delete childEnv.DATABASE_URL;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', PRELOAD, path.join(ROOT, 'bin', 'dev.js'), 'sql', ...args],
    { cwd: ROOT, env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(stderr).to.equal('');
  expect(status).to.equal(0);
  return (JSON.parse(readFileSync(rusage, 'utf8')) as { maxRssKiB: number }).maxRssKiB / 1024;
}

describe(`hcpgen sql memory [${TEST_TARGET}]`, function () {
  this.timeout(240_000);
  let tmp: string;
  let env: NodeJS.ProcessEnv = {};
  let db: string[] = [];
  let cleanup: () => Promise<void> = async () => undefined;
  before(async function () {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-sql-mem-'));
    if (TEST_TARGET === 'postgres') {
      const t = await createTestDatabase();
      db = ['--db', t.url];
      cleanup = t.drop;
    } else {
      const d = await createPgliteDir();
      env = { HCPGEN_DATA_DIR: d.dir };
      cleanup = async () => d.remove();
    }
  });
  after(async function () {
    await cleanup();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('writes 1,000,000 rows as CSV in constant memory', async function () {
    const query = (n: number) => `select g, 'row ' || g as label from generate_series(1, ${n}) g`;
    const big = path.join(tmp, 'big.csv');
    const small = await sqlPeak(
      [...db, '--csv', '--out', path.join(tmp, 'small.csv'), query(1000)],
      env,
      tmp,
      'small',
    );
    const peak = await sqlPeak([...db, '--csv', '--out', big, query(1_000_000)], env, tmp, 'big');
    // 1M rows held as arrays of JS values would add well over 200 MiB; streamed, the peak moves by GC slack.
    expect(peak - small, `peak ${peak.toFixed(0)} MiB vs ${small.toFixed(0)} MiB for 1,000 rows`).to.be.below(
      150,
    );
    const text = readFileSync(big, 'utf8');
    expect(statSync(big).size).to.be.above(15_000_000);
    expect(text.startsWith('g,label\r\n1,row 1\r\n')).to.equal(true);
    expect(text.endsWith('1000000,row 1000000\r\n')).to.equal(true);
    expect(text.split('\r\n')).to.have.length(1_000_002);
  });
});
