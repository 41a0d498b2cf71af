// Every shipped scenario passes; every broken fixture fails with exactly the problems its header expects
// ("# expect: LINE:COL message fragment"), positions included. The fixtures are small edits of
// scenarios/default.yaml, so they stay realistic; their expected positions were computed by plain text
// search for the edited spot, not by the loader under test.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { checkScenario, scenarioProblems } from '../../src/scenario/check.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { formatProblem, ScenarioError, type Problem } from '../../src/scenario/problems.js';
import { packageRoot, shippedScenarioFiles } from '../../src/scenario/resolve.js';

const BROKEN = path.join(packageRoot(), 'test', 'fixtures', 'scenarios', 'broken');

async function problemsOf(file: string): Promise<Problem[]> {
  try {
    return scenarioProblems(await loadScenarioFile(file));
  } catch (err) {
    if (err instanceof ScenarioError) return [...err.problems];
    throw err;
  }
}

interface Expectation {
  line: number;
  col: number;
  fragment: string;
}

function expectations(file: string): Expectation[] {
  const out: Expectation[] = [];
  for (const m of readFileSync(file, 'utf8').matchAll(/^# expect: (\d+):(\d+) (.+)$/gm)) {
    out.push({ line: Number(m[1]), col: Number(m[2]), fragment: m[3] as string });
  }
  return out;
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
  const files = readdirSync(BROKEN)
    .filter((f) => f.endsWith('.yaml'))
    .sort();

  it('has a fixture for each kind of error', () => {
    expect(files.length).to.be.at.least(20);
  });

  for (const name of files) {
    const file = path.join(BROKEN, name);
    it(`${name} reports exactly the expected problems`, async () => {
      const expected = expectations(file);
      expect(expected, 'fixture has no "# expect:" header').to.not.be.empty;
      const got = await problemsOf(file);
      const shown = got.map((p) => `${p.line}:${p.col} ${formatProblem(p)}`);
      for (const e of expected) {
        const match = got.find(
          (p) => p.line === e.line && p.col === e.col && formatProblem(p).includes(e.fragment),
        );
        expect(match, `expected ${e.line}:${e.col} "${e.fragment}"; got:\n${shown.join('\n')}`).to.not.be
          .undefined;
      }
      expect(got.length, `unexpected extra problems:\n${shown.join('\n')}`).to.equal(expected.length);
      for (const p of got) expect(p.file).to.equal(file);
    });
  }

  it('reports all three problems of a file with three, in one error', async () => {
    const loaded = await loadScenarioFile(path.join(BROKEN, 'three-problems.yaml'));
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
    expect(lines.map((l) => Number(/\.yaml:(\d+):\d+: /.exec(l)?.[1]))).to.deep.equal([19, 347, 351]);
  });
});
