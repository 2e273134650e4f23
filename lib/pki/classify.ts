/**
 * Certificate type per GM/T 0015 Annex C (C.1 self-signed CA, C.2 sub-CA, C.3 signing EE, C.4 encryption EE) plus
 * the delegated signers GM/T 0015 leaves to practice (OCSP signer, TSA).
 */
import { bytesEqual } from './der.ts';
import { basicConstraintsOf, ekuOf, keyUsageOf } from './extensions.ts';
import { OID } from './oids.ts';
import type { Certificate } from './x509.ts';

export const CERT_TYPES = ['root', 'sub', 'sign', 'enc', 'ocsp', 'tsa'] as const;
export type CertType = (typeof CERT_TYPES)[number];

export const CERT_TYPE_LABELS: Record<CertType, { en: string; zh: string }> = {
  root: { en: 'root CA', zh: '根CA证书' },
  sub: { en: 'subordinate CA', zh: '下级CA证书' },
  sign: { en: 'signing end-entity', zh: '签名证书' },
  enc: { en: 'encryption end-entity', zh: '加密证书' },
  ocsp: { en: 'OCSP signer', zh: 'OCSP签名证书' },
  tsa: { en: 'TSA', zh: '时间戳证书' },
};

export function isSelfIssued(c: Certificate): boolean {
  return bytesEqual(c.issuer.node.bytes, c.subject.node.bytes);
}

/**
 * Classifies from the certificate's own content. CA-ness comes from basicConstraints cA (or keyCertSign when
 * basicConstraints is missing, so a CA that forgot it is still judged as a CA); end entities split by EKU first
 * (OCSP signing, time stamping), then by key usage: encipherment bits without signature bits = encryption certificate.
 */
export function classifyCertificate(c: Certificate): CertType {
  const bc = basicConstraintsOf(c);
  const ku = keyUsageOf(c);
  const isCa = bc ? bc.cA : !!ku?.bits.has('keyCertSign');
  if (isCa) return isSelfIssued(c) ? 'root' : 'sub';
  const eku = ekuOf(c) ?? [];
  if (eku.includes(OID.kpOcspSigning)) return 'ocsp';
  if (eku.includes(OID.kpTimeStamping)) return 'tsa';
  if (ku) {
    const sig = ku.bits.has('digitalSignature') || ku.bits.has('nonRepudiation');
    const enc = ku.bits.has('keyEncipherment') || ku.bits.has('dataEncipherment') || ku.bits.has('keyAgreement');
    if (enc && !sig) return 'enc';
  }
  return 'sign';
}

export const isCaType = (t: CertType): boolean => t === 'root' || t === 'sub';
export const isEeType = (t: CertType): boolean => !isCaType(t);
