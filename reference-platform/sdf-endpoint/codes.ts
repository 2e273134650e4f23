/** GM/T 0018 Annex A return codes used by the endpoint (values as in the standard's header). */
export const C = {
  SDR_OK: 0,
  SDR_UNKNOWERR: 0x01000001,
  SDR_NOTSUPPORT: 0x01000002,
  SDR_OPENDEVICE: 0x01000005,
  SDR_OPENSESSION: 0x01000006,
  SDR_PARDENY: 0x01000007,
  SDR_KEYNOTEXIST: 0x01000008,
  SDR_ALGNOTSUPPORT: 0x01000009,
  SDR_ALGMODNOTSUPPORT: 0x0100000a,
  SDR_PKOPERR: 0x0100000b,
  SDR_VERIFYERR: 0x0100000e,
  SDR_STEPERR: 0x01000010,
  SDR_FILESIZEERR: 0x01000011,
  SDR_FILENOEXIST: 0x01000012,
  SDR_FILEOFSERR: 0x01000013,
  SDR_KEYERR: 0x01000015,
  SDR_ENCDATAERR: 0x01000016,
  SDR_PRKRERR: 0x01000018,
  SDR_FILEEXSITS: 0x0100001a,
  SDR_NOBUFFER: 0x0100001c,
  SDR_INARGERR: 0x0100001d,
} as const;

/** A GM/T 0018 failure inside the endpoint: becomes the call's return value. */
export class SdfCode extends Error {
  constructor(readonly code: number, detail: string) {
    super(detail);
    this.name = 'SdfCode';
  }
}
