import { CopyButton } from './copy-button.js';

export function CodeBlock({ code, label, copyLabel = 'Copy' }: { code: string; label: string; copyLabel?: string }) {
  return (
    <figure className="code-block">
      <figcaption>
        <span>{label}</span>
        <CopyButton text={code} label={copyLabel} />
      </figcaption>
      <pre tabIndex={0} aria-label={label}>
        {code}
      </pre>
    </figure>
  );
}
