// Regenerates src/scenario/scenario-types.ts from schemas/scenario.schema.json, so the schema stays the single
// source of truth for the scenario format. `npm run gen:types`; a test fails when the two drift apart.
import { readFileSync, writeFileSync } from 'node:fs';
import { compile, type JSONSchema } from 'json-schema-to-typescript';

export const schemaPath = new URL('../schemas/scenario.schema.json', import.meta.url);
export const typesPath = new URL('../src/scenario/scenario-types.ts', import.meta.url);

export async function renderTypes(): Promise<string> {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as JSONSchema;
  return compile(schema, 'Scenario', {
    bannerComment:
      '/* Generated from schemas/scenario.schema.json by `npm run gen:types`. Do not edit by hand. */',
    additionalProperties: false,
    unreachableDefinitions: true,
    style: { singleQuote: true, printWidth: 110, trailingComma: 'all' },
  });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  writeFileSync(typesPath, await renderTypes());
}
