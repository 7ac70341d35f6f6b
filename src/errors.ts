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

export class UserError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
  }
}

export const isUserError = (e: unknown): e is UserError => e instanceof UserError;
