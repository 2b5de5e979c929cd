/**
 * Reliability: the parts that must outlive a full disk, on a real one (a tiny tmpfs filled to the
 * last byte): a pause that cannot be saved still holds and says so, and is saved once there is
 * room; the log file takes lines again after ENOSPC, and says how many it lost.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statfsSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RotatingFile } from '../../main/engine/core/logging/rotating-file.js';
import { KillSwitch } from '../../main/engine/risk/kill-switch.js';
import { RiskStateFile } from '../../main/engine/risk/state-file.js';
import { until } from '../ops/support.js';
import { tempDir } from '../support/temp-dir.js';

const IS_ROOT = process.getuid?.() === 0;
if (!IS_ROOT) console.warn('[reliability/disk-full-parts] NOT ROOT: SKIPPED (mounting a small tmpfs needs root)');

describe.skipIf(!IS_ROOT)('reliability: parts on a full disk', () => {
  const mnt = tempDir('pinebridge-rel-full-');
  const filler = join(mnt.path, 'filler');
  let mounted = false;

  /** Fills the filesystem to the last block. */
  const fill = () => {
    const st = statfsSync(mnt.path);
    writeFileSync(filler, Buffer.alloc(st.bavail * st.bsize));
    expect(statfsSync(mnt.path).bavail).toBe(0);
  };

  beforeAll(() => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt.path]);
    mounted = true;
  });
  afterAll(() => {
    if (mounted) execFileSync('umount', [mnt.path]);
    mnt.cleanup();
  });

  it('a pause that cannot be saved holds in memory and says "paused, not saved: disk full"; it is saved once there is room', () => {
    const path = join(mnt.path, 'risk-state.json');
    const store = new RiskStateFile(path);
    const errors: string[] = [];
    store.onWriteError = (m) => errors.push(m);
    const kill = new KillSwitch(store);
    fill();
    const state = kill.pause('by hand', 1000);
    expect(state.paused).toBe(true);
    expect(state.notSaved).toBe('paused, not saved: disk full');
    expect(kill.blocks(500)).toMatch(/trading is paused/);
    expect(errors).toHaveLength(1);
    expect(existsSync(path)).toBe(false);

    unlinkSync(filler);
    store.retryUnsaved();
    expect(kill.state().notSaved).toBeUndefined();
    // What a restart reads: still paused.
    expect(new KillSwitch(new RiskStateFile(path)).paused).toBe(true);
    unlinkSync(path);
  });

  it('the log file takes lines again after ENOSPC, with a line counting those it could not write', async () => {
    const file = join(mnt.path, 'logs', 'pinebridge.log');
    const log = new RotatingFile(file, { maxBytes: 10 * 1024 * 1024 });
    log.write('{"msg":"before"}\n');
    await new Promise<void>((r) => log.flush(() => r()));
    fill();
    for (let i = 0; i < 50; i++) log.write(`{"msg":"during ${i}","pad":"${'x'.repeat(200)}"}\n`);
    await new Promise<void>((r) => log.flush(() => r()));
    unlinkSync(filler);
    await until(
      async () => {
        log.write('{"msg":"after"}\n');
        await new Promise<void>((r) => log.flush(() => r()));
        return readFileSync(file, 'utf8').includes('"after"');
      },
      'the log written again',
      100,
      100,
    );
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('"before"');
    expect(text).toMatch(/\d+ log line\(s\) were not written to this file/);
    log.end();
  });
});
