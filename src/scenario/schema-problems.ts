// Turns ajv's errors into problems a person can act on. Two things make raw ajv output unreadable: every
// branch of a oneOf reports its own errors (a bad distribution yields ~60 lines, one set per distribution
// type), and messages name no values. Here a failed oneOf is replaced by the errors of the one branch the
// author evidently meant (the one whose `type:`/`kind:` matches, or whose JSON type fits), re-validated on
// its own; and each error names the path, the bad value and, for typos, the closest valid word.
import type { Ajv, AnySchemaObject, ErrorObject } from 'ajv';
import type { LoadedScenario } from './load.js';
import type { Problem } from './problems.js';
import { closest, dottedPath, listOf, pointerSegment } from './suggest.js';

export interface SchemaContext {
  ajv: Ajv;
  /** $id under which the root schema is registered with `ajv`. */
  schemaId: string;
  /** JSON pointer of every object in the root schema, by identity (ajv's verbose errors keep identity). */
  pointers: Map<object, string>;
}

/** Index every sub-schema object of `root` by identity so a oneOf branch can be re-validated alone. */
export function indexSchema(root: unknown): Map<object, string> {
  const pointers = new Map<object, string>();
  const visit = (node: unknown, pointer: string): void => {
    if (node === null || typeof node !== 'object' || pointers.has(node)) return;
    pointers.set(node, pointer);
    for (const [k, v] of Object.entries(node)) visit(v, `${pointer}/${pointerSegment(k)}`);
  };
  visit(root, '');
  return pointers;
}

const COMBINATORS = new Set(['oneOf', 'anyOf']);

function within(path: string, parent: string): boolean {
  return path === parent || path.startsWith(`${parent}/`);
}

function valueAt(data: unknown, pointer: string): unknown {
  let node = data;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function describeValue(v: unknown): string {
  switch (jsonType(v)) {
    case 'null':
      return 'empty (null)';
    case 'array':
      return 'a list';
    case 'object':
      return 'a mapping';
    case 'string':
      return `the text ${JSON.stringify(v)}`;
    case 'boolean':
      return `the boolean ${String(v)}`;
    default:
      return `the number ${String(v)}`;
  }
}

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  integer: 'a whole number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
  null: 'empty',
};

function typeFits(type: unknown, v: unknown): boolean {
  const t = jsonType(v);
  const types = Array.isArray(type) ? (type as string[]) : [type as string];
  return types.some((x) => x === t || (x === 'number' && t === 'integer'));
}

/** A branch's discriminator: the property whose `const` tells the branches apart (`type`, `kind`). */
function discriminator(branches: AnySchemaObject[]): string | undefined {
  const first = branches[0]?.properties as Record<string, AnySchemaObject> | undefined;
  if (!first) return undefined;
  return Object.keys(first).find((key) =>
    branches.every(
      (b) => (b.properties as Record<string, AnySchemaObject> | undefined)?.[key]?.const !== undefined,
    ),
  );
}

function branchLabel(b: AnySchemaObject): string {
  if (b.const !== undefined) return JSON.stringify(b.const);
  if (b.enum) return `one of ${listOf(b.enum as unknown[])}`;
  if (b.type) return TYPE_NAMES[String(b.type)] ?? String(b.type);
  return 'another form';
}

type Located = { pointer: string; key?: boolean; message: string; hint?: string };

/** Replace each failed oneOf/anyOf (and the branch errors before it) with the meant branch's own errors. */
function simplify(errors: ErrorObject[], data: unknown, ctx: SchemaContext, out: Located[]): ErrorObject[] {
  const kept: ErrorObject[] = [];
  // Scan backwards: ajv emits a combinator's error right after all of its branches' errors, and an outer
  // combinator after its inner ones, so the first one met going back is the outermost.
  let k = errors.length - 1;
  while (k >= 0) {
    const e = errors[k] as ErrorObject;
    if (!COMBINATORS.has(e.keyword)) {
      kept.unshift(e);
      k--;
      continue;
    }
    let start = k;
    while (start > 0 && within((errors[start - 1] as ErrorObject).instancePath, e.instancePath)) start--;
    const replacement = explainCombinator(e, data, ctx, out);
    kept.unshift(...replacement);
    k = start - 1;
  }
  return kept;
}

function explainCombinator(e: ErrorObject, data: unknown, ctx: SchemaContext, out: Located[]): ErrorObject[] {
  const P = e.instancePath;
  const where = dottedPath(P) || 'the scenario';
  const branches = (Array.isArray(e.schema) ? e.schema : []) as AnySchemaObject[];
  const value = valueAt(data, P);
  if (e.keyword === 'oneOf' && (e.params as { passingSchemas?: unknown }).passingSchemas) {
    out.push({ pointer: P, message: `${where} fits more than one of its allowed forms` });
    return [];
  }
  let chosen: AnySchemaObject | undefined;
  const disc = discriminator(branches);
  if (disc !== undefined) {
    const allowed = branches.map(
      (b) => (b.properties as Record<string, AnySchemaObject>)[disc]?.const as unknown,
    );
    if (jsonType(value) !== 'object') {
      out.push({
        pointer: P,
        message: `${where} must be a mapping with "${disc}: ..." (one of ${listOf(allowed)}), not ${describeValue(value)}`,
      });
      return [];
    }
    const tag = (value as Record<string, unknown>)[disc];
    if (tag === undefined) {
      out.push({ pointer: P, message: `${where} is missing "${disc}"`, hint: `one of ${listOf(allowed)}` });
      return [];
    }
    chosen = branches.find((b) => (b.properties as Record<string, AnySchemaObject>)[disc]?.const === tag);
    if (!chosen) {
      const guess = typeof tag === 'string' ? closest(tag, allowed.map(String)) : undefined;
      out.push({
        pointer: `${P}/${pointerSegment(disc)}`,
        message: `${where}.${disc} is ${JSON.stringify(tag)}, which is not one of: ${listOf(allowed)}`,
        ...(guess ? { hint: `did you mean "${guess}"?` } : {}),
      });
      return [];
    }
  } else {
    const fitting = branches.filter((b) =>
      b.const !== undefined ? false : b.enum ? false : b.type === undefined || typeFits(b.type, value),
    );
    if (fitting.length === 0) {
      const forms = [...new Set(branches.map(branchLabel))];
      out.push({
        pointer: P,
        message: `${where} must be ${forms.join(' or ')}, not ${describeValue(value)}`,
      });
      return [];
    }
    chosen = fitting[0];
  }
  const pointer = chosen ? ctx.pointers.get(chosen) : undefined;
  const validate =
    pointer !== undefined ? ctx.ajv.getSchema(`${ctx.schemaId}#${encodeURI(pointer)}`) : undefined;
  if (!validate) {
    out.push({ pointer: P, message: `${where} is not valid: ${e.message ?? ''}` });
    return [];
  }
  validate(value);
  const inner = (validate.errors ?? []).map((x) => ({ ...x, instancePath: P + x.instancePath }));
  return simplify(inner, data, ctx, out);
}

function describe(e: ErrorObject, data: unknown): Located | undefined {
  const P = e.instancePath;
  const where = dottedPath(P);
  const subject = where || 'the scenario';
  const value = e.data !== undefined ? e.data : valueAt(data, P);
  const params = e.params as Record<string, unknown>;
  const props = Object.keys((e.parentSchema?.properties as object | undefined) ?? {});

  // Errors about a key's name (propertyNames) carry the offending key in `propertyName`.
  if (e.propertyName !== undefined) {
    const name = e.propertyName;
    const pointer = `${P}/${pointerSegment(name)}`;
    if (e.keyword === 'enum') {
      const allowed = (params.allowedValues as unknown[]) ?? [];
      const guess = closest(name, allowed.map(String));
      return {
        pointer,
        key: true,
        message: `${where ? `${where}: ` : ''}unknown key "${name}"`,
        hint: guess ? `did you mean "${guess}"?` : `allowed keys: ${listOf(allowed)}`,
      };
    }
    if (e.keyword === 'pattern') {
      return {
        pointer,
        key: true,
        message: `${where ? `${where}: ` : ''}key "${name}" is not allowed here`,
        hint: `keys must match ${String(params.pattern)}`,
      };
    }
    return {
      pointer,
      key: true,
      message: `${where ? `${where}: ` : ''}key "${name}" ${e.message ?? 'is not valid'}`,
    };
  }

  switch (e.keyword) {
    case 'propertyNames':
      return undefined; // reported by the inner error, which names the key
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const guess = closest(name, props);
      return {
        pointer: `${P}/${pointerSegment(name)}`,
        key: true,
        message: `${where ? `${where}: ` : ''}unknown key "${name}"`,
        hint: guess
          ? `did you mean "${guess}"?`
          : props.length
            ? `allowed keys: ${listOf(props)}`
            : undefined,
      };
    }
    case 'required':
      return {
        pointer: P,
        message: `${subject} is missing required key "${String(params.missingProperty)}"`,
      };
    case 'type': {
      const want = String(params.type)
        .split(',')
        .map((t) => TYPE_NAMES[t] ?? t)
        .join(' or ');
      return { pointer: P, message: `${subject} must be ${want}, not ${describeValue(value)}` };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]) ?? [];
      const guess = typeof value === 'string' ? closest(value, allowed.map(String)) : undefined;
      return {
        pointer: P,
        message: `${subject} is ${JSON.stringify(value)}, which is not one of: ${listOf(allowed)}`,
        ...(guess ? { hint: `did you mean "${guess}"?` } : {}),
      };
    }
    case 'const':
      return { pointer: P, message: `${subject} must be ${JSON.stringify(params.allowedValue)}` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        pointer: P,
        message: `${subject} must be ${String(params.comparison)} ${String(params.limit)}, but it is ${String(value)}`,
      };
    case 'minItems':
    case 'maxItems': {
      const n = Number(params.limit);
      const word = e.keyword === 'minItems' ? 'at least' : 'at most';
      return { pointer: P, message: `${subject} must list ${word} ${n} item${n === 1 ? '' : 's'}` };
    }
    case 'minProperties':
    case 'maxProperties': {
      const n = Number(params.limit);
      const word = e.keyword === 'minProperties' ? 'at least' : 'at most';
      return { pointer: P, message: `${subject} must have ${word} ${n} entr${n === 1 ? 'y' : 'ies'}` };
    }
    case 'minLength':
      return Number(params.limit) === 1
        ? { pointer: P, message: `${subject} must not be empty` }
        : { pointer: P, message: `${subject} must be at least ${String(params.limit)} characters long` };
    case 'maxLength':
      return { pointer: P, message: `${subject} must be at most ${String(params.limit)} characters long` };
    case 'pattern': {
      const description =
        typeof e.parentSchema?.description === 'string' ? e.parentSchema.description : undefined;
      return {
        pointer: P,
        message: `${subject} is ${JSON.stringify(value)}, which is not in the expected format`,
        hint: description ?? `it must match ${String(params.pattern)}`,
      };
    }
    case 'uniqueItems': {
      // Point at the later of the two equal items: the repeat.
      const i = Math.max(Number(params.i), Number(params.j));
      const item = Array.isArray(value) ? value[i] : undefined;
      return {
        pointer: `${P}/${i}`,
        message: `${subject} lists ${JSON.stringify(item)} more than once`,
        hint: 'remove the repeat',
      };
    }
    default:
      return { pointer: P, message: `${subject} ${e.message ?? 'is not valid'}` };
  }
}

/** Every ajv error of one validation, as problems positioned in the scenario file. */
export function schemaProblems(
  errors: readonly ErrorObject[],
  loaded: LoadedScenario,
  ctx: SchemaContext,
): Problem[] {
  const located: Located[] = [];
  for (const e of simplify([...errors], loaded.data, ctx, located)) {
    const l = describe(e, loaded.data);
    if (l) located.push(l);
  }
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const l of located) {
    const pos = l.key ? loaded.locateKey(l.pointer) : loaded.locate(l.pointer);
    const p: Problem = { file: loaded.file, ...pos, message: l.message, ...(l.hint ? { hint: l.hint } : {}) };
    const id = `${p.line}:${p.col}:${p.message}`;
    if (!seen.has(id)) {
      seen.add(id);
      problems.push(p);
    }
  }
  return problems;
}
