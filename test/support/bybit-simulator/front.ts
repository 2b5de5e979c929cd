/**
 * The Bybit front: parameters (GET query string, POST JSON body), signature checks, routing and
 * Bybit's answers (HTTP 200 with retCode, also for errors) behind the exchange-neutral HTTP front.
 */
import type { FaultDialect, FaultRegistry } from '../exchange-simulator/faults.js';
import { type Answer, createHttpFront, type Front, type IncomingCall, jsonAnswer } from '../exchange-simulator/http-front.js';
import type { RequestLog } from '../exchange-simulator/request-log.js';
import type { BybitAuthenticator } from './auth.js';
import { BybitError, bybitErrors } from './errors.js';
import { BYBIT_ORDER_PATHS, BYBIT_ROUTES, type BybitContext } from './routes.js';

export interface BybitFrontDeps {
  auth: BybitAuthenticator;
  faults: FaultRegistry;
  log: RequestLog;
  context: Omit<BybitContext, 'params' | 'apiKey'>;
  latencyMs: () => number;
  reachable: () => boolean;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** What Bybit answers, success or refusal: always this envelope. */
export function envelope(retCode: number, retMsg: string, result: unknown, time: number): Record<string, unknown> {
  return { retCode, retMsg, result, retExtInfo: {}, time };
}

/** Bybit's messages for the codes a test injects most (exchangeError faults without a msg). */
const KNOWN: Record<string, string> = {
  10006: bybitErrors.rateLimit().retMsg,
  10016: bybitErrors.systemError().retMsg,
  170146: bybitErrors.creationTimeout().retMsg,
};

export function bybitFaults(now: () => number): FaultDialect {
  return {
    kinds: {
      http500: { status: 500, body: '<html><head><title>500 Internal Server Error</title></head><body><center><h1>500 Internal Server Error</h1></center></body></html>' },
      http503: { status: 503, body: '<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>' },
      // Bybit's API rate limit is a retCode on HTTP 200; its IP limit is an HTTP 403 page.
      http429: { status: 200, body: () => envelope(10006, bybitErrors.rateLimit().retMsg, {}, now()), headers: { 'X-Bapi-Limit-Status': '0', 'X-Bapi-Limit': '10' } },
      http418: { status: 403, body: 'access too frequent' },
      clockSkew: { status: 200, body: () => { const e = bybitErrors.timestamp(Date.now() - 10_000, now(), 5000); return envelope(e.retCode, e.retMsg, {}, now()); } },
    },
    exchangeError: (code, msg) => ({ status: 200, body: () => envelope(Number(code), msg ?? KNOWN[String(code)] ?? 'error', {}, now()) }),
  };
}

function parse(call: IncomingCall): Record<string, unknown> | undefined {
  if (call.method !== 'POST') return Object.fromEntries(new URLSearchParams(call.rawQuery));
  if (call.rawBody.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(call.rawBody);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function createBybitFront(deps: BybitFrontDeps): Front {
  const now = deps.context.serverNow;
  const refused = (err: BybitError): Answer => jsonAnswer(200, envelope(err.retCode, err.retMsg, {}, now()), err.retCode, JSON_TYPE);

  function process(call: IncomingCall, params: Record<string, unknown> | undefined): Answer {
    const route = BYBIT_ROUTES[`${call.method} ${call.path}`];
    if (!route) {
      deps.log.counters.notFound += 1;
      return { status: 404, body: '404 page not found', contentType: 'text/plain', headers: {} };
    }
    try {
      const apiKey = route.signed ? deps.auth.check(call.method, call.headers, call.rawQuery, call.rawBody, now()) : '';
      if (params === undefined) throw bybitErrors.params('request body is not valid JSON');
      return jsonAnswer(200, envelope(0, 'OK', route.handle({ ...deps.context, params, apiKey }), now()), undefined, JSON_TYPE);
    } catch (err) {
      if (err instanceof BybitError) {
        if (call.method === 'POST' && BYBIT_ORDER_PATHS.has(call.path)) deps.log.counters.ordersRejected += 1;
        return refused(err);
      }
      console.error('bybit simulator: internal error', err);
      return refused(bybitErrors.systemError());
    }
  }

  return createHttpFront({
    faults: deps.faults,
    log: deps.log,
    latencyMs: deps.latencyMs,
    reachable: deps.reachable,
    faultDialect: bybitFaults(now),
    dispatch: (call) => {
      const params = parse(call);
      const logged: Record<string, string> = {};
      for (const [k, v] of Object.entries(params ?? {})) logged[k] = typeof v === 'string' ? v : JSON.stringify(v);
      return { params: logged, answer: () => process(call, params) };
    },
  });
}
