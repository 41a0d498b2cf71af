// Every shipped scenario passes; every broken case (test/fixtures/broken-scenarios.ts: the default plus a small
// patch) fails with exactly the problems the case expects, positions included. The expected positions come from
// plain text search for the patched spot, not from the loader under test.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { checkScenario, scenarioProblems } from '../../src/scenario/check.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { formatProblem, ScenarioError, type Problem } from '../../src/scenario/problems.js';
import { shippedScenarioFiles } from '../../src/scenario/resolve.js';
import { writeBrokenScenarios } from '../fixtures/broken-scenarios.js';

async function problemsOf(file: string): Promise<Problem[]> {
  try {
    return scenarioProblems(await loadScenarioFile(file));
  } catch (err) {
    if (err instanceof ScenarioError) return [...err.problems];
    throw err;
  }
}

describe('shipped scenarios', () => {
  const files = shippedScenarioFiles();

  it('include default.yaml', () => {
    expect(files.map((f) => path.basename(f))).to.include('default.yaml');
  });

  for (const file of files) {
    it(`${path.basename(file)} passes the schema and the cross-reference checks`, async () => {
      const loaded = await loadScenarioFile(file);
      const problems = scenarioProblems(loaded);
      expect(problems.map((p) => formatProblem(p))).to.deep.equal([]);
      const scenario = checkScenario(loaded);
      expect(scenario.name).to.equal(path.basename(file).replace(/\.ya?ml$/, ''));
    });
  }
});

describe('broken scenario corpus', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-broken-'));
  const cases = writeBrokenScenarios(dir);
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('has a case for each kind of error', () => {
    expect(cases.length).to.be.at.least(20);
  });

  for (const { name, file, expected } of cases) {
    it(`${name} reports exactly the expected problems`, async () => {
      const got = await problemsOf(file);
      const shown = got.map((p) => `${p.line}:${p.col} ${formatProblem(p)}`);
      for (const e of expected) {
        const match = got.find(
          (p) => p.line === e.line && p.col === e.col && formatProblem(p).includes(e.says),
        );
        expect(match, `expected ${e.line}:${e.col} "${e.says}"; got:\n${shown.join('\n')}`).to.not.be
          .undefined;
      }
      expect(got.length, `unexpected extra problems:\n${shown.join('\n')}`).to.equal(expected.length);
      for (const p of got) expect(p.file).to.equal(file);
    });
  }

  it('reports all three problems of a file with three, in one error', async () => {
    const three = cases.find((c) => c.name === 'three-problems')!;
    const loaded = await loadScenarioFile(three.file);
    let caught: unknown;
    try {
      checkScenario(loaded);
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(ScenarioError);
    const err = caught as ScenarioError;
    expect(err.exitCode).to.equal(2);
    expect(err.problems).to.have.length(3);
    const lines = err.message.split('\n');
    expect(lines).to.have.length(3);
    // One line per problem, top to bottom, each `file:line:col: message`.
    expect(lines.map((l) => Number(/\.yaml:(\d+):\d+: /.exec(l)?.[1]))).to.deep.equal(
      three.expected.map((e) => e.line),
    );
  });
});
