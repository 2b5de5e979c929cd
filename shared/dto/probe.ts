/** The conformance probe's report: what of Pinebridge's needs the exchange meets, step by step. */
export type ProbeStepStatus = 'ok' | 'failed' | 'not_supported';

export interface ProbeStepDto {
  /** `markets`, `balances`, `place_limit`, `lookup`, `lookup_unknown`, `cancel`, `reduce_only`, `trigger`, `position_mode`, `cleanup`. */
  step: string;
  status: ProbeStepStatus;
  /** What happened, in words (the exchange's own refusal when it refused). */
  detail: string;
}

export interface ProbeReportDto {
  account: string;
  exchange: string;
  mode: 'testnet';
  symbol: string;
  steps: ProbeStepDto[];
  /** No step failed (a step the market does not have, e.g. reduce-only on spot, is not a failure). */
  ok: boolean;
  /** Orders the probe placed that it could not cancel (empty when nothing was left open). */
  leftOpen: string[];
}
