import { createHash } from 'node:crypto';
import type { Signal } from '../signals/signal.js';

/**
 * The idempotency key of an accepted alert, and since when to look for an earlier one.
 * - With the sender's `id`: that id within the strategy, forever.
 * - Without: a hash of the body (secret removed, keys sorted) within `windowMs`.
 */
export function idempotencyKey(
  signal: Signal,
  body: Record<string, unknown>,
  now: number,
  windowMs: number,
): { key: string; since: number } {
  if (signal.id) return { key: 'id:' + hash(`${signal.strategy}\n${signal.id}`), since: 0 };
  const { secret: _secret, ...rest } = body;
  return { key: 'h:' + hash(canonical(rest)), since: now - windowMs };
}

function hash(s: string): string {
  return createHash('sha256').update(s).digest('base64url').slice(0, 32);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  if (v && typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonical((v as Record<string, unknown>)[k])).join(',') + '}';
  }
  return JSON.stringify(v) ?? 'null';
}
