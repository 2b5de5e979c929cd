/**
 * Secrets as files, for headless machines without a keychain: one file per secret directly in
 * `dir` (mode 0600), written atomically (temp file in the same directory, fsync, rename).
 *
 * File names are the secret names, encoded so that any name is a safe, distinct file name on
 * Linux, macOS and Windows, including case-insensitive file systems:
 * `a-z 0-9 - _` stay as they are, every other byte of the UTF-8 name becomes `%XX` (upper-case hex;
 * so upper-case letters, `.`, `:`, `/`, `%` are all escaped). Thus `webhook-secret` is the file
 * `<dir>/webhook-secret` (DESIGN: `<data-dir>/webhook-secret`), and `account:main:live:apiKey` is
 * `account%3Amain%3Alive%3Aapi%4Bey`. Encoded names never start with `.`, so the temp files
 * (`.<name>.<random>.tmp`) can never collide with a secret.
 *
 * Reading strips trailing line breaks, so a hand-written `echo "$SECRET" > webhook-secret` works;
 * for the same reason values ending in a line break are refused on write.
 */
import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { chmod, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretStore } from '../core/ports.js';
import { assertValidName, assertValidValue } from './names.js';

export const SECRET_FILE_MODE = 0o600;
export const SECRET_DIR_MODE = 0o700;

/** Longest encoded file name accepted (file systems allow 255 bytes; temp names add a little). */
const MAX_FILE_NAME = 200;

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/;

export interface FileSecretStore extends SecretStore {
  readonly kind: 'file';
  readonly dir: string;
  /** The file that holds (or would hold) `name`. */
  pathFor(name: string): string;
}

/** The file name for a secret name (see the module comment). */
export function encodeSecretFileName(name: string): string {
  assertValidName(name);
  let out = '';
  for (const byte of Buffer.from(name, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /^[a-z0-9_-]$/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  // Windows device names (con, nul, com1…) cannot be file names: escape their first letter.
  if (WINDOWS_RESERVED.test(out)) out = `%${out.charCodeAt(0).toString(16).toUpperCase()}${out.slice(1)}`;
  if (out.length > MAX_FILE_NAME) throw new RangeError(`The secret name "${name.slice(0, 40)}…" is too long to be a file name`);
  return out;
}

/** The inverse of `encodeSecretFileName`; null when `file` is not an encoded secret name. */
export function decodeSecretFileName(file: string): string | null {
  if (!/^(?:[a-z0-9_-]|%[0-9A-F]{2})+$/.test(file)) return null;
  const bytes: number[] = [];
  for (let i = 0; i < file.length; ) {
    if (file[i] === '%') {
      bytes.push(parseInt(file.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      bytes.push(file.charCodeAt(i));
      i += 1;
    }
  }
  const name = Buffer.from(bytes).toString('utf8');
  try {
    return encodeSecretFileName(name) === file ? name : null;
  } catch {
    return null;
  }
}

/**
 * A store keeping each secret in `<dir>/<encoded name>`. `dir` is created (mode 0700) on the first
 * write if it does not exist; an existing directory's mode is left alone (it may be a data dir
 * shared with other files), the secret files themselves are always 0600. kind = 'file'.
 */
export function createFileStore(dir: string): FileSecretStore {
  if (!dir) throw new TypeError('createFileStore needs a directory');
  const pathFor = (name: string): string => join(dir, encodeSecretFileName(name));

  async function ensureDir(): Promise<void> {
    const created = await mkdir(dir, { recursive: true, mode: SECRET_DIR_MODE });
    // `created` is the first directory made (undefined if it existed); the umask may have loosened nothing
    // but could have tightened the mode: make it exactly 0700.
    if (created !== undefined) await chmod(dir, SECRET_DIR_MODE).catch(() => undefined);
  }

  return {
    kind: 'file',
    dir,
    pathFor,
    async get(name) {
      const file = pathFor(name);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        if (isCode(error, 'ENOENT')) return null;
        throw new Error(`Could not read the secret "${name}" from ${file}: ${(error as Error).message}`, { cause: error });
      }
      const value = text.replace(/[\r\n]+$/, '');
      return value === '' ? null : value;
    },
    async set(name, value) {
      assertValidName(name);
      assertValidValue(name, value);
      if (/[\r\n]$/.test(value)) throw new TypeError(`The value for "${name}" ends with a line break, which the file store would not read back`);
      const file = pathFor(name);
      await ensureDir();
      const temp = join(dir, `.${encodeSecretFileName(name)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        // wx: never follow or reuse an existing path; 0600 from the first byte.
        const handle = await open(temp, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, SECRET_FILE_MODE);
        try {
          await handle.chmod(SECRET_FILE_MODE).catch(() => undefined); // exact mode whatever the umask
          await handle.writeFile(value, 'utf8');
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, file);
      } catch (error) {
        await unlink(temp).catch(() => undefined);
        throw new Error(`Could not write the secret "${name}" to ${file}: ${(error as Error).message}`, { cause: error });
      }
      await syncDir(dir);
    },
    async delete(name) {
      const file = pathFor(name);
      try {
        await unlink(file);
      } catch (error) {
        if (isCode(error, 'ENOENT')) return false;
        throw new Error(`Could not delete the secret "${name}" (${file}): ${(error as Error).message}`, { cause: error });
      }
      await syncDir(dir);
      return true;
    },
  };
}

/** Make a rename/unlink durable (POSIX); not possible (and not needed) on Windows. */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort: the data is already in place.
  }
}

function isCode(error: unknown, code: string): boolean {
  return (error as { code?: unknown } | null)?.code === code;
}
