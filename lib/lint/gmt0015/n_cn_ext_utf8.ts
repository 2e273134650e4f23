/*
 * Digest §5 [S]: social insurance number and USCC have been seen as PrintableString and as UTF8String → accept both,
 * NOTICE on UTF8String (the 2012 text says PrintableString).
 */
import { TAG } from '../../pki/der.ts';
import { OID } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';
import { cnExtensions } from './cn-ext.ts';

const PRINTABLE_PREFERRED = new Set<string>([OID.cnInsuranceNumber, OID.cnUsccShort, OID.cnUsccLong]);

export const lint = certLint({
  meta: {
    id: 'n_cn_ext_utf8', certTypes: ['sign', 'enc'],
    description: 'Social insurance number / USCC extension encoded as UTF8String (PrintableString expected)',
    descriptionZh: '社会保险号/统一社会信用代码扩展采用 UTF8String（标准为 PrintableString）',
    citation: 'GM/T 0015-2012 §5; GM/T 0015-2023 §5', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'single-source',
  },
  applies: (ctx) => cnExtensions(ctx.cert).some((e) => PRINTABLE_PREFERRED.has(e.oid)),
  execute: (ctx) => cnExtensions(ctx.cert).filter((e) => PRINTABLE_PREFERRED.has(e.oid) && safeTag(e) === TAG.UTF8String)
    .map((e) => problem(`${e.oid} is UTF8String`, e.valueNode)),
});

function safeTag(e: { inner(): { tag: number } }): number { try { return e.inner().tag; } catch { return -1; } }
