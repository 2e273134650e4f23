/*
 * RFC 5280 §4.2.1.1: "Conforming CAs MUST mark this extension as non-critical." (authorityKeyIdentifier);
 * §5.2.1 for CRLs. GM/T 0015 Annex C marks AKI non-critical (digest §4 [S]).
 */
import { OID } from '../../pki/oids.ts';
import { findExtension } from '../../pki/x509.ts';
import { problem, type Lint, type LintContext, type Problem } from '../types.ts';

export const lint: Lint = {
  meta: {
    id: 'e_aki_critical', target: ['certificate', 'crl'],
    description: 'authorityKeyIdentifier must be non-critical',
    descriptionZh: '颁发机构密钥标识符扩展应为非关键',
    citation: 'RFC 5280 §4.2.1.1, §5.2.1; GM/T 0015-2012 附录C', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'unverified',
  },
  applies: (ctx: LintContext) => ctx.kind !== 'ocsp' && ctx.kind !== 'cms' && !!findExtension(ctx.kind === 'certificate' ? ctx.cert.extensions : ctx.crl.extensions, OID.authorityKeyIdentifier),
  execute(ctx: LintContext): Problem[] {
    const e = findExtension(ctx.kind === 'certificate' ? ctx.cert.extensions : ctx.kind === 'crl' ? ctx.crl.extensions : [], OID.authorityKeyIdentifier)!;
    return e.critical ? [problem('authorityKeyIdentifier is marked critical', e)] : [];
  },
};
