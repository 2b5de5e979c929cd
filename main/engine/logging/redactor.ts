/**
 * Knows the secret values in play (webhook secret, control token, exchange keys) and removes
 * them from any text before it reaches a log line, the journal or an error message.
 */
export class Redactor {
  private readonly values = new Set<string>();
  private pattern: RegExp | null = null;

  /** Register a secret value; values shorter than 6 characters are ignored (too many false hits). */
  add(value: string | null | undefined): void {
    if (!value || value.length < 6 || this.values.has(value)) return;
    this.values.add(value);
    const escaped = [...this.values]
      .sort((a, b) => b.length - a.length)
      .map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.pattern = new RegExp(escaped.join('|'), 'g');
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

export const SECRET_LOG_PATHS = [
  'secret',
  '*.secret',
  'apiKey',
  '*.apiKey',
  'apiSecret',
  '*.apiSecret',
  'token',
  '*.token',
  'password',
  '*.password',
  'headers.authorization',
  '*.headers.authorization',
];
