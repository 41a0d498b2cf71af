// Run by `npm run build`, after build-id: saves the schema model derived from the TypeORM entities
// (dist/db/schema-model.json, stamped with the build id), so that a run renders its DDL without importing
// TypeORM (~0.3 s of every generate). See loadSchemaModel in src/db/ddl.ts.
import { writeFileSync } from 'node:fs';
import { buildId } from '../dist/lib/build-id.js';
import { schemaModelFile } from '../dist/db/ddl.js';
import { schemaModelFromEntities } from '../dist/db/ddl-typeorm.js';

const id = buildId();
if (!id) {
  console.error('schema-model: dist/build-id is missing; run scripts/build-id.js first');
  process.exit(1);
}
writeFileSync(
  schemaModelFile(),
  `${JSON.stringify({ buildId: id, model: await schemaModelFromEntities() })}\n`,
);
