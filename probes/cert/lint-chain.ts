/**
 * GM/T 0015 / RFC 5280 lints on the certificates a probe met (a TLCP server's Certificate message, and later
 * certificates the platform issued). The position in the TLCP message fixes the type: the first certificate is
 * the signing certificate, the second the encryption certificate (GB/T 38636), whatever their key usage claims;
 * that is exactly what lets a mislabelled encryption certificate be caught.
 */
import { bytesEqual } from '../../lib/pki/der.ts';
import { classifyCertificate, type CertType } from '../../lib/pki/classify.ts';
import { nameToString, parseCertificate, type Certificate } from '../../lib/pki/x509.ts';
import { runLints } from '../../lib/lint/engine.ts';
import { lintById, profileLints } from '../../lib/lint/registry.ts';
import type { Edition, LintResult, Purpose } from '../../lib/lint/types.ts';

export interface LintedCertificate {
  /** position in the presented list: sign, enc, or a CA certificate after them */
  position: 'sign' | 'enc' | 'chain';
  index: number;
  subject: string;
  certType: CertType | 'unparsable';
  /** only results that are not NA */
  results: LintResult[];
}

export interface ChainLintObservation { edition: Edition; certificates: LintedCertificate[] }

/** Lints a presented TLCP certificate list; trust anchors serve as issuers only. Never throws. */
export function lintTlcpCertificates(presented: Uint8Array[], anchors: Uint8Array[] = [], edition: Edition = '2012', purpose: Purpose = 'tlcp-server'): ChainLintObservation {
  const parse = (der: Uint8Array): Certificate | Error => {
    try {
      return parseCertificate(der);
    } catch (e) {
      return e as Error;
    }
  };
  const certs = presented.map(parse);
  const pool = [...certs, ...anchors.map(parse)].filter((c): c is Certificate => !(c instanceof Error));
  const lints = profileLints(edition === '2023' ? 'gmt0015-2023' : 'gmt0015-2012');
  const out: LintedCertificate[] = [];
  certs.forEach((c, i) => {
    const position = i === 0 ? 'sign' : i === 1 ? 'enc' : 'chain';
    if (c instanceof Error) {
      const off = (c as Error & { offset?: number }).offset;
      out.push({ position, index: i, subject: '?', certType: 'unparsable', results: [{ lint: 'asn1_structure', status: 'fatal', message: c.message, ...(off !== undefined ? { offset: off } : {}) }] });
      return;
    }
    const type: CertType = position === 'chain' ? classifyCertificate(c) : position;
    const issuer = pool.find((p) => bytesEqual(p.subject.node.bytes, c.issuer.node.bytes) && (p !== c || bytesEqual(c.subject.node.bytes, c.issuer.node.bytes)));
    const other = position === 'sign' ? certs[1] : position === 'enc' ? certs[0] : undefined;
    const ctx = {
      kind: 'certificate' as const, cert: c, type, edition, options: { purpose },
      ...(issuer ? { issuer } : {}),
      ...(other && !(other instanceof Error) ? { pair: other } : {}),
    };
    out.push({ position, index: i, subject: nameToString(c.subject), certType: type, results: runLints(lints, ctx).filter((r) => r.status !== 'NA') });
  });
  return { edition, certificates: out };
}

/** The lint groups the GM/T 0015 features judge, by lint id. */
export const LINT_GROUPS: Record<string, { zh: string; match: (id: string) => boolean }> = {
  algorithms: { zh: 'SM2 公钥与 SM2-with-SM3 签名算法', match: (id) => /spki|sig_alg|sig_value|signature_invalid|signature_wrong_z/.test(id) },
  'sign-key-usage': { zh: '签名证书的密钥用法', match: (id) => /^[ewn]_(sign_cert_|ku_|ee_ku_)/.test(id) },
  'enc-key-usage': { zh: '加密证书的密钥用法与双证书配对', match: (id) => /^[ewn]_(enc_cert_|pair_|ku_|ee_ku_)/.test(id) },
  validity: { zh: '有效期编码与范围', match: (id) => /time_encoding|validity/.test(id) },
  extensions: { zh: '证书扩展（基本限制、密钥标识、分发点等）', match: (id) => /aki|ski|bc_|_is_ca|pathlen|crldp|aia|ext_|unknown_critical|ca_ku|_eku/.test(id) },
};

/** Failures (error/fatal) and advisories (warn/notice) of one group in one certificate. */
export function groupResults(c: LintedCertificate, group: string): { failures: LintResult[]; advisories: LintResult[]; passed: number } {
  const g = LINT_GROUPS[group];
  if (!g) throw new Error(`unknown lint group ${group}`);
  const rs = c.results.filter((r) => r.lint === 'asn1_structure' || g.match(r.lint));
  return {
    failures: rs.filter((r) => r.status === 'error' || r.status === 'fatal'),
    advisories: rs.filter((r) => r.status === 'warn' || r.status === 'notice'),
    passed: rs.filter((r) => r.status === 'pass').length,
  };
}

export function lintLine(r: LintResult): string {
  const m = lintById(r.lint)?.meta;
  return `${r.status.toUpperCase()} ${r.lint}${r.message ? `: ${r.message}` : ''}${m ? ` (${m.citation})` : ''}`;
}
