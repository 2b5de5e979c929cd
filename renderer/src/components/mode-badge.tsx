import type { Mode } from '../../../shared/api.js';

const TEXT: Record<Mode, string> = { paper: 'PAPER', testnet: 'TESTNET', live: 'LIVE · REAL MONEY' };
const TITLE: Record<Mode, string> = {
  paper: 'Paper mode: simulated fills, no exchange, no money at risk.',
  testnet: "Testnet: the exchange's test environment with test funds.",
  live: 'Live: orders go to the exchange with real money.',
};

/** Always visible; live is unmistakable (solid red, says "real money"). */
export function ModeBadge({ mode }: { mode: Mode | null }) {
  if (!mode) return <span className="mode-badge mode-unknown">…</span>;
  return (
    <span className={`mode-badge mode-${mode}`} title={TITLE[mode]} data-testid="mode-badge" aria-label={`Mode: ${TEXT[mode]}`}>
      {TEXT[mode]}
    </span>
  );
}
