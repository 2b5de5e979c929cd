/** After a form's Save: "Saved." or the error, beside its button. */
export function SaveStatus({ saved, error }: { saved: boolean; error: string | null }) {
  return (
    <>
      {saved && <span className="ok-text small">Saved.</span>}
      {error && (
        <span className="error-text small" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
