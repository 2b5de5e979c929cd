import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NATIVE_FIELDS } from '../../main/engine/signals/dialects/native.js';

/** The README's alert reference names every field the native dialect reads (a field nobody can find is a field nobody uses). */
describe('the alert reference in the README', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

  it('names every native alert field, as `field` or in an example as "field":', () => {
    const missing = NATIVE_FIELDS.filter((f) => !readme.includes(`\`${f}\``) && !readme.includes(`"${f}":`));
    expect(missing).toEqual([]);
  });

  it('documents the ladder fields with their rules', () => {
    for (const f of ['take_profit', 'move_stop_to_breakeven_after', 'trailing_after']) expect(readme).toContain(`\`${f}\``);
    expect(readme).toMatch(/sizes add up to at most 100%/);
    expect(readme).toMatch(/one native OCO order list/);
  });
});
