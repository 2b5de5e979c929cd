/**
 * Finding a ccxt exchange id from what a person types: case-insensitive, by id or name, with near
 * matches for a typo ("binanse" -> binance). The picker lists these; the engine refuses any id
 * that is not exactly one of them, naming the near ones.
 */
import { CCXT_EXCHANGES } from './ccxt-exchanges.js';

const IDS = CCXT_EXCHANGES.map(([id]) => id);
const NAMES = new Map(CCXT_EXCHANGES.map(([id, name]) => [id, name]));

/** Levenshtein distance, cut off above `max` (enough to rank near matches). */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Ids whose id or name contains the query (case and punctuation ignored); an exact id first. */
export function findExchanges(query: string): string[] {
  const q = squash(query);
  if (!q) return [...IDS];
  const hits = IDS.filter((id) => id.includes(q) || squash(NAMES.get(id) ?? '').includes(q));
  return hits.sort((a, b) => Number(b === q) - Number(a === q) || Number(b.startsWith(q)) - Number(a.startsWith(q)) || a.length - b.length || a.localeCompare(b));
}

/** Up to `limit` ids close to a mistyped one (edit distance up to 2, or 1 for short input), nearest first. */
export function nearExchanges(query: string, limit = 3): string[] {
  const q = squash(query);
  if (!q) return [];
  const max = q.length <= 4 ? 1 : 2;
  return IDS.map((id) => ({ id, d: Math.min(distance(q, id, max), distance(q, squash(NAMES.get(id) ?? ''), max)) }))
    .filter((x) => x.d <= max)
    .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
    .slice(0, limit)
    .map((x) => x.id);
}

/** null when `id` is a ccxt exchange id as written; otherwise why not, with what was probably meant. */
export function exchangeIdProblem(id: string): string | null {
  if (IDS.includes(id)) return null;
  const exact = IDS.find((x) => x === squash(id));
  if (exact) return `"${id}" is not a ccxt exchange id as written: ids are lower case, did you mean ${exact}?`;
  const near = [...new Set([...nearExchanges(id), ...findExchanges(id).slice(0, 3)])].slice(0, 3);
  return `ccxt has no exchange "${id}"${near.length ? `: did you mean ${near.join(', ')}?` : ': see `pinebridge exchanges` for the list'}`;
}
