import type { CommandName, EngineEvent, PinebridgeApi, PinebridgeBridge } from '../../../shared/api.js';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** The typed API plus the engine's event stream, whatever carries them (IPC or HTTP + SSE). */
export interface ApiClient {
  readonly api: PinebridgeApi;
  readonly transport: 'ipc' | 'http';
  /** Returns an unsubscribe function. */
  subscribe(listener: (event: EngineEvent) => void): () => void;
  onConnection(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

/** Builds a PinebridgeApi whose every method is `call(name, args)`. */
export function apiFrom(call: (name: CommandName, args: unknown) => Promise<unknown>): PinebridgeApi {
  return new Proxy({} as PinebridgeApi, {
    get(_target, prop) {
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      return (args: unknown = {}) => call(prop as CommandName, args);
    },
  });
}

declare global {
  interface Window {
    pinebridge?: PinebridgeBridge;
  }
}
