// scripts/prepare.js (npm's prepare hook) rebuilds exactly when the sources changed. The build itself is
// replaced by a stand-in "npm" (through npm_execpath, which npm sets for its scripts) that logs each call and
// makes dist/ the way `npm run build` does, so the test checks the decision, not tsc.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';

const repo = path.resolve(import.meta.dirname, '..', '..');

const FAKE_NPM = `
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
appendFileSync('npm-calls.log', process.argv.slice(2).join(' ') + '\\n');
if (process.env.FAIL_BUILD) process.exit(3);
rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');
writeFileSync('oclif.manifest.json', '{}');
`;

describe('prepare script', function () {
  this.timeout(30_000);
  let dir: string;

  beforeEach(function () {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-prepare-'));
    for (const entry of [
      'src',
      'schemas',
      'scripts',
      'tsconfig.json',
      'tsconfig.build.json',
      'package.json',
    ]) {
      cpSync(path.join(repo, entry), path.join(dir, entry), { recursive: true });
    }
    writeFileSync(path.join(dir, 'fake-npm.mjs'), FAKE_NPM);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const prepare = (env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['scripts/prepare.js'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, npm_execpath: path.join(dir, 'fake-npm.mjs'), ...env },
    });
  const builds = () =>
    existsSync(path.join(dir, 'npm-calls.log'))
      ? readFileSync(path.join(dir, 'npm-calls.log'), 'utf8').trim().split('\n')
      : [];

  it('builds once, then skips until a source file changes', function () {
    expect(prepare().status).to.equal(0);
    expect(builds()).to.deep.equal(['run build']);

    const again = prepare();
    expect(again.status).to.equal(0);
    expect(again.stderr).to.contain('not rebuilding');
    expect(builds()).to.have.length(1);

    const file = path.join(dir, 'src', 'plan', 'limits.ts');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n// changed\n`);
    expect(prepare().status).to.equal(0);
    expect(builds()).to.have.length(2);
  });

  it('rebuilds when the oclif manifest the build writes is missing', function () {
    prepare();
    rmSync(path.join(dir, 'oclif.manifest.json'));
    expect(prepare().status).to.equal(0);
    expect(builds()).to.have.length(2);
  });

  it('rebuilds when dist/ was removed, and when a schema changes', function () {
    prepare();
    rmSync(path.join(dir, 'dist'), { recursive: true });
    mkdirSync(path.join(dir, 'dist'));
    prepare();
    expect(builds()).to.have.length(2);

    const schema = path.join(dir, 'schemas', 'scenario.schema.json');
    writeFileSync(schema, `${readFileSync(schema, 'utf8')} `);
    prepare();
    expect(builds()).to.have.length(3);
  });

  it('fails with the build and records nothing, so the next run builds again', function () {
    const failed = prepare({ FAIL_BUILD: '1' });
    expect(failed.status).to.equal(3);
    expect(existsSync(path.join(dir, 'dist', '.sources-sha256'))).to.equal(false);
    expect(prepare().status).to.equal(0);
    expect(builds()).to.have.length(2);
  });
});
