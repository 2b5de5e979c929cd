/** A switch: a real button (keyboard: Tab, Space, Enter), announced as a switch. */
export function Toggle({
  checked,
  onChange,
  label,
  disabled,
  busy,
}: {
  checked: boolean;
  onChange: (next: boolean) => void;
  label: string;
  disabled?: boolean;
  /** Working: clicks are ignored, but the switch keeps keyboard focus (a disabled button loses it). */
  busy?: boolean;
}) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-label={label}
      className={`toggle ${checked ? 'on' : 'off'}`}
      disabled={disabled}
      aria-busy={busy || undefined}
      onClick={() => {
        if (!busy) onChange(!checked);
      }}
    >
      <span className="knob" aria-hidden="true" />
    </button>
  );
}
