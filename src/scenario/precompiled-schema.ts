// The build writes each shipped schema's validator as code (ajv's standalone output, scripts/schema-validators.js)
// next to this module, stamped with the sha256 of the schema it was compiled from. Loading it costs a few
// milliseconds; compiling the scenario schema at run time ~0.25 s. A validator whose stamp does not match the
// schema on disk (sources edited since the build), or none at all (running from source), is not used: the
// caller compiles the schema as before.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The file the build writes for schema `name` (`scenario`, `fixtures`), next to this module. */
export function precompiledFile(name: string, dir: URL = new URL('.', import.meta.url)): string {
  return fileURLToPath(new URL(`${name}.schema-validate.cjs`, dir));
}

export function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

interface PrecompiledModule {
  schemaSha256?: unknown;
  validate?: unknown;
}

/** The precompiled validity test of `schemaFile`, if the build left a current one. */
export function precompiledValidator(
  schemaFile: string,
  name: string,
  file: string = precompiledFile(name),
): ((data: unknown) => boolean) | undefined {
  if (!existsSync(file)) return undefined;
  const mod = createRequire(import.meta.url)(file) as PrecompiledModule;
  if (typeof mod.validate !== 'function' || mod.schemaSha256 !== sha256Of(schemaFile)) return undefined;
  const validate = mod.validate as (data: unknown) => boolean;
  return (data) => validate(data) === true;
}
