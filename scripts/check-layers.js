#!/usr/bin/env node
// The floor plan, enforced: every source file belongs to a room (its folder), every room to a
// floor, and an import may only go to the same floor or a lower one. Imports between rooms of
// one floor are allowed as long as they form no cycle, and no two files import each other in a
// ring. Run by `npm run lint`; exits 1 with one line per broken rule.
//
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Floors, lowest first. A room is a folder (relative to the repo root) or a single file. */
export const FLOORS = [
  ['shared', 'shared/dto'],
  ['main/engine/core', 'main/engine/core/logging'],
  ['main/engine/market'],
  ['main/engine/signals', 'main/engine/ledger'],
  ['main/engine/journal'],
  ['main/engine/secrets', 'main/engine/venues', 'main/engine/venues/exchanges', 'main/engine/tunnel'],
  ['main/engine/risk', 'main/engine/positions', 'main/engine/intake'],
  ['main/engine/execution', 'main/engine/notify'],
  ['main/engine/ops', 'main/engine/control', 'main/engine/cluster'],
  ['main/engine'],
  ['main/host'],
  ['main/cli', 'main/desktop'],
  ['main/cli.ts'],
  ['renderer/src/api', 'renderer/src/lib'],
  ['renderer/src/hooks'],
  ['renderer/src/components'],
  ['renderer/src/settings', 'renderer/src/screens'],
  ['renderer/src/wizard'],
  ['renderer/src'],
];

/**
 * Rooms of one floor that must not import each other at all: the two hosts share their start-up
 * through main/host, never through each other.
 */
export const APART = [['main/cli', 'main/desktop']];

const ROOTS = ['main', 'shared', 'renderer/src'];
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;

function sourceFiles(root, dir) {
  const out = [];
  const walk = (d) => {
    let names;
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|tsx)$/.test(n) && !n.endsWith('.d.ts')) out.push(posix.normalize(relative(root, p).split('\\').join('/')));
    }
  };
  walk(join(root, dir));
  return out;
}

/** The room of a file: the longest room in FLOORS that is the file itself or holds it. */
function roomOf(file, floors) {
  let best = null;
  for (let floor = 0; floor < floors.length; floor++) {
    for (const room of floors[floor]) {
      const hit = file === room || (file.startsWith(room + '/') && !room.endsWith('.ts'));
      if (hit && (best === null || room.length > best.room.length)) best = { room, floor };
    }
  }
  return best;
}

function resolveImport(root, from, spec, known) {
  const base = posix.normalize(posix.join(posix.dirname(from), spec));
  const candidates = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), base + '.ts', base + '.tsx', base + '/index.ts'];
  return candidates.find((c) => known.has(c)) ?? null;
}

/** Every import edge between the project's own source files. */
export function importGraph(root, roots = ROOTS) {
  const files = roots.flatMap((r) => sourceFiles(root, r));
  const known = new Set(files);
  const edges = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec || !spec.startsWith('.')) continue;
      const target = resolveImport(root, file, spec, known);
      if (target) edges.push([file, target]);
    }
  }
  return { files, edges };
}

/** Strongly connected components with more than one node (Tarjan). */
function cycles(nodes, next) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const found = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of next.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) found.push(comp.sort());
    }
  };
  for (const v of nodes) if (!idx.has(v)) visit(v);
  return found;
}

const APART_TEXT = (a, b) => [a, b].sort().join(' and ');

/** The broken rules of a tree, as stable one-line strings. */
export function checkLayers(root, floors = FLOORS, roots = ROOTS, apart = APART) {
  const { files, edges } = importGraph(root, roots);
  const problems = [];
  const fileNext = new Map();
  const roomNext = new Map();
  for (const f of files) if (!roomOf(f, floors)) problems.push(`unplaced: ${f} is in no room of the floor plan`);
  for (const [a, b] of edges) {
    (fileNext.get(a) ?? fileNext.set(a, new Set()).get(a)).add(b);
    const ra = roomOf(a, floors);
    const rb = roomOf(b, floors);
    if (!ra || !rb || ra.room === rb.room) continue;
    (roomNext.get(ra.room) ?? roomNext.set(ra.room, new Set()).get(ra.room)).add(rb.room);
    if (rb.floor > ra.floor) problems.push(`upward: ${a} -> ${b} (${ra.room} may not import ${rb.room}, a higher floor)`);
    if (apart.some((pair) => pair.includes(ra.room) && pair.includes(rb.room))) problems.push(`apart: ${a} -> ${b} (the hosts ${APART_TEXT(ra.room, rb.room)} share code only through a lower floor)`);
  }
  for (const c of cycles(files, fileNext)) problems.push(`file cycle: ${c.join(' <-> ')}`);
  for (const c of cycles([...roomNext.keys()], roomNext)) problems.push(`room cycle: ${c.join(' <-> ')}`);
  return [...new Set(problems)].sort();
}

function main() {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const problems = checkLayers(root);
  for (const p of problems) console.error(`layers: ${p}`);
  if (problems.length) process.exit(1);
  console.log('layers: floor plan holds (no upward import, no cycle)');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
