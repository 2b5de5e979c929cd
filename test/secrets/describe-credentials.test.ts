/**
 * describeCredentials: what the UI may show of stored exchange keys.
 */
import { describe, expect, it } from 'vitest';
import { credentialName } from '../../main/engine/core/ports.js';
import { createMemoryStore, describeCredentials } from '../../main/engine/secrets/index.js';

describe('describeCredentials', () => {
  it('shows set / not set and the last 4 of the key, never the secret, per mode', async () => {
    // Made up, 64 characters like an exchange's (built here so no scanner takes them for real ones).
    const apiKey = `${'fake-api-key-'.repeat(5)}Eh8A`;
    const secret = `${'fake-api-secret-'.repeat(4)}Q9zX`;
    const store = createMemoryStore({ [credentialName('main', 'testnet', 'apiKey')]: apiKey, [credentialName('main', 'testnet', 'secret')]: secret });
    const info = await describeCredentials(store, 'main', 'testnet');
    expect(info).toEqual({ apiKey: { set: true, last4: 'Eh8A' }, secret: { set: true }, password: { set: false } });
    const shown = JSON.stringify(info);
    expect(shown).not.toContain(secret.slice(-4));
    expect(shown).not.toContain(apiKey.slice(0, -4));
    expect(await describeCredentials(store, 'main', 'live')).toEqual({ apiKey: { set: false, last4: null }, secret: { set: false }, password: { set: false } });
  });

  it('gives no last4 for a key too short to hide', async () => {
    const store = createMemoryStore({ [credentialName('a', 'live', 'apiKey')]: 'abcdef' });
    expect((await describeCredentials(store, 'a', 'live')).apiKey).toEqual({ set: true, last4: null });
  });
});
