/**
 * Reliability: the parts that must outlive a full disk, on a real one (a tiny tmpfs filled to the
 * last byte): a pause that cannot be saved still holds and says so, and is saved once there is
 * room; the log file takes lines again after ENOSPC, with the lines that waited, and says how many
 * it dropped beyond what it may hold.
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

  /** Writes `after` until it is in the file (the file retries 2 s after a failed write); how many it wrote. */
  const writtenAgain = async (log: RotatingFile, file: string): Promise<number> => {
    let afters = 0;
    await until(
      async () => {
        log.write('{"msg":"after"}\n');
        afters++;
        await new Promise<void>((r) => log.flush(() => r()));
        return readFileSync(file, 'utf8').includes('"after"');
      },
      'the log written again',
      100,
      100,
    );
    return afters;
  };
  const during = (i: number) => `{"msg":"during ${i}","pad":"${'x'.repeat(200)}"}\n`;

  it('the log file takes lines again after ENOSPC, and the lines that hit the full disk are written then, in order, none split', async () => {
    const file = join(mnt.path, 'logs', 'pinebridge.log');
    const log = new RotatingFile(file, { maxBytes: 10 * 1024 * 1024 });
    log.write('{"msg":"before"}\n');
    await new Promise<void>((r) => log.flush(() => r()));
    fill();
    for (let i = 0; i < 50; i++) log.write(during(i));
    await new Promise<void>((r) => log.flush(() => r()));
    // The disk refused them: not in the file yet (at most the start of a short write).
    expect(readFileSync(file, 'utf8')).not.toContain('"during 49"');
    unlinkSync(filler);
    await writtenAgain(log, file);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const msgs = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(msgs[0]).toBe('before');
    expect(msgs.slice(1, 51)).toEqual(Array.from({ length: 50 }, (_, i) => `during ${i}`));
    expect(msgs.join('\n')).not.toMatch(/were not written/);
    log.end();
    unlinkSync(file);
  });

  it('beyond what it may hold while the disk is full, lines are dropped, and a line says how many', async () => {
    const file = join(mnt.path, 'logs', 'bounded.log');
    const log = new RotatingFile(file, { maxBytes: 10 * 1024 * 1024, maxHeld: 20 });
    log.write('{"msg":"before"}\n');
    await new Promise<void>((r) => log.flush(() => r()));
    fill();
    // One turn's lines go as one write: it fails and is held (one of the 20)...
    for (let i = 0; i < 50; i++) log.write(during(i));
    await new Promise<void>((r) => log.flush(() => r()));
    // ...then, within the 2 s before the next try, 19 more are held and 11 dropped.
    for (let i = 50; i < 80; i++) log.write(during(i));
    unlinkSync(filler);
    const afters = await writtenAgain(log, file);
    log.end();
    const msgs = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as { msg: string }).msg);
    const kept = msgs.filter((m) => m.startsWith('during ')).map((m) => Number(m.slice(7)));
    expect(kept).toEqual(Array.from({ length: 69 }, (_, i) => i));
    const counts = msgs.map((m) => /^(\d+) log line\(s\) were not written to this file/.exec(m)).filter((m) => m !== null);
    expect(counts).toHaveLength(1);
    // Every line is in the file or counted: the 11 during lines beyond the bound, and the "after"s written before the retry.
    const dropped = Number(counts[0]![1]);
    expect(dropped).toBeGreaterThanOrEqual(11);
    expect(kept.length + msgs.filter((m) => m === 'after').length + dropped).toBe(80 + afters);
  });
});
