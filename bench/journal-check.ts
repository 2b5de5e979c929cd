/**
 * What the journal check costs at start: a journal of N alerts (each with a realistic body and
 * signal, as intake writes them), then the start's open with and without `quick_check`, and the
 * full `integrity_check` that `pinebridge doctor` runs. Cold page cache is not simulated: these
 * are warm-cache figures (the usual restart). Prints one JSON line.
 *
 *   npx tsx bench/journal-check.ts [--quick] [--alerts N]
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Journal } from '../main/engine/journal/journal.js';
import { journalProblem } from '../main/engine/journal/journal-check.js';
import { ulid } from '../main/engine/core/ids.js';
import { tempDir } from '../test/support/temp-dir.js';

const quick = process.argv.includes('--quick');
const flag = process.argv.indexOf('--alerts');
const N = flag > 0 ? Number(process.argv[flag + 1]) : quick ? 20_000 : 500_000;

const dir = tempDir('pinebridge-bench-check-');
try {
  const path = join(dir.path, 'journal.sqlite');
  const j = Journal.open(path);
  const signal = { dialect: 'native', strategy: 'ma-cross', action: 'buy', symbol: 'BINANCE:BTCUSDT', quantity: { kind: 'base', value: 0.01 }, price: 65000 };
  const t0 = Date.now() - N * 1000;
  for (let done = 0; done < N; ) {
    j.transaction(() => {
      for (let k = 0; k < 5000 && done < N; k++, done++) {
        const receivedAt = t0 + done * 1000;
        j.alerts.record({
          id: ulid(receivedAt),
          receivedAt,
          source: '52.89.214.238',
          dialect: 'native',
          strategy: `s${done % 20}`,
          action: 'buy',
          symbol: 'BINANCE:BTCUSDT',
          idemKey: `k-${done}`,
          idemSince: receivedAt - 60_000,
          body: JSON.stringify({ ...signal, id: `ma-cross-${done}`, time: new Date(receivedAt).toISOString() }),
          signal,
          status: 'accepted',
          httpStatus: 200,
          reasonCode: null,
          reason: null,
        });
      }
    });
  }
  j.close();
  const bytes = statSync(path).size;

  const timeOpen = (quickCheck: boolean) => {
    const t = performance.now();
    Journal.open(path, { quickCheck }).close();
    return performance.now() - t;
  };
  timeOpen(false); // warm the page cache, as a restart finds it
  const openMs = median([0, 1, 2].map(() => timeOpen(false)));
  const openQuickCheckMs = median([0, 1, 2].map(() => timeOpen(true)));
  const db = Journal.open(path).db;
  const t = performance.now();
  const problem = journalProblem(db, 'integrity_check');
  const integrityCheckMs = performance.now() - t;
  db.close();
  console.log(
    JSON.stringify({
      bench: 'journal-check',
      alerts: N,
      journalMb: round(bytes / 1024 / 1024),
      openMs: round(openMs),
      openWithQuickCheckMs: round(openQuickCheckMs),
      quickCheckMs: round(openQuickCheckMs - openMs),
      quickCheckMsPerGb: round(((openQuickCheckMs - openMs) / bytes) * 1024 ** 3),
      integrityCheckMs: round(integrityCheckMs),
      integrityOk: problem === null,
    }),
  );
} finally {
  dir.cleanup();
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
