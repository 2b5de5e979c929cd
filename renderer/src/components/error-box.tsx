import { errorCode, errorMessage } from '../api/api-error.js';

/** An error a person can act on: the message, the code in small print, and a retry when given. */
export function ErrorBox({ error, title = 'Something went wrong', onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  const code = errorCode(error);
  const notYet = code === 'unknown_command';
  return (
    <div className={notYet ? 'notice' : 'error-box'} role="alert">
      <strong>{notYet ? 'Not available in this version yet' : title}</strong>
      <p>{notYet ? 'This engine does not offer this view yet.' : errorMessage(error)}</p>
      {code && !notYet && <p className="muted small">code: {code}</p>}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
