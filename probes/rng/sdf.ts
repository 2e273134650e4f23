import { OperationNotOfferedError, TargetUnreachableError } from '../adapters/index.ts';
import { RandomRefusedError, type SdfRandomSession } from './sources.ts';

export interface SdfRandomTarget { endpoint?: string; library?: string; edition?: '2012' | '2023'; timeoutMs?: number }

/**
 * `source: sdf`: an open SDF session offering SDF_GenerateRandom (GM/T 0018), through probes/sdf (a native
 * library via koffi, or a device endpoint). Loaded on first use, so a build or host without the SDF transport
 * still runs every other check; then the source is reported not_tested (not offered), never passed.
 * Failures map to the adapter error classes: load/connect → could not test; a device error code → inconclusive.
 */
export async function openSdfRandomSession(target: SdfRandomTarget): Promise<SdfRandomSession & { close(): Promise<void> }> {
  if (!target.endpoint && !target.library) throw new OperationNotOfferedError('sdf', 'SDF_GenerateRandom', 'no SDF endpoint or library configured (options.endpoint / options.library, or an sdf adapter)');
  let mod: { openSdfRandomSession(t: SdfRandomTarget): Promise<SdfRandomSession & { close(): Promise<void> }> };
  try {
    mod = await import('../sdf/random-session.ts');
  } catch (e) {
    throw new OperationNotOfferedError('sdf', 'SDF_GenerateRandom', `the SDF transport (probes/sdf) cannot be loaded: ${(e as Error).message}`);
  }
  let s: SdfRandomSession & { close(): Promise<void> };
  try {
    s = await mod.openSdfRandomSession(target);
  } catch (e) {
    throw new TargetUnreachableError(`SDF ${target.library ?? target.endpoint}: ${(e as Error).message}`);
  }
  return {
    description: s.description,
    close: () => s.close(),
    async generateRandom(n) {
      try {
        return await s.generateRandom(n);
      } catch (e) {
        throw new RandomRefusedError(`the device refused: ${(e as Error).message}`);
      }
    },
  };
}
