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
});
