/**
 * The environment store: which PINEBRIDGE_* variables map to which secret names; read-only.
 */
import { describe, expect, it } from 'vitest';
import { credentialName } from '../../main/engine/core/ports.js';
import { createEnvStore, envVarsFor, parseCredentialName } from '../../main/engine/secrets/index.js';

describe('environment store', () => {
  it('maps the generic variables to every account and mode, and the webhook secret', async () => {
    const store = createEnvStore({ PINEBRIDGE_API_KEY: 'K', PINEBRIDGE_API_SECRET: 'S', PINEBRIDGE_API_PASSWORD: 'P', PINEBRIDGE_WEBHOOK_SECRET: 'W' });
    expect(store.kind).toBe('environment');
    for (const account of ['main', 'other']) {
      for (const mode of ['testnet', 'live'] as const) {
        expect(await store.get(credentialName(account, mode, 'apiKey'))).toBe('K');
        expect(await store.get(credentialName(account, mode, 'secret'))).toBe('S');
        expect(await store.get(credentialName(account, mode, 'password'))).toBe('P');
      }
    }
    expect(await store.get('webhook-secret')).toBe('W');
    expect(await store.get('control-token')).toBeNull();
    expect(await store.get('account:main:nosuchmode:apiKey')).toBeNull();
  });

  it('the specific PINEBRIDGE_<ACCOUNT>_<MODE>_API_* form wins and keeps modes apart', async () => {
    const env = { PINEBRIDGE_API_KEY: 'GENERIC', PINEBRIDGE_MAIN_BINANCE_TESTNET_API_KEY: 'TESTNET', PINEBRIDGE_MAIN_BINANCE_LIVE_API_SECRET: 'LIVE-S' };
    const store = createEnvStore(env);
    expect(await store.get(credentialName('main-binance', 'testnet', 'apiKey'))).toBe('TESTNET');
    expect(await store.get(credentialName('main-binance', 'live', 'apiKey'))).toBe('GENERIC');
    expect(await store.get(credentialName('main-binance', 'live', 'secret'))).toBe('LIVE-S');
    expect(await store.get(credentialName('main-binance', 'testnet', 'secret'))).toBeNull();
    expect(envVarsFor(credentialName('my.acct:x', 'live', 'password'))).toEqual(['PINEBRIDGE_MY_ACCT_X_LIVE_API_PASSWORD', 'PINEBRIDGE_API_PASSWORD']);
    expect(parseCredentialName(credentialName('a:b', 'testnet', 'secret'))).toEqual({ account: 'a:b', mode: 'testnet', part: 'secret' });
  });

  it('treats an empty variable as unset, and reads the environment live', async () => {
    const env: NodeJS.ProcessEnv = { PINEBRIDGE_WEBHOOK_SECRET: '' };
    const store = createEnvStore(env);
    expect(await store.get('webhook-secret')).toBeNull();
    env.PINEBRIDGE_WEBHOOK_SECRET = 'later';
    expect(await store.get('webhook-secret')).toBe('later');
  });

  it('is read-only: set/delete say which variable to set instead', async () => {
    const store = createEnvStore({});
    await expect(store.set(credentialName('main', 'live', 'apiKey'), 'x')).rejects.toThrow(
      /read-only\. Set the environment variable PINEBRIDGE_MAIN_LIVE_API_KEY \(or PINEBRIDGE_API_KEY\) instead/,
    );
    await expect(store.set('webhook-secret', 'x')).rejects.toThrow(/Set the environment variable PINEBRIDGE_WEBHOOK_SECRET instead/);
    await expect(store.delete('webhook-secret')).rejects.toThrow(/PINEBRIDGE_WEBHOOK_SECRET.*unset it/);
    await expect(store.set('control-token', 'x')).rejects.toThrow(/no environment variable maps to this name/);
  });
});
