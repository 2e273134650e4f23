import type { EvidenceRef } from './evidence.ts';

/** Why a probe saw nothing to judge. */
export type NotTestedReason = 'could_not_test' | 'not_offered' | 'inconclusive' | 'not_effective' | 'not_reviewed' | 'error';

/**
 * What a probe saw (DESIGN.md §3). Probes never judge: `data` is raw observation, and `notTested`
 * says why there is none.
 */
export interface Observation<T = unknown> {
  probe: string;
  object: { id: string; name: string };
  at: string;
  data?: T;
  notTested?: { reason: NotTestedReason; detail: string };
  evidence: EvidenceRef[];
}
