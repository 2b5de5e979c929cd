/**
 * Serves renderer/dist at pinebridge://app/ (see app-url.ts for the rules) and locks down what
 * every web contents may do: no new windows, no navigation away, no webviews, no permissions.
 */
import { readFile } from 'node:fs/promises';
import { app, protocol, session, shell, type WebContents } from 'electron';
import { APP_SCHEME, navigationAllowed, openRequestAction, permissionAllowed, resolveAppAsset } from './app-url.js';

/** Must run before `app` is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** After ready: answer pinebridge://app/* from `rendererDir`. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const asset = resolveAppAsset(rendererDir, request.url);
    if (!asset) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
    try {
      const body = await readFile(asset.path);
      return new Response(body, { status: 200, headers: { 'Content-Type': asset.mime, ...asset.headers } });
    } catch {
      return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
    }
  });
}

/** After ready: deny permissions in the default session; harden every web contents created. */
export function hardenWebContents(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((wc, permission, callback) => callback(permissionAllowed(permission, wc.getURL())));
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) => permissionAllowed(permission, requestingOrigin));

  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(({ url }) => {
      if (openRequestAction(url) === 'open-in-browser') void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      if (!navigationAllowed(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!navigationAllowed(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}
