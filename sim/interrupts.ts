/**
 * Ctrl-C (SIGINT) and SIGTERM during `sim run`: the first one stops the run cleanly (the running chunk ends,
 * finished points are saved, the report and index are written, the resume hint is printed); one that comes
 * later quits at once.
 *
 * Why a grace period: a Ctrl-C in a terminal goes to the whole foreground process group, and every wrapper
 * in it (npm, npx, the tsx command line) also passes the signal on to its child. So one keypress reaches the
 * simulator two or three times within a few milliseconds. Only a signal that arrives `graceMs` after the
 * first counts as a second Ctrl-C.
 */
import { CLI_LIMITS } from '../src/defaults.ts';

export type InterruptAction = 'stop' | 'ignore' | 'quit';

/** The decision alone (no process, no clock), so it can be tested. */
export class InterruptPolicy {
  private first: number | undefined;
  constructor(private readonly graceMs: number = CLI_LIMITS.interruptGraceMs) {}

  receive(now: number): InterruptAction {
    if (this.first === undefined) {
      this.first = now;
      return 'stop';
    }
    return now - this.first < this.graceMs ? 'ignore' : 'quit';
  }
}

export interface InterruptHandle {
  /** Aborted at the first SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
  /** Removes the handlers (the process's default behaviour returns). */
  dispose(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Installs the handlers: `onStop` at the first signal, `onQuit` (which must end the process) at a later one. */
export function handleInterrupts(hooks: { onStop(): void; onQuit(): void }, policy = new InterruptPolicy()): InterruptHandle {
  const controller = new AbortController();
  const onSignal = (): void => {
    const action = policy.receive(Date.now());
    if (action === 'stop') {
      hooks.onStop();
      controller.abort();
    } else if (action === 'quit') hooks.onQuit();
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const s of SIGNALS) process.off(s, onSignal);
    },
  };
}
