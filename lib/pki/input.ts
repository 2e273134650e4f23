/**
 * Finds certificates, CRLs, OCSP responses and CMS / GM/T 0010 ContentInfo objects in a file's bytes: PEM (any number of blocks), DER (one or several
 * concatenated objects). Kind is taken from the PEM label or, for DER, sniffed from the structure.
 */
import { Asn1Error, parseTlv, TAG, type Node } from './der.ts';
import { parseCms, type Cms } from './cms.ts';
import { parseCrl, type Crl } from './crl.ts';
import { parseOcspResponse, type OcspResponse } from './ocsp.ts';
import { parseCertificate, type Certificate } from './x509.ts';

export type PkiObject = Certificate | Crl | OcspResponse | Cms;
export type PkiKind = PkiObject['kind'];

export interface LoadedObject {
  /** position in the file (0-based) */
  index: number;
  kind: PkiKind;
  /** how it was found: 'PEM CERTIFICATE', 'DER', … */
  source: string;
  /** 1-based line of the PEM BEGIN line, for messages */
  line?: number;
  /** DER bytes of this object; finding offsets are relative to these bytes */
  der: Uint8Array;
  object?: PkiObject;
  error?: Asn1Error;
}

export interface LoadResult { objects: LoadedObject[]; skipped: string[] }

const PEM_RE = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const B64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
const LABEL_KIND: Record<string, PkiKind> = {
  'CERTIFICATE': 'certificate', 'TRUSTED CERTIFICATE': 'certificate', 'X509 CERTIFICATE': 'certificate',
  'X509 CRL': 'crl', 'OCSP RESPONSE': 'ocsp',
  // OpenSSL writes PKCS7 for `pkcs7`/`smime -pk7out` and CMS for `cms -outform PEM`; both hold a ContentInfo
  'PKCS7': 'cms', 'CMS': 'cms',
};

export function looksLikePem(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 65536))).toString('latin1');
  return head.includes('-----BEGIN ');
}

/** Guesses the kind of a DER object from its outer shape. */
export function sniffKind(top: Node): PkiKind {
  const k = top.children ?? [];
  if (k[0]?.tag === TAG.ENUMERATED) return 'ocsp';
  // ContentInfo starts with its contentType; certificates and CRLs start with a SEQUENCE (tbs…)
  if (k[0]?.tag === TAG.OID) return 'cms';
  const tbs = k[0]?.children ?? [];
  // a CRL's tbsCertList carries thisUpdate directly; a certificate's times sit inside the validity SEQUENCE
  for (const n of tbs.slice(0, 5)) if (n.tag === TAG.UTCTime || n.tag === TAG.GeneralizedTime) return 'crl';
  return 'certificate';
}

export function parseObject(kind: PkiKind, der: Uint8Array): PkiObject {
  switch (kind) {
    case 'certificate': return parseCertificate(der);
    case 'crl': return parseCrl(der);
    case 'ocsp': return parseOcspResponse(der);
    case 'cms': return parseCms(der);
  }
}

function load(index: number, kind: PkiKind | null, source: string, der: Uint8Array, line?: number): LoadedObject {
  let k: PkiKind = kind ?? 'certificate';
  if (!kind) {
    try { k = sniffKind(parseTlv(der, 0, der.length, [])); } catch { /* reported below by the real parse */ }
  }
  const o: LoadedObject = { index, kind: k, source, der };
  if (line !== undefined) o.line = line;
  try {
    o.object = parseObject(k, der);
  } catch (err) {
    o.error = err instanceof Asn1Error ? err : new Asn1Error(`parser failure: ${(err as Error).message}`, 0);
  }
  return o;
}

/**
 * Returns the objects in the file. Never throws on bad content: malformed objects come back with `error`.
 * Returns no objects (caller's input error) when the file holds neither PEM blocks of a known label nor DER.
 */
export function loadPkiObjects(bytes: Uint8Array): LoadResult {
  const objects: LoadedObject[] = [];
  const skipped: string[] = [];
  if (looksLikePem(bytes)) {
    const text = Buffer.from(bytes).toString('latin1');
    for (const m of text.matchAll(PEM_RE)) {
      const label = m[1]!;
      const line = text.slice(0, m.index).split('\n').length;
      const kind = LABEL_KIND[label];
      if (!kind) { skipped.push(`line ${line}: PEM block "${label}" is not a certificate, CRL, OCSP response or CMS/PKCS7 message`); continue; }
      const body = m[2]!.split(/\r?\n/).filter((l) => !/^[A-Za-z-]+:/.test(l)).join('').replace(/\s+/g, '');
      const index = objects.length;
      if (!B64_RE.test(body) || body.length % 4 === 1) {
        const o: LoadedObject = { index, kind, source: `PEM ${label}`, line, der: new Uint8Array(0) };
        o.error = new Asn1Error('PEM body is not valid base64', 0);
        objects.push(o);
        continue;
      }
      objects.push(load(index, kind, `PEM ${label}`, new Uint8Array(Buffer.from(body, 'base64')), line));
    }
    return { objects, skipped };
  }
  if (bytes.length === 0 || bytes[0] !== TAG.SEQUENCE) return { objects, skipped };
  // DER: one object, or several concatenated
  let p = 0;
  while (p < bytes.length) {
    let end = bytes.length;
    try {
      end = parseTlv(bytes, p, bytes.length, []).end;
    } catch {
      // unreadable from here: hand the rest to the object parser so the error carries the offset
    }
    const der = bytes.subarray(p, end);
    const o = load(objects.length, null, p === 0 && end === bytes.length ? 'DER' : `DER @${p}`, der);
    objects.push(o);
    if (o.error || end === bytes.length || bytes[end] !== TAG.SEQUENCE) {
      if (end < bytes.length && !o.error) {
        o.error = new Asn1Error(`${bytes.length - end} trailing octets that are not another DER object`, end - p);
      }
      break;
    }
    p = end;
  }
  return { objects, skipped };
}
