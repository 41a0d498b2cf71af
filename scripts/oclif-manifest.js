// Run by `npm run build`: writes oclif.manifest.json (each command's id, flags and file) next to package.json.
// Without it oclif imports every command module, and with them typeorm, DuckDB, PGlite and the report's chart
// code, to learn the flags before running any command: 0.7 s of every invocation (`hcpgen --version` took
// 0.84 s, 0.12 s with the manifest). The dev entry (bin/dev.js) roots oclif in src/, so it never reads this file.
import { writeFileSync } from 'node:fs';
import { Config } from '@oclif/core';

const config = await Config.load({ root: process.cwd() });
const plugin = config.plugins.get(config.pjson.name);
if (!plugin || Object.keys(plugin.manifest.commands).length === 0) {
  console.error('oclif-manifest: no commands found under dist/commands; run tsc first');
  process.exit(1);
}
writeFileSync('oclif.manifest.json', `${JSON.stringify(plugin.manifest, null, 2)}\n`);
