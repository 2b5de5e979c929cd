/**
 * The webhook requests in flight, for a graceful stop: which are not answered yet, and, once
 * draining, connections closed after their answer (a restarted server gets the client's next one).
 * One per listener: the engine's own (intake on the main thread) or the intake thread's.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export class RequestTracker {
  private readonly active = new Set<ServerResponse>();

  /** Wraps the listener's handler to know which requests are in flight. */
  track(handler: Handler, draining: () => boolean): Handler {
    return (req, res) => {
      this.active.add(res);
      res.once('close', () => this.active.delete(res));
      if (draining()) res.setHeader('Connection', 'close');
      handler(req, res);
    };
  }

  /** Waits up to `ms` for the requests in flight to be answered; returns how many were not. */
  async settle(ms: number): Promise<number> {
    const pending = [...this.active].filter((r) => !r.writableFinished);
    const all = Promise.all(pending.map((r) => new Promise<void>((resolve) => (r.closed || r.writableFinished ? resolve() : r.once('close', () => resolve())))));
    const left = await withDeadline(all, ms);
    return left ? pending.filter((r) => !r.closed && !r.writableFinished).length : 0;
  }
}

/** Resolves true when `ms` passed first. */
export async function withDeadline(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), ms);
    timer.unref();
  });
  try {
    return await Promise.race([p.then(() => false), late]);
  } finally {
    clearTimeout(timer);
  }
}
