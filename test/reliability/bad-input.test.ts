// Every bad input through the CLI: a message that says what is wrong and what to do, a non-zero exit, no stack
// trace (unless DEBUG), and nothing changed. The cases run as separate processes, a few at a time, in before().
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { parseDocument } from 'yaml';
import { shippedScenarioNames } from '../../src/scenario/resolve.js';
import {
  ADMIN_URL,
  adminQuery,
  createTestDatabase,
  TEST_TARGET,
  type TestDatabase,
} from '../helpers/testdb.js';
import { describePostgres } from '../helpers/describe-postgres.js';
import { writeBrokenScenarios } from '../fixtures/broken-scenarios.js';
import { fingerprintPostgres, hcpgen, ROOT, STACK_FRAME, type Finished } from './cli.js';

const SECRET = 'Sup3r-s3cret-pw';

interface Case {
  title: string;
  args: string[];
  /** Every pattern must match stderr. */
  says: (string | RegExp)[];
  status?: number;
}

/** Runs `cases` a few at a time (each is a Node process loading the CLI from source). */
async function runAll(cases: readonly Case[], env: NodeJS.ProcessEnv): Promise<Map<Case, Finished>> {
  const results = new Map<Case, Finished>();
  const queue = [...cases];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let c = queue.shift(); c; c = queue.shift()) results.set(c, await hcpgen(c.args, env));
    }),
  );
  return results;
}

function withUrl(parts: { user?: string; password?: string; port?: string; database?: string }): string {
  const u = new URL(ADMIN_URL);
  if (parts.user !== undefined) u.username = parts.user;
  if (parts.password !== undefined) u.password = parts.password;
  if (parts.port !== undefined) u.port = parts.port;
  if (parts.database !== undefined) u.pathname = `/${parts.database}`;
  return u.toString();
}

/**
 * The default scenario with campaigns.count replaced by `formula`, and where that value is (`line:col`, found by
 * text search in the written file, so the expectation follows the default as it changes).
 */
function withCampaignCount(dir: string, name: string, formula: string): { file: string; at: string } {
  const doc = parseDocument(readFileSync(path.join(ROOT, 'scenarios', 'default.yaml'), 'utf8'));
  doc.setIn(['campaigns', 'count'], formula);
  const file = path.join(dir, `${name}.yaml`);
  const text = doc.toString();
  writeFileSync(file, text);
  const lines = text.split('\n');
  const line = lines.findIndex((l, i) => l.startsWith('  count: ') && i > lines.indexOf('campaigns:'));
  return { file, at: `${line + 1}:${'  count: '.length + 1}` };
}

function declare(cases: Case[], results: () => Map<Case, Finished>): void {
  for (const c of cases) {
    it(`${c.title}: exits ${c.status ?? 2}, says what is wrong, no stack trace`, function () {
      const r = results().get(c);
      if (!r) throw new Error('case did not run');
      expect(r.status, r.stderr).to.equal(c.status ?? 2);
      for (const s of c.says) {
        if (typeof s === 'string') expect(r.stderr).to.include(s);
        else expect(r.stderr).to.match(s);
      }
      expect(r.stderr).not.to.match(STACK_FRAME);
      expect(r.stderr + r.stdout).not.to.include(SECRET);
    });
  }
}

describe(`bad input through the CLI [${TEST_TARGET}]`, function () {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-bad-input-'));
  let db: TestDatabase | undefined;
  let baseline: Record<string, string> | undefined;
  let dataDir = '';
  let results = new Map<Case, Finished>();
  /** Where the tests point hcpgen: a PostgreSQL database holding a run, or an embedded one that must not appear. */
  const target: string[] = [];

  const unreadable = path.join(dir, 'unreadable.yaml');
  const directory = path.join(dir, 'a-directory.yaml');
  const broken = writeBrokenScenarios(path.join(dir, 'broken'));
  const cases: Case[] = [
    // Flags
    ...[
      ['--hcps=0', '--hcps=0 is out of range: it must be between 1 and 10,000,000'],
      ['--hcps=-5', '--hcps=-5 is out of range: it must be between 1 and 10,000,000'],
      [
        '--hcps=lots',
        '--hcps must be a whole number (the number of HCP profiles to generate), got "lots".\nTry --hcps=1.',
      ],
      ['--hcps=99999999999', '--hcps=99999999999 is out of range: it must be between 1 and 10,000,000'],
      ['--months=0', '--months=0 is out of range: it must be between 1 and 60'],
      ['--months=twelve', '--months must be a whole number (the length of the history window), got "twelve"'],
      ['--months=600', '--months=600 is out of range: it must be between 1 and 60'],
      [
        '--as-of=2025-02-30',
        '--as-of must be a real calendar date written YYYY-MM-DD, got "2025-02-30".\nFor example --as-of=2025-12-31.',
      ],
      [
        '--seed=forty-two',
        '--seed must be a whole number (any whole number from 0 up), got "forty-two".\nTry --seed=42.',
      ],
    ].map(([flag, says]) => ({
      title: `flag ${flag}`,
      args: ['generate', flag!],
      says: [`hcpgen: ${says}`],
    })),
    {
      title: '--keep-failed with --no-validate',
      args: ['generate', '--keep-failed', '--no-validate'],
      says: ['hcpgen: --keep-failed keeps a run whose checks fail, and --no-validate runs no checks'],
    },
    {
      title: '--keep-failed with --validate-only',
      args: ['generate', '--keep-failed', '--validate-only'],
      says: [
        'hcpgen: --keep-failed keeps a generated run whose checks fail, and --validate-only generates nothing',
      ],
    },
    {
      title: 'plan --compare with an unknown scenario',
      args: ['plan', '--compare=nope'],
      says: [/^hcpgen: there is no scenario named "nope"\./],
    },
    // Scenarios
    {
      title: 'unknown scenario name',
      args: ['generate', '--scenario=nope'],
      says: [
        'hcpgen: there is no scenario named "nope".\n' +
          `Shipped scenarios: ${shippedScenarioNames().join(', ')}. To use your own file, pass its path (e.g. ./nope.yaml).\n`,
      ],
    },
    {
      title: 'missing scenario file',
      args: ['generate', `--scenario=${path.join(dir, 'missing.yaml')}`],
      says: [`hcpgen: scenario file "${path.join(dir, 'missing.yaml')}" does not exist.\nCheck the path`],
    },
    {
      // chmod 000 does not stop root from reading; as root, a file whose read fails (EIO) stands in for it.
      title: 'unreadable scenario file',
      args: ['generate', `--scenario=${process.getuid?.() === 0 ? '/proc/self/mem' : unreadable}`],
      says: [/hcpgen: scenario file "[^"]+" cannot be read: E[A-Z]+: .*\nCheck the file permissions\./],
    },
    {
      title: 'a directory given as the scenario file',
      args: ['generate', `--scenario=${directory}`],
      says: [`hcpgen: "${directory}" is a directory, not a scenario file.\nPass a .yaml file inside it.`],
    },
    ...[
      ['malformed YAML (unclosed bracket)', 'unclosed-bracket'],
      ['malformed YAML (tab indentation)', 'tab-indent'],
      ['schema violation (wrong type)', 'wrong-type'],
      ['schema violation (unknown key)', 'unknown-key'],
    ].map(([title, name]) => {
      const c = broken.find((b) => b.name === name)!;
      const e = c.expected.at(-1)!;
      return {
        title: title!,
        args: ['generate', `--scenario=${c.file}`],
        says: [
          `${c.file}:${e.line}:${e.col}: ${e.says}`,
          /: \d+ problems?\. Fix (it|them) and run again \("hcpgen scenario lint /,
        ],
      };
    }),
    ...[
      ['negative', '1000 - hcps', /gives -1000 at hcps=2000, months=12, which is negative/],
      [
        'fractional',
        '30 + hcps / 7',
        /gives 315\.71\d* at hcps=2000, months=12, but a whole number is needed \(wrap it in round\(\)/,
      ],
      ['NaN', 'sqrt(0 - hcps)', /gives NaN at hcps=2000, months=12 \(make it give a finite number\)/],
      ['infinite', 'hcps / 0', /gives Infinity at hcps=2000, months=12 \(make it give a finite number\)/],
    ].map(([what, formula, says]) => {
      const patched = withCampaignCount(dir, what as string, formula as string);
      return {
        title: `a campaign count formula that is ${what as string} at --hcps=2000`,
        args: ['generate', '--hcps=2000', `--scenario=${patched.file}`],
        says: [`.yaml:${patched.at}: formula ${JSON.stringify(formula)} gives `, says as RegExp],
      };
    }),
    // Databases that need no server (the others are below, PostgreSQL only)
    {
      title: 'unreachable port',
      args: [
        'generate',
        '--no-seed-data',
        `--db=${withUrl({ port: '1', password: SECRET, database: 'somedb' })}`,
      ],
      says: [
        /hcpgen: Cannot reach PostgreSQL at [^ ]+:1 \(database "somedb", user "[^"]+"\): connection refused\. Check that the server is running/,
      ],
    },
    {
      title: 'malformed database URL',
      args: ['generate', `--db=postgres://someone:${SECRET}@127.0.0.1:99999/db`],
      says: [
        'hcpgen: The database URL "postgres://someone:***@127.0.0.1:99999/db" is not a valid URL. Write it as postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE',
      ],
    },
  ];
  const withTarget = (c: Case): boolean =>
    c.args[0] === 'generate' && !c.args.some((a) => a.startsWith('--db='));

  before(async function () {
    writeFileSync(unreadable, 'name: x\n');
    chmodSync(unreadable, 0o000);
    mkdirSync(directory);
    let env: NodeJS.ProcessEnv = {};
    if (TEST_TARGET === 'postgres') {
      db = await createTestDatabase();
      target.push(`--db=${db.url}`);
      const first = await hcpgen(['generate', '--hcps=200', '--no-seed-data', '--no-validate', ...target]);
      expect(first.status, first.stderr).to.equal(0);
      baseline = await fingerprintPostgres(db.url);
    } else {
      dataDir = path.join(dir, 'never-created');
      env = { HCPGEN_DATA_DIR: dataDir };
    }
    for (const c of cases) if (withTarget(c)) c.args.push(...target);
    results = await runAll(cases, env);
  });

  after(async function () {
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  declare(cases, () => results);

  it('changed nothing', async function () {
    if (db) expect(await fingerprintPostgres(db.url)).to.deep.equal(baseline);
    else expect(existsSync(dataDir), 'the embedded database was created').to.equal(false);
  });

  it('prints the stack trace with DEBUG=1, and only then', async function () {
    const r = await hcpgen(['generate', '--scenario=nope'], { DEBUG: '1' });
    expect(r.status).to.equal(2);
    expect(r.stderr).to.include('hcpgen: there is no scenario named "nope".');
    expect(r.stderr).to.match(STACK_FRAME);
  });
});

describePostgres('bad database input through the CLI', function () {
  const role = `hcpgen_weak_${randomBytes(4).toString('hex')}`;
  let db: TestDatabase;
  let baseline: Record<string, string>;
  let results = new Map<Case, Finished>();
  const cases: Case[] = [];

  before(async function () {
    db = await createTestDatabase();
    const first = await hcpgen([
      'generate',
      '--hcps=200',
      '--no-seed-data',
      '--no-validate',
      `--db=${db.url}`,
    ]);
    expect(first.status, first.stderr).to.equal(0);
    baseline = await fingerprintPostgres(db.url);
    // May connect, may not create anything or read hcpgen's tables.
    await adminQuery(`CREATE ROLE "${role}" LOGIN PASSWORD '${SECRET}'`);
    await adminQuery(`GRANT CONNECT ON DATABASE "${db.name}" TO "${role}"`);
    const host = new URL(ADMIN_URL).hostname;
    const port = new URL(ADMIN_URL).port || '5432';
    cases.push(
      {
        title: 'missing database',
        args: ['generate', `--db=${withUrl({ password: SECRET, database: `${db.name}_missing` })}`],
        says: [
          `hcpgen: The database "${db.name}_missing" does not exist on ${host}:${port}. Create it first (createdb`,
        ],
      },
      {
        // The local server trusts every login (pg_hba "trust"), so a wrong password cannot be refused here;
        // a user that does not exist is refused the same way and takes the same path.
        title: 'credentials the server refuses',
        args: ['generate', `--db=${withUrl({ user: 'hcpgen_nobody', password: SECRET })}`],
        says: [
          /hcpgen: PostgreSQL at [^ ]+ \(database "[^"]+", user "hcpgen_nobody"\) refused the login: .*Check the user name and password/,
        ],
      },
      {
        title: 'insufficient privileges (no CREATE, no SELECT)',
        args: [
          'generate',
          '--wipe',
          '--hcps=100',
          '--no-seed-data',
          `--db=${withUrl({ user: role, password: SECRET, database: db.name })}`,
        ],
        says: [
          `refused a statement of this run: permission denied for table hcpgen_runs. To generate, hcpgen needs CREATE`,
          `GRANT CREATE ON DATABASE "${db.name}" TO "${role}"; GRANT CREATE ON SCHEMA "public" TO "${role}"`,
          'Nothing was changed.',
        ],
      },
    );
    results = await runAll(cases, {});
  });

  after(async function () {
    await db?.drop();
    await adminQuery(`DROP ROLE IF EXISTS "${role}"`);
  });

  it('runs every case', () => expect(results.size).to.equal(3));

  describe('each case', function () {
    // Declared from the list filled in before(): the titles are fixed, the arguments need the database.
    for (const title of [
      'missing database',
      'credentials the server refuses',
      'insufficient privileges (no CREATE, no SELECT)',
    ]) {
      it(`${title}: exits 2, says what is wrong, no password, no stack trace`, function () {
        const c = cases.find((x) => x.title === title)!;
        const r = results.get(c)!;
        expect(r.status, r.stderr).to.equal(2);
        for (const s of c.says) {
          if (typeof s === 'string') expect(r.stderr).to.include(s);
          else expect(r.stderr).to.match(s);
        }
        expect(r.stderr).not.to.match(STACK_FRAME);
        expect(r.stderr + r.stdout).not.to.include(SECRET);
      });
    }
  });

  it('changed nothing', async function () {
    expect(await fingerprintPostgres(db.url)).to.deep.equal(baseline);
  });
});
