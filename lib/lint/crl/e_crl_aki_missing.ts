/*
 * RFC 5280 §5.2.1: "Conforming CRL issuers MUST use the key identifier method, and MUST include this extension in all
 * CRLs issued." GM/T 0015-2012 §5.3 (digest R33 [U]).
 */
import { akiOf } from '../../pki/extensions.ts';
import { crlLint, problem } from '../types.ts';

export const lint = crlLint({
  meta: {
    id: 'e_crl_aki_missing',
    description: 'CRLs must have authorityKeyIdentifier with keyIdentifier',
    descriptionZh: 'CRL 应包含带 keyIdentifier 的颁发机构密钥标识符扩展',
    citation: 'GM/T 0015-2012 §5.3; RFC 5280 §5.2.1', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'unverified',
  },
  execute: (ctx) => akiOf(ctx.crl.extensions)?.keyIdentifier ? [] : [problem('authorityKeyIdentifier (keyIdentifier) missing', { node: ctx.crl.tbs, path: 'tbsCertList' })],
});
