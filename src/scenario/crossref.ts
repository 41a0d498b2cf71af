// Rules the schema cannot express: names used in one place must be declared in another, ids must be unique,
// formulas must parse and use only the variables their field provides, ranges must not be upside down. The
// data may still be schema-invalid here (both kinds of problems are reported in one go), so every access is
// guarded: a part of the scenario with the wrong shape is skipped, its schema error already says why.
import { compileFormula, FormulaError } from '../expr/formula.js';
import type { LoadedScenario } from './load.js';
import type { Problem } from './problems.js';
import { ATTRIBUTE_ORDER } from '../plan/types.js';
import { closest, dottedPath, listOf, pointerSegment } from './suggest.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const ptr = (...segs: (string | number)[]): string => segs.map((s) => `/${pointerSegment(s)}`).join('');

/** Formula fields and the variables each may use. */
export const FORMULA_FIELDS: readonly { pointer: string; vars: readonly string[] }[] = [
  { pointer: '/territories/reps_per_region', vars: ['hcps', 'months', 'region_hcps'] },
  { pointer: '/territories/secondary_reps_per_region', vars: ['hcps', 'months', 'region_hcps'] },
  { pointer: '/territories/assignments_per_hcp', vars: ['hcps', 'months'] },
  { pointer: '/campaigns/count', vars: ['hcps', 'months'] },
  { pointer: '/stimuli/per_hcp_month', vars: ['hcps', 'months'] },
];

const DECILES = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];

class Reporter {
  readonly problems: Problem[] = [];
  constructor(private readonly loaded: LoadedScenario) {}

  at(pointer: string, message: string, hint?: string, key = false): void {
    const pos = key ? this.loaded.locateKey(pointer) : this.loaded.locate(pointer);
    this.problems.push({ file: this.loaded.file, ...pos, message, ...(hint ? { hint } : {}) });
  }

  inString(pointer: string, offset: number, message: string, hint?: string): void {
    const pos = this.loaded.locateInString(pointer, offset);
    this.problems.push({ file: this.loaded.file, ...pos, message, ...(hint ? { hint } : {}) });
  }

  /** `value` (at `pointer`) must be one of `declared`; `what` names the kind ("channel", "tier"). */
  declared(pointer: string, value: unknown, declared: ReadonlySet<string>, what: string, key = false): void {
    if (typeof value !== 'string' || declared.has(value)) return;
    // Numbers one digit apart are not typos of each other ("11" is no misspelt "1").
    const guess = /^\d+$/.test(value) ? undefined : closest(value, declared);
    // A bad mapping key is named in the message already; show the mapping's path, not `cases["11"]`.
    const path = key ? dottedPath(pointer.slice(0, pointer.lastIndexOf('/'))) : dottedPath(pointer);
    this.at(
      pointer,
      `${path}: "${value}" is not a declared ${what}`,
      guess
        ? `did you mean "${guess}"?`
        : declared.size
          ? `declared: ${listOf([...declared])}`
          : `declare it first`,
      key,
    );
  }

  /** Report items of `list` (at `listPointer`) whose `field` repeats an earlier one. */
  unique(listPointer: string, list: unknown[], field: string, what: string): Set<string> {
    const first = new Map<string, number>();
    list.forEach((item, i) => {
      const value = str(obj(item)?.[field]);
      if (value === undefined) return;
      const seen = first.get(value);
      if (seen === undefined) {
        first.set(value, i);
        return;
      }
      const firstLine = this.loaded.locate(`${listPointer}/${seen}/${field}`).line;
      this.at(
        `${listPointer}/${i}/${field}`,
        `duplicate ${what} "${value}" (already declared at line ${firstLine})`,
        `each ${what} must be unique`,
      );
    });
    return new Set(first.keys());
  }
}

function weightKeys(categorical: Obj | undefined): Set<string> {
  const keys = new Set(Object.keys(obj(categorical?.weights) ?? {}));
  for (const w of Object.values(obj(categorical?.cases) ?? {}))
    for (const k of Object.keys(obj(w) ?? {})) keys.add(k);
  return keys;
}

/** A set of weights where everything is 0 can choose nothing. */
function positiveTotal(r: Reporter, pointer: string, weights: number[], what: string): void {
  if (weights.length > 0 && weights.every((w) => w >= 0) && weights.reduce((a, b) => a + b, 0) === 0) {
    r.at(
      pointer,
      `${dottedPath(pointer)}: all ${what} weights are 0, so nothing can be chosen`,
      'make one positive',
    );
  }
}

export function crossrefProblems(loaded: LoadedScenario): Problem[] {
  const root = obj(loaded.data);
  if (!root) return [];
  const r = new Reporter(loaded);

  const products = r.unique('/products', arr(root.products), 'id', 'product id');
  let shareSum = 0;
  for (const p of arr(root.products)) shareSum += num(obj(p)?.volume_share) ?? 0;
  if (shareSum > 1 + 1e-9) {
    r.at(
      '/products',
      `products: volume_share adds up to ${shareSum}, more than 1`,
      'shares of one HCP baseline',
    );
  }

  // Population: what it declares is what everything else may refer to.
  const pop = obj(root.population);
  const specialtyList = arr(pop?.specialties);
  const specialties = r.unique('/population/specialties', specialtyList, 'code', 'specialty code');
  const specialtyNames = new Set(specialtyList.map((s) => str(obj(s)?.name)).filter((s) => s !== undefined));
  positiveTotal(
    r,
    '/population/specialties',
    specialtyList.map((s) => num(obj(s)?.weight) ?? 0),
    'specialty',
  );

  const regionList = arr(pop?.regions);
  const regions = r.unique('/population/regions', regionList, 'code', 'region code');
  r.unique('/population/regions', regionList, 'name', 'region name');
  const stateEntries: { pointer: string; state: Obj }[] = [];
  regionList.forEach((region, i) =>
    arr(obj(region)?.states).forEach((s, j) => {
      const state = obj(s);
      if (state) stateEntries.push({ pointer: ptr('population', 'regions', i, 'states', j), state });
    }),
  );
  const states = new Set<string>();
  const stateFirst = new Map<string, string>();
  for (const { pointer, state } of stateEntries) {
    const code = str(state.code);
    if (code === undefined) continue;
    const prior = stateFirst.get(code);
    if (prior !== undefined) {
      const line = loaded.locate(`${prior}/code`).line;
      r.at(
        `${pointer}/code`,
        `state ${code} is declared twice (first at line ${line})`,
        'a state belongs to one region',
      );
    } else stateFirst.set(code, pointer);
    states.add(code);
    const cities = arr(state.cities);
    positiveTotal(
      r,
      `${pointer}/cities`,
      cities.map((c) => num(obj(c)?.weight) ?? 1),
      'city',
    );
  }
  positiveTotal(
    r,
    '/population/regions',
    stateEntries.map((s) => num(s.state.weight) ?? 0),
    'state',
  );

  const values: Record<(typeof ATTRIBUTE_ORDER)[number], { set: ReadonlySet<string>; what: string }> = {
    specialty: { set: specialties, what: 'specialty code' },
    credential: { set: weightKeys(obj(pop?.credential)), what: 'credential' },
    region: { set: regions, what: 'region code' },
    state: { set: states, what: 'state code' },
    decile: { set: new Set(DECILES), what: 'decile' },
    tier: { set: weightKeys(obj(pop?.tier)), what: 'tier' },
    segment: { set: weightKeys(obj(pop?.segment)), what: 'segment' },
  };
  const tiers = values.tier.set;
  const segments = values.segment.set;

  for (const attr of ['credential', 'tier', 'segment'] as const) {
    const base = ptr('population', attr);
    const c = obj(pop?.[attr]);
    if (!c) continue;
    positiveTotal(
      r,
      `${base}/weights`,
      Object.values(obj(c.weights) ?? {}).map((w) => num(w) ?? 0),
      attr,
    );
    const by = str(c.by);
    const cases = obj(c.cases);
    if (by === undefined) {
      if (cases && Object.keys(cases).length > 0) {
        r.at(
          `${base}/cases`,
          `population.${attr} has cases but no "by"`,
          'add "by:" naming what the cases are',
        );
      }
      continue;
    }
    const earlier = ATTRIBUTE_ORDER.slice(0, ATTRIBUTE_ORDER.indexOf(attr));
    // Names that are no attribute at all (and segment, drawn last) are the schema's enum error already.
    if (!(ATTRIBUTE_ORDER as readonly string[]).includes(by) || by === 'segment') continue;
    if (!(earlier as readonly string[]).includes(by)) {
      r.at(
        `${base}/by`,
        `population.${attr}.by is "${by}", but ${attr} is drawn before ${by}`,
        `"by" can be: ${earlier.join(', ')}`,
      );
      continue;
    }
    const domain = values[by as (typeof ATTRIBUTE_ORDER)[number]];
    for (const [value, weights] of Object.entries(cases ?? {})) {
      r.declared(`${base}/cases/${pointerSegment(value)}`, value, domain.set, domain.what, true);
      const ws = Object.values(obj(weights) ?? {}).map((w) => num(w) ?? 0);
      positiveTotal(r, `${base}/cases/${pointerSegment(value)}`, ws, attr);
    }
  }

  // Channels and their outcomes.
  const channelList = arr(root.channels);
  const channels = r.unique('/channels', channelList, 'id', 'channel id');
  positiveTotal(
    r,
    '/channels',
    channelList.map((c) => num(obj(c)?.weight) ?? 0),
    'channel',
  );
  const outcomeTypes = new Map<string, Set<string>>();
  channelList.forEach((c, i) => {
    const channel = obj(c);
    if (!channel) return;
    const outcomes = arr(channel.outcomes);
    const types = r.unique(ptr('channels', i, 'outcomes'), outcomes, 'type', `outcome type of this channel`);
    const id = str(channel.id);
    if (id !== undefined && !outcomeTypes.has(id)) outcomeTypes.set(id, types);
    const total = outcomes.reduce<number>((a, o) => a + (num(obj(o)?.rate) ?? 0), 0);
    if (total > 1 + 1e-9) {
      r.at(
        ptr('channels', i, 'outcomes'),
        `channels[${i}] (${id ?? '?'}): outcome rates add up to ${+total.toFixed(6)}, more than 1`,
        'each rate is a share of the same stimuli; lower them',
      );
    }
    const hours = obj(channel.hours);
    const start = num(hours?.start);
    const end = num(hours?.end);
    if (start !== undefined && end !== undefined && start >= end) {
      r.at(ptr('channels', i, 'hours'), `channels[${i}].hours: start (${start}) must be before end (${end})`);
    }
    outcomes.forEach((o, j) =>
      checkDistribution(r, ptr('channels', i, 'outcomes', j, 'lag_hours'), obj(o)?.lag_hours),
    );
  });
  checkDistribution(r, '/population/prescribing_volume', pop?.prescribing_volume);

  // Campaigns refer to channels, products, specialties, tiers and segments.
  const types = arr(obj(root.campaigns)?.types);
  r.unique('/campaigns/types', types, 'name', 'campaign type name');
  positiveTotal(
    r,
    '/campaigns/types',
    types.map((t) => num(obj(t)?.weight) ?? 0),
    'campaign type',
  );
  types.forEach((t, i) => {
    const type = obj(t);
    if (!type) return;
    const base = ptr('campaigns', 'types', i);
    arr(type.channels).forEach((ch, j) => r.declared(`${base}/channels/${j}`, ch, channels, 'channel'));
    if (type.product !== undefined) r.declared(`${base}/product`, type.product, products, 'product');
    const targeting = obj(type.targeting);
    arr(targeting?.specialties).forEach((s, j) =>
      r.declared(`${base}/targeting/specialties/${j}`, s, specialties, 'specialty code'),
    );
    arr(targeting?.tiers).forEach((s, j) => r.declared(`${base}/targeting/tiers/${j}`, s, tiers, 'tier'));
    arr(targeting?.segments).forEach((s, j) =>
      r.declared(`${base}/targeting/segments/${j}`, s, segments, 'segment'),
    );
    checkDistribution(r, `${base}/duration_months`, type.duration_months);
  });

  for (const tier of Object.keys(obj(obj(root.stimuli)?.intensity_by_tier) ?? {})) {
    r.declared(`/stimuli/intensity_by_tier/${pointerSegment(tier)}`, tier, tiers, 'tier', true);
  }

  r.unique('/engagement/segments', arr(obj(root.engagement)?.segments), 'name', 'engagement segment name');

  // Validation checks name table values; those must exist or the check can never pass.
  const shareDomains: Record<string, { set: ReadonlySet<string>; what: string }> = {
    tier: values.tier,
    segment: values.segment,
    specialty: { set: new Set([...specialtyNames, ...specialties]), what: 'specialty' },
    taxonomy_code: values.specialty,
    credential: values.credential,
    region: { set: new Set([...regions, ...regionList.map((x) => str(obj(x)?.name) ?? '')]), what: 'region' },
    state: values.state,
    decile: values.decile,
  };
  arr(obj(root.validation)?.checks).forEach((c, i) => {
    const check = obj(c);
    if (!check) return;
    const base = ptr('validation', 'checks', i);
    const expected = obj(check.expected);
    const kind = str(check.kind);
    if (kind === 'share' || kind === 'channel_mix') {
      const domain =
        kind === 'channel_mix' ? { set: channels, what: 'channel' } : shareDomains[str(check.column) ?? ''];
      for (const [value, range] of Object.entries(expected ?? {})) {
        const at = `${base}/expected/${pointerSegment(value)}`;
        if (domain) r.declared(at, value, domain.set, domain.what, true);
        checkRange(r, at, range);
      }
    } else {
      checkRange(r, `${base}/expected`, check.expected);
    }
    if (kind === 'outcome_rate') {
      r.declared(`${base}/channel`, check.channel, channels, 'channel');
      const known = outcomeTypes.get(str(check.channel) ?? '');
      if (known) {
        arr(check.outcome_types).forEach((o, j) =>
          r.declared(
            `${base}/outcome_types/${j}`,
            o,
            known,
            `outcome type of channel ${String(check.channel)}`,
          ),
        );
      }
    }
  });

  for (const field of FORMULA_FIELDS) checkFormula(r, loaded, field.pointer, field.vars);
  return r.problems;
}

function checkRange(r: Reporter, pointer: string, range: unknown): void {
  const min = num(obj(range)?.min);
  const max = num(obj(range)?.max);
  if (min !== undefined && max !== undefined && min > max) {
    r.at(pointer, `${dottedPath(pointer)}: min (${min}) is greater than max (${max})`);
  }
}

function checkDistribution(r: Reporter, pointer: string, dist: unknown): void {
  checkRange(r, pointer, dist);
}

function checkFormula(r: Reporter, loaded: LoadedScenario, pointer: string, vars: readonly string[]): void {
  let node: unknown = loaded.data;
  for (const seg of pointer.split('/').slice(1)) node = obj(node)?.[seg];
  if (typeof node !== 'string' || node.trim() === '') return; // numbers need no parsing; "" is a schema error
  try {
    compileFormula(node, vars);
  } catch (err) {
    if (!(err instanceof FormulaError)) throw err;
    r.inString(pointer, err.offset, `${dottedPath(pointer)}: ${err.reason}`, `in formula "${node}"`);
  }
}
