import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../lib/base-command.js';
import { createScenarioFile, type NewScenarioResult } from '../../scenario/new-file.js';

export default class ScenarioNew extends BaseCommand {
  static override summary =
    'Start a new study: write scenarios/NAME.yaml from an existing scenario and a guide.';
  static override description =
    'The new file is a working copy of --from (it lints, plans and generates as it is) whose comments are ' +
    'replaced by a guide to each section, with CHANGE: marks on what a new study must revisit. Never overwrites ' +
    'a file unless --force. Prints the commands to run next.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> respiratory',
    '<%= config.bin %> <%= command.id %> immunology --from oncology-launch --dir studies',
  ];
  static override args = {
    name: Args.string({
      description: 'the study name (lower-case letters, digits and dashes); the file is DIR/NAME.yaml',
      required: true,
    }),
  };
  static override flags = {
    from: Flags.string({
      description: 'the scenario to start from: a shipped name or a path (default: default)',
      default: 'default',
    }),
    dir: Flags.string({ description: 'where to write the file', default: 'scenarios', helpValue: 'DIR' }),
    force: Flags.boolean({ description: 'replace DIR/NAME.yaml if it exists', default: false }),
  };

  async run(): Promise<NewScenarioResult> {
    const { args, flags } = await this.parse(ScenarioNew);
    const result = await createScenarioFile({
      name: args.name,
      from: flags.from,
      dir: flags.dir,
      force: flags.force,
    });
    this.log(`Wrote ${result.file} (from ${result.from}). Next:`);
    for (const step of result.next) this.log(`  ${step}`);
    return result;
  }
}
