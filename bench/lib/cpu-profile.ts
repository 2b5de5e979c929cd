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
