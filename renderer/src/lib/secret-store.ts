/**
 * One pair of words for where secrets are kept, from the engine's store kind (`settings.secretStore`,
 * main/engine/secrets: "keychain", "file", "environment", "memory"): "the OS keychain" or "the file
 * store" (0600 files in the data folder), used the same everywhere in the UI.
 */
export function secretStoreName(kind: string | undefined): string {
  switch (kind) {
    case 'keychain':
      return 'the OS keychain';
    case 'file':
      return 'the file store';
    case 'environment':
      return 'environment variables';
    case 'memory':
      return 'memory only (lost when Pinebridge stops)';
    default:
      return kind ? `the ${kind} store` : 'the secret store';
  }
}

/** A sentence on where saved keys go, for the keys form. */
export function secretStoreSentence(kind: string | undefined): string {
  switch (kind) {
    case 'file':
      return 'They are stored in the file store (0600 files in the data folder, readable only by your user: no OS keychain on this computer) and never shown again.';
    default:
      return `They are stored in ${secretStoreName(kind)} and never shown again.`;
  }
}
