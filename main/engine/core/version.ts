import { readFileSync } from 'node:fs';

/**
 * The package version, read once from the nearest package.json named pinebridge above this file
 * (sources: main/engine/core/, built: dist/main/engine/core/, packaged: inside the app archive).
 */
export const VERSION: string = (() => {
  for (let up = 1; up <= 6; up++) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(`${'../'.repeat(up)}package.json`, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'pinebridge' && pkg.version) return pkg.version;
    } catch {
      // try the next location
    }
  }
  return '0.0.0';
})();
