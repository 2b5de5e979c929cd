import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

/** A labelled input with an optional hint and error, wired for screen readers. */
export function Field({
  label,
  hint,
  error,
  children,
  ...input
}: { label: string; hint?: ReactNode; error?: string | null; children?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children ?? <input id={id} aria-invalid={error ? true : undefined} aria-describedby={hint || error ? `${id}-d` : undefined} {...input} />}
      {(hint || error) && (
        <span id={`${id}-d`} className={error ? 'error-text small' : 'hint'}>
          {error ?? hint}
        </span>
      )}
    </div>
  );
}
