/** GM/T 0018 return codes (Annex A), kept under their standard names so evidence reads like the standard. */
export const SDR = {
  SDR_OK: 0x00000000,
  SDR_UNKNOWERR: 0x01000001,
  SDR_NOTSUPPORT: 0x01000002,
  SDR_COMMFAIL: 0x01000003,
  SDR_HARDFAIL: 0x01000004,
  SDR_OPENDEVICE: 0x01000005,
  SDR_OPENSESSION: 0x01000006,
  SDR_PARDENY: 0x01000007,
  SDR_KEYNOTEXIST: 0x01000008,
  SDR_ALGNOTSUPPORT: 0x01000009,
  SDR_ALGMODNOTSUPPORT: 0x0100000a,
  SDR_PKOPERR: 0x0100000b,
  SDR_SKOPERR: 0x0100000c,
  SDR_SIGNERR: 0x0100000d,
  SDR_VERIFYERR: 0x0100000e,
  SDR_SYMOPERR: 0x0100000f,
  SDR_STEPERR: 0x01000010,
  SDR_KEYTYPEERR: 0x01000014,
  SDR_KEYERR: 0x01000015,
  SDR_ENCDATAERR: 0x01000016,
  SDR_RANDERR: 0x01000017,
  SDR_MACERR: 0x01000019,
  SDR_NOBUFFER: 0x0100001c,
  SDR_INARGERR: 0x0100001d,
} as const;
export type SdrName = keyof typeof SDR;

/** A device-level failure carrying its GM/T 0018 code; the REST layer maps it without exposing handles. */
export class SdfError extends Error {
  readonly code: number;
  constructor(readonly sdr: SdrName, detail: string) {
    super(`${sdr}: ${detail}`);
    this.code = SDR[sdr];
    this.name = 'SdfError';
  }
}
