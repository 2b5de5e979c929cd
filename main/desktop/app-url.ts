/**
 * The renderer is served from our own scheme, `pinebridge://app/…`, never `file://`: a page on
 * file:// shares its origin with every local file, while this origin is ours alone. Everything
 * here is plain Node (no Electron), so the rules are tested without the binary.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';

export const APP_SCHEME = 'pinebridge';
export const APP_HOST = 'app';
/** What Chromium reports as the frame origin of our pages (a standard, secure scheme). */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Strict CSP for every page we serve (also sent as a header, so it holds even if the HTML's meta
 * tag is changed): only our own scripts; no eval, plugins, frames, forms or base-URI tricks.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

/** True for a URL on our app origin (`pinebridge://app/...`), false for anything else or garbage. */
export function isAppUrl(url: string | null | undefined): boolean {
  if (typeof url !== 'string' || url.length === 0) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  // Node's URL gives non-special schemes an opaque origin, so compare the parts.
  return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '' && u.port === '';
}

export interface AppAsset {
  path: string;
  mime: string;
  /** Extra response headers (the CSP on HTML). */
  headers: Record<string, string>;
}

/**
 * The file under `rootDir` a `pinebridge://app/...` request maps to, or null (wrong origin, a
 * path escaping the root, a malformed escape, a missing file). Unknown paths without an
 * extension fall back to index.html (client-side routes).
 */
export function resolveAppAsset(rootDir: string, requestUrl: string): AppAsset | null {
  if (!isAppUrl(requestUrl)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(requestUrl).pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const root = resolve(rootDir);
  const rel = normalize(pathname === '/' ? '/index.html' : pathname);
  let file = resolve(root, '.' + rel);
  if (!file.startsWith(root + sep)) return null;
  if (!existsSync(file) || statSync(file).isDirectory()) {
    if (extname(rel) !== '') return null;
    file = join(root, 'index.html');
    if (!existsSync(file)) return null;
  }
  const mime = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const headers: Record<string, string> = { 'X-Content-Type-Options': 'nosniff' };
  if (mime.startsWith('text/html')) {
    headers['Content-Security-Policy'] = APP_CSP;
    headers['Cache-Control'] = 'no-store';
  }
  return { path: file, mime, headers };
}

/**
 * What to do with a `window.open` / target=_blank request: never a new Electron window; an
 * http(s) link (docs, TradingView) opens in the user's browser, anything else is dropped.
 */
export function openRequestAction(url: string): 'open-in-browser' | 'deny' {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? 'open-in-browser' : 'deny';
  } catch {
    return 'deny';
  }
}

/** Navigation of the main frame: only within our own origin (the SPA never leaves it). */
export function navigationAllowed(url: string): boolean {
  return isAppUrl(url);
}

/**
 * Permission requests (camera, geolocation, notifications, …): all denied, except writing to the
 * clipboard from our own page (the "copy URL" buttons).
 */
export function permissionAllowed(permission: string, requestingUrl: string | null | undefined): boolean {
  return permission === 'clipboard-sanitized-write' && isAppUrl(requestingUrl);
}
