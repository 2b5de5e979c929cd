/**
 * The preload, against a stand-in `electron`: it exposes exactly `window.pinebridge` with
 * `invoke` and `onEvent` (never ipcRenderer), and the CommonJS file the build makes for the
 * sandbox requires nothing but electron and behaves the same.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { EngineEvent, PinebridgeBridge } from '../../shared/api.js';
import { IPC_EVENT, IPC_INVOKE } from '../../main/desktop/ipc-handlers.js';
import { tempDir } from '../support/temp-dir.js';
import { contextBridge, ipcRenderer, state } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).electron);

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const statusEvent: EngineEvent = { type: 'trading', trading: { paused: true, reason: 'x', changedAt: 1 } };

function checkBridge(bridge: PinebridgeBridge, fake: { invoke: ReturnType<typeof vi.fn>; emitter: NodeJS.EventEmitter }) {
  return (async () => {
    fake.invoke.mockResolvedValueOnce({ ok: true, result: { paused: false } });
    await expect(bridge.invoke('listAlerts', { limit: 3 })).resolves.toEqual({ ok: true, result: { paused: false } });
    expect(fake.invoke).toHaveBeenLastCalledWith(IPC_INVOKE, { command: 'listAlerts', args: { limit: 3 } });
    await bridge.invoke('getStatus', undefined as never);
    expect(fake.invoke).toHaveBeenLastCalledWith(IPC_INVOKE, { command: 'getStatus', args: {} });
    await expect(bridge.invoke(42 as never, {} as never)).resolves.toMatchObject({ ok: false, error: { code: 'invalid_request' } });

    const got: EngineEvent[] = [];
    const off = bridge.onEvent((e) => got.push(e));
    fake.emitter.emit(IPC_EVENT, { sender: 'main' }, statusEvent);
    off();
    fake.emitter.emit(IPC_EVENT, { sender: 'main' }, statusEvent);
    expect(got).toEqual([statusEvent]); // the IPC event object never reaches the page
    expect(fake.emitter.listenerCount(IPC_EVENT)).toBe(0);
    expect(() => bridge.onEvent('nope' as never)).toThrow(TypeError);
  })();
}

describe('preload (source, stand-in electron)', () => {
  it('exposes only window.pinebridge = {invoke, onEvent}', async () => {
    await import('../../main/desktop/preload.js');
    expect(contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(contextBridge.exposeInMainWorld).toHaveBeenCalledWith('pinebridge', expect.any(Object));
    const bridge = state.exposed.pinebridge as PinebridgeBridge;
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'onEvent']);
    expect(Object.values(bridge).every((v) => typeof v === 'function')).toBe(true);
    expect(Object.values(bridge)).not.toContain(ipcRenderer);
    await checkBridge(bridge, { invoke: ipcRenderer.invoke, emitter: ipcRenderer });
  });
});

describe('preload (built CommonJS, as the sandbox loads it)', () => {
  const out = tempDir();
  afterAll(() => out.cleanup());

  it('requires only electron and exposes the same bridge', async () => {
    const file = join(out.path, 'preload.cjs');
    execFileSync(process.execPath, ['scripts/build-preload.js', '--out', file], { cwd: ROOT, stdio: 'pipe' });
    const code = readFileSync(file, 'utf8');
    expect(code).not.toMatch(/^\s*import\s.*from\s/m);
    expect(code).not.toMatch(/\bimport\(/);

    // Load it the way Electron's sandboxed preload wrapper does: a function given `require`.
    const required: string[] = [];
    const exposed: Record<string, unknown> = {};
    const invoke = vi.fn(async (..._a: unknown[]) => ({ ok: true, result: null }) as unknown);
    const emitter = new (await import('node:events')).EventEmitter();
    const fakeElectron = {
      contextBridge: { exposeInMainWorld: (k: string, v: unknown) => (exposed[k] = v) },
      ipcRenderer: Object.assign(emitter, { invoke }),
    };
    const sandboxRequire = (id: string) => {
      required.push(id);
      if (id !== 'electron') throw new Error(`a sandboxed preload cannot require ${id}`);
      return fakeElectron;
    };
    new Function('require', code)(sandboxRequire);
    expect(required).toEqual(['electron']);
    expect(Object.keys(exposed)).toEqual(['pinebridge']);
    await checkBridge(exposed.pinebridge as PinebridgeBridge, { invoke, emitter });
  });

  it('the build refuses a preload that requires anything else', () => {
    const src = join(out.path, 'bad-preload.ts');
    writeFileSync(src, "import { x } from './other.js';\nimport { contextBridge } from 'electron';\ncontextBridge.exposeInMainWorld('x', x);\n");
    const build = () => execFileSync(process.execPath, ['scripts/build-preload.js', '--src', src, '--out', join(out.path, 'bad.cjs')], { cwd: ROOT, stdio: 'pipe' });
    expect(build).toThrow(/may only require "electron"; it requires \["\.\/other\.js"\]/);
    expect(existsSync(join(out.path, 'bad.cjs'))).toBe(false);
  });
});
