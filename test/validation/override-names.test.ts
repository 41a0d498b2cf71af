// validation.derived.checks names that match no derived check are refused (lint, plan, generate) at the key's
// position, instead of silently changing nothing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { lintFile } from '../../src/scenario/lint.js';
import { ScenarioError } from '../../src/scenario/problems.js';
import { overrideNameProblems } from '../../src/validation/model/override-names.js';
import { planWithChecks } from '../../src/validation/plan-with-checks.js';
import { generate } from '../../src/index.js';

const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'scenarios', 'immunology-biologic.yaml');

describe('validation.derived.checks names', function () {
  this.timeout(120_000);
  let tmp: string;
  before(() => (tmp = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-override-names-'))));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  /** The fixture scenario with these override lines appended under validation.derived.checks. */
  function scenarioWith(name: string, lines: string[]): string {
    const text = readFileSync(FIXTURE, 'utf8');
    expect(text).to.not.match(/^validation:/m);
    const file = path.join(tmp, `${name}.yaml`);
    writeFileSync(
      file,
      `${text}validation:\n  derived:\n    checks:\n${lines.map((l) => `      ${l}\n`).join('')}`,
    );
    return file;
  }

  it('accepts families, single values and prefixes that match something', async () => {
    const file = scenarioWith('good', [
      'model.stimuli.channel: { sigmas: 6 }',
      'model.stimuli.channel.rte_email: off',
      'model.rx_history.*: { sigmas: 5 }',
      'model.hcp_profiles.tier_by*: off',
      'model.outcomes.rate.field_visit.*: off',
    ]);
    const r = await lintFile(file, overrideNameProblems);
    expect(r.problems).to.deep.equal([]);
    expect(r.ok).to.equal(true);
  });

  it('reports each unknown name at its key with a suggestion, in lint and before generate touches anything', async () => {
    const file = scenarioWith('typos', [
      'model.stimuli.channel: off',
      'model.stimulus.channel: off',
      'model.stimuli.channel.emial: { sigmas: 6 }',
      'model.rx_hist*: off',
      'model.stimuli.channel.zz*: off',
    ]);
    const lines = readFileSync(file, 'utf8').split('\n');
    const lineOf = (key: string): number => lines.findIndex((l) => l.trimStart().startsWith(key)) + 1;
    const r = await lintFile(file, overrideNameProblems);
    expect(r.ok).to.equal(false);
    expect(r.problems.map((p) => [p.line, p.col])).to.deep.equal([
      [lineOf('model.stimulus.channel:'), 7],
      [lineOf('model.stimuli.channel.emial:'), 7],
      [lineOf('model.stimuli.channel.zz*:'), 7],
    ]);
    expect(r.problems[0]!.message).to.contain("'model.stimulus.channel'");
    expect(r.problems[0]!.hint).to.contain('did you mean model.stimuli.channel?');
    // The value-level name lists the family's values, not every family.
    expect(r.problems[1]!.hint)
      .to.contain('model.stimuli.channel.rte_email')
      .and.not.contain('model.rx_history');

    const err = await planWithChecks(file, { seed: 1, asOf: '2025-12-31' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(ScenarioError);
    expect((err as ScenarioError).exitCode).to.equal(2);

    // A database nothing listens on: the scenario error has to come before any connection is tried.
    const genErr = await generate({
      scenario: file,
      hcps: 600,
      db: 'postgres://postgres@127.0.0.1:1/none',
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(genErr).to.be.instanceOf(ScenarioError);
    const out = path.join(tmp, 'out');
    const filesErr = await generate({ scenario: file, hcps: 600, out, format: 'csv' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(filesErr).to.be.instanceOf(ScenarioError);
    expect(existsSync(out)).to.equal(false);
  });
});
