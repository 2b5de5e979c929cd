/**
 * The webhook secret: `webhook-secret` in the secret store (an environment variable, the keychain
 * or `<data-dir>/webhook-secret`, depending on the store handed in); generated on first start.
 */
import { randomBytes } from 'node:crypto';
import type { SecretStore } from '../core/ports.js';
import { getWithSource } from './layered-store.js';
import { WEBHOOK_SECRET_NAME } from './names.js';

export interface WebhookSecretInfo {
  secret: string;
  /** True when this call generated and stored it. */
  created: boolean;
  /** The kind of store it came from or went to ("environment", "keychain", "file"…). */
  source: string;
}

/** 32 random bytes as base64url: 43 characters of [A-Za-z0-9_-], safe in a URL path and in JSON. */
export function generateWebhookSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The stored webhook secret, or a new one (generated, stored, and read back to prove it was kept). */
export async function loadOrCreateWebhookSecret(store: SecretStore): Promise<WebhookSecretInfo> {
  const existing = await getWithSource(store, WEBHOOK_SECRET_NAME);
  if (existing) return { secret: existing.value, created: false, source: existing.source };
  const secret = generateWebhookSecret();
  await store.set(WEBHOOK_SECRET_NAME, secret);
  const stored = await getWithSource(store, WEBHOOK_SECRET_NAME);
  if (!stored) throw new Error(`The ${store.kind} secret store did not keep the new webhook secret (it reads back as missing)`);
  // Another process may have created one at the same moment: whatever the store now holds wins.
  return { secret: stored.value, created: stored.value === secret, source: stored.source };
}

/**
 * Replace the webhook secret with a new one (alerts using the old one are refused from then on).
 * Fails when the store cannot keep it, or when another layer (PINEBRIDGE_WEBHOOK_SECRET) overrides it.
 */
export async function rotateWebhookSecret(store: SecretStore): Promise<{ secret: string; source: string }> {
  const secret = generateWebhookSecret();
  await store.set(WEBHOOK_SECRET_NAME, secret);
  const stored = await getWithSource(store, WEBHOOK_SECRET_NAME);
  if (!stored || stored.value !== secret) {
    const why = stored
      ? `the ${stored.source} store still supplies another value${stored.source === 'environment' ? ' (PINEBRIDGE_WEBHOOK_SECRET is set: change or unset it instead)' : ''}`
      : 'it reads back as missing';
    throw new Error(`The new webhook secret did not take effect: ${why}`);
  }
  return { secret, source: stored.source };
}
