// `hcpgen scenario new`: the new file is a working copy of its source that lints and compiles, with the source's
// own prose gone and a guide comment on every section; it never replaces a file by accident.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { parseDocument, isMap, isPair, isScalar } from 'yaml';
import { checkScenario } from '../../src/scenario/check.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { createScenarioFile } from '../../src/scenario/new-file.js';
import { planFor } from '../../src/scenario/plan-for.js';
import { ScenarioError } from '../../src/scenario/problems.js';
import { shippedScenarioFiles } from '../../src/scenario/resolve.js';
import { SECTION_GUIDE } from '../../src/scenario/scaffold.js';
import { UserError } from '../../src/lib/errors.js';
import { hcpgen } from '../reliability/cli.js';
import { writeBrokenScenarios } from '../fixtures/broken-scenarios.js';

function topLevelKeys(text: string): string[] {
  const doc = parseDocument(text);
  if (!isMap(doc.contents)) return [];
  return doc.contents.items.flatMap((p) => (isPair(p) && isScalar(p.key) ? [String(p.key.value)] : []));
}

/** The comment lines of a YAML text, without the leading `#` and blanks. */
function commentLines(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => /^\s*#/.test(l))
    .map((l) => l.replace(/^\s*#\s?/, '').trim())
    .filter((l) => l.length > 0);
}

describe('hcpgen scenario new', function () {
  this.timeout(120_000);
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-new-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  for (const source of shippedScenarioFiles()) {
    const from = path.basename(source, '.yaml');
    it(`from ${from}: a valid scenario named as asked, that compiles, with a guide instead of ${from}'s prose`, async () => {
      const r = await createScenarioFile({ name: 'immunology', from, dir: tmp });
      const file = path.join(tmp, 'immunology.yaml');
      expect(r.next).to.have.length(3);
      expect(r.next[0]).to.match(/^hcpgen scenario lint .*immunology\.yaml$/);
      const scenario = checkScenario(await loadScenarioFile(file));
      expect(scenario.name).to.equal('immunology');
      const planned = await planFor(file, { seed: 3, hcps: 500, months: 6, asOf: '2025-06-30' });
      expect(planned.plan.params.hcps).to.equal(500);

      const text = readFileSync(file, 'utf8');
      const original = readFileSync(source, 'utf8');
      // None of the source's comments survives (they are about its brand); its values do.
      const mine = new Set(commentLines(text));
      for (const line of commentLines(original).filter((l) => l.length > 30)) {
        expect(mine.has(line), `copied comment: ${line}`).to.equal(false);
      }
      // Every section carries its guide comment right above it.
      const lines = text.split('\n');
      for (const key of topLevelKeys(text).filter((k) => k !== '$schema')) {
        const at = lines.findIndex((l) => l.startsWith(`${key}:`));
        expect(lines[at - 1], `comment above ${key}`).to.match(/^# /);
      }
      expect(text).to.include('CHANGE:');
      // No copied validation block (its ranges were tuned for the source): the derived checks need none, and
      // a closing comment shows how to add business ranges.
      expect(topLevelKeys(text)).not.to.include('validation');
      expect(text).to.match(/^# validation: optional\./m);
    });
  }

  it('has guide text for every section a shipped scenario uses (but validation, which it leaves out)', () => {
    for (const source of shippedScenarioFiles()) {
      const keys = topLevelKeys(readFileSync(source, 'utf8')).filter(
        (k) => k !== '$schema' && k !== 'validation',
      );
      for (const key of keys) {
        expect(SECTION_GUIDE, `SECTION_GUIDE has no text for "${key}"`).to.have.property(key);
      }
    }
  });

  it('never replaces an existing file without --force, and refuses bad names and broken sources', async () => {
    const file = path.join(tmp, 'study.yaml');
    writeFileSync(file, 'keep me\n');
    const exists = await createScenarioFile({ name: 'study', from: 'default', dir: tmp }).catch(
      (e: unknown) => e,
    );
    expect(exists).to.be.instanceOf(UserError);
    expect((exists as Error).message).to.include('already exists; nothing was written');
    expect(readFileSync(file, 'utf8')).to.equal('keep me\n');
    await createScenarioFile({ name: 'study', from: 'default', dir: tmp, force: true });
    expect(readFileSync(file, 'utf8')).to.include('name: study');

    // A file where the directory should be: not "already exists", and nothing written.
    const underFile = await createScenarioFile({ name: 'x', from: 'default', dir: file }).catch(
      (e: unknown) => e,
    );
    expect(underFile).to.be.instanceOf(UserError);
    expect((underFile as Error).message).to.match(/^cannot create the directory .*study\.yaml: EEXIST/);
    expect(readFileSync(file, 'utf8')).to.include('name: study');

    const bad = await createScenarioFile({ name: '../evil', from: 'default', dir: tmp }).catch(
      (e: unknown) => e,
    );
    expect(bad).to.be.instanceOf(UserError);
    expect((bad as Error).message).to.include('cannot be a scenario name');

    const broken = writeBrokenScenarios(path.join(tmp, 'broken')).find((b) => b.name === 'negative-weight')!;
    const err = await createScenarioFile({ name: 'copy', from: broken.file, dir: tmp }).catch(
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(ScenarioError);
    expect(existsSync(path.join(tmp, 'copy.yaml'))).to.equal(false);
  });

  it('through the CLI: writes the file, prints the next commands, exits 0; 2 with a message on a clash', async () => {
    const args = ['scenario', 'new', 'respiratory', '--dir', tmp];
    const r = await hcpgen(args);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(
      /^Wrote .*respiratory\.yaml \(from default\)\. Next:\n {2}hcpgen scenario lint /,
    );
    expect(r.stdout).to.include('hcpgen generate --scenario');
    const again = await hcpgen(args);
    expect(again.status).to.equal(2);
    expect(again.stderr).to.match(/^hcpgen: .*respiratory\.yaml already exists; nothing was written\.\n/);
    const lint = await hcpgen(['scenario', 'lint', path.join(tmp, 'respiratory.yaml')]);
    expect(lint.status, lint.stdout).to.equal(0);
  });
});
