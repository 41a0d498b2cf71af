// `hcpgen scenario lint` run as a user runs it: a separate process, real argv, real exit codes and streams.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { packageRoot, shippedScenarioNames } from '../../src/scenario/resolve.js';
import { writeBrokenScenarios, type BrokenFile } from '../fixtures/broken-scenarios.js';

const ROOT = packageRoot();
const ENTRY = path.join(ROOT, 'bin', 'dev.js');

function hcpgen(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env.DEBUG;
  const r = spawnSync(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('hcpgen scenario lint', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-lint-'));
  const broken = writeBrokenScenarios(dir);
  const brokenCase = (name: string): BrokenFile => broken.find((b) => b.name === name)!;
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('checks every shipped scenario by default and exits 0', () => {
    const r = hcpgen('scenario', 'lint');
    expect(r.stderr).to.equal('');
    expect(r.stdout).to.contain('ok  scenarios/default.yaml\n');
    expect(r.status).to.equal(0);
  });

  it('prints every problem as file:line:col and exits 1, still checking the good files', () => {
    const three = brokenCase('three-problems');
    const bad = three.file;
    const r = hcpgen('scenario', 'lint', 'default', bad);
    expect(r.status).to.equal(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).to.equal('ok  scenarios/default.yaml');
    expect(
      lines.filter((l) => l.startsWith(`${bad}:`)).map((l) => l.split(':').slice(1, 3).join(':')),
    ).to.deep.equal(three.expected.map((e) => `${e.line}:${e.col}`));
    expect(lines.at(-1)).to.equal('3 problems in 1 of 2 file(s)');
  });

  it('with --json, prints only JSON on stdout', () => {
    const negative = brokenCase('negative-weight');
    const r = hcpgen('scenario', 'lint', '--json', negative.file);
    expect(r.status).to.equal(1);
    const out = JSON.parse(r.stdout) as {
      ok: boolean;
      files: { ok: boolean; problems: { line: number }[] }[];
    };
    expect(out.ok).to.equal(false);
    expect(out.files[0]?.problems.map((p) => p.line)).to.deep.equal(negative.expected.map((e) => e.line));
  });

  it('exits 2 with a clean message for an unknown scenario name, in text and in JSON', () => {
    const r = hcpgen('scenario', 'lint', 'nope');
    expect(r.status).to.equal(2);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.equal(
      'hcpgen: there is no scenario named "nope".\n' +
        `Shipped scenarios: ${shippedScenarioNames().join(', ')}. To use your own file, pass its path (e.g. ./nope.yaml).\n`,
    );
    const j = hcpgen('scenario', 'lint', 'nope', '--json');
    expect(j.status).to.equal(2);
    expect((JSON.parse(j.stdout) as { error: { code: string } }).error.code).to.equal('USER_ERROR');
  });

  it('exits 2 for a file that does not exist and for an unknown flag', () => {
    const missing = hcpgen('scenario', 'lint', 'missing.yaml');
    expect(missing.status).to.equal(2);
    expect(missing.stdout).to.contain('missing.yaml: scenario file');
    const flag = hcpgen('scenario', 'lint', '--bogus');
    expect(flag.status).to.equal(2);
    expect(flag.stderr).to.equal('hcpgen: Nonexistent flag: --bogus\nSee "hcpgen scenario lint --help".\n');
  });
});
