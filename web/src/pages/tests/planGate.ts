/* Which refusals are plan gates: shown as an upgrade prompt, not as a failure. */
import { isApiError } from '../../api/client';

/** Is the error a plan gate (payment required, a feature the plan lacks, a limit reached)? */
export function isPlanGate(err: unknown): boolean {
  if (!isApiError(err)) return false;
  return (
    err.status === 402 ||
    err.code === 'plan_limit' ||
    (err.code === 'forbidden' && (!!err.field || /plan/i.test(err.message)))
  );
}
