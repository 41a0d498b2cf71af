// validation.derived.checks adjusts derived checks by name, and a name that matches none would silently change
// nothing: `model.stimulus.channel: off` (a typo) would leave model.stimuli.channel on and the user believing it
// off. Family names follow from the plan alone; the names of single values (model.stimuli.channel.email) are
// the model's keys, which only the reference run knows (~1 s), so those are checked only when some override
// names a value.
import type { Plan } from '../../plan/types.js';
import type { PlannedRun } from '../../scenario/plan-for.js';
import { ScenarioError, type Problem } from '../../scenario/problems.js';
import { closest, listOf, pointerSegment } from '../../scenario/suggest.js';
import { expectationsOf } from './expectations.js';
import { familiesFor } from './families.js';

/** Every override name of the plan that names no derived check, no value of one, and is no prefix of either. */
export async function unknownOverrideNames(plan: Plan): Promise<{ name: string; known: string[] }[]> {
  const names = Object.keys(plan.validation.derived?.checks ?? {});
  if (names.length === 0) return [];
  const families = familiesFor(plan).map((f) => f.name);
  const familyOf = (name: string): string | undefined => families.find((f) => name.startsWith(`${f}.`));
  // The values' names, drawn only when an override reaches below a family.
  const keyed = names.some((n) => familyOf(n.endsWith('*') ? n.slice(0, -1) : n) !== undefined);
  const values = keyed ? (await expectationsOf(plan)).families.flatMap((f) => f.keys.map((k) => k.name)) : [];
  const known = [...families, ...values];
  return names
    .filter((name) => {
      if (!name.endsWith('*')) return !known.includes(name);
      const prefix = name.slice(0, -1);
      return !known.some((k) => k.startsWith(prefix));
    })
    .map((name) => {
      const family = familyOf(name.endsWith('*') ? name.slice(0, -1) : name);
      return { name, known: family ? values.filter((v) => v.startsWith(`${family}.`)) : families };
    });
}

/** The unknown override names as problems at their keys in the scenario file. */
export async function overrideNameProblems(run: PlannedRun): Promise<Problem[]> {
  const unknown = await unknownOverrideNames(run.plan);
  return unknown.map(({ name, known }) => {
    const pos = run.loaded.locateKey(`/validation/derived/checks/${pointerSegment(name)}`);
    const guess = closest(name.replace(/\*$/, ''), known);
    return {
      file: run.loaded.file,
      line: pos.line,
      col: pos.col,
      message:
        `validation.derived.checks names '${name}', which ${name.endsWith('*') ? 'matches' : 'is'} no derived ` +
        'check of this scenario (nor a value of one), so it would change nothing',
      hint:
        `${guess ? `did you mean ${guess}? ` : ''}The names here are: ${listOf(known, 30)}; ` +
        '"hcpgen plan" lists every check with its values',
    };
  });
}

/** Refuses a run whose validation.derived.checks names a check that does not exist (exit 2, file:line:col). */
export async function assertKnownOverrideNames(run: PlannedRun): Promise<void> {
  const problems = await overrideNameProblems(run);
  if (problems.length > 0) throw new ScenarioError(problems);
}
