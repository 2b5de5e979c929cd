/**
 * The Binance front: signature checks, routing and Binance-style error answers behind the
 * exchange-neutral HTTP front (reachability, latency, faults, request log).
 */
import type { Authenticator } from './auth.js';
import { BinanceError } from './errors.js';
import { BINANCE_FAULTS, type FaultRegistry } from './faults.js';
import { FUTURES_ALGO_ROUTES } from './futures-algo-routes.js';
import { FUTURES_COUNTDOWN_ROUTES } from './futures-countdown.js';
import { FUTURES_ROUTES } from './futures-routes.js';
import { type Answer, createHttpFront, type Front, type IncomingCall, jsonAnswer } from './http-front.js';
import type { RequestLog } from './request-log.js';
import { type RouteContext, ROUTES } from './routes.js';

export type { Front } from './http-front.js';

export interface FrontDeps {
  auth: Authenticator;
  faults: FaultRegistry;
  log: RequestLog;
  /** Everything a route needs except the request's params. */
  context: Omit<RouteContext, 'params'>;
  latencyMs: () => number;
  reachable: () => boolean;
}

/** Spot (/api, /sapi) and USDⓈ-M futures (/fapi) on one origin, as ccxt addresses them after pointCcxtAt. */
const ALL_ROUTES = { ...ROUTES, ...FUTURES_ROUTES, ...FUTURES_ALGO_ROUTES, ...FUTURES_COUNTDOWN_ROUTES };
const ORDER_PATHS = new Set(['/api/v3/order', '/fapi/v1/order', '/fapi/v1/algoOrder']);

/** Query string first: Binance uses the query string's value when a parameter is sent in both. */
function parseParams(rawQuery: string, rawBody: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(rawBody)) params[k] = v;
  for (const [k, v] of new URLSearchParams(rawQuery)) params[k] = v;
  return params;
}

export function createFront(deps: FrontDeps): Front {
  function process(call: IncomingCall, params: Record<string, string>): Answer {
    const { method, path } = call;
    const route = ALL_ROUTES[`${method} ${path}`];
    if (!route) {
      deps.log.counters.notFound += 1;
      return { status: 404, body: '<html><body><h1>404 Not Found</h1></body></html>', contentType: 'text/html', headers: {} };
    }
    try {
      const header = call.headers['x-mbx-apikey'];
      const apiKey = Array.isArray(header) ? header[0] : header;
      if (route.signed) deps.auth.check({ apiKey, rawQuery: call.rawQuery, rawBody: call.rawBody, params }, deps.context.serverNow());
      return jsonAnswer(200, route.handle({ ...deps.context, params }));
    } catch (err) {
      if (err instanceof BinanceError) {
        if (method === 'POST' && ORDER_PATHS.has(path)) deps.log.counters.ordersRejected += 1;
        return jsonAnswer(err.httpStatus, err.body(), err.code);
      }
      console.error('exchange simulator: internal error', err);
      return jsonAnswer(500, { code: -1000, msg: 'An unknown error occured while processing the request.' }, -1000);
    }
  }

  return createHttpFront({
    faults: deps.faults,
    log: deps.log,
    latencyMs: deps.latencyMs,
    reachable: deps.reachable,
    faultDialect: BINANCE_FAULTS,
    headers: { 'x-mbx-used-weight': '1', 'x-mbx-used-weight-1m': '1' },
    dispatch: (call) => {
      const params = parseParams(call.rawQuery, call.rawBody);
      const { signature: _signature, ...logged } = params;
      return { params: logged, answer: () => process(call, params) };
    },
  });
}
