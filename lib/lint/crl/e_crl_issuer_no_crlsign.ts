/*
 * RFC 5280 §4.2.1.3: "The cRLSign bit is asserted when the subject public key is used for verifying signatures on
 * certificate revocation lists"; GM/T 0015-2012 §5.3 (digest R35 [U]): the CRL issuer's certificate has cRLSign.
 */
import { keyUsageOf } from '../../pki/extensions.ts';
import { crlLint, problem } from '../types.ts';

export const lint = crlLint({
  meta: {
    id: 'e_crl_issuer_no_crlsign',
    description: 'The CRL issuer\'s certificate must have keyUsage cRLSign',
    descriptionZh: 'CRL 签发者证书的密钥用法应包含 CRL 签名（cRLSign）',
    citation: 'GM/T 0015-2012 §5.3; RFC 5280 §4.2.1.3', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'unverified',
  },
  applies: (ctx) => !!ctx.issuer && !!keyUsageOf(ctx.issuer),
  execute: (ctx) => keyUsageOf(ctx.issuer!)!.bits.has('cRLSign') ? [] : [problem('the CRL issuer certificate lacks cRLSign', ctx.crl.issuer)],
});
