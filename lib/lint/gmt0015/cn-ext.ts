/** Shared decoding of the GM/T 0015 §5 Chinese identity extensions (digest §5). */
import { TAG, tagName } from '../../pki/der.ts';
import { CN_EXTENSION_OIDS, OID } from '../../pki/oids.ts';
import type { Certificate, Extension } from '../../pki/x509.ts';

export const cnExtensions = (c: Certificate): Extension[] => c.extensions.filter((e) => CN_EXTENSION_OIDS.has(e.oid));

/** Expected string types per OID: first = required; UTF8String listed second = tolerated with a notice (2023 forms). */
export const CN_STRING_TYPES: Record<string, number[]> = {
  [OID.cnInsuranceNumber]: [TAG.PrintableString, TAG.UTF8String],
  [OID.cnIcRegistrationNumber]: [TAG.PrintableString],
  [OID.cnOrganizationCode]: [TAG.PrintableString],
  [OID.cnTaxationNumber]: [TAG.PrintableString],
  [OID.cnResidentIdNumber2023]: [TAG.PrintableString],
  [OID.cnPassportNumber2023]: [TAG.UTF8String, TAG.PrintableString],
  [OID.cnUsccShort]: [TAG.PrintableString, TAG.UTF8String],
  [OID.cnUsccLong]: [TAG.PrintableString, TAG.UTF8String],
};

export interface IdentifyCode { choice: number; tagging: 'explicit' | 'implicit'; value: string }

/**
 * IdentifyCode ::= CHOICE { residenterCardNumber [0] PrintableString, militaryOfficerCardNumber [1] UTF8String,
 * passportNumber [2] PrintableString }. Throws a string describing the syntax error.
 */
export function decodeIdentifyCode(e: Extension): IdentifyCode {
  const n = e.inner();
  if (n.cls !== 2 || n.num > 2) throw `IdentifyCode is ${tagName(n.tag)}, expected [0], [1] or [2]`;
  const want = n.num === 1 ? TAG.UTF8String : TAG.PrintableString;
  if (n.constructed) {
    const k = n.children ?? [];
    if (k.length !== 1 || k[0]!.tag !== want) throw `IdentifyCode [${n.num}] must wrap one ${tagName(want)}`;
    return { choice: n.num, tagging: 'explicit', value: Buffer.from(k[0]!.content).toString(n.num === 1 ? 'utf8' : 'latin1') };
  }
  return { choice: n.num, tagging: 'implicit', value: Buffer.from(n.content).toString(n.num === 1 ? 'utf8' : 'latin1') };
}

/** GB 11643-1999 resident ID: 17 digits + ISO 7064 MOD 11-2 check character. */
export function residentIdValid(s: string): boolean {
  if (!/^\d{17}[\dX]$/.test(s)) return false;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * w[i]!;
  return '10X98765432'[sum % 11] === s[17];
}

/** GB 32100-2015 unified social credit code: 18 characters, mod-31 check character. */
export function usccValid(s: string): boolean {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(s)) return false;
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += alphabet.indexOf(s[i]!) * w[i]!;
  return alphabet[(31 - (sum % 31)) % 31] === s[17];
}
