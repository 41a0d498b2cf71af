// The base class of every hcpgen command. It owns error reporting so that every command behaves the same:
// a UserError (a scenario with problems, a missing file, a bad flag value) prints its message to stderr with no
// stack trace and exits with the error's code; anything else is a bug and says so. With --json the error goes
// to stdout as JSON instead, so stdout stays machine-readable whatever happens.
import { Command, Errors, type Interfaces } from '@oclif/core';
import { UserError } from './errors.js';

/** What the user sees (text), the JSON body for --json, and the exit code. */
export interface ErrorReport {
  text: string;
  json: { code: string; message: string; exitCode: number; hint?: string; problems?: unknown[] };
  exitCode: number;
}

/** A ScenarioError carries its problems; anything shaped like that gets them listed in the JSON. */
function problemsOf(err: Error): unknown[] | undefined {
  const problems = (err as { problems?: unknown }).problems;
  return Array.isArray(problems) ? problems : undefined;
}

/**
 * oclif rewrites the message of an error thrown by a flag's parse function (src/cli/run-flags.ts) to
 * "Parsing --flag \n\t<message>\nSee more help with --help"; the message already names the flag.
 */
function unwrapFlagParse(message: string): string {
  return /^Parsing --[\w-]+ \n\t([\s\S]*)\nSee more help with --help$/.exec(message)?.[1] ?? message;
}

export function describeError(err: unknown, bin = 'hcpgen', commandId?: string): ErrorReport {
  if (err instanceof UserError) {
    const problems = problemsOf(err);
    const message = unwrapFlagParse(err.message);
    // A scenario error's message is already a list of `file:line:col: message` lines: print it bare, like a
    // compiler, so editors can jump to each one.
    const head = problems ? message : `${bin}: ${message}`;
    const text = err.hint ? `${head}\n${err.hint}` : head;
    // The library's stable code, so a --json caller and a library caller branch on the same value.
    const code = err.code;
    return {
      text,
      exitCode: err.exitCode,
      json: {
        code,
        message,
        exitCode: err.exitCode,
        ...(err.hint ? { hint: err.hint } : {}),
        ...(problems ? { problems } : {}),
      },
    };
  }
  if (err instanceof Errors.CLIError) {
    // oclif's own errors: flag/argument parse failures and this.error(). They are usage errors.
    const exitCode = err.oclif?.exit ?? 2;
    const hint = commandId
      ? `See "${bin} ${commandId.replaceAll(':', ' ')} --help".`
      : `See "${bin} --help".`;
    const message = err.message.replace(/\n?See more help with --help\s*$/, '');
    return {
      text: `${bin}: ${message}\n${hint}`,
      exitCode,
      json: { code: 'USAGE', message, exitCode, hint },
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    text: `${bin}: internal error: ${message}\nset DEBUG=1 for the stack trace`,
    exitCode: 2,
    json: { code: 'INTERNAL', message, exitCode: 2 },
  };
}

export abstract class BaseCommand extends Command {
  // Every command returns a typed result that --json prints; a command that has none can turn this off.
  static override enableJsonFlag = true;

  protected override async catch(err: Interfaces.CommandError): Promise<never> {
    // this.exit() throws ExitError on purpose: whoever called it has already said what there was to say.
    if (err instanceof Errors.ExitError) throw err;
    const report = describeError(err, this.config?.bin ?? 'hcpgen', this.id);
    if (this.jsonEnabled()) {
      this.logJson(this.toErrorJson(err));
    } else {
      process.stderr.write(`${report.text}\n`);
    }
    if (process.env.DEBUG && err.stack) process.stderr.write(`${err.stack}\n`);
    // ExitError is printed by nobody: oclif's top-level handler only exits with its code.
    this.exit(report.exitCode);
  }

  protected override toErrorJson(err: unknown): { error: ErrorReport['json'] } {
    return { error: describeError(err, this.config?.bin ?? 'hcpgen', this.id).json };
  }
}
