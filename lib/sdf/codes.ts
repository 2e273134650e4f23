/**
 * GM/T 0018 Annex A return codes: one table for the whole project (the probe, the reference platform's
 * soft devices and its device endpoint all use it). Values as printed in the standard; codes are
 * compared by value, never by name (vendors spell the names differently).
 */
export const SDR = {
  SDR_OK: 0x00000000,
  SDR_BASE: 0x01000000,
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
  SDR_FILESIZEERR: 0x01000011,
  SDR_FILENOEXIST: 0x01000012,
  SDR_FILEOFSERR: 0x01000013,
  SDR_KEYTYPEERR: 0x01000014,
  SDR_KEYERR: 0x01000015,
  SDR_ENCDATAERR: 0x01000016,
  SDR_RANDERR: 0x01000017,
  SDR_PRKRERR: 0x01000018,
  SDR_MACERR: 0x01000019,
  SDR_FILEEXSITS: 0x0100001a,
  SDR_FILEWERR: 0x0100001b,
  SDR_NOBUFFER: 0x0100001c,
  SDR_INARGERR: 0x0100001d,
  SDR_OUTARGERR: 0x0100001e,
  /** GM/T 0018-2023 only [S] */
  SDR_USERIDERR: 0x0100001f,
} as const;
export type SdrName = keyof typeof SDR;

const BY_VALUE = new Map<number, SdrName>(Object.entries(SDR).map(([k, v]) => [v, k as SdrName]));

/** `SDR_PARDENY (0x01000007)`, or the bare hex for a vendor code. */
export function sdrLabel(rv: number | undefined): string {
  if (rv === undefined) return '(no return value)';
  const hex = `0x${(rv >>> 0).toString(16).padStart(8, '0')}`;
  const name = BY_VALUE.get(rv >>> 0);
  return name ? `${name} (${hex})` : `${hex} (not an Annex A code)`;
}

/** Whether a value is one of Annex A's codes (SDR_USERIDERR only for the 2023 edition). */
export function isAnnexACode(rv: number, edition: Edition): boolean {
  const name = BY_VALUE.get(rv >>> 0);
  if (!name || name === 'SDR_BASE') return false;
  return name !== 'SDR_USERIDERR' || edition === '2023';
}

export type Edition = '2012' | '2023';
