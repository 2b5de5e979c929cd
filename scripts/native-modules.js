#!/usr/bin/env node
// better-sqlite3 and keytar are native modules: built for one runtime's ABI at a time, either
// plain Node (tests, `pinebridge serve`) or Electron (`npm start`). This script makes sure they
// load in the runtime asked for, rebuilding only when they do not:
//
//   node scripts/native-modules.js node       # for Node: `npm rebuild better-sqlite3 keytar`
//   node scripts/native-modules.js electron   # for Electron: `electron-builder install-app-deps`
//   add --check to only report (exit 1 when a rebuild is needed)
//
// Whether they load is tested by loading them (better-sqlite3 opens an in-memory database), in
// Node directly or in Electron with ELECTRON_RUN_AS_NODE=1 (the development binary; packaged
// builds have that fuse off and are rebuilt by electron-builder itself).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const target = process.argv[2];
const checkOnly = process.argv.includes('--check');
if (target !== 'node' && target !== 'electron') {
  console.error('usage: node scripts/native-modules.js node|electron [--check]');
  process.exit(2);
}

const PROBE = `
const Database = require('better-sqlite3');
new Database(':memory:').close();
try { require.resolve('keytar'); } catch { process.exit(0); } // optional dependency
require('keytar');
`;

/** Signs that a native module was built for another runtime (not just missing or broken). */
const ABI_MISMATCH = /NODE_MODULE_VERSION|was compiled against a different Node\.js version|invalid ELF header|Module did not self-register|ERR_DLOPEN_FAILED/;

function runtimeCommand() {
  if (target === 'node') return { cmd: process.execPath, env: process.env };
  let electronPath;
  try {
    electronPath = createRequire(import.meta.url)('electron'); // the package exports the binary's path
  } catch (e) {
    // Without its binary (ELECTRON_SKIP_BINARY_DOWNLOAD, as on our build machines) the package throws.
    console.error(`native-modules: no Electron binary to run (${e.message}). Install it with \`npm rebuild electron\` where downloads work.`);
    process.exit(1);
  }
  return { cmd: electronPath, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } };
}

function probe() {
  const { cmd, env } = runtimeCommand();
  const r = spawnSync(cmd, ['-e', PROBE], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
  if (r.error) return { ok: false, mismatch: false, why: r.error.message };
  return { ok: r.status === 0, mismatch: ABI_MISMATCH.test(r.stderr), why: r.stderr.trim().split('\n').slice(0, 3).join(' ') };
}

const first = probe();
if (first.ok) {
  console.log(`native-modules: better-sqlite3 and keytar load in ${target}`);
  process.exit(0);
}
if (target === 'electron' && /ENOENT|not found|Electron failed to install/i.test(first.why)) {
  console.error(`native-modules: the Electron binary is not available (${first.why}). Install it: npm rebuild electron (without ELECTRON_SKIP_BINARY_DOWNLOAD).`);
  process.exit(1);
}
if (!first.mismatch) {
  // Not an ABI problem (a missing system library, a broken install): a rebuild would not help.
  console.error(`native-modules: loading failed in ${target}, and not because of the ABI: ${first.why}`);
  process.exit(target === 'node' ? 0 : 1); // for tests, let the suite report it in context
}
if (checkOnly) {
  console.error(`native-modules: built for another runtime; run: node scripts/native-modules.js ${target}`);
  process.exit(1);
}

console.log(`native-modules: rebuilding for ${target} (${first.why.slice(0, 160)})`);
const rebuild =
  target === 'node'
    ? spawnSync('npm', ['rebuild', 'better-sqlite3', 'keytar'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
    : spawnSync('npx', ['electron-builder', 'install-app-deps'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
if (rebuild.status !== 0) process.exit(rebuild.status ?? 1);
const after = probe();
if (!after.ok) {
  console.error(`native-modules: still not loading in ${target}: ${after.why}`);
  process.exit(1);
}
console.log(`native-modules: rebuilt for ${target}`);
