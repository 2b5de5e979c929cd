/**
 * When the OS keychain cannot be used (keytar missing or broken, a hanging or lying keychain, no
 * D-Bus): null with a reason, never a crash. The "no D-Bus" cases run the built module (dist/,
 * made by the vitest globalSetup) in child processes whose environment points at no bus, so this
 * process's D-Bus connection is untouched.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKeytarStore,
  openKeychainStore,
  probeKeytar,
  tryOpenKeychainStore,
  type KeytarLoader,
} from '../../main/engine/secrets/index.js';
import { removeTempDirs, tempDir, uniqueService } from './support.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

afterAll(removeTempDirs);

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
