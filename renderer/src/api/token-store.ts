/**
 * The control token in the browser: taken once from the URL fragment (`#token=…`, then removed
 * from the address bar), else from sessionStorage, else asked for. Never in localStorage: it ends
 * with the tab.
 */
const KEY = 'pinebridge.controlToken';

export function takeTokenFromLocation(loc: Location = window.location, history: History = window.history): string | null {
  const m = /(?:^#|&)token=([^&]+)/.exec(loc.hash);
  if (!m?.[1]) return null;
  const token = decodeURIComponent(m[1]);
  const rest = loc.hash.replace(/(?:^#|&)token=[^&]+/, '').replace(/^&/, '');
  history.replaceState(null, '', loc.pathname + loc.search + (rest ? `#${rest.replace(/^#/, '')}` : '#/'));
  return token;
}

export function loadToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string): void {
  try {
    sessionStorage.setItem(KEY, token);
  } catch {
    // storage disabled: the token lives only in memory for this page
  }
}

export function forgetToken(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}
