/** The request log and counters the inspection API exposes. */
import type { Counters, FaultKind, RequestLogEntry } from './types.js';

function emptyCounters(): Counters {
  return { requests: 0, byRoute: {}, faults: {}, ordersCreated: 0, ordersRejected: 0, trades: 0, unreachable: 0, notFound: 0 };
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;
  counters: Counters = emptyCounters();

  constructor(private readonly maxEntries: number) {}

  start(method: string, path: string, params: Record<string, string>): RequestLogEntry {
    const entry: RequestLogEntry = { seq: ++this.seq, method, path, params, time: Date.now() };
    this.entries.push(entry);
    if (this.entries.length > this.maxEntries) this.entries.splice(0, this.entries.length - this.maxEntries);
    this.counters.requests += 1;
    const key = `${method} ${path}`;
    this.counters.byRoute[key] = (this.counters.byRoute[key] ?? 0) + 1;
    return entry;
  }

  fault(entry: RequestLogEntry, kinds: FaultKind[]): void {
    for (const kind of kinds) this.counters.faults[kind] = (this.counters.faults[kind] ?? 0) + 1;
    const last = kinds.find((k) => k !== 'latency') ?? kinds[0];
    if (last !== undefined) entry.fault = last;
  }

  finish(entry: RequestLogEntry, status: number, code?: number): void {
    entry.status = status;
    if (code !== undefined) entry.code = code;
    entry.durationMs = Date.now() - entry.time;
  }

  list(filter?: { method?: string; path?: string }): RequestLogEntry[] {
    return this.entries
      .filter((e) => (filter?.method === undefined || e.method === filter.method.toUpperCase()) && (filter?.path === undefined || e.path === filter.path))
      .map((e) => ({ ...e, params: { ...e.params } }));
  }

  reset(): void {
    this.entries = [];
    this.counters = emptyCounters();
  }
}
