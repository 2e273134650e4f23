import { SDR } from '../../lib/sdf/codes.ts';

/** GM/T 0018 Annex A return codes (the project's one table). */
export const C = SDR;

/** A GM/T 0018 failure inside the endpoint: becomes the call's return value. */
export class SdfCode extends Error {
  constructor(readonly code: number, detail: string) {
    super(detail);
    this.name = 'SdfCode';
  }
}
