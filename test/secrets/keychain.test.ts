/**
 * The keychain store against a REAL Secret Service (via keytar); it fails (never skips) when there
 * is none. Run the secret tests inside a D-Bus session with an unlocked gnome-keyring:
 *
 *   dbus-run-session -- sh -c 'printf x | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run test/secrets/'
 */
import keytar from 'keytar';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { credentialName, type SecretStore } from '../../main/engine/core/ports.js';
import { createKeytarStore, loadOrCreateWebhookSecret, probeKeytar, tryOpenKeychainStore } from '../../main/engine/secrets/index.js';
import { BASE64URL_43, uniqueService } from './support.js';

const HOW_TO_RUN =
  "Run the secret tests inside a D-Bus session with an unlocked gnome-keyring (apt-get install -y libsecret-1-dev gnome-keyring dbus): dbus-run-session -- sh -c 'printf x | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run test/secrets/'";

describe('keychain store (real Secret Service via keytar)', () => {
  const service = uniqueService();
  const services = [service];
  let store: SecretStore;
  let unavailable: string | null = 'not probed yet';

  // Not thrown here: every test below fails on its own (a beforeAll error would only mark them skipped).
  beforeAll(async () => {
    const opened = await tryOpenKeychainStore({ service });
    unavailable = opened.reason;
    if (opened.store) store = opened.store;
  });
  beforeEach(() => {
    if (unavailable !== null) throw new Error(`No usable OS keychain: ${unavailable}. ${HOW_TO_RUN}`);
  });

  afterAll(async () => {
    if (unavailable !== null) return;
    // Remove every entry any test left under its services, then prove they are gone.
    for (const s of services) {
      for (const { account } of await keytar.findCredentials(s)) await keytar.deletePassword(s, account);
      expect(await keytar.findCredentials(s)).toEqual([]);
    }
  });

  it('opens as kind "keychain", and the probe leaves no entry behind', async () => {
    expect(store.kind).toBe('keychain');
    const probeService = uniqueService();
    services.push(probeService);
    expect(await probeKeytar({ service: probeService })).toEqual({ ok: true });
    expect(await keytar.findCredentials(probeService)).toEqual([]);
  });

  it('set / get / overwrite / delete round trip', async () => {
    const name = 'webhook-secret';
    expect(await store.get(name)).toBeNull();
    await store.set(name, 'first-value');
    expect(await store.get(name)).toBe('first-value');
    await store.set(name, 'second-value');
    expect(await store.get(name)).toBe('second-value');
    expect(await store.delete(name)).toBe(true);
    expect(await store.get(name)).toBeNull();
    expect(await store.delete(name)).toBe(false);
  });

  it('keeps one keychain entry per name, with the name as the account', async () => {
    const a = credentialName('main', 'live', 'apiKey');
    const b = credentialName('main', 'live', 'secret');
    await store.set(a, 'AK');
    await store.set(b, 'SK');
    await store.set(a, 'AK2');
    const entries = (await keytar.findCredentials(service)).sort((x, y) => x.account.localeCompare(y.account));
    expect(entries).toEqual([
      { account: a, password: 'AK2' },
      { account: b, password: 'SK' },
    ]);
    expect(await keytar.getPassword(service, a)).toBe('AK2');
    await store.delete(a);
    await store.delete(b);
    expect(await keytar.findCredentials(service)).toEqual([]);
  });

  it('never reads testnet keys as live ones (credentialName namespaces)', async () => {
    const testnetKey = credentialName('main', 'testnet', 'apiKey');
    const liveKey = credentialName('main', 'live', 'apiKey');
    await store.set(testnetKey, 'TESTNET-KEY');
    expect(await store.get(liveKey)).toBeNull();
    await store.set(liveKey, 'LIVE-KEY');
    expect(await store.get(testnetKey)).toBe('TESTNET-KEY');
    expect(await store.get(liveKey)).toBe('LIVE-KEY');
    expect(await store.delete(testnetKey)).toBe(true);
    expect(await store.get(liveKey)).toBe('LIVE-KEY');
    expect(await store.get(testnetKey)).toBeNull();
    await store.delete(liveKey);
  });

  it('keeps unicode values and names exactly', async () => {
    const name = credentialName('hauptkonto-ü', 'live', 'secret');
    const value = 'pä$$wörd 🔑 密钥 ✓ "quotes" \\ /slash\ttab';
    await store.set(name, value);
    expect(await store.get(name)).toBe(value);
    expect(await keytar.getPassword(service, name)).toBe(value);
    await store.delete(name);
  });

  it('separates services', async () => {
    const other = uniqueService();
    services.push(other);
    const otherStore = createKeytarStore({ service: other });
    await store.set('webhook-secret', 'in-first');
    expect(await otherStore.get('webhook-secret')).toBeNull();
    await otherStore.set('webhook-secret', 'in-second');
    expect(await store.get('webhook-secret')).toBe('in-first');
    await store.delete('webhook-secret');
    await otherStore.delete('webhook-secret');
  });

  it('refuses empty values and NUL characters (libsecret would silently cut the value at a NUL)', async () => {
    const name = credentialName('main', 'live', 'secret');
    await expect(store.set(name, '')).rejects.toThrow(/empty value/);
    await expect(store.set(name, 'ab\u0000cd')).rejects.toThrow(/NUL/);
    await expect(store.get('')).rejects.toThrow(/non-empty/);
    expect(await keytar.getPassword(service, name)).toBeNull();
  });

  it('holds the webhook secret: created once, then stable', async () => {
    const first = await loadOrCreateWebhookSecret(store);
    expect(first.created).toBe(true);
    expect(first.source).toBe('keychain');
    expect(first.secret).toMatch(BASE64URL_43);
    expect(await keytar.getPassword(service, 'webhook-secret')).toBe(first.secret);
    const again = await loadOrCreateWebhookSecret(createKeytarStore({ service }));
    expect(again).toEqual({ secret: first.secret, created: false, source: 'keychain' });
    await store.delete('webhook-secret');
  });
});
