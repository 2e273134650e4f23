/**
 * The lint contract (zlint style): metadata beside `applies()` and `execute()`. The id prefix fixes the severity a
 * failure gets (`e_` error, `w_` warn, `n_` notice); the framework, not the lint, turns a failure into a status.
 */
import type { Node } from '../pki/der.ts';
import type { CertType } from '../pki/classify.ts';
import type { Cms } from '../pki/cms.ts';
import type { Crl } from '../pki/crl.ts';
import type { BasicOcspResponse, OcspResponse } from '../pki/ocsp.ts';
import type { AlgorithmIdentifier, BitStringValue, Certificate, Located } from '../pki/x509.ts';

export const STATUSES = ['NA', 'NE', 'pass', 'notice', 'warn', 'error', 'fatal'] as const;
export type Status = (typeof STATUSES)[number];
export const FAILING: ReadonlySet<Status> = new Set(['notice', 'warn', 'error', 'fatal']);

export type Edition = '2012' | '2023';
export const EDITIONS: readonly Edition[] = ['2012', '2023'];
/** When each GM/T 0015 edition took effect (2012: published 2012-11-22; 2023: in force 2024-06-01). */
export const EDITION_EFFECTIVE: Record<Edition, string> = { '2012': '2012-11-22', '2023': '2024-06-01' };

/** Evidence basis of the rule, from the digest's tags: [V] verified, [S] single source, [U] unverified (practice). */
export type Basis = 'verified' | 'single-source' | 'unverified';
export type Target = 'certificate' | 'crl' | 'ocsp' | 'cms';
export type LintSource = 'GM/T 0015' | 'GM/T 0009' | 'GM/T 0010' | 'GM/T 0014' | 'RFC 5280' | 'RFC 6960' | 'RFC 3161' | 'X.690' | 'X.520' | 'practice';

export interface LintMeta {
  /** `e_…`, `w_…` or `n_…`; stable (renaming is a breaking change) */
  id: string;
  description: string;
  descriptionZh: string;
  /** e.g. "GM/T 0015-2012 §5.2.1" or "RFC 5280 §4.1.2.2" */
  citation: string;
  source: LintSource;
  editions: Edition[];
  /** ISO date; objects issued earlier get NE. Defaults to the 2023 date for 2023-only lints, none otherwise. */
  effective?: string;
  /** ISO date; objects issued on or after get NE */
  ineffective?: string;
  target: Target[];
  /** certificate types the lint applies to (ignored for CRL and OCSP targets) */
  certTypes?: CertType[];
  basis: Basis;
}

export interface LintOptions {
  /** SM2 signer ID used to verify signatures (GM/T 0009 default 1234567812345678) */
  sm2Id?: Uint8Array;
  /** the USCC extension OID confirmed for this assessment ([U]: …4.4 or …4.4.4); unset = notice on both */
  usccOid?: string;
  /** what the end-entity certificates were presented for (a TLCP server's or client's Certificate message) */
  purpose?: Purpose;
  /** the KM centre's key records (GM/T 0014 userCertNo → escrowed public key) the encryption certificates must match */
  kmRecords?: KmRecord[];
}

export type Purpose = 'tlcp-server' | 'tlcp-client';
export const PURPOSES: readonly Purpose[] = ['tlcp-server', 'tlcp-client'];

/** One key the KM centre issued: the certificate serial it is bound to (hex) and, when known, its public key. */
export interface KmRecord { userCertNo: string; publicKey?: Uint8Array }

/** Every certificate of one lint run, indexed for the rules that compare certificates with each other. */
export interface CertCorpus {
  /** other certificates (different bytes) with the same issuer name and serial number */
  twins(c: Certificate): Certificate[];
}

interface BaseContext { edition: Edition; options: LintOptions }

export interface CertContext extends BaseContext {
  kind: 'certificate';
  cert: Certificate;
  type: CertType;
  /** the issuing CA when the input holds it (the certificate itself for a self-signed root) */
  issuer?: Certificate;
  /** the other half of a sign/enc pair (双证书) when the input holds both */
  pair?: Certificate;
  /** all certificates of the run (for uniqueness rules across inputs) */
  corpus?: CertCorpus;
}

export interface CrlContext extends BaseContext { kind: 'crl'; crl: Crl; issuer?: Certificate }

export interface OcspContext extends BaseContext {
  kind: 'ocsp';
  ocsp: OcspResponse;
  basic?: BasicOcspResponse;
  /** the certificate whose key signed the response (embedded or supplied) */
  signer?: Certificate;
  /** CA certificates supplied with the response (the issuer of the certificates asked about) */
  cas: Certificate[];
}

/** A GM/T 0010 / PKCS#7 ContentInfo (envelope, signed data, signed-and-enveloped data). */
export interface CmsContext extends BaseContext {
  kind: 'cms';
  cms: Cms;
  /** certificates embedded in the object plus those supplied in the same run (to resolve issuerAndSerialNumber) */
  certs: Certificate[];
}

export type LintContext = CertContext | CrlContext | OcspContext | CmsContext;

/** One problem a lint found; `at` locates it (node → absolute offset and the node's path). */
export interface Problem { message: string; at?: Located | Node; path?: string; offset?: number }

export interface Lint {
  meta: LintMeta;
  applies(ctx: LintContext): boolean;
  /** returns the problems found; none = pass */
  execute(ctx: LintContext): Problem[];
}

/** One lint's outcome on one object. */
export interface LintResult {
  lint: string;
  status: Status;
  /** set when status is a failure */
  message?: string;
  path?: string;
  offset?: number;
  /** further problems of the same lint */
  more?: Array<{ message: string; path?: string; offset?: number }>;
}

export function severityOf(id: string): Status {
  if (id.startsWith('e_')) return 'error';
  if (id.startsWith('w_')) return 'warn';
  if (id.startsWith('n_')) return 'notice';
  throw new Error(`lint id ${id} has no e_/w_/n_ prefix`);
}

/** Typed helper: a lint over certificates only. */
export function certLint(def: {
  meta: Omit<LintMeta, 'target'>;
  applies?: (ctx: CertContext) => boolean;
  execute: (ctx: CertContext) => Problem[];
}): Lint {
  return {
    meta: { ...def.meta, target: ['certificate'] },
    applies: (ctx) => ctx.kind === 'certificate' && (!def.meta.certTypes || def.meta.certTypes.includes(ctx.type)) && (def.applies ? def.applies(ctx) : true),
    execute: (ctx) => def.execute(ctx as CertContext),
  };
}

export function crlLint(def: { meta: Omit<LintMeta, 'target'>; applies?: (ctx: CrlContext) => boolean; execute: (ctx: CrlContext) => Problem[] }): Lint {
  return {
    meta: { ...def.meta, target: ['crl'] },
    applies: (ctx) => ctx.kind === 'crl' && (def.applies ? def.applies(ctx) : true),
    execute: (ctx) => def.execute(ctx as CrlContext),
  };
}

export function ocspLint(def: { meta: Omit<LintMeta, 'target'>; applies?: (ctx: OcspContext & { basic: BasicOcspResponse }) => boolean; execute: (ctx: OcspContext & { basic: BasicOcspResponse }) => Problem[]; needsBasic?: boolean }): Lint {
  return {
    meta: { ...def.meta, target: ['ocsp'] },
    applies: (ctx) => ctx.kind === 'ocsp' && (def.needsBasic === false || !!ctx.basic) && (def.applies ? def.applies(ctx as OcspContext & { basic: BasicOcspResponse }) : true),
    execute: (ctx) => def.execute(ctx as OcspContext & { basic: BasicOcspResponse }),
  };
}

export function cmsLint(def: { meta: Omit<LintMeta, 'target'>; applies?: (ctx: CmsContext) => boolean; execute: (ctx: CmsContext) => Problem[] }): Lint {
  return {
    meta: { ...def.meta, target: ['cms'] },
    applies: (ctx) => ctx.kind === 'cms' && (def.applies ? def.applies(ctx) : true),
    execute: (ctx) => def.execute(ctx as CmsContext),
  };
}

/** A lint over any signed object (certificate, CRL, OCSP basic response) through the common view. */
export function signedLint(def: {
  meta: Omit<LintMeta, 'target'> & { target?: Target[] };
  applies?: (s: SignedView, ctx: LintContext) => boolean;
  execute: (s: SignedView, ctx: LintContext) => Problem[];
}): Lint {
  const target = def.meta.target ?? ['certificate', 'crl', 'ocsp'];
  return {
    meta: { ...def.meta, target },
    applies: (ctx) => {
      if (!target.includes(ctx.kind)) return false;
      if (ctx.kind === 'certificate' && def.meta.certTypes && !def.meta.certTypes.includes(ctx.type)) return false;
      const s = signedView(ctx);
      return !!s && (def.applies ? def.applies(s, ctx) : true);
    },
    execute: (ctx) => def.execute(signedView(ctx)!, ctx),
  };
}


export interface SignedView {
  /** the signed bytes' node (tbsCertificate / tbsCertList / tbsResponseData) */
  tbs: Node;
  innerSignature?: AlgorithmIdentifier;
  signatureAlgorithm: AlgorithmIdentifier;
  signature: BitStringValue;
  /** public key that should verify it, when known */
  signerKey?: Uint8Array;
  signerLabel: string;
}

export function signedView(ctx: LintContext): SignedView | undefined {
  if (ctx.kind === 'certificate') {
    const c = ctx.cert;
    const v: SignedView = { tbs: c.tbs, innerSignature: c.innerSignature, signatureAlgorithm: c.signatureAlgorithm, signature: c.signature, signerLabel: 'issuer certificate' };
    if (ctx.issuer) v.signerKey = ctx.issuer.spki.publicKey;
    return v;
  }
  if (ctx.kind === 'crl') {
    const c = ctx.crl;
    const v: SignedView = { tbs: c.tbs, innerSignature: c.innerSignature, signatureAlgorithm: c.signatureAlgorithm, signature: c.signature, signerLabel: 'CRL issuer certificate' };
    if (ctx.issuer) v.signerKey = ctx.issuer.spki.publicKey;
    return v;
  }
  if (ctx.kind !== 'ocsp' || !ctx.basic) return undefined;
  const b = ctx.basic;
  const v: SignedView = { tbs: b.tbs, signatureAlgorithm: b.signatureAlgorithm, signature: b.signature, signerLabel: 'OCSP responder certificate' };
  if (ctx.signer) v.signerKey = ctx.signer.spki.publicKey;
  return v;
}

/** Builds a problem located at a node or a located field. */
export function problem(message: string, at?: Located | Node): Problem {
  return at ? { message, at } : { message };
}
