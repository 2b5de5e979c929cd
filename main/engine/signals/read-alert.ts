/**
 * From a request body (already size-limited) to a Signal, or to a rejection with a code and a
 * message a trader can act on. Pure: no I/O, no secrets compared here.
 */
import type { z } from 'zod';
import { dialectOf } from './dialects/dialect-table.js';
import type { Signal } from './signal.js';

export interface Rejection {
  status: number;
  code: string;
  message: string;
}

export type ParsedBody =
  | { ok: true; json: Record<string, unknown> }
  | { ok: false; rejection: Rejection };

const PLACEHOLDER_RE = /\{\{\s*[^{}]{1,80}?\s*\}\}/g;
const MAX_DEPTH = 8;

/** TradingView sends text/plain when the message is not valid JSON: try JSON first anyway. */
export function parseBody(text: string): ParsedBody {
  const trimmed = text.trim();
  if (trimmed === '') {
    return reject(400, 'empty_body', 'The request body is empty: put the alert message (JSON) in the TradingView alert.');
  }
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch (e) {
    const placeholders = findPlaceholders(trimmed);
    if (placeholders.length > 0) return { ok: false, rejection: placeholderRejection(placeholders, null) };
    if (!/^[[{]/.test(trimmed)) {
      return reject(
        400,
        'not_json',
        'The alert message is not JSON. Use a JSON message like {"action":"buy","symbol":"BTCUSDT","quantity":"0.01","secret":"…"}; the setup wizard generates one.',
      );
    }
    const detail = e instanceof Error ? e.message.replace(/\s+/g, ' ').slice(0, 160) : 'parse error';
    return reject(400, 'malformed_json', `The alert message is not valid JSON (${detail}). Check quotes, commas and braces.`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return reject(400, 'not_an_object', 'The alert message must be a JSON object ({…}), not ' + describeJson(json) + '.');
  }
  if (depth(json, 0) > MAX_DEPTH) {
    return reject(400, 'too_deep', `The alert message is nested more than ${MAX_DEPTH} levels deep.`);
  }
  return { ok: true, json: json as Record<string, unknown> };
}

/** Validate and normalize an already parsed alert (secret already checked by the caller). */
export function readSignal(json: Record<string, unknown>): { ok: true; signal: Signal } | { ok: false; rejection: Rejection } {
  const placeholders: { field: string; name: string }[] = [];
  walkStrings(json, '', (path, s) => {
    for (const name of findPlaceholders(s)) placeholders.push({ field: path, name });
  });
  if (placeholders.length > 0) return { ok: false, rejection: placeholderRejection(placeholders.map((p) => p.name), placeholders[0]?.field ?? null) };

  const dialect = dialectOf(json);
  const r = dialect.read(json);
  if (r.ok) return { ok: true, signal: withUnknownFields(r.signal, json, dialect.fields) };
  if ('issues' in r) return { ok: false, rejection: validationRejection(r.issues, json) };
  return { ok: false, rejection: { status: 400, code: 'invalid_field', message: r.message } };
}

const MAX_WARNINGS = 20;

/** A field Pinebridge does not know is not an error (senders add their own), but it is said back. */
function withUnknownFields(s: Signal, json: Record<string, unknown>, known: readonly string[]): Signal {
  const unknown = Object.keys(json).filter((k) => !known.includes(k));
  if (unknown.length === 0) return s;
  const shown = unknown.slice(0, MAX_WARNINGS).map((k) => `unknown field ${JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k).slice(1, -1)}: ignored`);
  if (unknown.length > MAX_WARNINGS) shown.push(`and ${unknown.length - MAX_WARNINGS} more unknown fields: ignored`);
  return { ...s, warnings: [...(s.warnings ?? []), ...shown] };
}

function validationRejection(err: z.ZodError, json: Record<string, unknown>): Rejection {
  const first = err.issues[0];
  const path = first?.path.join('.') ?? '';
  // zod 4 does not report the input by default: look the value up to tell missing from wrong.
  const isMissing = (i: z.core.$ZodIssue) => i.code === 'invalid_type' && valueAt(json, i.path) === undefined;
  const msgs = err.issues.slice(0, 3).map((i) => {
    const p = i.path.join('.');
    const m = i.message;
    // Our own messages already start with the field name; zod's generic ones do not.
    if (isMissing(i)) return `${p} is missing`;
    return p && !m.startsWith(p.split('.')[0] ?? '') ? `${p}: ${m}` : m;
  });
  let code = 'invalid_field';
  if (first && isMissing(first)) code = 'missing_field';
  if (path === 'action' && first?.code === 'invalid_value') code = 'unknown_action';
  if (path === 'action' && first?.code === 'custom') code = 'missing_field';
  if (path.startsWith('quantity') || path === 'position') code = 'invalid_quantity';
  return { status: 400, code, message: msgs.join('; ') };
}

function valueAt(json: unknown, path: PropertyKey[]): unknown {
  let v = json;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function placeholderRejection(names: string[], field: string | null): Rejection {
  const unique = [...new Set(names)];
  const where = field ? ` in "${field}"` : '';
  return {
    status: 400,
    code: 'unreplaced_placeholder',
    message:
      `The alert still contains ${unique.join(', ')}${where}: TradingView did not replace it, so no order was made. ` +
      'Check the spelling; {{strategy.*}} placeholders only work in alerts created on a strategy.',
  };
}

function findPlaceholders(s: string): string[] {
  return s.match(PLACEHOLDER_RE) ?? [];
}

function walkStrings(v: unknown, path: string, fn: (path: string, s: string) => void): void {
  if (typeof v === 'string') fn(path, v);
  else if (Array.isArray(v)) v.forEach((x, i) => walkStrings(x, `${path}[${i}]`, fn));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) walkStrings(x, path ? `${path}.${k}` : k, fn);
  }
}

function depth(v: unknown, d: number): number {
  if (d > MAX_DEPTH || v === null || typeof v !== 'object') return d;
  let max = d;
  for (const x of Object.values(v)) {
    max = Math.max(max, depth(x, d + 1));
    if (max > MAX_DEPTH) break;
  }
  return max;
}

function describeJson(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

function reject(status: number, code: string, message: string): ParsedBody {
  return { ok: false, rejection: { status, code, message } };
}
