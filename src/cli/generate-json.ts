// What `hcpgen generate --json` prints for a database run: the run (counts, expected, timings), its validation
// report and, with --report, the report file written. Kept out of the command so the bench can read it typed.
import type { GenerateResult } from '../generate/run.js';
import type { ReportResult } from '../report/build.js';
import type { ValidationReport } from '../validation/types.js';

export type GenerateJson = GenerateResult & { validation: ValidationReport | null; report?: ReportResult };
