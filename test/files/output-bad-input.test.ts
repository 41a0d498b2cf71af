// Bad input to `generate --out` through the CLI, as a user meets it: exit 2 with one paragraph that says what is
// wrong and where, no stack trace, never "internal error", and nothing written: no output directory created, no
// file changed, no embedded database opened. And Ctrl-C in the middle of writing files: exit 130, no temporary
// directory or manifest left, the directory exactly as it was.
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { delay, hcpgen, Hcpgen, STACK_FRAME, type Finished } from '../reliability/cli.js';

/** Small and quick: the runs that are meant to succeed. */
const SMALL = ['--hcps=50', '--months=1', '--no-seed-data', '--no-validate'];
/** Big enough that writing takes far longer than the test waits before Ctrl-C. */
const BIG = ['--hcps=300000', '--months=3', '--no-seed-data'];
const TMP_PREFIX = '.hcpgen-tmp-';

/** Every file and directory under `dir` with its size, mtime and (files) content: "exactly as it was". */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return { [dir]: 'absent' };
  const walk = (rel: string): void => {
    const abs = path.join(dir, rel);
    const s = statSync(abs, { bigint: true });
    if (s.isDirectory()) {
      out[rel || '.'] = `dir ${s.mode}`;
      for (const e of readdirSync(abs).sort()) walk(rel ? `${rel}/${e}` : e);
    } else {
      out[rel] = `file ${s.size} ${s.mtimeNs} ${readFileSync(abs).toString('base64')}`;
    }
  };
  walk('');
  return out;
}

/** The user-facing properties every refusal has. */
function expectRefusal(r: Finished, status: number, says: (string | RegExp)[]): void {
  expect(r.status, r.stderr).to.equal(status);
  const text = r.stderr.trim();
  expect(text, 'a message on stderr').to.match(/^hcpgen: /);
  expect(text, 'one paragraph').not.to.include('\n\n');
  expect(text.length, 'one paragraph').to.be.lessThan(800);
  expect(r.stderr + r.stdout).not.to.match(STACK_FRAME);
  expect(r.stderr + r.stdout).not.to.match(/internal error/i);
  for (const s of says) {
    if (typeof s === 'string') expect(r.stderr).to.include(s);
    else expect(r.stderr).to.match(s);
  }
}

interface Case {
  title: string;
  args: string[];
  says: (string | RegExp)[];
  /** Paths whose state must be the same after the run (snapshot()). */
  untouched: string[];
  env?: NodeJS.ProcessEnv;
}

describe('generate --out: bad input through the CLI', function () {
  this.timeout(120_000);
  // Named now (the cases need paths), created in before() and removed in after().
  const tmp = path.join(os.tmpdir(), `hcpgen-out-bad-${randomBytes(6).toString('hex')}`);
  const fresh = (name: string): string => path.join(tmp, name);
  const file = path.join(tmp, 'a-file.txt');
  const foreign = path.join(tmp, 'foreign');
  const pglite = path.join(tmp, 'pglite');
  const env = { HCPGEN_DATA_DIR: pglite };

  const cases: Case[] = [
    ...['0/4', '5/4', '1/0', 'abc', '4', '-1/4', '1/10001'].map((shard, i) => ({
      title: `--shard ${shard}`,
      args: ['generate', '--out', fresh(`shard-${i}`), `--shard=${shard}`, ...SMALL],
      says: ['--shard must be K/N', `"${shard}"`],
      untouched: [fresh(`shard-${i}`)],
    })),
    {
      title: '--shard 601/601 for 600 HCPs (more shards than HCPs)',
      args: [
        'generate',
        '--out',
        fresh('too-many'),
        '--shard=601/601',
        '--hcps=600',
        '--months=1',
        '--no-seed-data',
      ],
      says: ['601', '600 HCPs', 'at most 600 shards'],
      untouched: [fresh('too-many')],
    },
    {
      title: '--shard 2/4 without --out',
      args: ['generate', '--shard=2/4', ...SMALL],
      says: ['--shard', '--out DIR'],
      untouched: [pglite],
    },
    {
      title: '--format xml',
      args: ['generate', '--out', fresh('xml'), '--format=xml', ...SMALL],
      says: ['xml', /parquet, csv/],
      untouched: [fresh('xml')],
    },
    {
      title: '--format csv without --out (it would be ignored: the rows would go into the embedded database)',
      args: ['generate', '--format=csv', ...SMALL],
      says: ['--format', '--out'],
      // Its own embedded database directory: if the flag is ignored, the run creates it (and no other case's).
      untouched: [path.join(tmp, 'pglite-format')],
      env: { HCPGEN_DATA_DIR: path.join(tmp, 'pglite-format') },
    },
    {
      title: '--out together with --db',
      args: ['generate', '--out', fresh('with-db'), '--db=postgres://nobody@127.0.0.1:1/none', ...SMALL],
      says: ['--out', '--db'],
      untouched: [fresh('with-db')],
    },
    {
      title: '--out an existing file',
      args: ['generate', '--out', file, ...SMALL],
      says: [`--out ${file} is a file, not a directory`],
      untouched: [file],
    },
    {
      // Tests run as root here, where chmod 555 does not stop a write: a path under a regular file is a place
      // no user, root included, can create a directory in (ENOTDIR).
      title: '--out under a regular file (a directory nobody can create)',
      args: ['generate', '--out', path.join(file, 'sub'), ...SMALL],
      says: ['Cannot create the output directory', path.join(file, 'sub')],
      untouched: [file],
    },
    {
      title: '--out a non-empty directory that holds a foreign file, without --force',
      args: ['generate', '--out', foreign, ...SMALL],
      says: [foreign, 'notes.txt', '--force'],
      untouched: [foreign],
    },
  ];

  // Without root, a read-only directory is refused like any other unwritable place (as root it is writable).
  const readOnly = path.join(tmp, 'read-only');
  if (process.getuid?.() !== 0) {
    cases.push({
      title: '--out inside a read-only directory',
      args: ['generate', '--out', path.join(readOnly, 'out'), ...SMALL],
      says: [path.join(readOnly, 'out')],
      untouched: [readOnly],
    });
  }

  const results = new Map<Case, Finished>();
  const initial = new Map<Case, Record<string, string>[]>();

  before(async function () {
    mkdirSync(tmp);
    writeFileSync(file, 'not a directory\n');
    mkdirSync(foreign);
    writeFileSync(path.join(foreign, 'notes.txt'), 'my own notes, not hcpgen output\n');
    mkdirSync(readOnly);
    chmodSync(readOnly, 0o555);
    for (const c of cases) initial.set(c, c.untouched.map(snapshot));
    const queue = [...cases];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let c = queue.shift(); c; c = queue.shift()) results.set(c, await hcpgen(c.args, c.env ?? env));
      }),
    );
  });
  after(function () {
    if (existsSync(readOnly)) chmodSync(readOnly, 0o755);
    rmSync(tmp, { recursive: true, force: true });
  });

  for (const c of cases) {
    it(`${c.title}: exit 2, says what and where, writes nothing`, function () {
      const r = results.get(c);
      if (!r) throw new Error('case did not run');
      expectRefusal(r, 2, c.says);
      expect(c.untouched.map(snapshot), 'nothing written').to.deep.equal(initial.get(c));
    });
  }

  it('--out without --format writes Parquet (the default format)', async function () {
    const dir = path.join(tmp, 'default-format');
    const r = await hcpgen(['generate', '--out', dir, ...SMALL], env);
    expect(r.status, r.stderr).to.equal(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { format: string };
    expect(manifest.format).to.equal('parquet');
    expect(readdirSync(path.join(dir, 'stimuli'))).to.deep.equal(['part-0001-of-0001-00000.parquet']);
  });

  it('--force writes beside a foreign file and leaves it untouched', async function () {
    const dir = path.join(tmp, 'foreign-forced');
    mkdirSync(dir);
    const notes = path.join(dir, 'notes.txt');
    writeFileSync(notes, 'my own notes, not hcpgen output\n');
    const was = snapshot(notes);
    const r = await hcpgen(['generate', '--out', dir, '--force', '--format=csv', ...SMALL], env);
    expect(r.status, r.stderr).to.equal(0);
    expect(snapshot(notes)).to.deep.equal(was);
    expect(existsSync(path.join(dir, 'manifest.json'))).to.equal(true);
    expect(readdirSync(dir).sort()).to.include.members([
      'notes.txt',
      'manifest.json',
      'stimuli',
      'schema.sql',
    ]);
    // And --wipe --force replacing that output still never deletes the foreign file.
    const again = await hcpgen(
      ['generate', '--out', dir, '--force', '--wipe', '--format=csv', ...SMALL, '--seed=7'],
      env,
    );
    expect(again.status, again.stderr).to.equal(0);
    expect(snapshot(notes)).to.deep.equal(was);
    expect(existsSync(pglite), 'no embedded database opened').to.equal(false);
  });

  it('a fixture name no UTF-8 can hold (a lone surrogate escape in JSON): Parquet writes what CSV writes, or refuses', async function () {
    const seed = path.join(tmp, 'seed-surrogate');
    mkdirSync(seed);
    // "\ud800" is valid JSON for a string with a lone surrogate; CSV output writes U+FFFD for it.
    writeFileSync(
      path.join(seed, 'hcps.json'),
      '{"scenarios": ["default"], "hcps": [{"npi": "1904567819", "first_name": "Ma\\ud800ria", "last_name": "Alvarez", ' +
        '"specialty": "207RC0000X", "state": "NY", "city": "New York"}]}\n',
    );
    const args = ['--hcps=50', '--months=3', `--seed-data=${seed}`, '--no-validate'];
    const asCsv = await hcpgen(
      ['generate', '--out', path.join(tmp, 'surrogate-csv'), '--format=csv', ...args],
      env,
    );
    expect(asCsv.status, asCsv.stderr).to.equal(0);
    const csvText = readFileSync(
      path.join(tmp, 'surrogate-csv', 'hcp_profiles', 'part-0001-of-0001-00000.csv'),
      'utf8',
    );
    expect(csvText).to.include('Ma\ufffdria');
    const dir = path.join(tmp, 'surrogate-parquet');
    const r = await hcpgen(['generate', '--out', dir, '--format=parquet', ...args], env);
    expect(r.stderr + r.stdout).not.to.match(/internal error/i);
    if (r.status === 0) {
      expect(existsSync(path.join(dir, 'manifest.json'))).to.equal(true);
    } else {
      expectRefusal(r, 2, [seed]);
      expect(readdirSync(dir), 'nothing written').to.deep.equal([]);
    }
  });

  describe('Ctrl-C while writing files', function () {
    /** Starts `args`, waits until the run is writing into its temporary directory, sends SIGINT. */
    async function interrupt(
      dir: string,
      args: string[],
    ): Promise<{ r: Finished; after: string; ms: number }> {
      const run = new Hcpgen(['generate', '--out', dir, ...args], env);
      await run.waitForStderr('hcpgen: generating scenario');
      const deadline = Date.now() + 20_000;
      while (!readdirSync(dir).some((f) => f.startsWith(TMP_PREFIX))) {
        if (Date.now() > deadline)
          throw new Error(`no temporary directory appeared in ${dir}:\n${run.stderr}`);
        await delay(20);
      }
      await delay(1500); // well inside the rows, long before 300,000 HCPs are done
      const printed = run.stderr.length;
      const sent = Date.now();
      run.child.kill('SIGINT');
      const r = await run.exited;
      return { r, after: r.stderr.slice(printed), ms: Date.now() - sent };
    }

    function expectInterrupted(x: { r: Finished; after: string; ms: number }, dir: string): void {
      expect(x.r.status, x.r.stderr).to.equal(130);
      expect(x.ms, 'exits promptly').to.be.lessThan(15_000);
      expect(x.r.stderr).not.to.match(STACK_FRAME);
      expect(x.r.stderr).not.to.match(/internal error/i);
      expect(lastLine(x)).to.match(/^hcpgen: interrupted by SIGINT: .*\n$/);
      expect(
        readdirSync(dir).filter((f) => f.startsWith(TMP_PREFIX)),
        'temporary directory left',
      ).to.deep.equal([]);
    }
    /** What the user sees after Ctrl-C: the interruption line (a progress line may precede it). */
    const lastLine = (x: { after: string }): string =>
      x.after.replace(/^[\s\S]*?(?=hcpgen: interrupted)/, '');

    const empty = path.join(tmp, 'interrupted-empty');
    const wiped = path.join(tmp, 'interrupted-wipe');
    let intoEmpty: { r: Finished; after: string; ms: number };
    let overEarlier: { r: Finished; after: string; ms: number };
    let earlier: Record<string, string>;
    before(async function () {
      mkdirSync(empty);
      intoEmpty = await interrupt(empty, ['--format=csv', ...BIG]);
      const first = path.join(tmp, 'first-output');
      const made = await hcpgen(['generate', '--out', first, '--format=parquet', ...SMALL], env);
      expect(made.status, made.stderr).to.equal(0);
      cpSync(first, wiped, { recursive: true });
      earlier = snapshot(wiped);
      expect(Object.keys(earlier)).to.include('manifest.json');
      overEarlier = await interrupt(wiped, ['--format=parquet', '--wipe', '--seed=43', ...BIG]);
    });

    it('into an empty directory (CSV): exit 130, no temporary directory, no manifest, the directory still empty', function () {
      expectInterrupted(intoEmpty, empty);
      expect(readdirSync(empty), 'nothing left in the directory').to.deep.equal([]);
    });

    it('--wipe over an earlier output (Parquet): exit 130, the earlier output exactly as it was', function () {
      expectInterrupted(overEarlier, wiped);
      expect(snapshot(wiped), 'the directory as it was').to.deep.equal(earlier);
    });

    it('the interruption message says where: the output directory is as it was (no database was involved)', function () {
      for (const [x, dir] of [
        [intoEmpty, empty],
        [overEarlier, wiped],
      ] as const) {
        expect(lastLine(x), 'says where').to.include(dir);
        expect(lastLine(x), 'no database was involved').not.to.match(/database/i);
      }
    });
  });
});
