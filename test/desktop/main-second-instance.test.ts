/** A second launch of the desktop app: it loses the single-instance lock and quits at once. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { tempDir } from '../support/temp-dir.js';
import { app, state } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).electron);

const dir = tempDir();
const savedDataDir = process.env.PINEBRIDGE_DATA_DIR;
afterAll(() => {
  if (savedDataDir === undefined) delete process.env.PINEBRIDGE_DATA_DIR;
  else process.env.PINEBRIDGE_DATA_DIR = savedDataDir;
  dir.cleanup();
});

it('quits without starting an engine, a tray or a window', async () => {
  state.singleInstance = false;
  process.env.PINEBRIDGE_DATA_DIR = join(dir.path, 'data');
  await import('../../main/desktop/main.js');
  await new Promise((r) => setTimeout(r, 200));
  expect(app.quit).toHaveBeenCalledTimes(1);
  expect(state.trays).toHaveLength(0);
  expect(state.windows).toHaveLength(0);
  expect(existsSync(join(dir.path, 'data'))).toBe(false);
});
