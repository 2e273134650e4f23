import type { ResolvedAdapterConfig } from '../../probes/adapters/index.ts';
import type { EvalObject } from '../../profiles/profile.ts';

/**
 * What the runner hands every scenario (as cucumber world parameters, so it survives parallel workers):
 * JSON only. Secrets inside adapter configs are used to sign requests and are never written out.
 */
export interface RunContext {
  runDir: string;
  level: number;
  language: 'zh' | 'en';
  objects: EvalObject[];
  adapters: Record<string, ResolvedAdapterConfig>;
  timeouts: { requestMs: number; stepMs: number };
  targetKind: 'reference' | 'remote';
}

export const FINDING_MEDIA_TYPE = 'application/vnd.gmeval.finding+json';
export const OBSERVATION_MEDIA_TYPE = 'application/vnd.gmeval.observation+json';
