/**
 * Lints everything found in a set of inputs: builds the context each object needs (issuer from the same input,
 * sign/enc pair, OCSP signer), classifies certificates, and returns one report per object.
 */
import { createHash } from 'node:crypto';
import { sm3 } from '../gm/index.ts';
import { bytesEqual } from '../pki/der.ts';
import { classifyCertificate, isSelfIssued, type CertType } from '../pki/classify.ts';
import { akiOf, skiOf } from '../pki/extensions.ts';
import { loadPkiObjects, type LoadedObject } from '../pki/input.ts';
import { nameToString, type Certificate } from '../pki/x509.ts';
import { cmsSummary } from './cms/util.ts';
import { runLints } from './engine.ts';
import { profileLints, type ProfileName } from './registry.ts';
import type { CertCorpus, Edition, LintContext, LintOptions, LintResult } from './types.ts';

export interface LintRunOptions {
  profile?: ProfileName;
  edition?: Edition;
  /**
   * force the type of the first certificate of each input (the leaf of a presented chain) instead of classifying it;
   * the certificates after it are always classified ('auto' = classify everything)
   */
  type?: CertType | 'auto';
  options?: LintOptions;
  /** lint ids to leave out */
  exclude?: string[];
}

export interface ObjectReport {
  /** input name (file path) */
  input: string;
  index: number;
  kind: LoadedObject['kind'];
  source: string;
  line?: number;
  certType?: CertType;
  subject?: string;
  results: LintResult[];
}

/** The pseudo-lint reported when an object cannot be parsed at all. */
export const STRUCTURE_LINT = 'asn1_structure';

function issuerOf(c: Certificate, pool: Certificate[], next?: Certificate): Certificate | undefined {
  if (isSelfIssued(c)) return c;
  const byName = pool.filter((p) => p !== c && bytesEqual(p.subject.node.bytes, c.issuer.node.bytes));
  if (byName.length) {
    const aki = akiOf(c.extensions)?.keyIdentifier;
    return (aki && byName.find((p) => { const s = skiOf(p); return s && bytesEqual(s, aki); })) || byName[0];
  }
  // presented chain order: the next certificate, when its key id says it is the issuer (lets name-mismatch lints fire)
  const aki = akiOf(c.extensions)?.keyIdentifier;
  if (next && aki) { const s = skiOf(next); if (s && bytesEqual(s, aki)) return next; }
  return undefined;
}

function isEe(t: CertType) { return t === 'sign' || t === 'enc'; }

/** Lints parsed objects from one or more inputs (objects of all inputs form the pool for issuers and pairs). */
export function lintLoaded(inputs: Array<{ name: string; objects: LoadedObject[]; contextOnly?: boolean }>, opts: LintRunOptions = {}): ObjectReport[] {
  const edition = opts.edition ?? '2012';
  const profile = opts.profile ?? (edition === '2023' ? 'gmt0015-2023' : 'gmt0015-2012');
  const exclude = new Set(opts.exclude ?? []);
  const lints = profileLints(profile).filter((l) => !exclude.has(l.meta.id));
  const options = opts.options ?? {};
  const certs: Certificate[] = [];
  for (const i of inputs) for (const o of i.objects) if (o.object?.kind === 'certificate') certs.push(o.object);
  const types = new Map<Certificate, CertType>();
  for (const c of certs) types.set(c, classifyCertificate(c));
  if (opts.type && opts.type !== 'auto') {
    for (const i of inputs) {
      const first = i.objects.find((o) => o.object?.kind === 'certificate')?.object;
      if (first?.kind === 'certificate') types.set(first, opts.type);
    }
  }

  const corpus = corpusOf(certs);

  const reports: ObjectReport[] = [];
  for (const input of inputs) {
    if (input.contextOnly) continue; // issuers and pairs supplied for context are not themselves linted
    input.objects.forEach((o, k) => {
      const rep: ObjectReport = { input: input.name, index: o.index, kind: o.kind, source: o.source, results: [] };
      if (o.line !== undefined) rep.line = o.line;
      if (o.error || !o.object) {
        const r: LintResult = { lint: STRUCTURE_LINT, status: 'fatal', message: o.error?.message ?? 'unreadable', offset: o.error?.offset ?? 0 };
        if (o.error?.path) r.path = o.error.path;
        rep.results.push(r);
        reports.push(rep);
        return;
      }
      const obj = o.object;
      let ctx: LintContext;
      if (obj.kind === 'certificate') {
        const type = types.get(obj)!;
        rep.certType = type;
        rep.subject = nameToString(obj.subject);
        const nextObj = input.objects[k + 1]?.object;
        const issuer = issuerOf(obj, certs, nextObj?.kind === 'certificate' ? nextObj : undefined);
        ctx = { kind: 'certificate', cert: obj, type, edition, options, corpus };
        if (issuer) ctx.issuer = issuer;
        if (isEe(type)) {
          const want = type === 'sign' ? 'enc' : 'sign';
          const pair = certs.find((p) => p !== obj && types.get(p) === want && bytesEqual(p.issuer.node.bytes, obj.issuer.node.bytes) && bytesEqual(p.subject.node.bytes, obj.subject.node.bytes))
            ?? (input.objects.length <= 3 ? certs.find((p) => p !== obj && types.get(p) === want && input.objects.some((q) => q.object === p)) : undefined);
          if (pair) ctx.pair = pair;
        }
      } else if (obj.kind === 'crl') {
        rep.subject = nameToString(obj.issuer);
        ctx = { kind: 'crl', crl: obj, edition, options };
        const issuer = certs.find((c) => bytesEqual(c.subject.node.bytes, obj.issuer.node.bytes));
        if (issuer) ctx.issuer = issuer;
      } else if (obj.kind === 'cms') {
        ctx = { kind: 'cms', cms: obj, edition, options, certs: [...obj.certificates, ...certs] };
        rep.subject = cmsSummary(ctx);
      } else {
        const basic = obj.basic;
        const pool = [...(basic?.certs ?? []), ...certs];
        ctx = { kind: 'ocsp', ocsp: obj, edition, options, cas: certs.filter((c) => types.get(c) === 'root' || types.get(c) === 'sub') };
        if (basic) {
          ctx.basic = basic;
          const signer = basic.responderByName
            ? pool.find((c) => bytesEqual(c.subject.node.bytes, basic.responderByName!.node.bytes))
            : pool.find((c) => basic.responderByKey && keyHashMatches(c, basic.responderByKey));
          if (signer) ctx.signer = signer;
          if (basic.responderByName) rep.subject = nameToString(basic.responderByName);
        }
      }
      rep.results = runLints(lints, ctx);
      reports.push(rep);
    });
  }
  return reports;
}

/** Issuer name + serial → certificates, so uniqueness rules cost one map lookup per certificate. */
function corpusOf(certs: Certificate[]): CertCorpus {
  const key = (c: Certificate) => Buffer.from(c.issuer.node.bytes).toString('latin1') + '\u0000' + Buffer.from(c.serial.content).toString('latin1');
  let index: Map<string, Certificate[]> | undefined;
  return {
    twins(c) {
      if (certs.length < 2) return [];
      if (!index) {
        index = new Map();
        for (const x of certs) { const k = key(x); const l = index.get(k); if (l) l.push(x); else index.set(k, [x]); }
      }
      return (index.get(key(c)) ?? []).filter((x) => x !== c && !bytesEqual(x.der, c.der));
    },
  };
}

/** RFC 6960 byKey = SHA-1 of the responder's public key; GM deployments also use SM3. */
export function keyHashMatches(c: Certificate, keyHash: Uint8Array): boolean {
  const k = c.spki.publicKey;
  return bytesEqual(keyHash, createHash('sha1').update(k).digest()) || bytesEqual(keyHash, sm3(k));
}

/** Convenience: lint the bytes of one file. Returns null when the file holds nothing recognisable. */
export function lintBytes(name: string, bytes: Uint8Array, opts: LintRunOptions = {}): ObjectReport[] | null {
  const { objects } = loadPkiObjects(bytes);
  if (objects.length === 0) return null;
  return lintLoaded([{ name, objects }], opts);
}
