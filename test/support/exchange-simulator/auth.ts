/**
 * Signed-endpoint checks as Binance does them: X-MBX-APIKEY, then the HMAC-SHA256 of
 * totalParams (the raw query string concatenated with the raw request body, `signature` left out),
 * then timestamp/recvWindow against the server clock.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { errors } from './errors.js';
import type { Credentials } from './types.js';

export const DEFAULT_API_KEY = 'sim-api-key-0000000000000000000000000000000000000000000000000000';
export const DEFAULT_SECRET = 'sim-secret-0000000000000000000000000000000000000000000000000000';

export interface RawRequest {
  apiKey: string | undefined;
  /** Query string without the leading "?". */
  rawQuery: string;
  /** Form body as received (empty for GET/DELETE). */
  rawBody: string;
  params: Record<string, string>;
}

/** Removes every `signature=...` pair from a raw urlencoded string, keeping the rest byte for byte. */
function withoutSignature(raw: string): { rest: string; signature: string | undefined } {
  let signature: string | undefined;
  const kept = raw
    .split('&')
    .filter((pair) => {
      if (pair.startsWith('signature=')) {
        signature = decodeURIComponent(pair.slice('signature='.length));
        return false;
      }
      return pair !== '';
    });
  return { rest: kept.join('&'), signature };
}

export function sign(totalParams: string, secret: string): string {
  return createHmac('sha256', secret).update(totalParams).digest('hex');
}

export class Authenticator {
  private readonly secrets = new Map<string, string>();

  constructor(credentials: readonly Credentials[]) {
    for (const c of credentials) this.secrets.set(c.apiKey, c.secret);
  }

  /** Throws the BinanceError Binance would answer with; returns the API key on success. */
  check(req: RawRequest, serverNow: number): string {
    const apiKey = req.apiKey;
    if (apiKey === undefined || apiKey === '' || !/^[A-Za-z0-9_-]+$/.test(apiKey)) throw errors.apiKeyFormat();
    const secret = this.secrets.get(apiKey);
    if (secret === undefined) throw errors.invalidApiKey();
    const query = withoutSignature(req.rawQuery);
    const body = withoutSignature(req.rawBody);
    const given = query.signature ?? body.signature;
    if (given === undefined || given === '') throw errors.mandatory('signature');
    const expected = sign(query.rest + body.rest, secret);
    const a = Buffer.from(given.toLowerCase());
    const b = Buffer.from(expected);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw errors.badSignature();
    const tsRaw = req.params.timestamp;
    if (tsRaw === undefined || !/^\d+$/.test(tsRaw)) throw errors.mandatory('timestamp');
    const recvRaw = req.params.recvWindow;
    const recvWindow = recvRaw === undefined ? 5000 : Number(recvRaw);
    if (!Number.isFinite(recvWindow) || recvWindow <= 0) throw errors.illegalChars('recvWindow');
    if (recvWindow > 60000) throw errors.recvWindowTooLarge();
    const timestamp = Number(tsRaw);
    if (timestamp >= serverNow + 1000) throw errors.timestampAhead();
    if (serverNow - timestamp > recvWindow) throw errors.timestampOutside();
    return apiKey;
  }
}
