import type { LogEntryDto, LogLevel } from '../../../shared/api.js';

export const LEVELS: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

export interface LogFilter {
  /** Minimum level shown. */
  level: LogLevel;
  /** '' for every strategy. */
  strategy: string;
  /** Case-insensitive text searched in the message and its fields. */
  text: string;
}

export function matchesFilter(e: LogEntryDto, f: LogFilter): boolean {
  if (LEVELS.indexOf(e.level) < LEVELS.indexOf(f.level)) return false;
  if (f.strategy && e.strategy !== f.strategy && e.data?.strategy !== f.strategy) return false;
  if (f.text) {
    const needle = f.text.toLowerCase();
    const hay = `${e.msg} ${e.alertId ?? ''} ${e.data ? JSON.stringify(e.data) : ''}`.toLowerCase();
    if (!hay.includes(needle)) return false;
  }
  return true;
}

const SECRET_KEY = /secret|password|passphrase|api[-_]?key|token|authorization|signature/i;

/**
 * Masks values under secret-looking keys. The engine already scrubs known secrets from every log
 * line; this is the second lock, for fields the engine does not know are secret.
 */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SECRET_KEY.test(k) && v !== null && v !== undefined && v !== '' && typeof v !== 'boolean' ? '••••' : maskSecrets(v, depth + 1);
  }
  return out;
}

/** A JSON alert body with its `secret` (and any secret-looking field) masked, pretty-printed. */
export function maskedBody(body: string): string {
  try {
    return JSON.stringify(maskSecrets(JSON.parse(body)), null, 2);
  } catch {
    return body;
  }
}
