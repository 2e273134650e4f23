/** GM/T 0018 return codes (Annex A), kept under their standard names so evidence reads like the standard. */
import { SDR, type SdrName } from '../../lib/sdf/codes.ts';

export { SDR, type SdrName };

/** A device-level failure carrying its GM/T 0018 code; the REST layer maps it without exposing handles. */
export class SdfError extends Error {
  readonly code: number;
  constructor(readonly sdr: SdrName, detail: string) {
    super(`${sdr}: ${detail}`);
    this.code = SDR[sdr];
    this.name = 'SdfError';
  }
}
