export const PARITY_MODES = ['warn', 'repair'] as const;

export type Parity = (typeof PARITY_MODES)[number];
