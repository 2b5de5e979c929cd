/**
 * Fault injection: each fault matches requests by method and path and applies to the next
 * `times` matching requests. Latency faults add up; of the other kinds the oldest matching one wins.
 */
import type { FaultHandle, FaultKind, FaultSpec } from './types.js';

interface ActiveFault {
  id: number;
  spec: FaultSpec;
  remaining: number;
  applied: number;
}

export interface FaultDecision {
  latencyMs: number;
  /** The non-latency fault to apply to this request, if any. */
  terminal?: FaultSpec;
  /** Every fault kind applied to this request (for the log and counters). */
  kinds: FaultKind[];
}

/** What a fault answers with, when it answers. */
export interface FaultAnswer {
  status: number;
  body: string;
  contentType: string;
  headers: Record<string, string>;
}

/** A fault's canned answer: HTTP status, body (an object is sent as JSON, a string as text), headers. */
export interface CannedAnswer {
  status: number;
  /** A function is called per answer (bodies that carry the server time). */
  body: string | Record<string, unknown> | (() => Record<string, unknown>);
  headers?: Record<string, string>;
}

/**
 * How one exchange answers the answering fault kinds (http5xx, http429, http418, clockSkew) and
 * an `exchangeError` with a code of its own. Every simulator (Binance, Bybit, OKX) has its own:
 * the kinds are shared, the wire is not.
 */
export interface FaultDialect {
  kinds: Partial<Record<FaultKind, CannedAnswer>>;
  exchangeError: (code: number | string, msg: string | undefined) => CannedAnswer;
}

const JSON_TYPE = 'application/json;charset=UTF-8';

/** Binance's answers: its own codes and messages, with the HTTP status Binance uses. */
export const BINANCE_FAULTS: FaultDialect = {
  kinds: {
    http500: { status: 500, body: { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' } },
    http503: { status: 503, body: { code: -1007, msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.' } },
    http429: { status: 429, body: { code: -1003, msg: 'Too many requests; current limit of IP(127.0.0.1) is 6000 requests per minute. Please use the websocket for live updates to avoid bans.' } },
    http418: { status: 418, body: { code: -1003, msg: 'Way too many requests; IP(127.0.0.1) banned until further notice. Please use the websocket for live updates to avoid bans.' } },
    clockSkew: { status: 400, body: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' } },
  },
  exchangeError: (code, msg) => ({ status: 400, body: { code: Number(code), msg: msg ?? 'An unknown error occured while processing the request.' } }),
};

function matches(spec: FaultSpec, method: string, path: string): boolean {
  if (spec.method !== undefined && spec.method.toUpperCase() !== method.toUpperCase()) return false;
  if (spec.path === undefined) return true;
  return typeof spec.path === 'string' ? spec.path === path : spec.path.test(path);
}

export class FaultRegistry {
  private active: ActiveFault[] = [];
  private nextId = 1;

  inject(spec: FaultSpec): FaultHandle {
    const times = spec.times ?? 1;
    if (!(times > 0)) throw new Error('fault.times must be > 0');
    if (spec.kind === 'latency' && !(typeof spec.ms === 'number' && spec.ms >= 0)) throw new Error('a latency fault needs ms >= 0');
    const fault: ActiveFault = { id: this.nextId++, spec: { ...spec }, remaining: times, applied: 0 };
    this.active.push(fault);
    return {
      id: fault.id,
      spec: fault.spec,
      remaining: () => fault.remaining,
      applied: () => fault.applied,
      cancel: () => {
        fault.remaining = 0;
        this.active = this.active.filter((f) => f !== fault);
      },
    };
  }

  clear(): void {
    for (const f of this.active) f.remaining = 0;
    this.active = [];
  }

  pending(): FaultSpec[] {
    return this.active.map((f) => ({ ...f.spec, times: f.remaining }));
  }

  /** Decides (and consumes) the faults for one request. */
  take(method: string, path: string): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, kinds: [] };
    for (const f of this.active) {
      if (f.remaining <= 0 || !matches(f.spec, method, path)) continue;
      if (f.spec.kind === 'latency') decision.latencyMs += f.spec.ms ?? 0;
      else if (decision.terminal === undefined) decision.terminal = f.spec;
      else continue;
      f.remaining -= 1;
      f.applied += 1;
      decision.kinds.push(f.spec.kind);
    }
    this.active = this.active.filter((f) => f.remaining > 0);
    return decision;
  }
}

/**
 * The HTTP answer of an answering fault kind in an exchange's dialect (Binance's by default);
 * undefined for the kinds that do not answer (latency, drop, acceptThenTimeout).
 */
export function faultAnswer(spec: FaultSpec, dialect: FaultDialect = BINANCE_FAULTS): FaultAnswer | undefined {
  const known = spec.kind === 'exchangeError' ? dialect.exchangeError(spec.code ?? 0, spec.msg) : dialect.kinds[spec.kind];
  if (known === undefined) return undefined;
  const headers: Record<string, string> = { ...known.headers };
  if (spec.kind === 'http429' || spec.kind === 'http418') headers['Retry-After'] = String(spec.retryAfterSec ?? 1);
  const body = spec.body ?? (typeof known.body === 'function' ? known.body() : known.body);
  if (typeof body === 'string') return { status: known.status, body, contentType: 'text/plain; charset=utf-8', headers };
  return { status: known.status, body: JSON.stringify(body), contentType: JSON_TYPE, headers };
}
