// How errors reach the user: the pure describeError for each kind, and one real command whose run() throws
// a bug, caught by the BaseCommand.
import { expect } from 'chai';
import { Errors, Flags, Parser } from '@oclif/core';
import { BaseCommand, describeError } from '../../src/lib/base-command.js';
import { BadInputError, InterruptedError, UserError } from '../../src/lib/errors.js';
import { ValidationFailedError } from '../../src/validation/in-generate.js';
import { ScenarioError } from '../../src/scenario/problems.js';
import { packageRoot } from '../../src/scenario/resolve.js';

describe('describeError', () => {
  it('prints a UserError as one paragraph plus its hint, with its exit code', () => {
    const r = describeError(
      new UserError('scenario file "x.yaml" does not exist.', { hint: 'Check the path.' }),
    );
    expect(r.text).to.equal('hcpgen: scenario file "x.yaml" does not exist.\nCheck the path.');
    expect(r.exitCode).to.equal(2);
    expect(r.json).to.deep.equal({
      code: 'USER_ERROR',
      message: 'scenario file "x.yaml" does not exist.',
      exitCode: 2,
      hint: 'Check the path.',
    });
    expect(describeError(new UserError('x', { exitCode: 3 })).exitCode).to.equal(3);
  });

  it("puts each error's own code in the JSON, the one library callers read from err.code", () => {
    const report = { failed: 1, results: [] } as unknown as ConstructorParameters<
      typeof ValidationFailedError
    >[0];
    const errors = [
      new BadInputError('--hcps is out of range'),
      new InterruptedError('interrupted by SIGINT: nothing changed'),
      new ValidationFailedError(report),
    ];
    for (const err of errors) {
      expect(describeError(err).json.code).to.equal(err.code);
    }
    expect(errors.map((e) => describeError(e).json.code)).to.deep.equal([
      'BAD_INPUT',
      'INTERRUPTED',
      'VALIDATION_FAILED',
    ]);
    expect(describeError(errors[1]).exitCode).to.equal(130);
  });

  it('prints a ScenarioError as bare file:line:col lines and puts the problems in the JSON', () => {
    const err = new ScenarioError([{ file: 'a.yaml', line: 2, col: 3, message: 'bad' }]);
    const r = describeError(err);
    expect(r.text.split('\n')[0]).to.equal('a.yaml:2:3: bad');
    expect(r.json.code).to.equal('SCENARIO_INVALID');
    expect(r.json.problems).to.deep.equal([{ file: 'a.yaml', line: 2, col: 3, message: 'bad' }]);
  });

  it('turns a real oclif flag parse error into a usage error with exit 2', async () => {
    const err = await Parser.parse(['--hcps', 'lots'], { flags: { hcps: Flags.integer() } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(Errors.CLIError);
    const r = describeError(err, 'hcpgen', 'generate');
    expect(r.exitCode).to.equal(2);
    expect(r.text).to.match(/^hcpgen: .*lots.*\nSee "hcpgen generate --help"\.$/s);
    expect(r.text).to.not.contain('    at ');
  });

  it('calls anything else an internal error, exit 2, stack only on request', () => {
    const r = describeError(new TypeError('x is undefined'));
    expect(r.text).to.equal('hcpgen: internal error: x is undefined\nset DEBUG=1 for the stack trace');
    expect(r.exitCode).to.equal(2);
    expect(r.json.code).to.equal('INTERNAL');
  });
});

class Broken extends BaseCommand {
  static override id = 'broken';
  async run(): Promise<void> {
    await this.parse(Broken);
    throw new TypeError('boom');
  }
}

describe('BaseCommand.catch', () => {
  async function runCapturing(argv: string[]): Promise<{ stderr: string; stdout: string; error: unknown }> {
    let stderr = '';
    let stdout = '';
    const errWrite = process.stderr.write.bind(process.stderr);
    const outWrite = process.stdout.write.bind(process.stdout);
    const saved = process.env.DEBUG;
    delete process.env.DEBUG;
    process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
    process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
    try {
      await Broken.run(argv, packageRoot());
      return { stderr, stdout, error: undefined };
    } catch (error) {
      return { stderr, stdout, error };
    } finally {
      process.stderr.write = errWrite;
      process.stdout.write = outWrite;
      if (saved !== undefined) process.env.DEBUG = saved;
    }
  }

  it('prints an internal error without a stack and exits 2', async () => {
    const { stderr, stdout, error } = await runCapturing([]);
    expect(error).to.be.instanceOf(Errors.ExitError);
    expect((error as Errors.ExitError).oclif.exit).to.equal(2);
    expect(stderr).to.equal('hcpgen: internal error: boom\nset DEBUG=1 for the stack trace\n');
    expect(stdout).to.equal('');
  });

  it('with --json, writes the error as JSON to stdout and nothing to stderr', async () => {
    const { stderr, stdout, error } = await runCapturing(['--json']);
    expect((error as Errors.ExitError).oclif.exit).to.equal(2);
    expect(stderr).to.equal('');
    expect(JSON.parse(stdout)).to.deep.equal({ error: { code: 'INTERNAL', message: 'boom', exitCode: 2 } });
  });
});
