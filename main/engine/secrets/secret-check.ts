import { createHash, timingSafeEqual } from 'node:crypto';

/** Constant-time comparison: both sides hashed first so lengths never leak through timing. */
export function secretMatches(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
