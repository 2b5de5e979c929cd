/**
 * The alert dialects, asked in order: the first that claims a body reads it. Native comes last,
 * as it claims every body. A new dialect: one module beside these and one line here.
 */
import type { Dialect } from './dialect.js';
import { nativeDialect } from './native.js';
import { tradersPostDialect } from './traderspost.js';

export const DIALECTS: readonly Dialect[] = [tradersPostDialect, nativeDialect];

export function dialectOf(json: Record<string, unknown>): Dialect {
  return DIALECTS.find((d) => d.matches(json)) ?? nativeDialect;
}
