/**
 * The two kinds of failure, and how the command line shows them.
 *
 * - A `UserError` is something the user can fix: a bad scenario or option, a missing or damaged model folder,
 *   an unreadable results.json, a model that does not match the scenario. The command line prints its
 *   message (which names the file and what was expected) and exits 1, without a stack trace.
 * - Anything else is a bug of this simulator: the command line prints the stack and says so.
 *
 * Messages themselves live in src/messages.ts.
 */
import { cliMsg } from './messages.ts';

export class UserError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
  }
}

/**
 * A run that failed part way on legal settings (training that never converged: a learning rate too large, an
 * Eb/N0 with nothing to learn): the user's outcome, not a bug. `sim run` writes the report of what it measured
 * so far, then ends with this message (exit 1).
 */
export class PartialRunError extends UserError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PartialRunError';
  }
}

/** Training gave up after its restarts: what failed, attempt by attempt (src/training/loop.ts). */
export class TrainingFailedError extends PartialRunError {
  constructor(
    readonly what: string,
    readonly reasons: string[],
  ) {
    super(`${what} failed after ${reasons.length} attempts: ${reasons.join('; ')}`);
    this.name = 'TrainingFailedError';
  }
}

export const isUserError = (e: unknown): e is UserError => e instanceof UserError;

/**
 * The text the command line prints for a failure: a UserError's message alone (no stack: the user needs the
 * file and what was expected, not our call chain); anything else with its stack and a line saying it is a
 * bug and where to report it.
 */
export function errorReport(e: unknown, reportAt: string): string {
  if (isUserError(e)) return e.message;
  const detail = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : `thrown value: ${String(e)}`;
  return `error: ${detail}\n${cliMsg.internalError(reportAt)}`;
}
