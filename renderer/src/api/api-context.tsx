import { createContext, useContext, type ReactNode } from 'react';
import type { PinebridgeApi } from '../../../shared/api.js';
import type { ApiClient } from './client.js';

const ClientContext = createContext<ApiClient | null>(null);

export function ApiProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

export function useClient(): ApiClient {
  const c = useContext(ClientContext);
  if (!c) throw new Error('useClient outside <ApiProvider>');
  return c;
}

export function useApi(): PinebridgeApi {
  return useClient().api;
}
