/*
 * X.690 §10–11 (DER) and RFC 5280 §4.1: "the certificate … MUST be DER encoded"; GM/T 0015-2012 §5.2 / 2023 normative
 * reference GB/T 16262.1 (DER). Digest R01 [S]: re-encoding must equal the input.
 * Checked here: definite short/minimal lengths, primitive strings, and DEFAULT values not encoded (critical FALSE,
 * cA FALSE), named bit lists without trailing zero bits (keyUsage), and the same inside extension values.
 */
import { parseDer, type DerIssue } from '../../pki/der.ts';
import { decodeBasicConstraints, decodeKeyUsage } from '../../pki/extensions.ts';
import { OID } from '../../pki/oids.ts';
import type { Extension } from '../../pki/x509.ts';
import { problem, type Lint, type LintContext, type Problem } from '../types.ts';

function extensionProblems(exts: Extension[]): Problem[] {
  const out: Problem[] = [];
  for (const e of exts) {
    if (e.criticalNode && e.criticalNode.content[0] === 0) out.push(problem(`${e.path}: critical FALSE encoded (DEFAULT values must be omitted)`, e.criticalNode));
    else if (e.criticalNode && e.criticalNode.content[0] !== 0xff) out.push(problem(`${e.path}: BOOLEAN TRUE not encoded as 0xFF`, e.criticalNode));
    try {
      const inner: DerIssue[] = [];
      parseDer(e.valueNode.buf, inner, e.valueNode.contentStart, e.valueNode.end);
      for (const i of inner) out.push({ message: `${e.path}: ${i.message}`, offset: i.offset });
      if (e.oid === OID.basicConstraints) {
        const bc = decodeBasicConstraints(e);
        if (bc.cANode && bc.cANode.content[0] === 0) out.push(problem(`${e.path}: cA FALSE encoded (DEFAULT must be omitted)`, bc.cANode));
      } else if (e.oid === OID.keyUsage) {
        const ku = decodeKeyUsage(e);
        if (ku.trailingZeroBits) out.push(problem(`${e.path}: keyUsage BIT STRING has trailing zero bits`, ku.node));
      }
    } catch {
      // malformed values are e_ext_malformed's business
    }
  }
  return out;
}

export const lint: Lint = {
  meta: {
    id: 'e_der_encoding', target: ['certificate', 'crl', 'ocsp'],
    description: 'The object must be DER: minimal definite lengths, primitive strings, DEFAULT values omitted, no trailing zero bits in named bit lists',
    descriptionZh: '证书/CRL/OCSP 响应应采用 DER 编码（最短定长长度、基本类型字符串、缺省值不编码、命名位串无尾随零位）',
    citation: 'X.690 §10–11; RFC 5280 §4.1; GM/T 0015-2012 §5.2', source: 'X.690', editions: ['2012', '2023'], basis: 'single-source',
  },
  applies: () => true,
  execute(ctx: LintContext): Problem[] {
    const obj = ctx.kind === 'certificate' ? ctx.cert : ctx.kind === 'crl' ? ctx.crl : ctx.kind === 'ocsp' ? ctx.ocsp : ctx.cms;
    const out: Problem[] = obj.derIssues.map((i) => ({ message: i.message, offset: i.offset }));
    if (ctx.kind === 'certificate') out.push(...extensionProblems(ctx.cert.extensions));
    if (ctx.kind === 'crl') {
      out.push(...extensionProblems(ctx.crl.extensions));
      for (const r of ctx.crl.revoked) out.push(...extensionProblems(r.extensions));
    }
    if (ctx.kind === 'ocsp' && ctx.basic) out.push(...extensionProblems(ctx.basic.extensions));
    return out;
  },
};
