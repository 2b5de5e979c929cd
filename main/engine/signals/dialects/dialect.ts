/** What an alert dialect implements: which bodies are its own, the fields it knows, and how it reads one. */
import type { z } from 'zod';
import type { Signal } from '../signal.js';

export type DialectRead =
  | { ok: true; signal: Signal }
  /** Schema issues: the caller words them (missing vs wrong field, the reason code). */
  | { ok: false; issues: z.ZodError }
  /** A reading error already worded for the trader. */
  | { ok: false; message: string };

export interface Dialect {
  name: string;
  /** Whether a parsed JSON body is written in this dialect (the table asks in order; the first yes wins). */
  matches(json: Record<string, unknown>): boolean;
  /** Its known fields: any other is answered with an "unknown field: ignored" warning. */
  fields: readonly string[];
  read(json: Record<string, unknown>): DialectRead;
}
