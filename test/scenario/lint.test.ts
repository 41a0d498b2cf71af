// lintFile reports what plan and generate would reject, not only what the schema and cross-references catch.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { lintFile } from '../../src/scenario/lint.js';
import { packageRoot } from '../../src/scenario/resolve.js';

describe('lintFile', function () {
  this.timeout(60_000);
  let tmp: string;
  before(() => (tmp = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-lint-'))));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('finds a problem only compiling can see (an in-person channel not delivered by a rep), with its position', async () => {
    const text = readFileSync(path.join(packageRoot(), 'scenarios', 'default.yaml'), 'utf8');
    const patched = text.replace('  - id: email\n', '  - id: email\n    in_person: true\n');
    expect(patched).to.not.equal(text);
    const file = path.join(tmp, 'in-person-email.yaml');
    writeFileSync(file, patched);
    const r = await lintFile(file);
    expect(r.ok).to.equal(false);
    const line =
      patched.split('\n').indexOf('    in_person: true', patched.split('\n').indexOf('  - id: email')) + 1;
    expect(r.problems.map((p) => [p.line, p.message])).to.deep.equal([
      [line, 'channel email is in_person but not rep_delivered'],
    ]);
  });

  it('evaluates formulas for every run hcpgen allows: a count negative only at large --hcps, a zero-rep region', async () => {
    const text = readFileSync(path.join(packageRoot(), 'scenarios', 'default.yaml'), 'utf8');
    const patched = text
      .replace(
        '  count: min(200, round(30 + hcps / 100))',
        '  count: min(200, round(30 + hcps / 100)) - round(hcps / 300)',
      )
      .replace(
        '  secondary_reps_per_region: max(1, ceil(region_hcps / 800))',
        '  secondary_reps_per_region: round(region_hcps / 800)',
      );
    const file = path.join(tmp, 'formulas.yaml');
    writeFileSync(file, patched);
    const r = await lintFile(file);
    expect(r.ok).to.equal(false);
    const lines = patched.split('\n');
    const lineOf = (prefix: string): number => lines.findIndex((l) => l.startsWith(prefix)) + 1;
    expect(r.problems.map((p) => [p.line, p.col])).to.deep.equal([
      [lineOf('  secondary_reps_per_region:'), 30],
      [lineOf('  count:'), 10],
    ]);
    expect(r.problems[0]!.message).to.match(
      /gives 0 at hcps=1, months=1, region_hcps=[0-9.]+, below the least allowed, 1$/,
    );
    // The default reaches 200 campaigns at 17,000 HCPs; hcps / 300 then overtakes it at 60,000.
    expect(r.problems[1]!.message).to.match(/gives -1 at hcps=60[0-9]{3}, months=1, which is negative$/);
    expect(r.problems[1]!.hint).to.include('hcps 1..10,000,000, months 1..60');
    // The shipped scenarios hold everywhere.
    expect((await lintFile(path.join(packageRoot(), 'scenarios', 'default.yaml'))).problems).to.deep.equal(
      [],
    );
  });
});
