#!/usr/bin/env node
// `npm start` runs this first. Electron's own postinstall download is not allowed to run during
// `npm ci` (package.json allowScripts: electron false), so installing never fails on a machine
// that cannot reach Electron's download host (CI, servers, `pinebridge serve`). The desktop
// binary is fetched here, the first time the desktop app is started.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
if (existsSync(join(electronDir, 'path.txt'))) process.exit(0);

console.log('Downloading the Electron binary (first start of the desktop app)…');
const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit' });
if (r.status !== 0 || !existsSync(join(electronDir, 'path.txt'))) {
  console.error(
    '\nThe Electron binary could not be downloaded, so the desktop app cannot start here.\n' +
      'The headless server works without it: npm run serve (same engine, same UI in a browser).',
  );
  process.exit(1);
}
