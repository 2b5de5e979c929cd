import type { SecretStore } from '../core/ports.js';
import { assertValidName, assertValidValue } from './names.js';

/** In-process store (tests, and a last resort that keeps nothing across restarts). kind = 'memory'. */
export function createMemoryStore(initial: Record<string, string> = {}, kind = 'memory'): SecretStore {
  const values = new Map<string, string>(Object.entries(initial));
  return {
    kind,
    async get(name) {
      assertValidName(name);
      return values.get(name) ?? null;
    },
    async set(name, value) {
      assertValidName(name);
      assertValidValue(name, value);
      values.set(name, value);
    },
    async delete(name) {
      assertValidName(name);
      return values.delete(name);
    },
  };
}
