/**
 * Secret stores. The keychain part talks to a REAL Secret Service and fails (never skips) when there
 * is none. Run this file inside a D-Bus session with an unlocked gnome-keyring:
 *
 *   dbus-run-session -- sh -c 'printf x | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run test/secrets.test.ts'
 *
 * The "no D-Bus" cases run the built module (dist/, made by the vitest globalSetup) in child
 * processes whose environment points at no bus, so this process's D-Bus connection is untouched.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import keytar from 'keytar';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { credentialName, type SecretStore } from '../main/engine/ports.js';
import {
  createEnvStore,
  createFileStore,
  createKeytarStore,
  createMemoryStore,
  decodeSecretFileName,
  describeCredentials,
  encodeSecretFileName,
  envVarsFor,
  layerStores,
  loadOrCreateWebhookSecret,
  openKeychainStore,
  parseCredentialName,
  probeKeytar,
  rotateWebhookSecret,
  tryOpenKeychainStore,
  type KeytarLoader,
} from '../main/engine/secrets/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HOW_TO_RUN =
  "Run the secret tests inside a D-Bus session with an unlocked gnome-keyring (apt-get install -y libsecret-1-dev gnome-keyring dbus): dbus-run-session -- sh -c 'printf x | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run test/secrets.test.ts'";
const BASE64URL_43 = /^[A-Za-z0-9_-]{43}$/;

const uniqueService = (): string => `pinebridge-test-${randomBytes(6).toString('hex')}`;

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pinebridge-secrets-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

const modeOf = (path: string): number => statSync(path).mode & 0o777;

/* ------------------------------------------------------------------------------------------------ */
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

/* ------------------------------------------------------------------------------------------------ */
describe('keychain unavailable: null with a reason, never a crash', () => {
  const notInstalled: KeytarLoader = async () => {
    throw Object.assign(new Error("Cannot find package 'keytar' imported from /app/keytar-store.js"), { code: 'ERR_MODULE_NOT_FOUND' });
  };
  const brokenNative: KeytarLoader = async () => {
    throw new Error('libsecret-1.so.0: cannot open shared object file: No such file or directory');
  };

  it('keytar missing: openKeychainStore returns null and reports why', async () => {
    const reasons: string[] = [];
    const store = await openKeychainStore({ service: uniqueService(), loader: notInstalled, onUnavailable: (r) => reasons.push(r) });
    expect(store).toBeNull();
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/keytar is not installed \(it is an optional dependency\)/);
    expect(await tryOpenKeychainStore({ loader: notInstalled })).toEqual({ store: null, reason: expect.stringMatching(/not installed/) });
  });

  it('keytar failing to load: reason names the native error; a store made anyway rejects clearly', async () => {
    expect(await probeKeytar({ loader: brokenNative })).toEqual({ ok: false, reason: expect.stringMatching(/could not be loaded.*libsecret-1\.so\.0/) });
    const store = createKeytarStore({ loader: brokenNative });
    expect(store.kind).toBe('keychain');
    await expect(store.get('webhook-secret')).rejects.toThrow(/OS keychain is not available: .*libsecret-1\.so\.0/);
    await expect(store.set('webhook-secret', 'x')).rejects.toThrow(/OS keychain is not available/);
  });

  it('a module that is not keytar is reported, not called', async () => {
    expect(await probeKeytar({ loader: async () => ({ default: { hello: 1 } }) })).toEqual({ ok: false, reason: expect.stringMatching(/does not look like keytar/) });
  });

  it('keytar is loaded lazily: creating a store loads nothing', async () => {
    let loads = 0;
    const counting: KeytarLoader = async () => {
      loads += 1;
      return { default: createFakeKeytar() };
    };
    const store = createKeytarStore({ service: 'svc', loader: counting });
    expect(loads).toBe(0);
    await store.set('a', 'b');
    expect(loads).toBe(1);
    expect(await store.get('a')).toBe('b');
    expect(loads).toBe(1);
  });

  it('a keychain that hangs is reported after the probe time limit', async () => {
    const hanging: KeytarLoader = async () => ({ default: { ...createFakeKeytar(), setPassword: () => new Promise<void>(() => {}) } });
    const started = Date.now();
    const result = await tryOpenKeychainStore({ loader: hanging, probeTimeoutMs: 200 });
    expect(result.store).toBeNull();
    expect(result.reason).toMatch(/did not answer within 200 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a keychain that returns a different value fails the probe', async () => {
    const lying: KeytarLoader = async () => ({ default: { ...createFakeKeytar(), getPassword: async () => 'something else' } });
    expect(await probeKeytar({ loader: lying })).toEqual({ ok: false, reason: expect.stringMatching(/different value/) });
  });

  describe('in a child process (the built module, dist/)', () => {
    const distIndex = join(ROOT, 'dist/main/engine/secrets/index.js');

    beforeAll(() => {
      if (!existsSync(distIndex)) throw new Error(`${distIndex} is missing: the vitest globalSetup builds it (tsc -p tsconfig.build.json)`);
      for (const file of readdirSync(join(ROOT, 'main/engine/secrets')).filter((f) => f.endsWith('.ts'))) {
        const built = join(ROOT, 'dist/main/engine/secrets', file.replace(/\.ts$/, '.js'));
        if (!existsSync(built) || statSync(built).mtimeMs < statSync(join(ROOT, 'main/engine/secrets', file)).mtimeMs) {
          throw new Error(`${built} is older than its source: run tsc -p tsconfig.build.json (the vitest globalSetup does)`);
        }
      }
    });

    const CHILD = `
      const m = await import(process.env.PB_SECRETS_MODULE);
      const out = { reasons: [] };
      const t = Date.now();
      const store = await m.openKeychainStore({ service: process.env.PB_SERVICE, probeTimeoutMs: 5000, onUnavailable: (r) => out.reasons.push(r) });
      out.ms = Date.now() - t;
      out.store = store === null ? null : store.kind;
      try { await m.createKeytarStore({ service: process.env.PB_SERVICE }).get('webhook-secret'); out.direct = 'no error'; }
      catch (e) { out.direct = e.message; }
      console.log(JSON.stringify(out));
    `;

    function runChild(
      command: string,
      args: string[],
      env: NodeJS.ProcessEnv,
    ): Promise<{ code: number | null; out: { reasons: string[]; store: string | null; direct: string; ms: number }; stderr: string }> {
      return new Promise((resolve, reject) => {
        execFile(command, args, { cwd: ROOT, env, timeout: 30_000 }, (error, stdout, stderr) => {
          const line = stdout.trim().split('\n').pop() ?? '';
          try {
            resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: JSON.parse(line), stderr });
          } catch {
            reject(new Error(`child printed no result (error: ${error?.message}); stdout: ${stdout}; stderr: ${stderr}`));
          }
        });
      });
    }

    const baseEnv = (): NodeJS.ProcessEnv => {
      const env: NodeJS.ProcessEnv = { ...process.env, PB_SECRETS_MODULE: pathToFileURL(distIndex).href, PB_SERVICE: uniqueService() };
      delete env.DISPLAY;
      delete env.NODE_OPTIONS; // no vitest hooks in the child
      return env;
    };
    const nodeArgs = ['--input-type=module', '-e', CHILD];

    it('DBUS_SESSION_BUS_ADDRESS pointing at no socket', async () => {
      const { code, out } = await runChild(process.execPath, nodeArgs, { ...baseEnv(), DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' });
      expect(code).toBe(0);
      expect(out.store).toBeNull();
      expect(out.reasons).toHaveLength(1);
      expect(out.reasons[0]).toMatch(/Could not connect/);
      expect(out.reasons[0]).toMatch(/no D-Bus session bus at unix:path=\/nonexistent/);
      expect(out.direct).toMatch(/^Keychain read of "webhook-secret" .*failed: Could not connect/);
    });

    it('no DBUS_SESSION_BUS_ADDRESS and no X display', async () => {
      const env = baseEnv();
      delete env.DBUS_SESSION_BUS_ADDRESS;
      const { code, out } = await runChild(process.execPath, nodeArgs, env);
      expect(code).toBe(0);
      expect(out.store).toBeNull();
      expect(out.reasons[0]).toMatch(/autolaunch D-Bus/);
      expect(out.reasons[0]).toMatch(/DBUS_SESSION_BUS_ADDRESS is not set/);
    });

    it('a D-Bus session whose Secret Service has no unlocked keyring', async () => {
      const home = tempDir();
      const env: NodeJS.ProcessEnv = { ...baseEnv(), HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache') };
      delete env.DBUS_SESSION_BUS_ADDRESS;
      const { code, out } = await runChild('dbus-run-session', ['--', process.execPath, ...nodeArgs], env);
      expect(code).toBe(0);
      expect(out.store).toBeNull();
      expect(out.reasons[0]).toMatch(/the OS keychain did not work/);
    });
  });
});

/** An in-memory stand-in with keytar's API (for the loader tests only). */
function createFakeKeytar(): { getPassword: (s: string, a: string) => Promise<string | null>; setPassword: (s: string, a: string, p: string) => Promise<void>; deletePassword: (s: string, a: string) => Promise<boolean> } {
  const m = new Map<string, string>();
  return {
    getPassword: async (s, a) => m.get(`${s}\u0000${a}`) ?? null,
    setPassword: async (s, a, p) => void m.set(`${s}\u0000${a}`, p),
    deletePassword: async (s, a) => m.delete(`${s}\u0000${a}`),
  };
}

/* ------------------------------------------------------------------------------------------------ */
describe('file store', () => {
  it('keeps webhook-secret in exactly <dir>/webhook-secret, mode 0600, in a new 0700 dir', async () => {
    const dir = join(tempDir(), 'data', 'nested');
    const store = createFileStore(dir);
    expect(store.kind).toBe('file');
    expect(store.pathFor('webhook-secret')).toBe(join(dir, 'webhook-secret'));
    expect(await store.get('webhook-secret')).toBeNull();
    expect(existsSync(dir)).toBe(false); // reading creates nothing
    await store.set('webhook-secret', 'abc123');
    expect(readFileSync(join(dir, 'webhook-secret'), 'utf8')).toBe('abc123');
    expect(modeOf(join(dir, 'webhook-secret'))).toBe(0o600);
    expect(modeOf(dir)).toBe(0o700);
    expect(readdirSync(dir)).toEqual(['webhook-secret']);
  });

  it('survives re-opening, and overwrites restore mode 0600', async () => {
    const dir = tempDir();
    await createFileStore(dir).set(credentialName('main', 'live', 'apiKey'), 'KEY-1');
    const reopened = createFileStore(dir);
    expect(await reopened.get(credentialName('main', 'live', 'apiKey'))).toBe('KEY-1');
    const file = reopened.pathFor(credentialName('main', 'live', 'apiKey'));
    chmodSync(file, 0o644);
    await reopened.set(credentialName('main', 'live', 'apiKey'), 'KEY-2');
    expect(modeOf(file)).toBe(0o600);
    expect(await createFileStore(dir).get(credentialName('main', 'live', 'apiKey'))).toBe('KEY-2');
  });

  it('encodes names into safe, distinct file names (also on case-insensitive file systems)', async () => {
    const dir = tempDir();
    const store = createFileStore(dir);
    const names = [
      credentialName('main', 'live', 'apiKey'),
      credentialName('main', 'testnet', 'apiKey'),
      credentialName('Main', 'live', 'apiKey'),
      credentialName('main', 'live', 'apikey' as 'apiKey'),
      '../escape',
      '..',
      '.',
      'a/b\\c',
      'con',
      'naïve 🔑',
      '%41',
      'A',
      'a',
    ];
    for (const [i, n] of names.entries()) await store.set(n, `value-${i}`);
    const files = readdirSync(dir);
    expect(files).toHaveLength(names.length);
    expect(new Set(files.map((f) => f.toLowerCase())).size).toBe(names.length);
    for (const f of files) {
      expect(f).toMatch(/^(?:[a-z0-9_-]|%[0-9A-F]{2})+$/);
      expect(f).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)$/);
    }
    expect(existsSync(join(dir, '..', 'escape'))).toBe(false);
    for (const [i, n] of names.entries()) {
      expect(await store.get(n)).toBe(`value-${i}`);
      expect(decodeSecretFileName(encodeSecretFileName(n))).toBe(n);
    }
    expect(encodeSecretFileName('account:main:live:apiKey')).toBe('account%3Amain%3Alive%3Aapi%4Bey');
    expect(encodeSecretFileName('webhook-secret')).toBe('webhook-secret');
    expect(decodeSecretFileName('.webhook-secret.123.abc.tmp')).toBeNull();
    expect(decodeSecretFileName('%4b')).toBeNull(); // not canonical
  });

  it('writes atomically: concurrent readers only ever see a whole old or whole new value', async () => {
    const dir = tempDir();
    const store = createFileStore(dir);
    const size = 512 * 1024;
    const values = ['a', 'b', 'c', 'd'].map((ch) => ch.repeat(size));
    await store.set('big', values[0]!);
    let writing = true;
    const seen = new Set<string>();
    const reader = (async () => {
      while (writing) {
        const v = (await store.get('big')) ?? 'MISSING';
        seen.add(v.length === size && v === v[0]!.repeat(size) ? v[0]! : `torn:${v.length}`);
      }
    })();
    for (let round = 0; round < 15; round++) await Promise.all(values.map((v) => store.set('big', v)));
    writing = false;
    await reader;
    expect([...seen].filter((s) => s.startsWith('torn') || s === 'MISSING')).toEqual([]);
    expect(values).toContain(await store.get('big'));
    expect(readdirSync(dir)).toEqual(['big']); // no temp files left behind
  });

  it('a failed write leaves no temp file and says where it failed', async () => {
    const dir = tempDir();
    const store = createFileStore(dir);
    mkdirSync(join(dir, 'blocked')); // a directory where the secret file would go: rename fails
    await expect(store.set('blocked', 'x')).rejects.toThrow(/Could not write the secret "blocked" to .*blocked/);
    expect(readdirSync(dir)).toEqual(['blocked']);
  });

  it('delete, and the value rules', async () => {
    const dir = tempDir();
    const store = createFileStore(dir);
    await store.set('webhook-secret', 'v');
    expect(await store.delete('webhook-secret')).toBe(true);
    expect(await store.get('webhook-secret')).toBeNull();
    expect(await store.delete('webhook-secret')).toBe(false);
    await expect(store.set('webhook-secret', '')).rejects.toThrow(/empty value/);
    await expect(store.set('webhook-secret', 'v\n')).rejects.toThrow(/line break/);
    await expect(store.set('', 'v')).rejects.toThrow(/non-empty/);
    await expect(store.set('x'.repeat(300), 'v')).rejects.toThrow(/too long/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reads a hand-written file without its trailing newline', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'webhook-secret'), 'hand-written-secret\n', { mode: 0o600 });
    expect(await createFileStore(dir).get('webhook-secret')).toBe('hand-written-secret');
  });
});

/* ------------------------------------------------------------------------------------------------ */
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

/* ------------------------------------------------------------------------------------------------ */
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

/* ------------------------------------------------------------------------------------------------ */
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

/* ------------------------------------------------------------------------------------------------ */
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
