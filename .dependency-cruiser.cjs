// The layering of docs/architecture.md, checked by `npm run lint:deps` (part of `npm run lint`, so of `npm test`):
// data flows one way (scenario -> plan -> steps -> sink -> validate), commands stay thin, no import cycles.
// Paths are relative to the repository root; type-only imports count too (a type cycle is still a cycle).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'An import cycle hides which module is the lower layer; split out the shared part.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'commands-are-leaves',
      severity: 'error',
      comment:
        'Nothing imports a command, and no command imports another: shared CLI code lives in src/cli/ or src/lib/.',
      from: { path: '^src/' },
      to: { path: '^src/commands/' },
    },
    {
      name: 'model-is-a-base-layer',
      severity: 'error',
      comment:
        'The table model, plan types, randomness, time and formulas know nothing of scenarios, steps, sinks, ' +
        'validation or the CLI. Allowed: the byte and CSV primitives in src/db/ and the row writer (encoding ' +
        'helpers), and the scenario types generated from the schema (the plan is compiled from them).',
      from: { path: '^src/(tables|plan|random|time|expr)/' },
      to: {
        path: '^src/(scenario|steps|db|files|generate|validation|report|fixtures|bench|cli|lib|commands)/',
        pathNot: '^src/(db/(byte-writer|csv|copy-format)|steps/row-writer|scenario/scenario-types)\\.ts$',
      },
    },
    {
      name: 'scenario-before-steps-and-sinks',
      severity: 'error',
      comment:
        'Loading, checking and compiling a scenario is pure: it may reuse the attribute model and constants of ' +
        'the steps, never a sink, the run, validation or the CLI.',
      from: { path: '^src/scenario/' },
      to: { path: '^src/(db|files|generate|validation|report|bench|cli|commands)/' },
    },
    {
      name: 'steps-know-no-sink',
      severity: 'error',
      comment: 'Steps fill table batches; they do not know where the rows go (encoding primitives aside).',
      from: { path: '^src/steps/' },
      to: {
        path: '^src/(db|files|generate|validation|report|bench|cli|commands|fixtures)/',
        pathNot: '^src/db/(byte-writer|csv|copy-format)\\.ts$',
      },
    },
    {
      name: 'validation-after-the-run',
      severity: 'error',
      comment: 'Checks read a target; they never drive generation, file output or the CLI.',
      from: { path: '^src/validation/' },
      to: { path: '^src/(generate|files|report|bench|cli|commands)/' },
    },
    {
      name: 'database-sink-knows-no-files-job',
      severity: 'error',
      comment:
        'The database layer does not depend on the file job or the run; it implements the Sink interface of ' +
        'src/generate/sink.ts, and query-stream reads DuckDB through files/duckdb.ts.',
      from: { path: '^src/db/' },
      to: {
        path: '^src/(generate|validation|report|bench|cli|commands|steps|scenario)/|^src/files/(?!duckdb\\.ts$)',
        pathNot: '^src/generate/sink\\.ts$',
      },
    },
    {
      name: 'run-knows-no-files-report-or-cli',
      severity: 'error',
      comment: 'The database run does not depend on the file job, the report or the CLI.',
      from: { path: '^src/generate/' },
      to: { path: '^src/(files|report|bench|cli|commands)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
