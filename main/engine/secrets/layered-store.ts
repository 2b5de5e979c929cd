/**
 * Several stores as one: reads try each store in order and the first value found wins; writes and
 * deletes go to one store. Typical headless use: `layerStores([envStore], keychainOrFileStore)`,
 * so an environment variable overrides what is stored.
 */
import type { SecretStore } from '../core/ports.js';
import { assertValidName, messageOf } from './names.js';

export interface LayeredSecretStore extends SecretStore {
  /** The stores in read order (`readFirst`, then `writeTo` unless it is already among them). */
  readonly layers: readonly SecretStore[];
  readonly writeTo: SecretStore;
  /** The value and the `kind` of the store that supplied it, or null. */
  getWithSource(name: string): Promise<{ value: string; source: string } | null>;
}

/**
 * Reads: each of `readFirst` in order, then `writeTo` (so what was written can be read back; it is
 * not read twice when it is also in `readFirst`). A store that fails while reading fails the read
 * (falling through could silently hand out a different, stale secret). `set` and `delete` go to
 * `writeTo` only: a value in an earlier layer still wins after them. `kind` is `writeTo.kind`.
 */
export function layerStores(readFirst: readonly SecretStore[], writeTo: SecretStore): LayeredSecretStore {
  const layers = readFirst.includes(writeTo) ? [...readFirst] : [...readFirst, writeTo];

  async function getWithSource(name: string): Promise<{ value: string; source: string } | null> {
    assertValidName(name);
    for (const layer of layers) {
      let value: string | null;
      try {
        value = await layer.get(name);
      } catch (error) {
        throw new Error(`Reading the secret "${name}" from the ${layer.kind} store failed: ${messageOf(error)}`, { cause: error });
      }
      if (value !== null) return { value, source: layer.kind };
    }
    return null;
  }

  return {
    kind: writeTo.kind,
    layers,
    writeTo,
    getWithSource,
    async get(name) {
      return (await getWithSource(name))?.value ?? null;
    },
    set(name, value) {
      return writeTo.set(name, value);
    },
    delete(name) {
      return writeTo.delete(name);
    },
  };
}

/** Where a store would read `name` from: the layer's kind for a layered store, else the store's kind. */
export async function getWithSource(store: SecretStore, name: string): Promise<{ value: string; source: string } | null> {
  const layered = store as Partial<LayeredSecretStore>;
  if (typeof layered.getWithSource === 'function') return layered.getWithSource(name);
  const value = await store.get(name);
  return value === null ? null : { value, source: store.kind };
}
