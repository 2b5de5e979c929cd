import type { ApiResult, EngineEvent } from '../../../shared/api.js';
import { ApiCallError } from './api-error.js';
import { apiFrom, type ApiClient, type ConnectionState } from './client.js';
import { SseParser } from './sse-parser.js';

export interface HttpClientOptions {
  /** Origin of the control listener, e.g. http://127.0.0.1:8788 (same origin in the browser). */
  baseUrl: string;
  token: string;
  /** Called once when the listener refuses the token (401). */
  onUnauthorized?: () => void;
  fetch?: typeof fetch;
  /** Reconnect delays for the event stream, ms (the last repeats). */
  retryDelays?: number[];
}

/**
 * The headless transport: `POST /api/<command>` with the bearer token, and the event stream read
 * with fetch (not EventSource) so the token travels in a header, never in a URL.
 */
export function createHttpClient(o: HttpClientOptions): ApiClient {
  const doFetch = o.fetch ?? fetch.bind(globalThis);
  const base = o.baseUrl.replace(/\/$/, '');
  const auth = { Authorization: `Bearer ${o.token}` };
  const listeners = new Set<(e: EngineEvent) => void>();
  const connListeners = new Set<(s: ConnectionState) => void>();
  const delays = o.retryDelays ?? [500, 1000, 2000, 5000];
  let state: ConnectionState = 'closed';
  let abort: AbortController | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  let unauthorized = false;

  const setState = (s: ConnectionState) => {
    state = s;
    for (const l of connListeners) l(s);
  };
  const refused = () => {
    if (unauthorized) return;
    unauthorized = true;
    o.onUnauthorized?.();
  };

  const api = apiFrom(async (name, args) => {
    let res: Response;
    try {
      res = await doFetch(`${base}/api/${name}`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify(args ?? {}),
      });
    } catch (e) {
      throw new ApiCallError('unreachable', `Pinebridge is not answering (${(e as Error).message}). Is it still running?`);
    }
    if (res.status === 401) refused();
    let body: ApiResult<unknown>;
    try {
      body = (await res.json()) as ApiResult<unknown>;
    } catch {
      throw new ApiCallError('bad_answer', `Unexpected answer from Pinebridge (HTTP ${res.status}).`, res.status);
    }
    if (body.ok) return body.result;
    throw new ApiCallError(body.error.code, body.error.message, res.status);
  });

  async function connect(attempt: number): Promise<void> {
    if (closed) return;
    setState(attempt === 0 ? 'connecting' : 'reconnecting');
    abort = new AbortController();
    try {
      const res = await doFetch(`${base}/api/events`, { headers: { ...auth, Accept: 'text/event-stream' }, signal: abort.signal });
      if (res.status === 401) {
        refused();
        setState('closed');
        return;
      }
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      setState('open');
      attempt = 0;
      const parser = new SseParser((m) => {
        let event: EngineEvent;
        try {
          event = JSON.parse(m.data) as EngineEvent;
        } catch {
          return;
        }
        for (const l of listeners) l(event);
      });
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(value);
      }
    } catch {
      // dropped or refused: retried below
    }
    if (closed) return;
    setState('reconnecting');
    const delay = delays[Math.min(attempt, delays.length - 1)] ?? 5000;
    retryTimer = setTimeout(() => void connect(attempt + 1), delay);
  }

  return {
    api,
    transport: 'http',
    subscribe(listener) {
      listeners.add(listener);
      if (state === 'closed' && !closed && !abort) void connect(0);
      return () => listeners.delete(listener);
    },
    onConnection(listener) {
      connListeners.add(listener);
      listener(state);
      return () => connListeners.delete(listener);
    },
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      abort?.abort();
      setState('closed');
    },
  };
}
