import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { fatal } from './errors.ts';

const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const OID_SM2P256V1 = '1.2.156.10197.1.301';
const OID_KEY_USAGE = '2.5.29.15';
const OID_SM2_WITH_SM3 = '1.2.156.10197.1.501';

const KEY_USAGE_BITS = [
  'digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement',
  'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly',
] as const;

/** What TLCP needs from an X.509 certificate; chain and profile checks belong to lib/pki and lib/lint. */
export interface TlcpCertificate {
  der: Uint8Array;
  subject: string;
  issuer: string;
  /** DER of the subject / issuer Name (CertificateRequest authorities, chain matching) */
  subjectDer: Uint8Array;
  issuerDer: Uint8Array;
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
  /** true when the key is id-ecPublicKey on sm2p256v1 */
  isSm2: boolean;
  /** 65-byte uncompressed public key (04‖x‖y) */
  publicKey: Uint8Array;
  /** keyUsage bits present, undefined when the extension is absent */
  keyUsage?: string[];
  signatureAlgorithm: string;
  tbs: Uint8Array;
  signatureValue: Uint8Array;
}

function nameToString(n: pkijs.RelativeDistinguishedNames): string {
  const short: Record<string, string> = { '2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.10': 'O', '2.5.4.11': 'OU' };
  return n.typesAndValues.map((tv) => `${short[tv.type] ?? tv.type}=${String(tv.value.valueBlock.value)}`).join(', ');
}

/** Parses one DER certificate. Bad input → bad_certificate alert (never another exception). */
export function parseCertificate(der: Uint8Array): TlcpCertificate {
  let cert: pkijs.Certificate;
  try {
    const asn = asn1js.fromBER(der);
    if (asn.offset === -1 || asn.offset !== der.length) throw new Error('not a single DER object');
    cert = new pkijs.Certificate({ schema: asn.result });
  } catch (e) {
    throw fatal('bad_certificate', `certificate is not valid X.509 DER (${(e as Error).message})`);
  }
  try {
    const spki = cert.subjectPublicKeyInfo;
    const algParams = spki.algorithm.algorithmParams as asn1js.ObjectIdentifier | undefined;
    const isSm2 = spki.algorithm.algorithmId === OID_EC_PUBLIC_KEY && algParams?.valueBlock?.toString?.() === OID_SM2P256V1;
    const publicKey = new Uint8Array(spki.subjectPublicKey.valueBlock.valueHexView);
    let keyUsage: string[] | undefined;
    const ku = cert.extensions?.find((e) => e.extnID === OID_KEY_USAGE);
    if (ku) {
      const bits = asn1js.fromBER(ku.extnValue.valueBlock.valueHexView).result as asn1js.BitString;
      const bytes = new Uint8Array(bits.valueBlock.valueHexView);
      keyUsage = KEY_USAGE_BITS.filter((_, i) => ((bytes[i >> 3] ?? 0) >> (7 - (i & 7))) & 1);
    }
    return {
      der: new Uint8Array(der),
      subject: nameToString(cert.subject),
      issuer: nameToString(cert.issuer),
      subjectDer: new Uint8Array(cert.subject.toSchema().toBER()),
      issuerDer: new Uint8Array(cert.issuer.toSchema().toBER()),
      serialHex: Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex'),
      notBefore: cert.notBefore.value,
      notAfter: cert.notAfter.value,
      isSm2,
      publicKey,
      ...(keyUsage ? { keyUsage } : {}),
      signatureAlgorithm: cert.signatureAlgorithm.algorithmId,
      tbs: new Uint8Array(cert.tbsView),
      signatureValue: new Uint8Array(cert.signatureValue.valueBlock.valueHexView),
    };
  } catch (e) {
    if ((e as { name?: string }).name === 'TlcpAlertError') throw e;
    throw fatal('bad_certificate', `certificate fields unreadable (${(e as Error).message})`);
  }
}

/** PEM (one or more CERTIFICATE blocks) → DER list, in file order. */
export function certificatesFromPem(pem: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
  for (let m = re.exec(pem); m; m = re.exec(pem)) out.push(new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')));
  return out;
}

export function isSm2WithSm3(cert: TlcpCertificate): boolean {
  return cert.signatureAlgorithm === OID_SM2_WITH_SM3;
}

export function hasKeyUsage(cert: TlcpCertificate, usage: (typeof KEY_USAGE_BITS)[number]): boolean {
  return cert.keyUsage === undefined || cert.keyUsage.includes(usage);
}
