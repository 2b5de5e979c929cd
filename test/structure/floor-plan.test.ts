/**
 * The floor plan (scripts/check-layers.js, run by `npm run lint`): the real tree holds it, and a
 * copy of the tree with one planted break fails it, as a process exiting 1 with the break named.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error a plain ESM script without types
import { checkLayers } from '../../scripts/check-layers.js';
import { tempDir } from '../support/temp-dir.js';

const root = join(import.meta.dirname, '..', '..');
const check = checkLayers as (root: string) => string[];

/** A copy of the sources and the checker, to plant a break in. */
function copyTree(dest: string): void {
  for (const d of ['main', 'shared', 'renderer/src', 'scripts']) cpSync(join(root, d), join(dest, d), { recursive: true });
}

function runChecker(dir: string): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [join(dir, 'scripts/check-layers.js')], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

describe('floor plan', () => {
  it('holds on the tree as committed: no upward import, no cycle, the hosts apart', () => {
    expect(check(root)).toEqual([]);
    expect(runChecker(root).status).toBe(0);
  });

  it('fails on a planted upward import (the ground floor reaching for the engine)', () => {
    const dir = tempDir();
    try {
      copyTree(dir.path);
      appendFileSync(join(dir.path, 'main/engine/core/ids.ts'), "\nexport { createEngine } from '../engine.js';\n");
      const r = runChecker(dir.path);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('upward: main/engine/core/ids.ts -> main/engine/engine.ts');
    } finally {
      dir.cleanup();
    }
  });

  it('fails on a planted cycle between two files of one room, and between two rooms of one floor', () => {
    const dir = tempDir();
    try {
      copyTree(dir.path);
      appendFileSync(join(dir.path, 'main/engine/core/version.ts'), "\nexport { ulid as planted } from './ids.js';\n");
      appendFileSync(join(dir.path, 'main/engine/core/ids.ts'), "\nexport { VERSION as plantedToo } from './version.js';\n");
      mkdirSync(join(dir.path, 'main/engine/risk'), { recursive: true });
      writeFileSync(join(dir.path, 'main/engine/risk/planted.ts'), "export { parsePlanted } from '../positions/planted.js';\nexport const riskPlanted = 1;\n");
      writeFileSync(join(dir.path, 'main/engine/positions/planted.ts'), "import { riskPlanted } from '../risk/planted.js';\nexport const parsePlanted = riskPlanted;\n");
      const problems = check(dir.path);
      expect(problems).toContain('file cycle: main/engine/core/ids.ts <-> main/engine/core/version.ts');
      expect(problems.some((p) => p.startsWith('room cycle:') && p.includes('main/engine/positions') && p.includes('main/engine/risk'))).toBe(true);
      expect(runChecker(dir.path).status).toBe(1);
    } finally {
      dir.cleanup();
    }
  });

  it('fails when one host imports the other instead of main/host', () => {
    const dir = tempDir();
    try {
      copyTree(dir.path);
      appendFileSync(join(dir.path, 'main/desktop/app-url.ts'), "\nexport { HELP } from '../cli/help.js';\n");
      expect(check(dir.path)).toContain('apart: main/desktop/app-url.ts -> main/cli/help.ts (the hosts main/cli and main/desktop share code only through a lower floor)');
    } finally {
      dir.cleanup();
    }
  });

  it('places every source file in a room', () => {
    const dir = tempDir();
    try {
      copyTree(dir.path);
      mkdirSync(join(dir.path, 'main/nowhere'), { recursive: true });
      writeFileSync(join(dir.path, 'main/nowhere/stray.ts'), 'export const stray = 1;\n');
      expect(check(dir.path)).toContain('unplaced: main/nowhere/stray.ts is in no room of the floor plan');
    } finally {
      dir.cleanup();
    }
  });
});
