/**
 * The file store: one 0600 file per secret in a 0700 dir, safe file names, atomic writes.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { credentialName } from '../../main/engine/core/ports.js';
import { createFileStore, decodeSecretFileName, encodeSecretFileName } from '../../main/engine/secrets/index.js';
import { modeOf, removeTempDirs, tempDir } from './support.js';

afterAll(removeTempDirs);

describe('file store', () => {
  it('keeps webhook-secret in exactly <dir>/webhook-secret, mode 0600, in a new 0700 dir', async () => {
    const dir = join(tempDir(), 'data', 'nested');
    const store = createFileStore(dir);
    expect(store.kind).toBe('file');
    expect(store.pathFor('webhook-secret')).toBe(join(dir, 'webhook-secret'));
    expect(await store.get('webhook-secret')).toBeNull();
    expect(existsSync(dir)).toBe(false); // reading creates nothing
    await store.set('webhook-secret', 'abc123');
    expect(readFileSync(join(dir, 'webhook-secret'), 'utf8')).toBe('abc123');
    expect(modeOf(join(dir, 'webhook-secret'))).toBe(0o600);
    expect(modeOf(dir)).toBe(0o700);
    expect(readdirSync(dir)).toEqual(['webhook-secret']);
  });

  it('survives re-opening, and overwrites restore mode 0600', async () => {
    const dir = tempDir();
    await createFileStore(dir).set(credentialName('main', 'live', 'apiKey'), 'KEY-1');
    const reopened = createFileStore(dir);
    expect(await reopened.get(credentialName('main', 'live', 'apiKey'))).toBe('KEY-1');
    const file = reopened.pathFor(credentialName('main', 'live', 'apiKey'));
    chmodSync(file, 0o644);
    await reopened.set(credentialName('main', 'live', 'apiKey'), 'KEY-2');
    expect(modeOf(file)).toBe(0o600);
    expect(await createFileStore(dir).get(credentialName('main', 'live', 'apiKey'))).toBe('KEY-2');
  });

  it('encodes names into safe, distinct file names (also on case-insensitive file systems)', async () => {
    const dir = tempDir();
    const store = createFileStore(dir);
    const names = [
      credentialName('main', 'live', 'apiKey'),
      credentialName('main', 'testnet', 'apiKey'),
      credentialName('Main', 'live', 'apiKey'),
      credentialName('main', 'live', 'apikey' as 'apiKey'),
      '../escape',
      '..',
      '.',
      'a/b\\c',
      'con',
      'naïve 🔑',
      '%41',
      'A',
      'a',
    ];
    for (const [i, n] of names.entries()) await store.set(n, `value-${i}`);
    const files = readdirSync(dir);
    expect(files).toHaveLength(names.length);
    expect(new Set(files.map((f) => f.toLowerCase())).size).toBe(names.length);
    for (const f of files) {
      expect(f).toMatch(/^(?:[a-z0-9_-]|%[0-9A-F]{2})+$/);
      expect(f).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)$/);
    }
    expect(existsSync(join(dir, '..', 'escape'))).toBe(false);
    for (const [i, n] of names.entries()) {
      expect(await store.get(n)).toBe(`value-${i}`);
      expect(decodeSecretFileName(encodeSecretFileName(n))).toBe(n);
    }
    expect(encodeSecretFileName('account:main:live:apiKey')).toBe('account%3Amain%3Alive%3Aapi%4Bey');
    expect(encodeSecretFileName('webhook-secret')).toBe('webhook-secret');
    expect(decodeSecretFileName('.webhook-secret.123.abc.tmp')).toBeNull();
    expect(decodeSecretFileName('%4b')).toBeNull(); // not canonical
  });

  it('writes atomically: concurrent readers only ever see a whole old or whole new value', async () => {
    const dir = tempDir();
    const store = createFileStore(dir);
    const size = 512 * 1024;
    const values = ['a', 'b', 'c', 'd'].map((ch) => ch.repeat(size));
    await store.set('big', values[0]!);
    let writing = true;
    const seen = new Set<string>();
    const reader = (async () => {
      while (writing) {
        const v = (await store.get('big')) ?? 'MISSING';
        seen.add(v.length === size && v === v[0]!.repeat(size) ? v[0]! : `torn:${v.length}`);
      }
    })();
    for (let round = 0; round < 15; round++) await Promise.all(values.map((v) => store.set('big', v)));
    writing = false;
    await reader;
    expect([...seen].filter((s) => s.startsWith('torn') || s === 'MISSING')).toEqual([]);
    expect(values).toContain(await store.get('big'));
    expect(readdirSync(dir)).toEqual(['big']); // no temp files left behind
  });

  it('a failed write leaves no temp file and says where it failed', async () => {
    const dir = tempDir();
    const store = createFileStore(dir);
    mkdirSync(join(dir, 'blocked')); // a directory where the secret file would go: rename fails
    await expect(store.set('blocked', 'x')).rejects.toThrow(/Could not write the secret "blocked" to .*blocked/);
    expect(readdirSync(dir)).toEqual(['blocked']);
  });

  it('delete, and the value rules', async () => {
    const dir = tempDir();
    const store = createFileStore(dir);
    await store.set('webhook-secret', 'v');
    expect(await store.delete('webhook-secret')).toBe(true);
    expect(await store.get('webhook-secret')).toBeNull();
    expect(await store.delete('webhook-secret')).toBe(false);
    await expect(store.set('webhook-secret', '')).rejects.toThrow(/empty value/);
    await expect(store.set('webhook-secret', 'v\n')).rejects.toThrow(/line break/);
    await expect(store.set('', 'v')).rejects.toThrow(/non-empty/);
    await expect(store.set('x'.repeat(300), 'v')).rejects.toThrow(/too long/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reads a hand-written file without its trailing newline', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'webhook-secret'), 'hand-written-secret\n', { mode: 0o600 });
    expect(await createFileStore(dir).get('webhook-secret')).toBe('hand-written-secret');
  });
});
