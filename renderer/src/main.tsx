import { StrictMode, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/api-context.js';
import { createHttpClient } from './api/http-client.js';
import { createIpcClient } from './api/ipc-client.js';
import { forgetToken, loadToken, saveToken, takeTokenFromLocation } from './api/token-store.js';
import { App } from './app.js';
import { TokenGate } from './screens/token-gate.js';
import './styles.css';

/** Headless: HTTP + server-sent events from the control listener, behind the control token. */
function HttpRoot() {
  const [token, setToken] = useState<string | null>(() => {
    const fromUrl = takeTokenFromLocation();
    if (fromUrl) saveToken(fromUrl);
    return fromUrl ?? loadToken();
  });
  const [refused, setRefused] = useState<string | null>(null);
  useEffect(() => {
    // A #token=… link opened in a tab that is already on this page.
    const onHash = () => {
      const t = takeTokenFromLocation();
      if (t) {
        saveToken(t);
        setToken(t);
      }
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const client = useMemo(
    () =>
      token
        ? createHttpClient({
            baseUrl: window.location.origin,
            token,
            onUnauthorized: () => {
              forgetToken();
              setRefused('The control token was refused (it changes when the data directory does). Paste the current one.');
              setToken(null);
            },
          })
        : null,
    [token],
  );
  if (!client) {
    return (
      <TokenGate
        reason={refused}
        onToken={(t) => {
          saveToken(t);
          setRefused(null);
          setToken(t);
        }}
      />
    );
  }
  return (
    <ApiProvider client={client}>
      <App />
    </ApiProvider>
  );
}

const bridge = window.pinebridge;
const root = createRoot(document.getElementById('root')!);
root.render(
  <StrictMode>
    {bridge ? (
      <ApiProvider client={createIpcClient(bridge)}>
        <App />
      </ApiProvider>
    ) : (
      <HttpRoot />
    )}
  </StrictMode>,
);
