/** The exit-code contract of DESIGN.md §4. Fixed and documented; never a finding count. */
export const EXIT = {
  /** every gate passed */
  OK: 0,
  /** a gate failed, or (without a gate) a check failed */
  FAILED: 1,
  /** usage, profile or input error: the message names file, field and reason */
  INPUT: 2,
  /** targets could not be tested beyond what the gate allows */
  NOT_TESTED: 3,
  /** internal error of gmeval itself */
  INTERNAL: 4,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export { InputError } from '../lib/errors.ts';
