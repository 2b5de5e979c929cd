/**
 * The OKX front: parameters (GET query string, POST JSON body, an array for batches), signature
 * checks, routing and OKX's answers (`{"code":"0","msg":"","data":[...]}`; refusals as OKX sends
 * them) behind the exchange-neutral HTTP front.
 */
import type { FaultDialect, FaultRegistry } from '../exchange-simulator/faults.js';
import { type Answer, createHttpFront, type Front, type IncomingCall, jsonAnswer } from '../exchange-simulator/http-front.js';
import type { RequestLog } from '../exchange-simulator/request-log.js';
import type { OkxAuthenticator } from './auth.js';
import { OkxError } from './errors.js';
import { OKX_ORDER_PATHS, OKX_ROUTES, type OkxContext } from './routes.js';

export interface OkxFrontDeps {
  auth: OkxAuthenticator;
  faults: FaultRegistry;
  log: RequestLog;
  context: Omit<OkxContext, 'params'>;
  latencyMs: () => number;
  reachable: () => boolean;
}

const JSON_TYPE = 'application/json';

/** OKX's messages for the service codes a test injects (exchangeError faults without a msg). */
const KNOWN: Record<string, string> = {
  50001: 'Service temporarily unavailable. Please try again later.',
  50004: 'API endpoint request timeout (does not mean that the request was successful or failed, please check the request result).',
  50011: 'Too Many Requests',
  50013: 'Systems are busy. Please try again later.',
};

export const OKX_FAULTS: FaultDialect = {
  kinds: {
    // OKX's own 50000 is "Body can not be empty": a gateway 500 is a page, not an OKX code.
    http500: { status: 500, body: '<html><head><title>500 Internal Server Error</title></head><body><center><h1>500 Internal Server Error</h1></center></body></html>' },
    http503: { status: 503, body: { code: '50001', msg: KNOWN[50001] ?? '', data: [] } },
    http429: { status: 429, body: { code: '50011', msg: 'Too Many Requests' } },
    http418: { status: 403, body: 'Forbidden' },
    clockSkew: { status: 401, body: { code: '50102', msg: 'Timestamp request expired', data: [] } },
  },
  exchangeError: (code, msg) => ({ status: 200, body: { code: String(code), msg: msg ?? KNOWN[String(code)] ?? 'error', data: [] } }),
};

function parse(call: IncomingCall): unknown {
  if (call.method !== 'POST') return Object.fromEntries(new URLSearchParams(call.rawQuery));
  if (call.rawBody.trim() === '') return {};
  try {
    return JSON.parse(call.rawBody) as unknown;
  } catch {
    return undefined;
  }
}

/** The clOrdId a refused operation is reported under. */
function clOrdIdOf(params: unknown): string {
  const first: unknown = Array.isArray(params) ? params[0] : params;
  const v = typeof first === 'object' && first !== null ? (first as Record<string, unknown>).clOrdId : undefined;
  return typeof v === 'string' ? v : '';
}

export function createOkxFront(deps: OkxFrontDeps): Front {
  const now = deps.context.serverNow;

  function refused(err: OkxError, params: unknown): Answer {
    if (!err.operation) return jsonAnswer(err.httpStatus, { code: err.code, msg: err.msg, data: [] }, Number(err.code), JSON_TYPE);
    const line = { clOrdId: clOrdIdOf(params), ordId: '', sCode: err.code, sMsg: err.msg, tag: '', ts: String(now()) };
    return jsonAnswer(200, { code: '1', msg: 'All operations failed', data: [line], inTime: `${now()}000`, outTime: `${now()}000` }, Number(err.code), JSON_TYPE);
  }

  function process(call: IncomingCall, params: unknown): Answer {
    const route = OKX_ROUTES[`${call.method} ${call.path}`];
    if (!route) {
      deps.log.counters.notFound += 1;
      return { status: 404, body: '<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center></body></html>', contentType: 'text/html', headers: {} };
    }
    try {
      if (route.signed) deps.auth.check(call.method, call.path, call.rawQuery, call.rawBody, call.headers, now());
      if (params === undefined) throw new OkxError('50002', 'JSON syntax error');
      const data = route.handle({ ...deps.context, params });
      return jsonAnswer(200, { code: '0', msg: '', data }, undefined, JSON_TYPE);
    } catch (err) {
      if (err instanceof OkxError) {
        if (call.method === 'POST' && OKX_ORDER_PATHS.has(call.path)) deps.log.counters.ordersRejected += 1;
        return refused(err, params);
      }
      console.error('okx simulator: internal error', err);
      return { status: 500, body: 'Internal Server Error', contentType: 'text/plain', headers: {} };
    }
  }

  return createHttpFront({
    faults: deps.faults,
    log: deps.log,
    latencyMs: deps.latencyMs,
    reachable: deps.reachable,
    faultDialect: OKX_FAULTS,
    dispatch: (call) => {
      const params = parse(call);
      const logged: Record<string, string> = {};
      const first: unknown = Array.isArray(params) ? params[0] : params;
      for (const [k, v] of Object.entries(typeof first === 'object' && first !== null ? first : {})) logged[k] = typeof v === 'string' ? v : JSON.stringify(v);
      return { params: logged, answer: () => process(call, params) };
    },
  });
}
