// Hundreds of mutated copies of the default scenario through load -> check -> compile (the chain of
// src/scenario/plan-for.ts): each ends in a plan or in a UserError; a ScenarioError names file:line:col.
// Never any other exception. Mutations come from keyed streams: the same mutants on every run.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { UserError } from '../../src/lib/errors.js';
import { streamFor, type KeyedRng } from '../../src/random/keyed.js';
import { checkScenario } from '../../src/scenario/check.js';
import { compile } from '../../src/scenario/compile.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { ScenarioError } from '../../src/scenario/problems.js';
import { ROOT } from './cli.js';

const MUTANTS = 150;
const FILE = 'fuzz.yaml';
const ORIGINAL = readFileSync(path.join(ROOT, 'scenarios', 'default.yaml'), 'utf8');
const JUNK = ['\t', '[', ']', '{', '}', '"', "'", ':', '- ', '#', '&a', '*a', '!!str ', '\n', ' ', '%', '|'];
const NUMBERS = [
  '1e308',
  '-1e308',
  '-1',
  '-0',
  'NaN',
  '.nan',
  '.inf',
  '-.inf',
  'Infinity',
  '99999999999999999999',
  '0',
  '0.5',
];

function pick<T>(rng: KeyedRng, items: readonly T[]): T {
  return items[Math.floor(rng.next() * items.length)]!;
}

function mutate(text: string, rng: KeyedRng): string {
  let lines = text.split('\n');
  const edits = 1 + Math.floor(rng.next() * 4);
  for (let e = 0; e < edits; e++) {
    const i = Math.floor(rng.next() * lines.length);
    const line = lines[i] ?? '';
    switch (Math.floor(rng.next() * 7)) {
      case 0: // delete a line
        lines.splice(i, 1);
        break;
      case 1: // duplicate a line
        lines.splice(i, 0, line);
        break;
      case 2: {
        // swap two characters
        const c = Math.floor(rng.next() * Math.max(1, line.length - 1));
        lines[i] = line.slice(0, c) + line.charAt(c + 1) + line.charAt(c) + line.slice(c + 2);
        break;
      }
      case 3: // a number becomes huge, negative, NaN or a string
        lines[i] = line.replace(/\d+(\.\d+)?/, pick(rng, NUMBERS));
        break;
      case 4: {
        // insert junk
        const c = Math.floor(rng.next() * (line.length + 1));
        lines[i] = line.slice(0, c) + pick(rng, JUNK) + line.slice(c);
        break;
      }
      case 5: // truncate the file
        lines = lines.slice(0, i);
        break;
      default: // a formula gets an operator or a function it may not like
        lines[i] = line.replace(
          /: (.*hcps.*)$/,
          (_, f: string) => `: ${f}${pick(rng, [' / 0', ' - 1e9', ' * -1', ' + sqrt(-1)', ' +', ')'])}`,
        );
    }
  }
  return lines.join('\n');
}

describe('scenario loader fuzzing', function () {
  it(`ends ${MUTANTS} mutated scenarios in a plan or a UserError, never another exception`, function () {
    const outcomes = { plan: 0, scenarioError: 0, userError: 0 };
    for (let n = 0; n < MUTANTS; n++) {
      const text = mutate(ORIGINAL, streamFor(8, 'fuzz', n, 'mutation'));
      try {
        const loaded = loadScenarioText(text, FILE);
        const scenario = checkScenario(loaded);
        compile(
          scenario,
          {
            name: scenario.name,
            file: FILE,
            hash: loaded.hash,
            locate: (p, o) => loaded.locateInString(p, o),
          },
          { seed: 42, hcps: 2000, months: 12, asOf: '2025-12-31' },
          'fuzz',
        );
        outcomes.plan++;
      } catch (err) {
        if (err instanceof ScenarioError) {
          outcomes.scenarioError++;
          for (const line of err.message.split('\n'))
            expect(line, `mutant ${n}`).to.match(/^fuzz\.yaml:\d+:\d+: \S/);
        } else if (err instanceof UserError) {
          outcomes.userError++;
        } else {
          throw new Error(`mutant ${n} ended in ${String(err)}:\n${text}`, { cause: err });
        }
      }
    }
    // The mutations reach past the parser: some mutants are valid, most are not, at every stage.
    expect(outcomes.plan).to.be.above(10);
    expect(outcomes.scenarioError).to.be.above(MUTANTS / 2);
  });
});
