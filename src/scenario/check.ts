// check(loaded) -> Scenario: the schema (schemas/scenario.schema.json, the single source of truth for the
// format) and then the cross-references the schema cannot express. Every problem is collected before
// anything is thrown, so one run of `hcpgen scenario lint` shows everything that is wrong with a file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import AjvModule, { type AnySchemaObject, type ValidateFunction } from 'ajv';
import type { LoadedScenario } from './load.js';
import { ScenarioError, sortProblems, type Problem } from './problems.js';
import { packageRoot } from './resolve.js';
import type { Scenario } from './scenario-types.js';
import { crossrefProblems } from './crossref.js';
import { indexSchema, schemaProblems, type SchemaContext } from './schema-problems.js';
import { precompiledValidator } from './precompiled-schema.js';

// ajv ships CommonJS with `exports.default`; under node16 module resolution the class is on `.default`.
const Ajv = AjvModule.default;

export interface SchemaChecker {
  validate: ValidateFunction;
  ctx: SchemaContext;
}

// strict stays on (a typo in the schema itself should fail loudly), except that union types
// ("type": ["number", "string"]) are a normal thing to write. The build's precompiled validators
// (scripts/schema-validators.js) use the same options, so they accept exactly what the checker accepts.
export const SCHEMA_AJV_OPTIONS = { strict: true, allowUnionTypes: true } as const;

/** The schema as ajv registers it: with an $id (needed to look sub-schemas up by pointer). */
export function schemaRoot(schema: AnySchemaObject): AnySchemaObject {
  return typeof schema.$id === 'string' ? schema : { ...schema, $id: 'hcpgen:scenario' };
}

/** Compile a schema for checking scenarios. Exported for tests, which use small schemas of their own. */
export function createSchemaChecker(schema: AnySchemaObject): SchemaChecker {
  const root = schemaRoot(schema);
  // verbose: errors carry their schema objects, which is how a oneOf's branches are told apart.
  const ajv = new Ajv({ ...SCHEMA_AJV_OPTIONS, allErrors: true, verbose: true });
  const validate = ajv.compile(root);
  return { validate, ctx: { ajv, schemaId: root.$id as string, pointers: indexSchema(root) } };
}

/**
 * A schema shipped in schemas/: a document it accepts is answered by the build's precompiled validator when
 * there is a current one (compiling the scenario schema takes ~0.25 s of every run); only a document it rejects
 * pays for compiling the full checker, whose verbose errors explain why.
 */
export class PackagedSchema {
  private quick: ((data: unknown) => boolean) | null | undefined;
  private full: SchemaChecker | undefined;

  constructor(
    readonly file: string,
    private readonly name: string,
  ) {}

  problems(loaded: LoadedScenario): Problem[] {
    this.quick ??= precompiledValidator(this.file, this.name) ?? null;
    if (this.quick?.(loaded.data)) return [];
    this.full ??= createSchemaChecker(JSON.parse(readFileSync(this.file, 'utf8')) as AnySchemaObject);
    return checkWith(loaded, this.full);
  }
}

export function schemaPath(): string {
  return path.join(packageRoot(), 'schemas', 'scenario.schema.json');
}

const SCENARIO_SCHEMA = new PackagedSchema(schemaPath(), 'scenario');

/** Schema problems only (no cross-references): against the scenario schema, or a checker of a test's own. */
export function checkAgainstSchema(loaded: LoadedScenario, checker?: SchemaChecker): Problem[] {
  return checker ? checkWith(loaded, checker) : SCENARIO_SCHEMA.problems(loaded);
}

function checkWith(loaded: LoadedScenario, checker: SchemaChecker): Problem[] {
  if (checker.validate(loaded.data)) return [];
  return sortProblems(schemaProblems(checker.validate.errors ?? [], loaded, checker.ctx));
}

/** All problems of a loaded scenario: schema, then cross-references (which tolerate schema-invalid data). */
export function scenarioProblems(loaded: LoadedScenario): Problem[] {
  return sortProblems([...checkAgainstSchema(loaded), ...crossrefProblems(loaded)]);
}

/** The scenario, typed, or a ScenarioError listing every problem found. */
export function checkScenario(loaded: LoadedScenario): Scenario {
  const problems = scenarioProblems(loaded);
  if (problems.length > 0) throw new ScenarioError(problems);
  return loaded.data as Scenario;
}
