/**
 * The localtunnel subdomain of this install. Without one, localtunnel hands out a random URL on
 * every start and every TradingView alert posts to a dead address after a restart; so the first
 * time localtunnel is used a subdomain is generated and saved in settings.json, and asked for on
 * every start and reconnect.
 *
 * Not exported from index.ts: the rest of the tunnel module runs without the engine's core (only
 * types from it), and this file reads and writes the settings file.
 */
import { randomBytes } from 'node:crypto';
import { loadSettings, saveSettings, type Settings } from '../core/config.js';

/** Lowercase letters and digits only: localtunnel refuses upper case, and a name must not end in '-'. */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** `pb-` and 20 random base-32 characters (100 bits): not guessable, 23 characters. */
export function generateSubdomain(): string {
  const bytes = randomBytes(20);
  let out = 'pb-';
  for (const b of bytes) out += ALPHABET[b % 32];
  return out;
}

/**
 * When the running settings use localtunnel without a subdomain: generates one, saves it in the
 * settings file (only the subdomain: flags and env stay out of the file) and sets it on `settings`.
 * Returns the subdomain in use (null for another provider).
 */
export function ensureStableSubdomain(settingsFile: string, settings: Settings): string | null {
  if (settings.tunnel.provider !== 'localtunnel') return null;
  if (settings.tunnel.subdomain) return settings.tunnel.subdomain;
  const stored = loadSettings(settingsFile);
  const subdomain = stored.tunnel.subdomain ?? generateSubdomain();
  if (!stored.tunnel.subdomain) saveSettings(settingsFile, { ...stored, tunnel: { ...stored.tunnel, subdomain } });
  settings.tunnel.subdomain = subdomain;
  return subdomain;
}
