/**
 * Knows the secret values in play (webhook secret, control token, exchange keys) and removes
 * them from any text before it reaches a log line, the journal or an error message.
 *
 * A secret cut short is removed too: messages clip the values they quote (`got "abc…"`), so any
 * run of a secret's first `MIN_PIECE` or more characters counts as the secret.
 */
export class Redactor {
  private readonly values = new Set<string>();
  private pattern: RegExp | null = null;
  private readonly listeners = new Set<(value: string) => void>();

  /** Register a secret value; values shorter than 6 characters are ignored (too many false hits). */
  add(value: string | null | undefined): void {
    if (!value || value.length < 6 || this.values.has(value)) return;
    this.values.add(value);
    const patterns = [...this.values].sort((a, b) => b.length - a.length).map(leadingPiecePattern);
    this.pattern = new RegExp(patterns.join('|'), 'g');
    for (const fn of this.listeners) fn(value);
  }

  /**
   * Follows the secret values, those known now and each one added later (a redactor in another
   * thread scrubs the same); returns an unsubscribe function.
   */
  follow(fn: (value: string) => void): () => void {
    for (const v of this.values) fn(v);
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  scrub(text: string): string {
    if (!this.pattern) return text;
    return text.replace(this.pattern, '[redacted]');
  }

  /** Deep copy with secret values scrubbed from every string and secret-named keys removed. */
  scrubValue<T>(value: T): T {
    return scrubDeep(value, this) as T;
  }
}

/** A clipped secret still reveals this many of its characters: too many to leave in a message. */
const MIN_PIECE = 12;

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Matches the value, or its first MIN_PIECE or more characters: `abcdefghijkl(?:m(?:n)?)?`. */
function leadingPiecePattern(value: string): string {
  if (value.length <= MIN_PIECE) return escapeRegExp(value);
  let tail = '';
  for (let i = value.length - 1; i >= MIN_PIECE; i--) tail = `(?:${escapeRegExp(value[i] as string)}${tail})?`;
  return escapeRegExp(value.slice(0, MIN_PIECE)) + tail;
}

const SECRET_KEYS = /^(secret|passphrase|password|api_?key|api_?secret|apikey|apisecret|token|authorization|privatekey)$/i;

function scrubDeep(v: unknown, r: Redactor): unknown {
  if (typeof v === 'string') return r.scrub(v);
  if (Array.isArray(v)) return v.map((x) => scrubDeep(x, r));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : scrubDeep(x, r);
    return out;
  }
  return v;
}
