// The code of a shipped schema's precompiled validator (see precompiled-schema.ts): ajv's standalone output for
// the schema compiled with the checker's options, stamped with the schema file's sha256. Written by the build
// (scripts/schema-validators.js); tests write it too, to prove it accepts exactly what the checker accepts.
import { readFileSync } from 'node:fs';
import AjvModule, { type AnySchemaObject } from 'ajv';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { SCHEMA_AJV_OPTIONS, schemaRoot } from './check.js';
import { sha256Of } from './precompiled-schema.js';

const Ajv = AjvModule.default;
const standaloneCode = standaloneModule.default;

export function standaloneValidatorCode(schemaFile: string): string {
  const schema = schemaRoot(JSON.parse(readFileSync(schemaFile, 'utf8')) as AnySchemaObject);
  const ajv = new Ajv({ ...SCHEMA_AJV_OPTIONS, code: { source: true } });
  const code = standaloneCode(ajv, ajv.compile(schema));
  // The standalone module exports the function itself; the stamp and a named export go on it.
  return `${code}\nmodule.exports.validate = module.exports;\nmodule.exports.schemaSha256 = ${JSON.stringify(sha256Of(schemaFile))};\n`;
}
