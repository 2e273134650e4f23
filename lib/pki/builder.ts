/**
 * Builds SM2/SM3 certificates, CRLs and OCSP responses for GM profiles: test fixtures today, the reference platform's
 * CA later. Conforming output by default (GM/T 0015 + RFC 5280, SM2-with-SM3 with absent parameters, default signer
 * ID 1234567812345678); `overrides` exist only so that tests can produce the broken encodings seen in the field.
 */
import { createHash } from 'node:crypto';
import { sm2Sign, sm2SignDigest, sm3, SM2_DEFAULT_ID } from '../gm/index.ts';
import { TAG } from './der.ts';
import {
  bitString, bool, concat, enumerated, explicit, generalizedTime, implicitPrim, integer, lengthOctets, octets, oid, seq, set, str,
  time, tlv, toPem,
} from './der-encode.ts';
import { KU_BITS, type KeyUsageBit } from './extensions.ts';
import { OID } from './oids.ts';
import { parseCertificate } from './x509.ts';

export interface Sm2KeyPair { privateKey: Uint8Array; publicKey: Uint8Array }

/** [attribute (short name or OID), value, optional string tag]; country defaults to PrintableString, the rest UTF8String. */
export type NameSpec = Array<[string, string] | [string, string, number]>;

export interface ExtensionSpec {
  oid: string;
  critical?: boolean;
  /** DER of extnValue's content */
  value: Uint8Array;
  /** encode critical=FALSE explicitly (breaks DER's DEFAULT rule; fixtures only) */
  encodeCriticalFalse?: boolean;
}

const SHORT: Record<string, string> = {
  C: OID.countryName, CN: OID.commonName, O: OID.organizationName, OU: OID.organizationalUnitName, L: OID.localityName,
  ST: OID.stateOrProvinceName, E: OID.emailAddress, serialNumber: OID.serialNumber, title: OID.title,
};

export function encodeName(spec: NameSpec | Uint8Array): Uint8Array {
  if (spec instanceof Uint8Array) return spec;
  return seq(...spec.map(([a, v, tag]) => {
    const type = SHORT[a] ?? a;
    const t = tag ?? (type === OID.countryName ? TAG.PrintableString : type === OID.emailAddress ? TAG.IA5String : TAG.UTF8String);
    return set(seq(oid(type), str(t, v)));
  }));
}

/** SM2-with-SM3 AlgorithmIdentifier, parameters absent (GM/T 0015 "应为空", digest R06). */
export const SM2_SM3_ALG = seq(oid(OID.sm2WithSm3));
export const SM2_SPKI_ALG = seq(oid(OID.ecPublicKey), oid(OID.sm2Curve));

export function encodeSpki(publicKey: Uint8Array): Uint8Array {
  return seq(SM2_SPKI_ALG, bitString(publicKey));
}

/** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(publicKey: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha1').update(publicKey).digest());
}

function kuBits(bits: KeyUsageBit[]): Uint8Array {
  let v = 0;
  let highest = -1;
  for (const b of bits) {
    const i = KU_BITS.indexOf(b);
    v |= 1 << (15 - i);
    highest = Math.max(highest, i);
  }
  if (highest < 0) return bitString(new Uint8Array(0));
  const nbytes = highest >= 8 ? 2 : 1;
  const bytes = nbytes === 2 ? Uint8Array.of(v >> 8, v & 0xff) : Uint8Array.of(v >> 8);
  return bitString(bytes, nbytes * 8 - 1 - highest);
}

const ia5 = (s: string) => Buffer.from(s, 'latin1');

/** Extension value builders (the DER inside extnValue). */
export const ext = {
  keyUsage: (bits: KeyUsageBit[], critical = true): ExtensionSpec => ({ oid: OID.keyUsage, critical, value: kuBits(bits) }),
  basicConstraints: (ca: boolean, pathLen?: number, critical = true): ExtensionSpec => ({
    oid: OID.basicConstraints, critical,
    value: seq(...(ca ? [bool(true)] : []), ...(pathLen !== undefined ? [integer(pathLen)] : [])),
  }),
  subjectKeyId: (id: Uint8Array, critical = false): ExtensionSpec => ({ oid: OID.subjectKeyIdentifier, critical, value: octets(id) }),
  authorityKeyId: (id: Uint8Array, critical = false): ExtensionSpec => ({ oid: OID.authorityKeyIdentifier, critical, value: seq(implicitPrim(0, id)) }),
  extKeyUsage: (oids: string[], critical = false): ExtensionSpec => ({ oid: OID.extKeyUsage, critical, value: seq(...oids.map(oid)) }),
  crlDistributionPoints: (urls: string[]): ExtensionSpec => ({
    oid: OID.cRLDistributionPoints,
    value: seq(...urls.map((u) => seq(explicit(0, explicit(0, implicitPrim(6, ia5(u))))))),
  }),
  authorityInfoAccess: (a: { ocsp?: string; caIssuers?: string }): ExtensionSpec => ({
    oid: OID.authorityInfoAccess,
    value: seq(
      ...(a.ocsp ? [seq(oid(OID.adOcsp), implicitPrim(6, ia5(a.ocsp)))] : []),
      ...(a.caIssuers ? [seq(oid(OID.adCaIssuers), implicitPrim(6, ia5(a.caIssuers)))] : []),
    ),
  }),
  subjectAltName: (n: { dns?: string[]; email?: string[]; uri?: string[] }, critical = false): ExtensionSpec => ({
    oid: OID.subjectAltName, critical,
    value: seq(...(n.email ?? []).map((e) => implicitPrim(1, ia5(e))), ...(n.dns ?? []).map((d) => implicitPrim(2, ia5(d))),
      ...(n.uri ?? []).map((u) => implicitPrim(6, ia5(u)))),
  }),
  ocspNoCheck: (): ExtensionSpec => ({ oid: OID.ocspNoCheck, value: Uint8Array.of(0x05, 0x00) }),
  /** GM/T 0015-2012 IdentifyCode, EXPLICIT tagging (digest §5, reference-platform choice) */
  identifyCode: (kind: 'resident' | 'officer' | 'passport', value: string, tagging: 'explicit' | 'implicit' = 'explicit'): ExtensionSpec => {
    const n = kind === 'resident' ? 0 : kind === 'officer' ? 1 : 2;
    const inner = str(n === 1 ? TAG.UTF8String : TAG.PrintableString, value);
    return { oid: OID.cnIdentifyCode, value: tagging === 'explicit' ? explicit(n, inner) : implicitPrim(n, inner.subarray(2)) };
  },
  /** a Chinese extension whose value is one string (4.1.2–4.1.5, 2023 ID/passport/USCC) */
  cnString: (extOid: string, value: string, tag: number = TAG.PrintableString, critical = false): ExtensionSpec => ({
    oid: extOid, critical, value: str(tag, value),
  }),
  raw: (extOid: string, value: Uint8Array, critical = false): ExtensionSpec => ({ oid: extOid, critical, value }),
};

export function encodeExtensions(list: ExtensionSpec[]): Uint8Array {
  return seq(...list.map((e) => seq(
    oid(e.oid),
    ...(e.critical ? [bool(true)] : e.encodeCriticalFalse ? [bool(false)] : []),
    octets(e.value),
  )));
}

/**
 * Signs a TBS structure for an issuer whose private key is elsewhere (a key inside a cipher device): returns the DER
 * SM2Signature over e = SM3(Z‖tbs), Z with the default ID 1234567812345678 and the issuer's public key.
 */
export type TbsSigner = (tbs: Uint8Array) => Uint8Array;

/** Who signs: the issuer's key and name (for self-signed certificates, the subject's own). */
export interface IssuerSpec {
  /** the issuer's private key; may be omitted when `sign` is given */
  privateKey?: Uint8Array;
  /**
   * Signer hook, used instead of `privateKey` (e.g. a CA key that never leaves its device). Fixture overrides that
   * change how the signature is made (signerId, noZ) still need `privateKey`.
   */
  sign?: TbsSigner;
  publicKey: Uint8Array;
  /** DER Name of the issuer */
  name: Uint8Array;
  /** the issuer's subjectKeyIdentifier, copied into authorityKeyIdentifier */
  keyId?: Uint8Array;
}

/** Issuer spec from an issued CA certificate plus its private key. */
export function issuerFromCertificate(certDer: Uint8Array, privateKey: Uint8Array): IssuerSpec {
  const c = parseCertificate(certDer);
  const skiExt = c.extensions.find((e) => e.oid === OID.subjectKeyIdentifier);
  const spec: IssuerSpec = { privateKey, publicKey: c.spki.publicKey, name: c.subject.node.bytes };
  if (skiExt) spec.keyId = skiExt.inner().content;
  return spec;
}

export interface CertificateTemplate {
  /** positive serial; default 16 random octets (≥ 64 bits of entropy, RFC 5280 ≤ 20 octets) */
  serial?: bigint;
  subject: NameSpec | Uint8Array;
  notBefore: Date;
  notAfter: Date;
  publicKey: Uint8Array;
  extensions?: ExtensionSpec[];
  /** add subjectKeyIdentifier and (for non-self-signed, or when the issuer has one) authorityKeyIdentifier; default true */
  keyIds?: boolean;
  version?: 1 | 2 | 3;
  /** raw DER replacements for deliberately broken fixtures */
  overrides?: {
    serial?: Uint8Array; signatureAlgorithm?: Uint8Array; outerSignatureAlgorithm?: Uint8Array; issuer?: Uint8Array;
    notBefore?: Uint8Array; notAfter?: Uint8Array; spki?: Uint8Array; issuerUniqueId?: Uint8Array;
    /** sign with this SM2 user ID instead of the default */
    signerId?: Uint8Array;
    /** sign e = SM3(TBS) without Z (a signer bug seen in the field) */
    noZ?: boolean;
    /** replace the signature value content (DER SM2Signature) */
    signature?: Uint8Array;
  };
}

export interface Issued { der: Uint8Array; pem: string }

export function randomSerial(): bigint {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  b[0] = (b[0]! & 0x7f) | 0x40; // positive, full length
  return BigInt('0x' + Buffer.from(b).toString('hex'));
}

/** The signature over a TBS: by the issuer's signer hook, or with its private key (and any fixture override). */
function signTbs(tbs: Uint8Array, issuer: IssuerSpec, id?: Uint8Array, noZ = false): Uint8Array {
  if (issuer.sign && id === undefined && !noZ) return issuer.sign(tbs);
  const d = issuer.privateKey;
  if (!d) throw new TypeError(issuer.sign ? 'IssuerSpec: the signerId / noZ overrides need privateKey, not a signer hook' : 'IssuerSpec: privateKey or sign is required');
  return noZ ? sm2SignDigest(d, sm3(tbs)) : sm2Sign(d, tbs, { id: id ?? SM2_DEFAULT_ID, format: 'der' });
}

function signStructure(tbs: Uint8Array, sigAlg: Uint8Array, issuer: IssuerSpec, id?: Uint8Array, sigOverride?: Uint8Array, noZ = false): Uint8Array {
  const sig = sigOverride ?? signTbs(tbs, issuer, id, noZ);
  return seq(tbs, sigAlg, bitString(sig));
}

/** SEQUENCE over a list of any length, without spreading it into arguments (a 100,000-entry CRL would overflow). */
function seqOfList(items: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const it of items) n += it.length;
  const len = lengthOctets(n);
  const out = new Uint8Array(1 + len.length + n);
  out[0] = TAG.SEQUENCE;
  out.set(len, 1);
  let o = 1 + len.length;
  for (const it of items) { out.set(it, o); o += it.length; }
  return out;
}

/** Issues an X.509 v3 certificate signed with SM2-with-SM3 by `issuer` (use `selfIssuer` for a root). */
export function issueCertificate(t: CertificateTemplate, issuer: IssuerSpec): Issued {
  const o = t.overrides ?? {};
  const exts = [...(t.extensions ?? [])];
  if (t.keyIds ?? true) {
    if (!exts.some((e) => e.oid === OID.subjectKeyIdentifier)) exts.push(ext.subjectKeyId(keyIdentifier(t.publicKey)));
    if (!exts.some((e) => e.oid === OID.authorityKeyIdentifier) && issuer.keyId) exts.push(ext.authorityKeyId(issuer.keyId));
  }
  const version = t.version ?? 3;
  const sigAlg = o.signatureAlgorithm ?? SM2_SM3_ALG;
  const tbs = seq(
    ...(version > 1 ? [explicit(0, integer(version - 1))] : []),
    o.serial ? tlv(TAG.INTEGER, o.serial) : integer(t.serial ?? randomSerial()),
    sigAlg,
    o.issuer ?? issuer.name,
    seq(o.notBefore ?? time(t.notBefore), o.notAfter ?? time(t.notAfter)),
    encodeName(t.subject),
    o.spki ?? encodeSpki(t.publicKey),
    ...(o.issuerUniqueId ? [o.issuerUniqueId] : []),
    // extensions are written whatever the version, so that fixtures can show the v1-with-extensions bug
    ...(exts.length ? [explicit(3, encodeExtensions(exts))] : []),
  );
  const der = signStructure(tbs, o.outerSignatureAlgorithm ?? sigAlg, issuer, o.signerId, o.signature, o.noZ);
  return { der, pem: toPem('CERTIFICATE', der) };
}

/** The issuer spec of a self-signed certificate: its own key pair and subject. */
export function selfIssuer(keys: Sm2KeyPair, subject: NameSpec | Uint8Array): IssuerSpec {
  return { privateKey: keys.privateKey, publicKey: keys.publicKey, name: encodeName(subject), keyId: keyIdentifier(keys.publicKey) };
}

// ---------------------------------------------------------------------------------------------------------------
// CRL (RFC 5280 §5, GM/T 0015 §5.3)

export const CRL_REASON = {
  unspecified: 0, keyCompromise: 1, cACompromise: 2, affiliationChanged: 3, superseded: 4, cessationOfOperation: 5,
  certificateHold: 6, removeFromCRL: 8, privilegeWithdrawn: 9, aACompromise: 10,
} as const;

export interface RevokedSpec {
  serial: bigint;
  revocationDate: Date;
  reason?: number;
  invalidityDate?: Date;
  extensions?: ExtensionSpec[];
}

export interface CrlTemplate {
  thisUpdate: Date;
  nextUpdate?: Date;
  revoked?: RevokedSpec[];
  /** cRLNumber; omitted when undefined */
  crlNumber?: bigint;
  /** add authorityKeyIdentifier from the issuer's keyId; default true */
  keyIds?: boolean;
  extensions?: ExtensionSpec[];
  version?: 1 | 2;
  overrides?: { signatureAlgorithm?: Uint8Array; outerSignatureAlgorithm?: Uint8Array; emptyRevokedSequence?: boolean; thisUpdate?: Uint8Array; signerId?: Uint8Array };
}

export function issueCrl(t: CrlTemplate, issuer: IssuerSpec): Issued {
  const o = t.overrides ?? {};
  const exts = [...(t.extensions ?? [])];
  if ((t.keyIds ?? true) && issuer.keyId && !exts.some((e) => e.oid === OID.authorityKeyIdentifier)) exts.unshift(ext.authorityKeyId(issuer.keyId));
  if (t.crlNumber !== undefined) exts.push({ oid: OID.cRLNumber, value: integer(t.crlNumber) });
  const version = t.version ?? 2;
  const sigAlg = o.signatureAlgorithm ?? SM2_SM3_ALG;
  const entries = (t.revoked ?? []).map((r) => {
    const ee: ExtensionSpec[] = [...(r.extensions ?? [])];
    if (r.reason !== undefined) ee.push({ oid: OID.reasonCode, value: enumerated(r.reason) });
    if (r.invalidityDate) ee.push({ oid: OID.invalidityDate, value: generalizedTime(r.invalidityDate) });
    return seq(integer(r.serial), time(r.revocationDate), ...(ee.length ? [encodeExtensions(ee)] : []));
  });
  const tbs = seq(
    ...(version === 2 ? [integer(1)] : []),
    sigAlg,
    issuer.name,
    o.thisUpdate ?? time(t.thisUpdate),
    ...(t.nextUpdate ? [time(t.nextUpdate)] : []),
    ...(entries.length || o.emptyRevokedSequence ? [seqOfList(entries)] : []),
    ...(exts.length ? [explicit(0, encodeExtensions(exts))] : []),
  );
  const der = signStructure(tbs, o.outerSignatureAlgorithm ?? sigAlg, issuer, o.signerId);
  return { der, pem: toPem('X509 CRL', der) };
}

// ---------------------------------------------------------------------------------------------------------------
// OCSP (RFC 6960 §4.2)

export interface OcspSingleSpec {
  /** the CA that issued the certificate asked about: DER Name and public key */
  issuerName: Uint8Array;
  issuerPublicKey: Uint8Array;
  serial: bigint;
  status: 'good' | 'revoked' | 'unknown';
  revokedAt?: Date;
  reason?: number;
  thisUpdate: Date;
  nextUpdate?: Date;
  /** replace the computed issuerKeyHash (fixtures only) */
  issuerKeyHashOverride?: Uint8Array;
  /** replace the computed issuerNameHash (a responder echoing the requester's CertID for an issuer it does not know) */
  issuerNameHashOverride?: Uint8Array;
}

export interface OcspTemplate {
  producedAt: Date;
  responses: OcspSingleSpec[];
  /** CertID hash: SM3 (GM practice) or SHA-1 (RFC 6960 default) */
  certIdHash?: 'sm3' | 'sha1';
  responderId?: 'name' | 'key';
  /** certificates to embed (the delegated signer's) */
  certs?: Uint8Array[];
  nonce?: Uint8Array;
  overrides?: { signatureAlgorithm?: Uint8Array; responseType?: string; signerId?: Uint8Array };
}

function hashWith(alg: 'sm3' | 'sha1', data: Uint8Array): Uint8Array {
  return alg === 'sm3' ? new Uint8Array(sm3(data)) : new Uint8Array(createHash('sha1').update(data).digest());
}

/** A successful OCSPResponse wrapping a BasicOCSPResponse signed by `signer`. */
export function buildOcspResponse(t: OcspTemplate, signer: IssuerSpec): Issued {
  const prepared = prepareOcspResponse(t, signer);
  return prepared.finish(signTbs(prepared.tbs, signer, t.overrides?.signerId));
}

/**
 * The two halves of buildOcspResponse, for a signer that answers asynchronously (a device signing on a worker
 * thread): the ResponseData to sign, and `finish` that wraps a DER SM2Signature over it into the OCSPResponse.
 */
export function prepareOcspResponse(t: OcspTemplate, signer: Pick<IssuerSpec, 'name' | 'publicKey'>): { tbs: Uint8Array; finish(signature: Uint8Array): Issued } {
  const h = t.certIdHash ?? 'sm3';
  const hashAlg = seq(oid(h === 'sm3' ? OID.sm3 : OID.sha1), ...(h === 'sha1' ? [Uint8Array.of(0x05, 0x00)] : []));
  const single = t.responses.map((r) => {
    const certId = seq(hashAlg, octets(r.issuerNameHashOverride ?? hashWith(h, r.issuerName)), octets(r.issuerKeyHashOverride ?? hashWith(h, r.issuerPublicKey)), integer(r.serial));
    const status = r.status === 'good' ? Uint8Array.of(0x80, 0x00)
      : r.status === 'unknown' ? Uint8Array.of(0x82, 0x00)
      : tlv(0xa1, generalizedTime(r.revokedAt ?? r.thisUpdate), ...(r.reason !== undefined ? [explicit(0, enumerated(r.reason))] : []));
    return seq(certId, status, generalizedTime(r.thisUpdate), ...(r.nextUpdate ? [explicit(0, generalizedTime(r.nextUpdate))] : []));
  });
  const responder = (t.responderId ?? 'name') === 'name'
    ? explicit(1, signer.name)
    : explicit(2, octets(new Uint8Array(createHash('sha1').update(signer.publicKey).digest())));
  const respExts = t.nonce ? [explicit(1, encodeExtensions([{ oid: OID.ocspNonce, value: octets(t.nonce) }]))] : [];
  const tbs = seq(responder, generalizedTime(t.producedAt), seqOfList(single), ...respExts);
  const sigAlg = t.overrides?.signatureAlgorithm ?? SM2_SM3_ALG;
  return {
    tbs,
    finish(sig: Uint8Array): Issued {
      const basic = seq(tbs, sigAlg, bitString(sig), ...(t.certs?.length ? [explicit(0, seq(...t.certs))] : []));
      const der = seq(enumerated(0), explicit(0, seq(oid(t.overrides?.responseType ?? OID.ocspBasic), octets(basic))));
      return { der, pem: toPem('OCSP RESPONSE', der) };
    },
  };
}

/** An unsuccessful OCSPResponse (no responseBytes). */
export function ocspErrorResponse(status: number): Issued {
  const der = seq(enumerated(status));
  return { der, pem: toPem('OCSP RESPONSE', der) };
}

export { concat, toPem };
