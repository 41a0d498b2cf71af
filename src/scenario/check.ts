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

// ajv ships CommonJS with `exports.default`; under node16 module resolution the class is on `.default`.
const Ajv = AjvModule.default;

export interface SchemaChecker {
  validate: ValidateFunction;
  ctx: SchemaContext;
}

/** Compile a schema for checking scenarios. Exported for tests, which use small schemas of their own. */
export function createSchemaChecker(schema: AnySchemaObject): SchemaChecker {
  const schemaId = typeof schema.$id === 'string' ? schema.$id : 'hcpgen:scenario';
  const root = typeof schema.$id === 'string' ? schema : { ...schema, $id: schemaId };
  // verbose: errors carry their schema objects, which is how a oneOf's branches are told apart.
  // strict stays on (a typo in the schema itself should fail loudly), except that union types
  // ("type": ["number", "string"]) are a normal thing to write.
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  const validate = ajv.compile(root);
  return { validate, ctx: { ajv, schemaId, pointers: indexSchema(root) } };
}

let packaged: SchemaChecker | undefined;

export function schemaPath(): string {
  return path.join(packageRoot(), 'schemas', 'scenario.schema.json');
}

function packagedChecker(): SchemaChecker {
  packaged ??= createSchemaChecker(JSON.parse(readFileSync(schemaPath(), 'utf8')) as AnySchemaObject);
  return packaged;
}

/** Schema problems only (no cross-references), for any schema. */
export function checkAgainstSchema(
  loaded: LoadedScenario,
  checker: SchemaChecker = packagedChecker(),
): Problem[] {
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
