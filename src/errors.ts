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
