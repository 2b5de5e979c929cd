import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEMANTICS, semanticsMarkdown } from '../../main/engine/signals/semantics.js';
import { ACTIONS } from '../../main/engine/signals/signal.js';

/** The README's semantics table is the code's: regenerate it from semanticsMarkdown() when this fails. */
describe('the semantics table in the README', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = /<!-- semantics-table:start -->\n([\s\S]*?)\n<!-- semantics-table:end -->/.exec(readme);

  it('is exactly the table the planner uses', () => {
    expect(block, 'README.md has no <!-- semantics-table:start --> … end block').not.toBeNull();
    expect(block![1]).toBe(semanticsMarkdown());
  });

  it('has one row per rule, and every action appears in some row', () => {
    expect(new Set(SEMANTICS.map((r) => r.id)).size).toBe(SEMANTICS.length);
    const named = SEMANTICS.flatMap((r) => r.actions.split(/,\s*|\s+or\s+/).map((a) => a.replace(/\*$/, '')));
    for (const a of ACTIONS) expect(named.some((n) => n === a || (n === 'close' && a.startsWith('close'))), a).toBe(true);
  });
});
