// No scenario text, however wrong, may produce an internal error: every shipped scenario is mutated (values
// replaced by other types, out-of-range numbers, broken formulas, keys deleted, unknown keys added), and each
// mutant must either load, check and compile, or fail with an HcpgenError (which the CLI prints as a clean
// message). A few mutants that compile are also generated (to CSV, tiny) to reach the steps.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { parse, stringify } from 'yaml';
import { generateFiles } from '../../src/files/generate-files.js';
import { HcpgenError } from '../../src/lib/errors.js';
import { generatorVersion } from '../../src/lib/package-info.js';
import { streamFor } from '../../src/random/keyed.js';
import { checkScenario } from '../../src/scenario/check.js';
import { compile } from '../../src/scenario/compile.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { shippedScenarioFiles } from '../../src/scenario/resolve.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path into the data, containers included. */
function paths(
  value: Json,
  at: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  if (at.length > 0) out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...at, i], out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
  return out;
}

const REPLACEMENTS: Json[] = [
  -1,
  0,
  1e308,
  -1e308,
  0.5,
  1e9,
  'NaN',
  '',
  'x',
  'hcps / 0',
  'sqrt(0 - hcps)',
  '1e400',
  true,
  null,
  [],
  {},
  [1, 2],
  { a: 1 },
  'Tier 9',
  '-',
  '9999-99-99',
  '2024-02-30',
];

/** Mutant `i` of `data`: a deterministic choice of path and change. */
function mutate(data: Json, i: number, seed: number): { text: string; what: string } {
  const rng = streamFor(seed, 'fuzz', i, 'mutation');
  const copy = structuredClone(data) as { [k: string]: Json };
  const all = paths(copy);
  const at = all[Math.floor(rng.next() * all.length)]!;
  const parent = at
    .slice(0, -1)
    .reduce<Json>((n, k) => (n as Record<string | number, Json>)[k]!, copy) as Record<string | number, Json>;
  const key = at.at(-1)!;
  const kind = rng.next();
  let what: string;
  if (kind < 0.15 && !Array.isArray(parent)) {
    delete parent[key];
    what = `delete ${at.join('.')}`;
  } else if (kind < 0.25 && !Array.isArray(parent)) {
    parent[`${String(key)}_x`] = parent[key]!;
    what = `add unknown key ${at.join('.')}_x`;
  } else {
    const value = REPLACEMENTS[Math.floor(rng.next() * REPLACEMENTS.length)]!;
    parent[key] = value;
    what = `${at.join('.')} = ${JSON.stringify(value)}`;
  }
  return { text: stringify(copy), what };
}

/** What the mutant did: 'ok' (compiled), 'rejected' (a clean error), or the unexpected error. */
function tryMutant(
  text: string,
): { outcome: 'ok' | 'rejected'; error?: unknown } | { outcome: 'bug'; error: unknown } {
  try {
    const loaded = loadScenarioText(text, 'mutant.yaml');
    const scenario = checkScenario(loaded);
    const source = {
      name: scenario.name,
      file: loaded.file,
      hash: loaded.hash,
      locate: (pointer: string, offset: number) => loaded.locateInString(pointer, offset),
    };
    compile(scenario, source, { seed: 1, hcps: 40, months: 2, asOf: '2025-06-30' }, generatorVersion);
    return { outcome: 'ok' };
  } catch (err) {
    return err instanceof HcpgenError ? { outcome: 'rejected', error: err } : { outcome: 'bug', error: err };
  }
}

describe('fuzzed scenarios never cause an internal error', function () {
  this.timeout(600_000);
  // HCPGEN_FUZZ_MUTANTS=1000 for a longer hunt; the suite runs a fixed, deterministic 60 per scenario.
  const MUTANTS = Number(process.env.HCPGEN_FUZZ_MUTANTS ?? 60);

  for (const file of shippedScenarioFiles()) {
    const name = path.basename(file);
    it(`${MUTANTS} mutants of ${name} load, check and compile, or are rejected with a clean error`, async () => {
      const data = parse(readFileSync(file, 'utf8')) as Json;
      const bugs: string[] = [];
      const compiled: string[] = [];
      let rejected = 0;
      for (let i = 0; i < MUTANTS; i++) {
        const m = mutate(data, i, 2026);
        const r = tryMutant(m.text);
        if (r.outcome === 'bug') bugs.push(`${m.what}: ${(r.error as Error)?.stack ?? String(r.error)}`);
        else if (r.outcome === 'ok') compiled.push(m.text);
        else rejected++;
      }
      expect(bugs, bugs.join('\n\n')).to.deep.equal([]);
      // The fuzzer must exercise both sides, or it proves nothing.
      expect(rejected, 'mutants rejected').to.be.greaterThan(MUTANTS / 4);
      expect(compiled.length, 'mutants that compiled').to.be.greaterThan(0);

      // The steps too, for a few that compiled: tiny CSV outputs, no validation.
      const tmp = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-fuzz-'));
      try {
        for (const [k, text] of compiled.slice(0, 3).entries()) {
          const scenario = path.join(tmp, `mutant-${k}.yaml`);
          writeFileSync(scenario, text);
          try {
            await generateFiles({
              scenario,
              hcps: 30,
              months: 2,
              seed: 1,
              asOf: '2025-06-30',
              workers: 0,
              quiet: true,
              out: path.join(tmp, `out-${k}`),
              format: 'csv',
            });
          } catch (err) {
            if (!(err instanceof HcpgenError))
              bugs.push(`generate mutant ${k}: ${(err as Error).stack ?? String(err)}`);
          }
        }
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
      expect(bugs, bugs.join('\n\n')).to.deep.equal([]);
    });
  }
});
