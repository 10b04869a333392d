/* How a validator's score (0..1) reads: the band it falls in and its colour. */

export type FitBand = 'strong' | 'partial' | 'weak';

export function fitBand(score: number): FitBand {
  if (score >= 0.8) return 'strong';
  if (score >= 0.5) return 'partial';
  return 'weak';
}

export const BAND_PALETTE: Record<FitBand, string> = {
  strong: 'green',
  partial: 'orange',
  weak: 'red',
};

/** The score as a whole percentage, clamped to 0..100. */
export function scorePercent(score: number): number {
  if (!Number.isFinite(score)) return 0;
  return Math.max(0, Math.min(100, Math.round(score * 100)));
}

export const EXPECTATIONS_MAX = 2000;
export const ROUNDS_MIN = 2;
export const ROUNDS_MAX = 10;
export const ROUNDS_DEFAULT = 3;

/** The options' errors (expectations length, rounds) by field; {} when the API takes them. */
export function validateOptions(expectations: string, rounds: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (Array.from(expectations).length > EXPECTATIONS_MAX)
    errors.expectations = 'expectationsTooLong';
  const r = rounds.trim();
  if (r && (!/^\d+$/.test(r) || Number(r) < ROUNDS_MIN || Number(r) > ROUNDS_MAX))
    errors.rounds = 'roundsRange';
  return errors;
}
