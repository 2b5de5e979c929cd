/**
 * Layered stores: reads in order with the first value winning, writes to the write store only.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { SecretStore } from '../../main/engine/core/ports.js';
import { createEnvStore, createFileStore, createMemoryStore, layerStores } from '../../main/engine/secrets/index.js';
import { removeTempDirs, tempDir } from './support.js';

afterAll(removeTempDirs);

describe('layered store', () => {
  it('reads in order, first value wins, then the write store; writes go to the write store only', async () => {
    const env = createEnvStore({ PINEBRIDGE_WEBHOOK_SECRET: 'from-env' });
    const second = createMemoryStore({ 'webhook-secret': 'from-second', a: 'second-a' }, 'second');
    const target = createFileStore(tempDir());
    const layered = layerStores([env, second], target);
    expect(layered.kind).toBe('file');
    expect(await layered.get('webhook-secret')).toBe('from-env');
    expect(await layered.getWithSource('a')).toEqual({ value: 'second-a', source: 'second' });
    expect(await layered.get('b')).toBeNull();
    await layered.set('b', 'written');
    expect(await target.get('b')).toBe('written');
    expect(await second.get('b')).toBeNull();
    expect(await layered.getWithSource('b')).toEqual({ value: 'written', source: 'file' });
    expect(await layered.delete('b')).toBe(true);
    expect(await layered.get('b')).toBeNull();
    expect(await layered.delete('a')).toBe(false); // not in the write store
    expect(await layered.get('a')).toBe('second-a');
    expect(layerStores([env, target], target).layers).toEqual([env, target]); // not read twice
  });

  it('a failing layer fails the read instead of falling through to another value', async () => {
    const broken: SecretStore = { kind: 'keychain', get: async () => Promise.reject(new Error('keyring locked')), set: async () => {}, delete: async () => false };
    const layered = layerStores([broken], createMemoryStore({ x: 'stale' }));
    await expect(layered.get('x')).rejects.toThrow(/Reading the secret "x" from the keychain store failed: keyring locked/);
  });
});
