import { useState } from 'react';
import { CopyButton } from './copy-button.js';

/** What stands for a secret on screen until the user asks to see it. */
export const SECRET_MASK = '••••••••';

/**
 * A block of code with a Copy button. When `secret` is given, every occurrence of it is shown as
 * `••••••••` until the user presses Reveal (no secret on screen by default, nor in a screenshot);
 * Copy always copies the real code.
 */
export function CodeBlock({ code, label, copyLabel = 'Copy', secret }: { code: string; label: string; copyLabel?: string; secret?: string }) {
  const [revealed, setRevealed] = useState(false);
  const masks = !!secret && code.includes(secret);
  const shown = masks && !revealed ? code.split(secret).join(SECRET_MASK) : code;
  return (
    <figure className="code-block">
      <figcaption>
        <span>{label}</span>
        <span className="code-block-actions">
          {masks && (
            <button type="button" className="secondary small-button" aria-pressed={revealed} onClick={() => setRevealed((r) => !r)}>
              {revealed ? 'Hide secret' : 'Reveal secret'}
            </button>
          )}
          <CopyButton text={code} label={copyLabel} />
        </span>
      </figcaption>
      <pre tabIndex={0} aria-label={label} data-masked={masks && !revealed ? 'true' : undefined}>
        {shown}
      </pre>
    </figure>
  );
}
