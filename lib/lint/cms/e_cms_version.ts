/*
 * GM/T 0010-2012: SignerInfo "version INTEGER (1)", RecipientInfo "version INTEGER (1)", SignedData and
 * SignedAndEnvelopedData version 1 (digest §9 structures; R03: "version 1"). PKCS#7 writes RecipientInfo version 0, so
 * envelopes made by PKCS#7 code fail here. EnvelopedData's own version is not checked: the digest does not give it.
 */
import { cmsLint, problem, type Problem } from '../types.ts';
import type { Node } from '../../pki/der.ts';

export const lint = cmsLint({
  meta: {
    id: 'e_cms_version',
    description: 'SignerInfo, RecipientInfo, SignedData or SignedAndEnvelopedData version is not 1',
    descriptionZh: '签名者信息、接收者信息、签名数据及带签名的数字信封的版本号应为 1',
    citation: 'GM/T 0010-2012 SignerInfo, RecipientInfo; certificates-gmt0015.md §9 R03',
    source: 'GM/T 0010', editions: ['2012', '2023'], basis: 'single-source',
  },
  applies: (ctx) => ctx.cms.signerInfos.length > 0 || ctx.cms.recipientInfos.length > 0,
  execute(ctx) {
    const out: Problem[] = [];
    const check = (what: string, version: number | null, node: Node, path: string) => {
      if (version !== 1) out.push({ ...problem(`${what} version is ${version ?? 'not a small non-negative INTEGER'}, expected 1`, node), path });
    };
    const b = ctx.cms.body;
    if (b && b.type !== 'envelopedData') check(b.type, b.version, b.versionNode, `${b.path}.version`);
    for (const r of ctx.cms.recipientInfos) check('RecipientInfo', r.version, r.versionNode, `${r.path}.version`);
    for (const s of ctx.cms.signerInfos) check('SignerInfo', s.version, s.versionNode, `${s.path}.version`);
    return out;
  },
});
