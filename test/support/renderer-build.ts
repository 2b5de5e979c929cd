import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/**
 * The UI tests drive the built renderer (`renderer/dist`, served by `pinebridge serve`): build it
 * before the suite when a source (renderer/ or shared/) is newer than the build. About 2 s.
 */
export default function setup(): void {
  const index = join(ROOT, 'renderer', 'dist', 'index.html');
  const sources = Math.max(newest(join(ROOT, 'renderer', 'src')), newest(join(ROOT, 'shared')), statSync(join(ROOT, 'renderer', 'index.html')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
}
