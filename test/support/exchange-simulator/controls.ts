/**
 * What every simulator (Binance, Bybit, OKX) lets a test steer the same way: its clock, latency,
 * reachability, injected faults and the request log. One state, read by the HTTP front.
 */
import type { FaultRegistry } from './faults.js';
import type { RequestLog } from './request-log.js';
import type { FaultHandle, FaultSpec, RequestLogEntry } from './types.js';

export interface SimState {
  clockOffset: number;
  latency: number;
  reachable: boolean;
  /** The exchange's clock: the machine's plus the offset. */
  serverNow: () => number;
}

export function simState(options: { clockOffsetMs?: number; latencyMs?: number }): SimState {
  const s: SimState = { clockOffset: options.clockOffsetMs ?? 0, latency: options.latencyMs ?? 0, reachable: true, serverNow: () => Date.now() + s.clockOffset };
  return s;
}

export function commonControls(s: SimState, front: { destroyAll(): void }, faults: FaultRegistry, log: RequestLog) {
  return {
    injectFault: (fault: FaultSpec): FaultHandle => faults.inject(fault),
    clearFaults: (): void => faults.clear(),
    pendingFaults: (): FaultSpec[] => faults.pending(),
    setLatency(ms: number): void {
      s.latency = ms;
    },
    setReachable(value: boolean): void {
      s.reachable = value;
      if (!value) front.destroyAll();
    },
    setClockOffset(ms: number): void {
      s.clockOffset = ms;
    },
    serverTime: (): number => s.serverNow(),
    requests: (filter?: { method?: string; path?: string }): RequestLogEntry[] => log.list(filter),
    requestCount: (method?: string, path?: string): number => log.list({ ...(method ? { method } : {}), ...(path ? { path } : {}) }).length,
    resetRequests: (): void => log.reset(),
  };
}
