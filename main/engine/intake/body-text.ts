/** A request body as it may be journaled: the secret removed, or only its start kept. */

/** Removes `"secret": "…"` from raw text that may not parse as JSON (or was cut inside the value). */
export function redactSecretField(text: string, pathSecret: string | undefined): string {
  let out = text.replace(/("secret"\s*:\s*)"(?:[^"\\]|\\.)*(?:"|\\?$)/gi, '$1"[redacted]"');
  if (pathSecret && pathSecret.length > 0) out = out.split(pathSecret).join('[redacted]');
  return out;
}

/** The first `max` bytes of a UTF-8 text (a character cut in two becomes U+FFFD). */
export function clipBytes(text: string, max: number): string {
  if (text.length * 3 <= max) return text;
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length <= max ? text : bytes.subarray(0, max).toString('utf8');
}
