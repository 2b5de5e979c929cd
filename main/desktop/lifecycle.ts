/**
 * App lifecycle rules, without Electron: the app lives in the tray, closing the window hides it,
 * and only "Quit" ends the process, after the engine has stopped cleanly (bounded in time).
 */

export const HIDDEN_FLAG = '--hidden';

export interface QuitCoordinator {
  /** True from the first quit request on: windows may close for real now. */
  readonly quitting: boolean;
  /**
   * Call from `app.on('before-quit')`. The first time it holds the quit (preventDefault), stops the
   * engine, then quits again; meanwhile further requests are held; afterwards quit proceeds.
   */
  onBeforeQuit(preventDefault: () => void): void;
}

export interface QuitCoordinatorDeps {
  /** Stops the engine and the tunnel (graceful: finishes alerts in hand). */
  stop: () => Promise<void>;
  /** Quits for real once stopped (`app.quit()`). */
  quit: () => void;
  /** Told when stop failed or took too long; quitting goes on regardless. */
  onStopProblem?: (problem: string) => void;
  /** Longest wait for a clean stop, ms (default 15 s). */
  timeoutMs?: number;
}

export function createQuitCoordinator(deps: QuitCoordinatorDeps): QuitCoordinator {
  let phase: 'running' | 'stopping' | 'stopped' = 'running';
  const timeoutMs = deps.timeoutMs ?? 15_000;
  return {
    get quitting() {
      return phase !== 'running';
    },
    onBeforeQuit(preventDefault) {
      if (phase === 'stopped') return;
      preventDefault();
      if (phase === 'stopping') return;
      phase = 'stopping';
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
      Promise.race([deps.stop().then(() => 'stopped' as const), timeout])
        .then((how) => {
          if (how === 'timeout') deps.onStopProblem?.(`the engine did not stop within ${timeoutMs} ms; quitting anyway`);
        })
        .catch((e: unknown) => deps.onStopProblem?.(`stopping failed: ${(e as Error)?.message ?? String(e)}`))
        .finally(() => {
          clearTimeout(timer);
          phase = 'stopped';
          deps.quit();
        });
    },
  };
}

/** Closing the window hides it (the app stays in the tray) unless we are quitting. */
export function closeHides(quitting: boolean): boolean {
  return !quitting;
}

/** Started by the login item (our flag, or macOS saying so): stay in the tray, show no window. */
export function startsHidden(argv: readonly string[], wasOpenedAtLogin = false): boolean {
  return wasOpenedAtLogin || argv.includes(HIDDEN_FLAG);
}
