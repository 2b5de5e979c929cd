/** Exponential backoff with full jitter, and a sleep that shutdown can cut short. */

export interface RetryPolicy {
  maxAttempts: number;
  backoffMs: number;
  maxBackoffMs: number;
}

/** Delay before try `attempt + 1` (attempt counts from 1): random in [base/2, base], base doubling. */
export function backoffDelay(attempt: number, p: RetryPolicy, atLeastMs = 0, random = Math.random): number {
  const base = Math.min(p.maxBackoffMs, p.backoffMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(atLeastMs, Math.round(base / 2 + (random() * base) / 2));
}

/** Resolves after `ms`, or as soon as `abort` fires. */
export function sleep(ms: number, abort?: AbortSignal): Promise<void> {
  if (ms <= 0 || abort?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      abort?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    abort?.addEventListener('abort', done, { once: true });
  });
}
