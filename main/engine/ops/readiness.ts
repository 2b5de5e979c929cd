/**
 * Readiness for `GET /readyz`: a small registry of required parts (journal, execution worker,
 * venue…). Each part reports itself with `set(part, ok, detail)`, or is watched with `probe`.
 * The engine is ready only when every required part is.
 */
export interface PartState {
  ok: boolean;
  /** Why it is not ready (or a note when it is), for the operator. */
  detail: string | null;
  /** When it last changed, epoch ms. */
  since: number;
}

export type ReadinessListener = (part: string, state: PartState, previous: PartState | null) => void;

export interface ProbeOptions {
  /** How often to probe (default 15 s). */
  intervalMs?: number;
  /** A probe slower than this counts as a failure (default 10 s). */
  timeoutMs?: number;
}

/** The parts the engine requires, in the order a 503 names them, with a readable label. */
export const PART_LABELS: Record<string, string> = {
  journal: 'journal',
  worker: 'execution worker',
  venue: 'venue',
  disk: 'disk',
};

export class Readiness {
  private readonly parts = new Map<string, PartState>();
  private readonly listeners = new Set<ReadinessListener>();
  private readonly probes = new Map<string, () => void>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Declares a part the engine needs; it starts not ready with `detail`. */
  require(part: string, detail = 'not started'): void {
    if (!this.parts.has(part)) this.parts.set(part, { ok: false, detail, since: this.now() });
  }

  /** Reports a part's state (declaring it when new). Same state twice is a no-op. */
  set(part: string, ok: boolean, detail: string | null = null): void {
    const previous = this.parts.get(part) ?? null;
    if (previous && previous.ok === ok && previous.detail === detail) return;
    const state: PartState = { ok, detail, since: previous && previous.ok === ok ? previous.since : this.now() };
    this.parts.set(part, state);
    for (const l of this.listeners) {
      try {
        l(part, state, previous);
      } catch {
        // a listener's failure is its own
      }
    }
  }

  get(part: string): PartState | null {
    return this.parts.get(part) ?? null;
  }

  /** null when every part is ready; else the failing parts, named, e.g. "venue: exchange unreachable". */
  problem(): string | null {
    const failing = [...this.parts].filter(([, s]) => !s.ok);
    if (failing.length === 0) return null;
    return failing.map(([p, s]) => `${PART_LABELS[p] ?? p}${s.detail ? ': ' + s.detail : ''}`).join('; ');
  }

  snapshot(): Record<string, PartState> {
    return Object.fromEntries([...this.parts].map(([p, s]) => [p, { ...s }]));
  }

  onChange(listener: ReadinessListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Watches a part by calling `check` now and every `intervalMs`: resolving marks it ready,
   * throwing (or timing out) marks it not ready with the error's message. Replaces an earlier
   * probe of the same part. Returns a function that stops it.
   */
  probe(part: string, check: () => Promise<unknown>, opts: ProbeOptions = {}): () => void {
    this.probes.get(part)?.();
    const intervalMs = opts.intervalMs ?? 15_000;
    const timeoutMs = opts.timeoutMs ?? 10_000;
    let stopped = false;
    let timer: NodeJS.Timeout | null = null;
    const run = async () => {
      let timeout: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          check(),
          new Promise((_, reject) => {
            timeout = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
            timeout.unref();
          }),
        ]);
        if (!stopped) this.set(part, true, null);
      } catch (e) {
        if (!stopped) this.set(part, false, describeError(e));
      } finally {
        clearTimeout(timeout);
        if (!stopped) {
          timer = setTimeout(run, intervalMs);
          timer.unref();
        }
      }
    };
    void run();
    const stop = () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (this.probes.get(part) === stop) this.probes.delete(part);
    };
    this.probes.set(part, stop);
    return stop;
  }

  /** Stops every probe (engine shutdown). */
  stopProbes(): void {
    for (const stop of [...this.probes.values()]) stop();
  }
}

function describeError(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code ?? (e.cause as NodeJS.ErrnoException | undefined)?.code;
    const msg = e.message.split('\n')[0]!.slice(0, 200);
    return code && !msg.includes(code) ? `${msg} (${code})` : msg;
  }
  return String(e).slice(0, 200);
}
