/**
 * The webhook secret: created once and then stable, overridden by the environment, rotated.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEnvStore, createFileStore, layerStores, loadOrCreateWebhookSecret, rotateWebhookSecret } from '../../main/engine/secrets/index.js';
import { BASE64URL_43, modeOf, removeTempDirs, tempDir } from './support.js';

afterAll(removeTempDirs);

describe('webhook secret', () => {
  it('is created once (43 chars base64url, in <dir>/webhook-secret 0600) and then stable', async () => {
    const dir = tempDir();
    const first = await loadOrCreateWebhookSecret(createFileStore(dir));
    expect(first.created).toBe(true);
    expect(first.source).toBe('file');
    expect(first.secret).toMatch(BASE64URL_43);
    expect(Buffer.from(first.secret, 'base64url')).toHaveLength(32);
    expect(readFileSync(join(dir, 'webhook-secret'), 'utf8')).toBe(first.secret);
    expect(modeOf(join(dir, 'webhook-secret'))).toBe(0o600);
    const second = await loadOrCreateWebhookSecret(createFileStore(dir));
    expect(second).toEqual({ secret: first.secret, created: false, source: 'file' });
    const elsewhere = await loadOrCreateWebhookSecret(createFileStore(tempDir()));
    expect(elsewhere.secret).not.toBe(first.secret);
  });

  it('PINEBRIDGE_WEBHOOK_SECRET wins and nothing is written', async () => {
    const dir = tempDir();
    const store = layerStores([createEnvStore({ PINEBRIDGE_WEBHOOK_SECRET: 'env-secret-value' })], createFileStore(dir));
    expect(await loadOrCreateWebhookSecret(store)).toEqual({ secret: 'env-secret-value', created: false, source: 'environment' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('rotates to a new stable value; refuses when the environment overrides it', async () => {
    const dir = tempDir();
    const store = createFileStore(dir);
    const original = await loadOrCreateWebhookSecret(store);
    const rotated = await rotateWebhookSecret(store);
    expect(rotated.secret).toMatch(BASE64URL_43);
    expect(rotated.secret).not.toBe(original.secret);
    expect(await loadOrCreateWebhookSecret(createFileStore(dir))).toEqual({ secret: rotated.secret, created: false, source: 'file' });

    const overridden = layerStores([createEnvStore({ PINEBRIDGE_WEBHOOK_SECRET: 'env-secret-value' })], store);
    await expect(rotateWebhookSecret(overridden)).rejects.toThrow(/did not take effect: the environment store still supplies another value \(PINEBRIDGE_WEBHOOK_SECRET is set/);
    await expect(rotateWebhookSecret(createEnvStore({}))).rejects.toThrow(/Set the environment variable PINEBRIDGE_WEBHOOK_SECRET instead/);
  });
});
