/**
 * Bybit v5 request signing as Bybit defines it: X-BAPI-SIGN is the hex HMAC-SHA256 of
 * timestamp + apiKey + recvWindow + payload, where the payload is the raw query string of a GET
 * and the raw JSON body of a POST; X-BAPI-TIMESTAMP must lie in
 * [serverTime - recvWindow, serverTime + 1000).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Credentials } from '../exchange-simulator/types.js';
import { bybitErrors } from './errors.js';

export const BYBIT_API_KEY = 'simBybitKey00000000';
export const BYBIT_SECRET = 'simBybitSecret000000000000000000000000';

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export function bybitSign(timestamp: string, apiKey: string, recvWindow: string, payload: string, secret: string): string {
  return createHmac('sha256', secret).update(timestamp + apiKey + recvWindow + payload).digest('hex');
}

export class BybitAuthenticator {
  private readonly secrets = new Map<string, string>();

  constructor(credentials: readonly Credentials[]) {
    for (const c of credentials) this.secrets.set(c.apiKey, c.secret);
  }

  /** Throws the BybitError Bybit answers with; returns the API key. */
  check(method: string, headers: IncomingHttpHeaders, rawQuery: string, rawBody: string, serverNow: number): string {
    const apiKey = header(headers, 'x-bapi-api-key');
    const secret = apiKey === undefined ? undefined : this.secrets.get(apiKey);
    if (apiKey === undefined || secret === undefined) throw bybitErrors.apiKeyInvalid();
    const timestamp = header(headers, 'x-bapi-timestamp') ?? '';
    const recvWindow = header(headers, 'x-bapi-recv-window') ?? '5000';
    const ts = Number(timestamp);
    const window = Number(recvWindow);
    if (!/^\d+$/.test(timestamp) || !Number.isFinite(window) || ts < serverNow - window || ts >= serverNow + 1000) {
      throw bybitErrors.timestamp(timestamp, serverNow, recvWindow);
    }
    const given = (header(headers, 'x-bapi-sign') ?? '').toLowerCase();
    const expected = bybitSign(timestamp, apiKey, recvWindow, method === 'GET' ? rawQuery : rawBody, secret);
    const a = Buffer.from(given);
    const b = Buffer.from(expected);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw bybitErrors.signature();
    return apiKey;
  }
}
