import { NotifySendError } from './batch.js';

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<Response>;

export interface PostResult {
  status: number;
  headers: Headers;
  /** Parsed JSON body, or null when empty or not JSON. */
  json: unknown;
}

/**
 * POST JSON with a time limit. Network failures and timeouts become transient NotifySendErrors.
 * The URL (which may hold a token) is never part of an error message.
 */
export async function postJson(fetchFn: FetchLike, url: string, body: unknown, what: string, timeoutMs: number): Promise<PostResult> {
  let res: Response;
  try {
    res = await fetchFn(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'Pinebridge' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const err = e as { name?: string; cause?: { code?: string } };
    const why = err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err.cause?.code ?? err.name ?? 'network error');
    throw new NotifySendError(`${what}: ${why}`, false);
  }
  const text = await res.text().catch(() => '');
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  return { status: res.status, headers: res.headers, json };
}

/** Seconds from a Retry-After header (or a JSON field), as ms; null when absent. */
export function retryAfterMs(header: string | null, field?: unknown): number | null {
  const fromField = typeof field === 'number' && Number.isFinite(field) && field >= 0 ? field : null;
  const fromHeader = header !== null && /^\d+(\.\d+)?$/.test(header.trim()) ? Number(header) : null;
  const s = fromField ?? fromHeader;
  return s === null ? null : Math.ceil(s * 1000);
}
