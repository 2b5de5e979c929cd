/**
 * The preload of the Pinebridge window. It runs sandboxed, so it is built to CommonJS
 * (dist/main/desktop/preload.cjs, by scripts/build-preload.js) and may `require` only
 * `electron`: everything else here is a type import, erased at build time.
 *
 * It exposes exactly `window.pinebridge` = `PinebridgeBridge` (checked with `satisfies`): one
 * generic `invoke(command, args)` resolving to an `ApiResult`, and `onEvent`. Never ipcRenderer.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EngineEvent, PinebridgeBridge } from '../../shared/api.js';
import type { IPC_EVENT, IPC_INVOKE } from './ipc-handlers.js';

// Literal copies of the channel names (a sandboxed preload cannot import ipc-handlers.js);
// the annotations make the compiler keep them equal to the main side's.
const INVOKE: typeof IPC_INVOKE = 'pinebridge:invoke';
const EVENT: typeof IPC_EVENT = 'pinebridge:event';

const bridge = {
  invoke(command, args) {
    // The main side validates everything again; this only keeps obvious misuse out of IPC.
    if (typeof command !== 'string') return Promise.resolve({ ok: false, error: { code: 'invalid_request', message: 'command must be a string' } });
    return ipcRenderer.invoke(INVOKE, { command, args: args ?? {} });
  },
  onEvent(listener) {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a function');
    const handler = (_e: IpcRendererEvent, event: EngineEvent) => listener(event);
    ipcRenderer.on(EVENT, handler);
    return () => {
      ipcRenderer.removeListener(EVENT, handler);
    };
  },
} satisfies PinebridgeBridge;

contextBridge.exposeInMainWorld('pinebridge', bridge);
