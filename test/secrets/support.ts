/**
 * Shared setup for the secret store tests: unique keychain service names, temp dirs, and what a
 * generated webhook secret looks like.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BASE64URL_43 = /^[A-Za-z0-9_-]{43}$/;

export const uniqueService = (): string => `pinebridge-test-${randomBytes(6).toString('hex')}`;

const tempDirs: string[] = [];
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pinebridge-secrets-'));
  tempDirs.push(dir);
  return dir;
}
/** Removes every dir tempDir made; each test file that uses tempDir runs it in afterAll. */
export function removeTempDirs(): void {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
}

export const modeOf = (path: string): number => statSync(path).mode & 0o777;
