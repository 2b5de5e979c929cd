/** A PostgreSQL journal's location: `postgres://` / `postgresql://` URLs, shown with the password masked. */

export function isDatabaseUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** The password a URL carries (to scrub from logs), or null. */
export function databasePassword(url: string | undefined): string | null {
  if (!url || !isDatabaseUrl(url)) return null;
  const m = /^postgres(?:ql)?:\/\/[^:/?#@]*:([^@/?#]*)@/i.exec(url) ?? /[?&]password=([^&]*)/i.exec(url);
  return m?.[1] ? decodeURIComponent(m[1]) : null;
}

/** `postgres://user:secret@host/db` -> `postgres://user:***@host/db` (any scheme; also `password=` query parameters). */
export function maskDatabaseUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):[^@/?#]*@/i, '$1:***@').replace(/([?&]password=)[^&]*/gi, '$1***');
}
