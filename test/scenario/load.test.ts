import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { UserError } from '../../src/lib/errors.js';
import { loadScenarioFile, loadScenarioText } from '../../src/scenario/load.js';
import { displayPath, formatProblem, ScenarioError, type Problem } from '../../src/scenario/problems.js';

function problemsOf(text: string): Problem[] {
  try {
    loadScenarioText(text, 'x.yaml');
  } catch (err) {
    if (err instanceof ScenarioError) return [...err.problems];
    throw err;
  }
  return [];
}

const DOC = [
  'name: demo', //                               1
  'campaigns:', //                               2
  '  count: "min(500, hcps / 100)"', //         3
  '  types:', //                                 4
  '    - name: Wave', //                         5
  '      weight: 3', //                          6
  '      channels: [email, webinar]', //         7
  '      duration:', //                          8
  'stimuli: { per_hcp_month: 40 / 12 }', //      9
  '',
].join('\n');

describe('loadScenarioText', () => {
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'hcpgen-load-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('returns the data as plain objects', () => {
    const loaded = loadScenarioText(DOC, 'x.yaml');
    expect(loaded.data).to.deep.equal({
      name: 'demo',
      campaigns: {
        count: 'min(500, hcps / 100)',
        types: [{ name: 'Wave', weight: 3, channels: ['email', 'webinar'], duration: null }],
      },
      stimuli: { per_hcp_month: '40 / 12' },
    });
  });

  it('locates ajv instance paths at the value, block collections at their key', () => {
    const { locate, locateKey } = loadScenarioText(DOC, 'x.yaml');
    expect(locate('')).to.deep.equal({ line: 1, col: 1 });
    expect(locate('/campaigns/types/0/weight')).to.deep.equal({ line: 6, col: 15 });
    expect(locateKey('/campaigns/types/0/weight')).to.deep.equal({ line: 6, col: 7 });
    expect(locate('/campaigns/types/0/channels/1')).to.deep.equal({ line: 7, col: 25 });
    expect(locate('/campaigns/types')).to.deep.equal({ line: 4, col: 3 });
    expect(locate('/campaigns/types/0')).to.deep.equal({ line: 5, col: 7 });
    expect(locate('/stimuli/per_hcp_month')).to.deep.equal({ line: 9, col: 27 });
    // `duration:` with nothing after it: the key, not the empty spot after the colon.
    expect(locate('/campaigns/types/0/duration')).to.deep.equal({ line: 8, col: 7 });
  });

  it('locates a missing property at the mapping that lacks it', () => {
    const { locate } = loadScenarioText(DOC, 'x.yaml');
    expect(locate('/campaigns/types/0/product')).to.deep.equal({ line: 5, col: 7 });
    expect(locate('/campaigns/nope/deeper')).to.deep.equal({ line: 2, col: 1 });
    expect(locate('/campaigns/types/7')).to.deep.equal({ line: 4, col: 3 });
  });

  it('locates an offset inside a quoted or plain formula string', () => {
    const { locateInString } = loadScenarioText(DOC, 'x.yaml');
    // "min(500, hcps / 100)": the opening quote is at col 10, so offset 9 ("hcps") is col 20.
    expect(locateInString('/campaigns/count', 9)).to.deep.equal({ line: 3, col: 20 });
    expect(locateInString('/stimuli/per_hcp_month', 5)).to.deep.equal({ line: 9, col: 32 });
  });

  it('hashes the file bytes with sha256', async () => {
    const file = path.join(tmp, 'hash.yaml');
    writeFileSync(file, 'a: 1\n');
    // Independent value: `printf 'a: 1\n' | sha256sum`.
    const expected = '37b128c59f1f5097f73f82691cb519f1f568667faab5ced1b4ab979d36837eae';
    expect((await loadScenarioFile(file)).hash).to.equal(expected);
    expect(loadScenarioText('a: 1\n', 'x.yaml').hash).to.equal(expected);
  });

  it('rejects an empty file, a comment-only file and a null document', () => {
    for (const text of ['', '\n\n', '# nothing here\n']) {
      const [p, ...rest] = problemsOf(text);
      expect(rest).to.be.empty;
      expect(p).to.include({ line: 1, col: 1 });
      expect(p?.message).to.contain('the file is empty');
    }
    expect(problemsOf('~\n')[0]?.message).to.contain('this document is null');
  });

  it('rejects a document that is not a mapping, saying what it is', () => {
    expect(problemsOf('- a\n- b\n')[0]?.message).to.contain('this document is a list');
    expect(problemsOf('just words\n')[0]?.message).to.contain('a single string value');
    expect(problemsOf('\n\n42\n')[0]).to.include({ line: 3, col: 1 });
  });

  it('names a duplicate key and where it was first set', () => {
    const [p] = problemsOf('a:\n  b: 1\n  c: 2\n  b: 3\n');
    expect(p).to.include({ line: 4, col: 3 });
    expect(p?.message).to.equal('duplicate key "b": it is already set at line 2');
  });

  it('reports every YAML error, not only the first, and one per line', () => {
    const problems = problemsOf('a: 1\na: 2\nb:\n\tc: 1\nd: [1, 2\n');
    expect(problems.map((p) => p.line)).to.deep.equal([2, 4, 6]);
    expect(problems[1]?.message).to.equal('tab used for indentation');
  });

  it('reports a tab once, not the indentation errors it causes further down its section', () => {
    // Without the tab, every line is fine; yaml also flags the comment-separated keys after it.
    const text = 'a:\n  b: 1\n\tc: 2\n  # note\n  d: 3\n  e: { f: 1 }\ng: [1, 2\n';
    const problems = problemsOf(text);
    expect(problems.map((p) => [p.line, p.message.split(':')[0]])).to.deep.equal([
      [3, 'tab used for indentation'],
      [8, 'YAML syntax'],
    ]);
  });

  it('reports YAML warnings (an unknown tag) as problems too', () => {
    const [p] = problemsOf('a: !nope 1\n');
    expect(p).to.include({ line: 1, col: 4 });
    expect(p?.message).to.contain('Unresolved tag: !nope');
  });

  it('rejects a second document', () => {
    const [p] = problemsOf('a: 1\n---\nb: 2\n');
    expect(p).to.include({ line: 2, col: 1 });
    expect(p?.message).to.contain('second YAML document');
  });

  it('turns a missing file or a directory into a UserError that says so', async () => {
    const missing = path.join(tmp, 'nope.yaml');
    const err1 = await loadScenarioFile(missing).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err1).to.be.instanceOf(UserError);
    expect((err1 as UserError).message).to.equal(`scenario file "${missing}" does not exist.`);
    expect((err1 as UserError).exitCode).to.equal(2);
    const err2 = await loadScenarioFile(tmp).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err2 as UserError).message).to.contain('is a directory');
  });
});

describe('scenario files that attack the parser', () => {
  let tmp: string;
  before(() => (tmp = mkdtempSync(path.join(tmpdir(), 'hcpgen-attack-'))));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('answers an alias bomb ("billion laughs") with a located problem, not a hang or an internal error', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    lines.push('name: *a9');
    const problems = problemsOf(lines.join('\n'));
    expect(problems).to.have.length(1);
    expect(problems[0]).to.include({ line: 2, col: 10 });
    expect(problems[0]?.message).to.include('alias bomb');
    // A few aliases are fine.
    expect(problemsOf('base: &d { type: constant, value: 1 }\nother: *d\n')).to.deep.equal([]);
  });

  it('answers thousands of nesting levels with a located problem', () => {
    const problems = problemsOf(`name: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`);
    expect(problems).to.have.length(1);
    expect(problems[0]?.line).to.equal(1);
    expect(problems[0]?.message).to.equal('the document nests too deeply to read (thousands of levels)');
  });

  it('refuses a 50 MB file before parsing it, as a problem at 1:1', async () => {
    const file = path.join(tmp, 'huge.yaml');
    writeFileSync(file, `name: x\n${'# padding to make a huge file\n'.repeat(1_800_000)}`);
    const err = await loadScenarioFile(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(ScenarioError);
    const [p] = (err as ScenarioError).problems;
    expect(p).to.include({ file, line: 1, col: 1 });
    expect(p?.message).to.match(/^the file is 5\d\.\d MB, more than a scenario may be \(2\.0 MB\)$/);
    expect(() => loadScenarioText('x'.repeat(3 * 1024 * 1024), 'big.yaml')).to.throw(
      ScenarioError,
      /more than a scenario may be/,
    );
  });
});

describe('problem formatting', () => {
  it('prints file:line:col: message (hint) with the path relative to the working directory', () => {
    const file = path.join(process.cwd(), 'scenarios', 'x.yaml');
    const p: Problem = {
      file,
      line: 3,
      col: 7,
      message: 'unknown key "wieght"',
      hint: 'did you mean "weight"?',
    };
    expect(formatProblem(p)).to.equal('scenarios/x.yaml:3:7: unknown key "wieght" (did you mean "weight"?)');
    expect(formatProblem({ ...p, hint: undefined })).to.equal('scenarios/x.yaml:3:7: unknown key "wieght"');
  });

  it('keeps an absolute path that lies outside the working directory', () => {
    expect(displayPath('/elsewhere/x.yaml', '/work/main')).to.equal('/elsewhere/x.yaml');
    expect(displayPath('rel/x.yaml', '/work/main')).to.equal('rel/x.yaml');
  });

  it('sorts problems top to bottom in a ScenarioError', () => {
    const at = (line: number): Problem => ({ file: 'x.yaml', line, col: 1, message: `m${line}` });
    const err = new ScenarioError([at(9), at(2), at(5)]);
    expect(err.message).to.equal('x.yaml:2:1: m2\nx.yaml:5:1: m5\nx.yaml:9:1: m9');
    expect(err.hint).to.contain('3 problems');
  });
});
