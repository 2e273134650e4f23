import type { EvidenceRef } from '../probes/evidence.ts';
import type { NotTestedReason } from '../probes/observation.ts';

export type FindingStatus = 'passed' | 'failed' | 'not_applicable' | 'not_tested' | 'waived' | 'attested';
export type Dimension = '合规性' | '正确性' | '有效性';
export const DIMENSIONS: Dimension[] = ['合规性', '正确性', '有效性'];
export const DIMENSION_EN: Record<Dimension, string> = { 合规性: 'Compliance', 正确性: 'Correctness', 有效性: 'Effectiveness' };

/** A verdict on one observation of one object (DESIGN.md §3). */
export interface Finding {
  /** what was checked, in the report language of the feature (Chinese) */
  check: string;
  status: FindingStatus;
  reasonCode?: NotTestedReason;
  reason: string;
  object: { id: string; name: string };
  expected?: string;
  observed?: string;
  /**
   * The security strength (bits) the check measured for the non-compliant algorithm or key it failed (e.g. an
   * RSA-1024 / SHA-1 certificate: about 63). On a failed finding of an @dak:A scenario it sets the object's Ra.
   */
  strengthBits?: number;
  evidence: EvidenceRef[];
}
