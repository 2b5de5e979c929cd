/**
 * The OS keychain through keytar (macOS Keychain, Windows Credential Manager, the Secret Service
 * on Linux: gnome-keyring, KWallet's bridge, KeePassXC).
 *
 * keytar is an optional native dependency: it may be missing, fail to load (no libsecret), or load
 * fine and still not work (no D-Bus session, no Secret Service, a locked keyring). Nothing here
 * imports it at module load: it is loaded on first use with a dynamic `import()`, and
 * `openKeychainStore` proves the keychain works (set, get, delete a probe entry) before handing out
 * a store, returning null with the reason otherwise.
 *
 * Layout: one keychain entry per secret name, service = `service` (default `pinebridge`),
 * account = the secret name (e.g. `account:main:live:apiKey`).
 */
import { randomBytes } from 'node:crypto';
import type { SecretStore } from '../core/ports.js';
import { assertValidName, assertValidValue, messageOf } from './names.js';

/** The part of keytar's API used here. */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** Loads the keytar module (the default is `import('keytar')`); tests inject failures. */
export type KeytarLoader = () => Promise<unknown>;

export type KeytarLoadResult = { ok: true; keytar: KeytarApi } | { ok: false; reason: string };

export type KeychainProbeResult = { ok: true } | { ok: false; reason: string };

export type KeychainOpenResult = { store: SecretStore; reason: null } | { store: null; reason: string };

export interface KeytarStoreOptions {
  /** Keychain service name; all entries live under it. Default `pinebridge`. */
  service?: string;
  /** How to load keytar. Default: a dynamic `import('keytar')`, done once per process. */
  loader?: KeytarLoader;
  /** Per-operation time limit in ms (a hung D-Bus call otherwise waits forever). Default: none. */
  timeoutMs?: number;
}

export interface OpenKeychainOptions extends KeytarStoreOptions {
  /** Time limit for each probe step, ms. Default 10 000. */
  probeTimeoutMs?: number;
  /** Called with the reason when the keychain is not usable (openKeychainStore returns null). */
  onUnavailable?: (reason: string) => void;
}

export const DEFAULT_KEYCHAIN_SERVICE = 'pinebridge';
const DEFAULT_PROBE_TIMEOUT_MS = 10_000;

// A non-literal specifier: keytar is optional, so type checking and bundling must not need it.
const KEYTAR_MODULE = 'keytar';
const defaultLoader: KeytarLoader = () => import(KEYTAR_MODULE);

let defaultLoad: Promise<KeytarLoadResult> | undefined;

/**
 * Load keytar without throwing. With the default loader the result (success or failure) is cached
 * for the process: a native module that failed to load will not load on a second try either.
 */
export function loadKeytar(loader?: KeytarLoader): Promise<KeytarLoadResult> {
  if (loader) return loadWith(loader);
  defaultLoad ??= loadWith(defaultLoader);
  return defaultLoad;
}

async function loadWith(loader: KeytarLoader): Promise<KeytarLoadResult> {
  let mod: unknown;
  try {
    mod = await loader();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      return { ok: false, reason: `keytar is not installed (it is an optional dependency): ${messageOf(error)}` };
    }
    return { ok: false, reason: `keytar is installed but could not be loaded (native module): ${messageOf(error)}` };
  }
  const api = asKeytarApi(mod);
  if (!api) return { ok: false, reason: 'the loaded "keytar" module does not look like keytar (no getPassword/setPassword/deletePassword)' };
  return { ok: true, keytar: api };
}

function asKeytarApi(mod: unknown): KeytarApi | null {
  // keytar is CommonJS: `import()` gives { default: module.exports, ...named exports it could detect }.
  const candidates = [(mod as { default?: unknown } | null)?.default, mod];
  for (const c of candidates) {
    if (c === null || (typeof c !== 'object' && typeof c !== 'function')) continue;
    const k = c as Partial<Record<keyof KeytarApi, unknown>>;
    if (typeof k.getPassword === 'function' && typeof k.setPassword === 'function' && typeof k.deletePassword === 'function') {
      return c as KeytarApi;
    }
  }
  return null;
}

/** A secret store backed by the OS keychain. keytar is loaded on first use, not here. kind = 'keychain'. */
export function createKeytarStore(options: KeytarStoreOptions = {}): SecretStore {
  const service = options.service ?? DEFAULT_KEYCHAIN_SERVICE;
  if (!service) throw new TypeError('The keychain service name must be a non-empty string');
  const { loader, timeoutMs } = options;

  let loading: Promise<KeytarLoadResult> | undefined; // once per store (and once per process for the default loader)
  async function keytar(): Promise<KeytarApi> {
    loading ??= loadKeytar(loader);
    const loaded = await loading;
    if (!loaded.ok) throw new Error(`The OS keychain is not available: ${loaded.reason}`);
    return loaded.keytar;
  }

  async function run<T>(what: string, name: string, op: (k: KeytarApi) => Promise<T>): Promise<T> {
    const k = await keytar();
    try {
      return await withTimeout(op(k), timeoutMs, what);
    } catch (error) {
      throw new Error(`Keychain ${what} of "${name}" (service "${service}") failed: ${explainKeychainError(messageOf(error))}`, { cause: error });
    }
  }

  return {
    kind: 'keychain',
    async get(name) {
      assertValidName(name);
      return run('read', name, (k) => k.getPassword(service, name));
    },
    async set(name, value) {
      assertValidName(name);
      assertValidValue(name, value);
      await run('write', name, (k) => k.setPassword(service, name, value));
    },
    async delete(name) {
      assertValidName(name);
      return run('delete', name, (k) => k.deletePassword(service, name));
    },
  };
}

/**
 * Check that the keychain really works under `service`: load keytar, then write, read back, delete
 * and re-read a random probe entry. Never throws; on failure says why (and leaves no entry behind
 * when it can).
 */
export async function probeKeytar(options: OpenKeychainOptions = {}): Promise<KeychainProbeResult> {
  const service = options.service ?? DEFAULT_KEYCHAIN_SERVICE;
  const limit = options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const loaded = await loadKeytar(options.loader);
  if (!loaded.ok) return { ok: false, reason: loaded.reason };
  const k = loaded.keytar;
  const account = `pinebridge-probe-${process.pid}-${randomBytes(6).toString('hex')}`;
  const value = `probe-${randomBytes(12).toString('base64url')}`;
  let step = 'write a test entry';
  let written = false;
  try {
    await withTimeout(k.setPassword(service, account, value), limit, step);
    written = true;
    step = 'read the test entry back';
    const read = await withTimeout(k.getPassword(service, account), limit, step);
    if (read !== value) return { ok: false, reason: `the keychain returned ${read === null ? 'nothing' : 'a different value'} for a test entry it had just stored` };
    step = 'delete the test entry';
    const deleted = await withTimeout(k.deletePassword(service, account), limit, step);
    if (!deleted) return { ok: false, reason: 'the keychain could not find a test entry it had just stored when deleting it' };
    written = false;
    step = 'check the test entry is gone';
    const after = await withTimeout(k.getPassword(service, account), limit, step);
    if (after !== null) return { ok: false, reason: 'the keychain still returned a test entry after deleting it' };
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `the OS keychain did not work (could not ${step}): ${explainKeychainError(messageOf(error))}` };
  } finally {
    if (written) {
      // Best effort, and not awaited for long: the keychain is already known to misbehave.
      await withTimeout(k.deletePassword(service, account), Math.min(limit, 2_000), 'clean up').catch(() => undefined);
    }
  }
}

/**
 * A keychain store that has been proven to work, or `{ store: null, reason }`. Never throws.
 */
export async function tryOpenKeychainStore(options: OpenKeychainOptions = {}): Promise<KeychainOpenResult> {
  let store: SecretStore;
  try {
    store = createKeytarStore(options);
  } catch (error) {
    return { store: null, reason: messageOf(error) };
  }
  const probe = await probeKeytar(options);
  if (!probe.ok) return { store: null, reason: probe.reason };
  return { store, reason: null };
}

/**
 * A keychain store that has been proven to work, or null (after calling `onUnavailable(reason)`).
 * Never throws: hosts fall back to environment variables or files.
 */
export async function openKeychainStore(options: OpenKeychainOptions = {}): Promise<SecretStore | null> {
  const result = await tryOpenKeychainStore(options);
  if (result.store === null) {
    try {
      options.onUnavailable?.(result.reason);
    } catch {
      // A failing logger must not turn "no keychain" into a crash.
    }
  }
  return result.store;
}

/** Add what to do to the Secret Service's terse messages. */
export function explainKeychainError(message: string): string {
  const bus = process.env.DBUS_SESSION_BUS_ADDRESS;
  if (/autolaunch D-Bus|Could not connect|DBUS_SESSION_BUS_ADDRESS|Failed to connect to socket|Connection refused/i.test(message)) {
    return `${message} (no D-Bus session bus${bus ? ` at ${bus}` : ': DBUS_SESSION_BUS_ADDRESS is not set'}; on a server, run inside \`dbus-run-session\` with an unlocked gnome-keyring, or use environment variables / the data-dir files instead)`;
  }
  if (/ServiceUnknown|org\.freedesktop\.secrets|was not provided by any \.service files/i.test(message)) {
    return `${message} (no Secret Service is running: install and start gnome-keyring or KeePassXC's Secret Service)`;
  }
  if (/locked collection|collection\/login|Object does not exist|prompt/i.test(message)) {
    return `${message} (the keyring is locked or has no login collection and no unlock prompt can be shown; e.g. \`printf '<password>' | gnome-keyring-daemon --unlock\`)`;
  }
  return message;
}

function withTimeout<T>(promise: Promise<T>, ms: number | undefined, what: string): Promise<T> {
  if (ms === undefined || !(ms > 0) || !Number.isFinite(ms)) return promise;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the keychain did not answer within ${ms} ms (${what})`)), ms);
    timer.unref?.();
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
