import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

/**
 * A modal question. With `typeToConfirm`, the confirm button stays disabled until the user types
 * that word: used for switching to live.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  danger,
  typeToConfirm,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  typeToConfirm?: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  // Several dialogs can live on one screen: each needs its own title id to be named by it.
  const titleId = useId();
  const [typed, setTyped] = useState('');
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    // Cleared on closing, not on opening: what is typed the moment it opens (before this effect
    // runs) is kept; a closed dialog (Escape included) never reopens with the word already typed.
    if (open && !d.open) d.showModal();
    else if (!open) {
      if (d.open) d.close();
      setTyped('');
    }
  }, [open]);
  const ready = !typeToConfirm || typed.trim().toUpperCase() === typeToConfirm.toUpperCase();
  return (
    <dialog ref={ref} className={`dialog ${danger ? 'danger' : ''}`} onCancel={onCancel} aria-labelledby={titleId}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) onConfirm();
        }}
      >
        <h2 id={titleId}>{title}</h2>
        <div className="dialog-body">{children}</div>
        {typeToConfirm && (
          <label className="field">
            <span>
              Type <strong>{typeToConfirm}</strong> to confirm
            </span>
            <input autoFocus value={typed} onChange={(e) => setTyped(e.target.value)} aria-label={`Type ${typeToConfirm} to confirm`} />
          </label>
        )}
        <div className="actions">
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className={danger ? 'danger' : ''} disabled={!ready}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
