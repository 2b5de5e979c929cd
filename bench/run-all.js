#!/usr/bin/env node
// `npm run bench`: runs every benchmark in turn (TypeScript through tsx); each prints one JSON
// line of figures. Pass --quick for shorter runs. Benchmarks are not tests: nothing here asserts.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const extra = process.argv.slice(2);
const benches = ['bench/intake.ts', 'bench/intake.ts --live', 'bench/signal-to-order.ts', 'bench/side-by-side.ts', 'bench/tunnel-slow-clients.ts', 'bench/journal-check.ts'];
let failed = 0;
for (const b of benches) {
  const [file, ...args] = b.split(' ');
  const r = spawnSync(process.execPath, ['--import', 'tsx', file, ...args, ...extra], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`${b} failed (exit ${r.status})`);
  }
}
process.exit(failed ? 1 : 0);
