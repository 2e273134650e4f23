/*
 * GM/T 0015-2023 adds the 统一社会信用代码 extension; its OID is seen both as 1.2.156.10260.4.4 and as
 * 1.2.156.10260.4.4.4 (digest §2 [U]: "one source is self-inconsistent"). Either is reported as a notice naming the
 * variant so that the assessor can check it against the printed standard. Once confirmed, set the option `usccOid`
 * to the right one: that variant then passes and only the other is reported.
 */
import { OID } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'n_uscc_oid_variant', certTypes: ['sign', 'enc'],
    description: 'Unified social credit code extension OID variant in use (…4.4 vs …4.4.4 unresolved)',
    descriptionZh: '统一社会信用代码扩展 OID 存在两种写法（…4.4 与 …4.4.4），请对照标准原文核实',
    citation: 'GM/T 0015-2023 §5 (统一社会信用代码)', source: 'GM/T 0015', editions: ['2023'], basis: 'unverified',
  },
  applies: (ctx) => ctx.cert.extensions.some((e) => e.oid === OID.cnUsccShort || e.oid === OID.cnUsccLong),
  execute: (ctx) => ctx.cert.extensions.filter((e) => (e.oid === OID.cnUsccShort || e.oid === OID.cnUsccLong) && e.oid !== ctx.options.usccOid)
    .map((e) => problem(`USCC extension uses ${e.oid === OID.cnUsccShort ? '1.2.156.10260.4.4' : '1.2.156.10260.4.4.4'}`, e)),
});
