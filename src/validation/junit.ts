// JUnit XML, the format CI systems (GitHub Actions reporters, GitLab, Jenkins, Azure) display as test results:
// one <testsuite> per category, one <testcase> per check, <failure> for a failed check and <skipped/> for one
// that could not be evaluated.
import { writeFile } from 'node:fs/promises';
import { CATEGORIES, type CheckResult, type ValidationReport } from './types.js';
import { formatResult } from './report.js';

/** Escapes text for XML content and attribute values; drops characters XML 1.0 cannot hold at all. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function testcase(r: CheckResult, suite: string): string {
  const open = `    <testcase classname="hcpgen.${xmlEscape(suite)}" name="${xmlEscape(r.name)}"`;
  if (r.status === 'pass') return `${open}/>`;
  if (r.status === 'skip')
    return `${open}>\n      <skipped message="${xmlEscape(r.actual)}"/>\n    </testcase>`;
  const message = `expected ${r.expected}, actual ${r.actual}`;
  return (
    `${open}>\n      <failure message="${xmlEscape(message)}" type="${xmlEscape(r.category)}">` +
    `${xmlEscape(formatResult(r))}</failure>\n    </testcase>`
  );
}

export function renderJunit(report: ValidationReport): string {
  const suites: string[] = [];
  for (const category of CATEGORIES) {
    const results = report.results.filter((r) => r.category === category);
    if (results.length === 0) continue;
    const failures = results.filter((r) => r.status === 'fail').length;
    const skipped = results.filter((r) => r.status === 'skip').length;
    suites.push(
      `  <testsuite name="${category}" tests="${results.length}" failures="${failures}" errors="0" skipped="${skipped}">\n` +
        `${results.map((r) => testcase(r, category)).join('\n')}\n  </testsuite>`,
    );
  }
  const name = xmlEscape(`hcpgen validation${report.database ? ` (${report.database})` : ''}`);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="${name}" tests="${report.results.length}" failures="${report.failed}" errors="0" ` +
    `skipped="${report.skipped}">\n${suites.join('\n')}\n</testsuites>\n`
  );
}

export async function writeJunit(file: string, report: ValidationReport): Promise<void> {
  await writeFile(file, renderJunit(report), 'utf8');
}
