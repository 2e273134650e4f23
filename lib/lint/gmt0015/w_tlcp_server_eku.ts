/*
 * GM/T 0015-2012 附录C.3/C.4 list extKeyUsage as optional for end-entity certificates, with the purpose of use
 * (digest §4: "TLCP server: serverAuth; client: clientAuth" [S]); RFC 5280 §4.2.1.12: when the extension is present
 * the certificate "will only be used for one of the purposes indicated". A certificate a TLCP server (client) presents
 * whose extKeyUsage leaves out serverAuth (clientAuth) and anyExtendedKeyUsage is unusable for that role by a
 * verifier that enforces EKU. Without the extension the key is unrestricted, which passes. Applies only when the run
 * says what the certificates were presented for (TLCP probes do; the CLI takes --purpose).
 */
import { ekuOf } from '../../pki/extensions.ts';
import { OID } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';
import { ext } from '../util.ts';

export const lint = certLint({
  meta: {
    id: 'w_tlcp_server_eku', certTypes: ['sign', 'enc'],
    description: 'A certificate presented by a TLCP server (client) with extKeyUsage should include serverAuth (clientAuth)',
    descriptionZh: 'TLCP 服务端（客户端）出示的证书若含扩展密钥用法，应包含 serverAuth（clientAuth）',
    citation: 'GM/T 0015-2012 附录C.3, C.4; RFC 5280 §4.2.1.12', source: 'practice', editions: ['2012', '2023'], basis: 'single-source',
  },
  applies: (ctx) => !!ctx.options.purpose && ekuOf(ctx.cert) !== undefined,
  execute: (ctx) => {
    const eku = ekuOf(ctx.cert)!;
    const [want, label] = ctx.options.purpose === 'tlcp-client' ? [OID.kpClientAuth, 'clientAuth'] : [OID.kpServerAuth, 'serverAuth'];
    if (eku.includes(want) || eku.includes(OID.anyExtendedKeyUsage)) return [];
    return [problem(`extKeyUsage (${eku.join(', ') || 'empty'}) lacks ${label} for a ${ctx.options.purpose} certificate`, ext(ctx.cert, OID.extKeyUsage))];
  },
});
