// `npm run golden:update`: regenerates test/golden/*.json from this build. Changing generated values is meant to
// be deliberate, so a record whose rows changed is only rewritten when DATA_VERSION (src/lib/data-version.ts) was
// bumped or the scenario file itself changed; `-- --force` rewrites anyway (e.g. a fix to a record by hand).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';
import { DATA_VERSION } from '../src/lib/data-version.js';
import {
  GOLDEN_CASES,
  GOLDEN_DIR,
  caseName,
  changedTables,
  goldenFile,
  readGolden,
  recordCase,
} from './golden.js';

const force = process.argv.includes('--force');
mkdirSync(GOLDEN_DIR, { recursive: true });
const options = { ...(await prettier.resolveConfig(path.join(GOLDEN_DIR, 'x.json'))), parser: 'json' };
let refused = 0;
for (const c of GOLDEN_CASES) {
  const { record, notCanonical } = await recordCase(c);
  if (notCanonical.length > 0) {
    throw new Error(
      `${caseName(c)}: the CSV files of ${notCanonical.join(', ')} are not the canonical rendering`,
    );
  }
  const old = readGolden(c);
  const changed = old ? changedTables(old, record.tables) : [];
  const deliberate = !old || old.dataVersion !== DATA_VERSION || old.scenarioHash !== record.scenarioHash;
  if (changed.length > 0 && !deliberate && !force) {
    refused++;
    console.error(
      `${caseName(c)}: ${changed.join(', ')} changed, but DATA_VERSION is still ${DATA_VERSION}. Bump it in ` +
        'src/lib/data-version.ts, say what changed in CHANGELOG.md, then run this again.',
    );
    continue;
  }
  writeFileSync(goldenFile(c), await prettier.format(JSON.stringify(record), options));
  const what = changed.length > 0 ? `updated (${changed.join(', ')})` : old ? 'unchanged' : 'written';
  console.log(`${path.relative(process.cwd(), goldenFile(c))}: ${what}`);
}
process.exitCode = refused > 0 ? 1 : 0;
