import type { ApiResult, EngineEvent, PinebridgeBridge } from '../../../shared/api.js';
import { ApiCallError } from './api-error.js';
import { apiFrom, type ApiClient, type ConnectionState } from './client.js';

/** The desktop transport: Electron's preload bridge (`window.pinebridge`). */
export function createIpcClient(bridge: PinebridgeBridge): ApiClient {
  const api = apiFrom(async (name, args) => {
    const r = (await bridge.invoke(name, args as never)) as ApiResult<unknown>;
    if (r.ok) return r.result;
    throw new ApiCallError(r.error.code, r.error.message);
  });
  return {
    api,
    transport: 'ipc',
    subscribe: (listener: (e: EngineEvent) => void) => bridge.onEvent(listener),
    onConnection(listener: (s: ConnectionState) => void) {
      listener('open');
      return () => {};
    },
    close() {},
  };
}
