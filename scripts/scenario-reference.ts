// The scenario field reference (docs/scenario-reference.md), generated from schemas/scenario.schema.json: one table
// per object of the format, each key with its type, whether it is required, its description and an example. The
// example is the schema's own (`examples`), else the value a shipped scenario gives that key, so every example is
// one the tool accepts. `npm run reference:update` rewrites the file; test/scenario/reference.test.ts fails when
// it drifts from the schema, or when a key has no description or no example.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

type Schema = {
  type?: string | string[];
  description?: string;
  examples?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  oneOf?: Schema[];
  anyOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  $ref?: string;
  title?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  default?: unknown;
  definitions?: Record<string, Schema>;
};

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const REFERENCE_FILE = path.join(ROOT, 'docs', 'scenario-reference.md');
const SCHEMA_FILE = path.join(ROOT, 'schemas', 'scenario.schema.json');
const EXAMPLE_SCENARIOS = ['default.yaml', 'oncology-launch.yaml'];

/** One object of the format: where it sits (a path such as `channels[].outcomes[]`) and its keys. */
interface Table {
  title: string;
  anchor: string;
  intro?: string;
  /** Data paths where this object occurs (for examples from the shipped scenarios). */
  at: string[][];
  node: Schema;
  /** For a variant of a oneOf: the discriminating key and value. */
  variant?: { key: string; value: unknown };
}

export interface Gap {
  path: string;
  missing: 'description' | 'example';
}

const defName = (ref: string): string => ref.replace('#/definitions/', '');
const anchorOf = (title: string): string =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

function discriminator(variant: Schema): { key: string; value: unknown } | undefined {
  for (const [key, p] of Object.entries(variant.properties ?? {}))
    if (p.const !== undefined) return { key, value: p.const };
  return undefined;
}

/** The values at a data path (`*` steps into every list element) in each example scenario. */
function valuesAt(data: unknown[], at: string[]): unknown[] {
  let current = data;
  for (const step of at) {
    const next: unknown[] = [];
    for (const v of current) {
      if (step === '*') {
        if (Array.isArray(v)) next.push(...v);
        else if (v && typeof v === 'object') next.push(...Object.values(v));
      } else if (v && typeof v === 'object' && !Array.isArray(v) && step in v) {
        next.push((v as Record<string, unknown>)[step]);
      }
    }
    current = next;
  }
  return current;
}

function inline(value: unknown): string {
  const text =
    typeof value === 'string'
      ? value
      : stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).trim().replace(/\n\s*/g, ' ');
  const short = text.length > 90 ? `${text.slice(0, 87)}...` : text;
  return `\`${short.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

export class ReferenceBuilder {
  readonly tables: Table[] = [];
  readonly gaps: Gap[] = [];
  private readonly definitionTables = new Map<string, Table[]>();
  private readonly data: unknown[];

  constructor(
    private readonly schema: Schema,
    examples: unknown[],
  ) {
    this.data = examples;
    this.addObject('Top level', [[]], schema, 'The keys of a scenario file.');
  }

  private definition(name: string): Schema {
    const d = this.schema.definitions?.[name];
    if (!d) throw new Error(`schema: no definition ${name}`);
    return d;
  }

  /** Registers the object tables under `node` (an object, or a oneOf of objects) found at data paths `at`. */
  private addObject(title: string, at: string[][], node: Schema, intro?: string): void {
    if (node.oneOf && node.oneOf.every((v) => v.properties)) {
      for (const variant of node.oneOf) {
        const d = discriminator(variant);
        const name = d
          ? `${title} (${d.key}: ${String(d.value)})`
          : `${title} (${variant.title ?? 'variant'})`;
        this.pushTable({
          title: name,
          anchor: anchorOf(name),
          at,
          node: variant,
          ...(d ? { variant: d } : {}),
          intro: variant.description ?? intro,
        });
      }
      return;
    }
    this.pushTable({ title, anchor: anchorOf(title), at, node, ...(intro ? { intro } : {}) });
  }

  private pushTable(table: Table): void {
    // A section and a shared definition may have the same name (targeting): keep the titles and anchors apart.
    if (this.tables.some((t) => t.title === table.title)) {
      table.title = `${table.title} (shared definition)`;
      table.anchor = anchorOf(table.title);
    }
    this.tables.push(table);
    for (const [key, prop] of Object.entries(table.node.properties ?? {})) {
      this.addNested(
        `${table.title === 'Top level' ? '' : `${table.title.replace(/ \(.*\)$/, '')}.`}${key}`,
        table.at.map((a) => [...a, key]),
        prop,
      );
    }
  }

  /** Nested objects and lists of objects get tables of their own; definitions are documented once. */
  private addNested(title: string, at: string[][], prop: Schema): void {
    if (prop.$ref) {
      const name = defName(prop.$ref);
      const known = this.definitionTables.get(name);
      if (known) {
        for (const t of known) t.at.push(...at);
        return;
      }
      const def = this.definition(name);
      if (def.properties || def.oneOf?.every((v) => v.properties)) {
        const before = this.tables.length;
        this.addObject(name, [...at], def, def.description);
        this.definitionTables.set(
          name,
          this.tables.slice(before).filter((t) => t.title.startsWith(name)),
        );
      } else {
        this.definitionTables.set(name, []);
      }
      return;
    }
    if (prop.properties || prop.oneOf?.every((v) => v.properties))
      this.addObject(title, at, prop, prop.description);
    else if (prop.items)
      this.addNested(
        `${title}[]`,
        at.map((a) => [...a, '*']),
        prop.items,
      );
    else if (typeof prop.additionalProperties === 'object') {
      this.addNested(
        `${title}.<name>`,
        at.map((a) => [...a, '*']),
        prop.additionalProperties,
      );
    }
  }

  typeOf(p: Schema): string {
    if (p.$ref) {
      const name = defName(p.$ref);
      const def = this.definition(name);
      const first = this.definitionTables.get(name)?.[0];
      return first ? `[${name}](#${first.anchor})` : this.typeOf(def);
    }
    if (p.const !== undefined) return `\`${JSON.stringify(p.const)}\``;
    if (p.enum) return `one of ${p.enum.map((v) => `\`${String(v)}\``).join(', ')}`;
    const alt = p.oneOf ?? p.anyOf;
    if (alt) return alt.map((a) => this.typeOf(a)).join(' or ');
    if (p.items) return `list of ${this.typeOf(p.items)}`;
    if (p.type === 'object' || p.properties) {
      if (typeof p.additionalProperties === 'object')
        return `map of name to ${this.typeOf(p.additionalProperties)}`;
      return 'object';
    }
    const t = Array.isArray(p.type) ? p.type.join(' or ') : (p.type ?? 'any');
    const bounds = [
      p.minimum !== undefined ? `>= ${p.minimum}` : '',
      p.exclusiveMinimum !== undefined ? `> ${p.exclusiveMinimum}` : '',
      p.maximum !== undefined ? `<= ${p.maximum}` : '',
    ].filter(Boolean);
    return bounds.length > 0 ? `${t} (${bounds.join(', ')})` : t;
  }

  private example(table: Table, key: string, prop: Schema): string | undefined {
    if (prop.examples?.length) return inline(prop.examples[0]);
    if (prop.const !== undefined) return inline(prop.const);
    // The same variant first; a key every variant shares (min, max, round) may take its example from another.
    const variant = table.variant;
    const sameVariant = (o: object): boolean =>
      !variant || (o as Record<string, unknown>)[variant.key] === variant.value;
    for (const match of [sameVariant, () => true]) {
      for (const at of table.at) {
        for (const o of valuesAt(this.data, at)) {
          if (o && typeof o === 'object' && key in o && match(o)) {
            return inline((o as Record<string, unknown>)[key]);
          }
        }
      }
    }
    return undefined;
  }

  render(): string {
    const out = [
      '# Scenario field reference',
      '',
      'Every key of a scenario file, generated from [`schemas/scenario.schema.json`](../schemas/scenario.schema.json)',
      'by `npm run reference:update` (do not edit by hand: a test fails when this file and the schema differ).',
      "Examples are the schema's own, or else the value a shipped scenario gives the key. Formulas are numbers or",
      'expressions over the run parameters (see [formula](#formula)).',
      '',
      '## Contents',
      '',
      ...this.tables.map((t) => `- [${t.title}](#${t.anchor})`),
      '',
    ];
    const formula = this.schema.definitions?.formula;
    for (const t of this.tables) {
      out.push(`## ${t.title}`, '');
      if (t.intro) out.push(t.intro, '');
      out.push('| key | type | required | description | example |', '|---|---|---|---|---|');
      const required = new Set(t.node.required ?? []);
      for (const [key, prop] of Object.entries(t.node.properties ?? {})) {
        const where = `${t.title}: ${key}`;
        const description =
          prop.description ??
          (prop.$ref ? this.definition(defName(prop.$ref)).description : undefined) ??
          (prop.const !== undefined && t.variant?.key === key ? 'Selects this variant.' : undefined);
        if (!description) this.gaps.push({ path: where, missing: 'description' });
        const example = this.example(t, key, prop);
        if (example === undefined) this.gaps.push({ path: where, missing: 'example' });
        const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
        out.push(
          `| \`${key}\` | ${cell(this.typeOf(prop))} | ${required.has(key) ? 'yes' : 'no'} | ${cell(description ?? '')} | ${example ?? ''} |`,
        );
      }
      out.push('');
    }
    if (formula?.description) out.push('## formula', '', formula.description, '');
    return `${out.join('\n').trimEnd()}\n`;
  }
}

export function buildReference(): { text: string; gaps: Gap[] } {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Schema;
  const examples = EXAMPLE_SCENARIOS.map(
    (f) => parse(readFileSync(path.join(ROOT, 'scenarios', f), 'utf8')) as unknown,
  );
  const builder = new ReferenceBuilder(schema, examples);
  const text = builder.render();
  return { text, gaps: builder.gaps };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { text, gaps } = buildReference();
  writeFileSync(REFERENCE_FILE, text);
  console.log(`wrote ${path.relative(ROOT, REFERENCE_FILE)}${gaps.length ? `; ${gaps.length} gaps:` : ''}`);
  for (const g of gaps) console.log(`  no ${g.missing}: ${g.path}`);
}
