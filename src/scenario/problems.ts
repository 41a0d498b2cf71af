// A Problem is one thing wrong with a scenario file, pinned to a line and column so an editor can jump to it.
// A ScenarioError carries every problem found in one pass: fixing a file should not be a loop of one error at
// a time.
import path from 'node:path';
import { UserError } from '../lib/errors.js';

export interface Problem {
  /** The file as given (absolute or relative); shown relative to the working directory. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
  message: string;
  /** What to do about it, when there is something better to say than the message. */
  hint?: string;
}

/** A path as a person wants to read it: relative to the working directory unless that climbs out of it. */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  if (!path.isAbsolute(file)) return file;
  const rel = path.relative(cwd, file);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}

export function formatProblem(p: Problem, cwd?: string): string {
  const where = `${displayPath(p.file, cwd)}:${p.line}:${p.col}`;
  return p.hint ? `${where}: ${p.message} (${p.hint})` : `${where}: ${p.message}`;
}

/** Problems in file order, then by position, so output reads top to bottom. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.message.localeCompare(b.message),
  );
}

export class ScenarioError extends UserError {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    const sorted = sortProblems(problems);
    const files = [...new Set(sorted.map((p) => displayPath(p.file)))];
    const n = sorted.length;
    super(sorted.map((p) => formatProblem(p)).join('\n'), {
      exitCode: 2,
      hint:
        `${files.join(', ')}: ${n} problem${n === 1 ? '' : 's'}. Fix ${n === 1 ? 'it' : 'them'} and run again` +
        ` ("hcpgen scenario lint ${files[0] ?? ''}" re-checks the file without generating anything).`,
    });
    this.name = 'ScenarioError';
    this.problems = sorted;
  }
}
