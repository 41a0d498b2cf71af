// What the study will look like, for `hcpgen plan`: the derived expectations (src/validation/model/
// expectations.ts) as rows for --json and as compact text, and two plans side by side for `plan --compare`.
import type { Plan } from '../../plan/types.js';
import { expectationsOf, MIN_HCPS, toleranceOf, type Expectations } from './expectations.js';

export interface ExpectationRow {
  /** The derived check's family, e.g. model.stimuli.channel. */
  check: string;
  key: string;
  /** What the value is, in words. */
  what: string;
  /** The expected value (a share 0..1, or a rate). */
  expected: number;
  /** ± around `expected` a correct run of this size stays within; null when the key is not judged at this size. */
  tolerance: number | null;
  /** Why the key is not judged at this size, when it is not. */
  unchecked?: string;
  /** The scenario field that sets it. */
  parameter: string;
  /** How plan prints the value where the share itself says little (a lag family: its median), and that value. */
  display?: string;
  displayValue?: number;
}

export interface ModelSummary {
  /** Standard deviations of every tolerance, and the comparisons they are spread over. */
  sigmas: number;
  comparisons: number;
  /** Runs below this many HCPs skip the derived checks. */
  minHcps: number;
  rows: ExpectationRow[];
}

export async function modelSummary(plan: Plan): Promise<ModelSummary> {
  const e = await expectationsOf(plan);
  return { sigmas: e.sigmas, comparisons: e.comparisons, minHcps: MIN_HCPS, rows: rowsOf(plan, e) };
}

function rowsOf(plan: Plan, e: Expectations): ExpectationRow[] {
  const sigmas = plan.validation.derived?.sigmas ?? e.sigmas;
  const small = plan.params.hcps < MIN_HCPS;
  return e.families.flatMap((f) =>
    f.keys.map((k): ExpectationRow => {
      const unchecked = small ? `the derived checks need at least ${MIN_HCPS} HCPs` : k.unchecked;
      const display = f.family.show?.(k.key, k.value.mean, f.params);
      return {
        check: f.family.name,
        key: k.key,
        what: f.family.what(k.key),
        expected: k.value.mean,
        tolerance: unchecked ? null : toleranceOf(k, e.hcps, sigmas),
        ...(unchecked ? { unchecked } : {}),
        parameter: f.family.parameter(plan, k.key),
        ...(display !== undefined ? { display: display.text, displayValue: display.value } : {}),
      };
    }),
  );
}

/** A value as plan prints it: shares as percentages, rates with three significant digits. */
function show(check: string, x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  if (check.endsWith('per_hcp_month')) return String(Number(x.toPrecision(3)));
  return `${Number((x * 100).toPrecision(3))}%`;
}

/** One line per family: its keys and expected values (tolerances in --json). */
export function renderSummary(s: ModelSummary, width = 110): string[] {
  const lines: string[] = [];
  const byCheck = new Map<string, ExpectationRow[]>();
  for (const r of s.rows) {
    // A conditional cell the plan rules out (tier 1 in decile 2) is a rule, not part of the picture.
    if (r.check.endsWith('_by') && r.expected === 0) continue;
    let list = byCheck.get(r.check);
    if (!list) byCheck.set(r.check, (list = []));
    list.push(r);
  }
  const nameWidth = Math.max(0, ...[...byCheck.keys()].map((n) => n.length - 'model.'.length));
  for (const [check, rows] of byCheck) {
    const head = `  ${check.slice('model.'.length).padEnd(nameWidth)}  `;
    let line = head;
    for (const r of rows) {
      const item = `${r.key} ${r.display ?? show(check, r.expected)}`;
      if (line.length + item.length + 2 > width && line !== head) {
        lines.push(line.trimEnd());
        line = ' '.repeat(head.length);
      }
      line += `${item}  `;
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

export interface ComparedRow {
  check: string;
  key: string;
  a: number | null;
  b: number | null;
  /** How plan prints each side, where not as a share (a lag's median). */
  aDisplay?: string;
  bDisplay?: string;
  /** The two differ by more than the larger tolerance (or one side lacks the key). */
  differs: boolean;
}

/** The rows of two summaries side by side, keys of either. */
export function compareSummaries(a: ModelSummary, b: ModelSummary): ComparedRow[] {
  const index = (s: ModelSummary): Map<string, ExpectationRow> =>
    new Map(s.rows.map((r) => [`${r.check}\u0000${r.key}`, r]));
  const ia = index(a);
  const ib = index(b);
  const keys = [...new Set([...ia.keys(), ...ib.keys()])];
  return keys.map((k): ComparedRow => {
    const ra = ia.get(k);
    const rb = ib.get(k);
    const [check, key] = k.split('\u0000') as [string, string];
    const shown = {
      ...(ra?.display !== undefined ? { aDisplay: ra.display } : {}),
      ...(rb?.display !== undefined ? { bDisplay: rb.display } : {}),
    };
    const a1 = ra?.expected ?? null;
    const b1 = rb?.expected ?? null;
    // A conditional cell ruled out on both sides (or ruled out on one, absent on the other) is no difference.
    if (check.endsWith('_by') && !a1 && !b1) return { check, key, a: a1, b: b1, ...shown, differs: false };
    if (!ra || !rb) return { check, key, a: a1, b: b1, ...shown, differs: true };
    const tol = Math.max(ra.tolerance ?? 0, rb.tolerance ?? 0, 1e-9);
    // A shown value (a median lag) is the reference's estimate, noisy by some 10% for a rare outcome: 25% apart is a difference.
    const da = ra.displayValue ?? 0;
    const db = rb.displayValue ?? 0;
    const shownDiffers = Math.abs(da - db) > 0.25 * Math.max(Math.abs(da), Math.abs(db));
    const differs = Math.abs(ra.expected - rb.expected) > tol || shownDiffers;
    return { check, key, a: ra.expected, b: rb.expected, ...shown, differs };
  });
}

/** The compared rows as text: every row that differs, marked, and a count of the ones that agree. */
export function renderComparison(rows: readonly ComparedRow[], nameA: string, nameB: string): string[] {
  const differing = rows.filter((r) => r.differs);
  const label = (r: ComparedRow): string => `${r.check.slice('model.'.length)} ${r.key}`;
  const w = Math.max(10, ...differing.map((r) => label(r).length));
  const cw = Math.max(12, nameA.length, nameB.length);
  const lines = [`  ${''.padEnd(w)}  ${nameA.padStart(cw)}  ${nameB.padStart(cw)}`];
  for (const r of differing) {
    const va = r.a === null ? '-' : (r.aDisplay ?? show(r.check, r.a));
    const vb = r.b === null ? '-' : (r.bDisplay ?? show(r.check, r.b));
    lines.push(`* ${label(r).padEnd(w)}  ${va.padStart(cw)}  ${vb.padStart(cw)}`);
  }
  lines.push(`  ${rows.length - differing.length} more values agree within their tolerances.`);
  return lines;
}
