/** Wires the IPC handler (ipc-handlers.ts) and the event stream to Electron. */
import { ipcMain, webContents } from 'electron';
import type { EventBus } from '../engine/core/event-bus.js';
import type { PinebridgeApi } from '../../shared/api.js';
import { canReceiveEvents, createInvokeHandler, IPC_EVENT, IPC_INVOKE, type SenderFrameInfo } from './ipc-handlers.js';

export function registerIpc(deps: {
  api: PinebridgeApi;
  events: EventBus;
  scrub: (s: string) => string;
  warn: (msg: string) => void;
}): () => void {
  const invoke = createInvokeHandler({
    api: deps.api,
    scrub: deps.scrub,
    onRefused: (why, frame) => deps.warn(`IPC refused: ${why} (${frame ? frame.url.slice(0, 100) : 'no frame'})`),
  });
  ipcMain.handle(IPC_INVOKE, (event, payload: unknown) => {
    const f = event.senderFrame;
    const frame: SenderFrameInfo | null = f ? { url: f.url, origin: f.origin, isTop: f.parent === null } : null;
    return invoke(frame, payload);
  });
  // Nothing may be sent to this channel from a renderer; only main sends events.
  const unsubscribe = deps.events.subscribe((event) => {
    for (const wc of webContents.getAllWebContents()) {
      if (!wc.isDestroyed() && canReceiveEvents(wc.getURL())) wc.send(IPC_EVENT, event);
    }
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_INVOKE);
  };
}
