/**
 * Runs tasks one at a time per key (account + market) and in parallel across keys: alerts for
 * one market execute in the order they arrived, a slow exchange on one market holds up no other.
 *
 * A task may hand the rest of its work off (`detach`) and let the next task start: pipelined
 * tasks start behind it at once, any other task waits until that detached work is done too.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly running = new Set<Promise<void>>();
  private readonly detached = new Map<string, Set<Promise<void>>>();

  constructor(private readonly onError: (key: string, e: unknown) => void) {}

  /** `pipelined`: starts without waiting for the key's detached work. */
  run(key: string, task: () => Promise<void>, opts: { pipelined?: boolean } = {}): Promise<void> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const behind = opts.pipelined ? task : () => this.drain(key).then(task);
    // Each task starts on a fresh event-loop turn: a backlog of alerts whose venue answers at
    // once (paper) would otherwise run as one long microtask chain and keep the webhook from
    // reading new requests until it is done.
    const next = prev
      .then(yieldToEventLoop)
      .then(behind)
      .catch((e: unknown) => this.onError(key, e));
    this.tails.set(key, next);
    this.running.add(next);
    void next.finally(() => {
      this.running.delete(next);
      if (this.tails.get(key) === next) this.tails.delete(key);
    });
    return next;
  }

  /** The rest of a task's work, carried on after the task itself returned. */
  detach(key: string, work: Promise<void>): void {
    const tracked = work.catch((e: unknown) => this.onError(key, e));
    let set = this.detached.get(key);
    if (!set) this.detached.set(key, (set = new Set()));
    set.add(tracked);
    this.running.add(tracked);
    void tracked.finally(() => {
      this.running.delete(tracked);
      set.delete(tracked);
      if (set.size === 0 && this.detached.get(key) === set) this.detached.delete(key);
    });
  }

  private async drain(key: string): Promise<void> {
    for (let set = this.detached.get(key); set && set.size > 0; set = this.detached.get(key)) await Promise.allSettled([...set]);
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
