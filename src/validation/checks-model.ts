// The derived checks: one per family of src/validation/model/families.ts, each comparing every key the model
// can judge at this size with its expected value (src/validation/model/expectations.ts). They need no
// `validation:` block; validation.derived in the scenario can turn one off, change its sigmas, or replace its
// tolerance with a business range, by name (a family, one key, or a prefix ending in `*`).
import type { Plan } from '../plan/types.js';
import type { DerivedOverride } from '../scenario/scenario-types.js';
import type { Check, CheckResult } from './types.js';
import { fmt, formatRange, inRange } from './sql.js';
import { expectationsOf, MIN_HCPS, toleranceOf, type KeyExpectation } from './model/expectations.js';
import { familiesFor } from './model/families.js';
import { referenceModels } from './model/reference-models.js';
import { spreadAt } from './model/moments.js';

type Outcome = Omit<CheckResult, 'name' | 'category'>;

/** The override for a name: an exact name wins over the longest matching `prefix*`. */
/**
 * Starts drawing the derived checks' reference for `plan` (in a worker thread) before validation builds its
 * checks: generate calls it when the rows are loaded, so the draw overlaps the database's index builds instead
 * of holding up the derived checks. The checks later share the same draw (referenceModels is once per plan).
 */
export function prepareModelChecks(plan: Plan): void {
  if (plan.params.hcps >= MIN_HCPS) void referenceModels(plan);
}

export function overrideFor(plan: Plan, name: string): DerivedOverride | undefined {
  const table = plan.validation.derived?.checks ?? {};
  if (table[name] !== undefined) return table[name];
  let best: { length: number; value: DerivedOverride } | undefined;
  for (const [pattern, value] of Object.entries(table)) {
    if (!pattern.endsWith('*')) continue;
    const prefix = pattern.slice(0, -1);
    if (name.startsWith(prefix) && (!best || prefix.length > best.length))
      best = { length: prefix.length, value };
  }
  return best?.value;
}

interface Verdict {
  k: KeyExpectation;
  actual: number;
  ok: boolean;
  /** How far off, in the check's standard deviations (or 0 inside a business range). */
  sds: number;
  expected: string;
}

export function modelChecks(plan: Plan): Check[] {
  // A run too small to judge gets one line saying so, not one per family.
  if (plan.params.hcps < MIN_HCPS) {
    return [
      {
        name: 'model',
        category: 'model',
        run: () =>
          Promise.resolve({
            status: 'skip',
            expected: 'the model',
            actual: `n/a (${plan.params.hcps} HCPs: the derived checks need at least ${MIN_HCPS})`,
          }),
      },
    ];
  }
  // Started now, drawn in a worker while the checks before these run.
  void referenceModels(plan);
  return familiesFor(plan).map((f): Check => ({
    name: f.name,
    category: 'model',
    async run(q, ctx): Promise<Outcome> {
      const familyOverride = overrideFor(ctx.plan, f.name);
      if (familyOverride === 'off') {
        return { status: 'skip', expected: 'the model', actual: 'n/a (turned off in validation.derived)' };
      }
      const e = await expectationsOf(ctx.plan);
      const fam = e.families.find((x) => x.family.name === f.name);
      if (!fam) return { status: 'skip', expected: 'the model', actual: 'n/a (not in this plan)' };
      const judged = fam.keys.filter((k) => !k.unchecked && overrideFor(ctx.plan, k.name) !== 'off');
      if (judged.length === 0) {
        return {
          status: 'skip',
          expected: 'the model',
          actual: `n/a (${fam.keys[0]?.unchecked ?? 'nothing to judge'})`,
        };
      }
      const measured = await fam.family.measure(
        q,
        ctx,
        e.hcps,
        fam.params,
        fam.keys.map((k) => k.key),
      );
      const defaultSigmas = ctx.plan.validation.derived?.sigmas ?? e.sigmas;
      const verdicts = judged.map((k): Verdict => {
        const s = measured.get(k.key);
        const actual = s && s.t > 0 ? s.x / s.t : NaN;
        const o = overrideFor(ctx.plan, k.name);
        if (o !== undefined && o !== 'off' && (o.min !== undefined || o.max !== undefined)) {
          const ok = inRange(actual, o);
          return { k, actual, ok, sds: 0, expected: formatRange(o) };
        }
        const sigmas = (o !== 'off' ? o?.sigmas : undefined) ?? defaultSigmas;
        // A rule with nothing to apply to (no HCP with that by-value in this run) holds vacuously.
        if (k.certain && (!s || s.t === 0))
          return { k, actual, ok: true, sds: 0, expected: fmt(k.value.mean) };
        const tol = toleranceOf(k, e.hcps, sigmas);
        const off = Math.abs(actual - k.value.mean);
        const sd = k.certain ? 0 : spreadAt(k.value, e.hcps);
        return {
          k,
          actual,
          ok: Number.isFinite(actual) && off <= tol,
          sds: sd > 0 ? off / sd : off > 1e-9 ? Infinity : 0,
          expected: `${fmt(k.value.mean)} ± ${fmt(tol)}`,
        };
      });
      const bad = verdicts.filter((v) => !v.ok);
      const sigmaText = `${fmt(Number(defaultSigmas.toFixed(2)))}σ`;
      const expected = `${judged.length} value${judged.length === 1 ? '' : 's'} within ${sigmaText} of the model`;
      if (bad.length === 0) {
        const worst = verdicts.reduce((a, v) => (v.sds > a.sds ? v : a), verdicts[0]!);
        return {
          status: 'pass',
          expected,
          actual: `all within; farthest ${worst.k.key} ${fmt(worst.actual)} vs ${worst.expected} (${fmt(Number(worst.sds.toFixed(1)))}σ)`,
        };
      }
      bad.sort((a, b) => b.sds - a.sds);
      const listed = bad
        .slice(0, 3)
        .map(
          (v) =>
            `${v.k.key}: ${Number.isFinite(v.actual) ? fmt(v.actual) : 'no data'} against ${v.expected}` +
            ` (${f.what(v.k.key)}; set by ${f.parameter(ctx.plan, v.k.key)})`,
        )
        .join('; ');
      return {
        status: 'fail',
        expected,
        actual: `${bad.length} off the model`,
        offending: bad.length,
        samples: bad.map((v) => v.k.key).slice(0, 10),
        detail:
          `${listed}. The data does not follow the scenario's model: if it was edited after generation, regenerate; ` +
          `if the scenario is right and the data is not, that is a generator bug; to accept such data, set ` +
          `validation.derived.checks['${bad.length === 1 ? bad[0]!.k.name : f.name}'] to a range, more sigmas, or off.`,
      };
    },
  }));
}
