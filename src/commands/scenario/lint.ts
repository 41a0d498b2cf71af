import { Args } from '@oclif/core';
import { BaseCommand } from '../../lib/base-command.js';
import { lintScenarios, type LintResult } from '../../scenario/lint.js';
import { displayPath, formatProblem } from '../../scenario/problems.js';
import { overrideNameProblems } from '../../validation/model/override-names.js';

export default class ScenarioLint extends BaseCommand {
  static override summary = 'Check scenario files against the schema and their own cross-references.';
  static override description =
    'Reports every problem of every file at once, as file:line:col lines an editor can jump to. ' +
    'With no arguments, checks every scenario shipped in the package. Exit status: 0 all good, ' +
    '1 some file has problems, 2 a file could not be read or the command was misused.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> default',
    '<%= config.bin %> <%= command.id %> my-study.yaml --json',
  ];
  // Any number of files.
  static override strict = false;
  static override args = {
    files: Args.string({
      description: 'scenario files, or names of shipped scenarios (default: all shipped)',
    }),
  };

  async run(): Promise<LintResult> {
    const { argv } = await this.parse(ScenarioLint);
    const result = await lintScenarios(argv as string[], overrideNameProblems);
    for (const file of result.files) {
      if (file.error) this.log(`${displayPath(file.file)}: ${file.error}`);
      else if (file.problems.length === 0) this.log(`ok  ${displayPath(file.file)}`);
      else for (const p of file.problems) this.log(formatProblem(p));
    }
    const bad = result.files.filter((f) => !f.ok).length;
    if (bad > 0) {
      const n = result.files.reduce((a, f) => a + f.problems.length, 0);
      this.log(`${n} problem${n === 1 ? '' : 's'} in ${bad} of ${result.files.length} file(s)`);
    }
    // Set rather than exit(): the result must still reach --json output.
    process.exitCode = result.exitCode;
    return result;
  }
}
