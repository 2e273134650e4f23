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
  /** the target's endpoints by name (profile target.endpoints + what the reference platform opened): zone hosts, console URL, … */
  endpoints?: Record<string, string>;
  /** tlcp-channel objects resolved (endpoint, trust anchors, client certificate; keys are secrets, never written out) */
  tlcpChannels?: Record<string, import('../../probes/tlcp/config.ts').ResolvedTlcpChannel>;
}

export const FINDING_MEDIA_TYPE = 'application/vnd.gmeval.finding+json';
export const OBSERVATION_MEDIA_TYPE = 'application/vnd.gmeval.observation+json';
