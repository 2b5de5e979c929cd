/**
 * Reads a V8 `.cpuprofile` (node --cpu-prof) and sums self time per function, the way DevTools'
 * "Bottom-up" view does, so a bench can print where the time went as JSON.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  fn: string;
  where: string;
  ms: number;
  pct: number;
}

/** Where a frame lives, short: `main/engine/risk/risk-reads.ts:60`, `node:internal/http`, `koa`. */
function place(url: string, line: number): string {
  if (!url) return '';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  const own = /\/((?:main|shared|dist)\/.*)$/.exec(url);
  if (own) return `${own[1]!.replace(/^dist\//, '')}:${line + 1}`;
  return url.replace(/^file:\/\//, '');
}

/** Busy time (everything but idle) and the top self-time entries. */
export function topSelfTime(file: string, top = 15): { busyMs: number; top: SelfTime[] } {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, { fn: string; where: string; us: number }>();
  let busy = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const n = byId.get(p.samples[i]!);
    const dt = p.timeDeltas[i] ?? 0;
    if (!n || n.callFrame.functionName === '(idle)') continue;
    busy += dt;
    const fn = n.callFrame.functionName || '(anonymous)';
    const where = place(n.callFrame.url, n.callFrame.lineNumber);
    const key = `${fn}\u0000${where}`;
    const e = self.get(key) ?? { fn, where, us: 0 };
    e.us += dt;
    self.set(key, e);
  }
  const list = [...self.values()].sort((a, b) => b.us - a.us).slice(0, top);
  return {
    busyMs: Math.round(busy / 1000),
    top: list.map((e) => ({ fn: e.fn, where: e.where, ms: Math.round(e.us / 1000), pct: Math.round((e.us / busy) * 1000) / 10 })),
  };
}

/** `main/engine/<room>` of a frame of ours (dist/ or source), else null. */
function roomOf(url: string): string | null {
  const m = /\/(?:dist\/)?main\/engine\/([^/]+)(\/|\.)/.exec(url);
  if (!m) return null;
  return m[2] === '.' ? m[1]!.replace(/\.[jt]s$/, '') : m[1]!;
}

/**
 * Busy time by engine room, two ways, % of busy time: `outer`, the outermost of our frames on the
 * stack (which part the work was done for: intake, execution...), and `inner`, the innermost (the
 * room whose code, or whose library calls, spent it: journal, signals...). Samples with none of
 * our frames on the stack (GC, the HTTP parser, timers) count as `(runtime)`.
 */
export function busyByRoom(file: string): { outer: Record<string, number>; inner: Record<string, number> } {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const outer = new Map<string, number>();
  const inner = new Map<string, number>();
  let busy = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const n = byId.get(p.samples[i]!);
    const dt = p.timeDeltas[i] ?? 0;
    if (!n || n.callFrame.functionName === '(idle)') continue;
    busy += dt;
    let innermost: string | null = null;
    let outermost: string | null = null;
    for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
      const room = roomOf(byId.get(id)!.callFrame.url);
      if (!room) continue;
      innermost ??= room;
      outermost = room;
    }
    outer.set(outermost ?? '(runtime)', (outer.get(outermost ?? '(runtime)') ?? 0) + dt);
    inner.set(innermost ?? '(runtime)', (inner.get(innermost ?? '(runtime)') ?? 0) + dt);
  }
  const pct = (m: Map<string, number>) =>
    Object.fromEntries([...m.entries()].sort((a, b) => b[1] - a[1]).map(([k, us]) => [k, Math.round((us / busy) * 1000) / 10]));
  return { outer: pct(outer), inner: pct(inner) };
}
