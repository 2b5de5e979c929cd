/**
 * Runs tasks one at a time per key (account + market) and in parallel across keys: alerts for
 * one market execute in the order they arrived, a slow exchange on one market holds up no other.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly onError: (key: string, e: unknown) => void) {}

  run(key: string, task: () => Promise<void>): Promise<void> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    // Each task starts on a fresh event-loop turn: a backlog of alerts whose venue answers at
    // once (paper) would otherwise run as one long microtask chain and keep the webhook from
    // reading new requests until it is done.
    const next = prev
      .then(yieldToEventLoop)
      .then(task)
      .catch((e: unknown) => this.onError(key, e));
    this.tails.set(key, next);
    this.running.add(next);
    void next.finally(() => {
      this.running.delete(next);
      if (this.tails.get(key) === next) this.tails.delete(key);
    });
    return next;
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves when any task queued so far has finished (immediately when none is). */
  async settled(): Promise<void> {
    if (this.running.size > 0) await Promise.race([...this.running]);
  }

  /** Resolves when every task queued so far has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
