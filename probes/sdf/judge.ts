/**
 * The GM/T 0018 judgement: request + answers → one disposition per test case. Pure (lib/gm and lib/rng only), so
 * the live probe, `gmeval sdf judge` and the feature steps give the same verdict on the same answers.
 */
import { sm2Decrypt, sm2KeyExchange, sm2PublicKeyFromPrivate, sm2ValidatePublicKey, sm2VerifyDigest, sm2Z, sm3, sm4Cbc, sm4Ecb } from '../../lib/gm/index.ts';
import { testSequence } from '../../lib/rng/index.ts';
import { isAnnexACode, SDR, sdrLabel, type Edition } from './constants.ts';
import { cipherToRaw, decodeDeviceInfo, decodeEccCipher, decodeEccPublicKey, decodeEccSignature } from './structs.ts';
import { KINDS, type CallRecord, type Kind, type TestAnswer, type TestCase, type VectorRequest, type VectorResponse } from './vectors.ts';

export type Disposition = 'passed' | 'failed' | 'missing' | 'unreceived';

export interface TestResult {
  /** `<kind>/<tgId>.<tcId>` */
  id: string;
  kind: Kind;
  clause: string;
  op: string;
  title: string;
  disposition: Disposition;
  /** the SDF function whose answer decided a failure */
  fn?: string;
  expected?: string;
  provided?: string;
  reason: string;
}

export interface JudgeSummary { passed: number; failed: number; missing: number; unreceived: number; total: number }
export interface JudgeReport { results: TestResult[]; summary: JudgeSummary }

const b = (h: unknown) => Buffer.from(String(h ?? ''), 'hex');

/** A failed expectation inside a test: which function, what was expected, what the device provided. */
class Mismatch extends Error {
  constructor(readonly fn: string | undefined, readonly expected: string, readonly provided: string, reason: string) {
    super(reason);
  }
}

class Check {
  constructor(readonly a: TestAnswer, readonly edition: Edition) {}

  call(label: string): CallRecord {
    const c = this.a.calls.find((x) => x.label === label);
    if (!c) {
      // the test stopped before this call: the last call made is the one that failed
      const last = this.a.calls.at(-1);
      throw new Mismatch(last?.fn, 'SDR_OK (0x00000000)', sdrLabel(last?.rv), `${last?.fn ?? 'the device'} failed before step "${label}" could run`);
    }
    return c;
  }

  ok(label: string): void {
    const c = this.call(label);
    if (c.rv !== 0) throw new Mismatch(c.fn, 'SDR_OK (0x00000000)', sdrLabel(c.rv), `${c.fn} failed`);
  }

  code(label: string, accepted: number[], what: string): void {
    const c = this.call(label);
    if (!accepted.includes(c.rv)) {
      const extra = c.rv !== 0 && !isAnnexACode(c.rv, this.edition) ? '（不是附录 A 的返回码 / not an Annex A code）' : '';
      throw new Mismatch(c.fn, accepted.map(sdrLabel).join(' | '), sdrLabel(c.rv), `${what}: ${c.fn} returned the wrong code${extra}`);
    }
  }

  equal(fn: string, expected: string, provided: string | undefined, what: string): void {
    if ((provided ?? '') !== expected) throw new Mismatch(fn, expected, provided ?? '(nothing)', what);
  }

  that(fn: string, cond: boolean, expected: string, provided: string, what: string): void {
    if (!cond) throw new Mismatch(fn, expected, provided, what);
  }

  out(name: string): Buffer {
    return b(this.a.out[name]);
  }
}

export function judgeResponse(req: VectorRequest, resp: VectorResponse): JudgeReport {
  const results: TestResult[] = [];
  const answers = new Map(resp.testGroups.map((g) => [g.tgId, new Map(g.tests.map((t) => [t.tcId, t]))]));
  for (const g of req.testGroups) {
    for (const tc of g.tests) {
      const base = { id: `${g.kind}/${g.tgId}.${tc.tcId}`, kind: g.kind, clause: g.clause, op: tc.op, title: `${KINDS[g.kind].zh}：${tc.op}${tc.source ? `（${String(tc.source)}）` : ''}` };
      const a = answers.get(g.tgId)?.get(tc.tcId);
      if (!a) {
        results.push({ ...base, disposition: 'missing', reason: '答复中没有这项测试 / no answer for this test in the response' });
        continue;
      }
      if (a.unreceived) {
        results.push({ ...base, disposition: 'unreceived', reason: a.unreceived });
        continue;
      }
      try {
        const reason = judgeOne(g.kind, tc, new Check(a, resp.edition), req);
        results.push({ ...base, disposition: 'passed', reason });
      } catch (e) {
        if (e instanceof Mismatch) results.push({ ...base, disposition: 'failed', fn: e.fn, expected: e.expected, provided: e.provided, reason: e.message });
        else results.push({ ...base, disposition: 'failed', reason: `答复无法解读 / the answer cannot be read: ${(e as Error).message}` });
      }
    }
  }
  const count = (d: Disposition) => results.filter((r) => r.disposition === d).length;
  return { results, summary: { passed: count('passed'), failed: count('failed'), missing: count('missing'), unreceived: count('unreceived'), total: results.length } };
}

function judgeOne(kind: Kind, tc: TestCase, c: Check, req: VectorRequest): string {
  const codes = req.settings.codes;
  if (c.a.out.answerError !== undefined) {
    const last = c.a.calls.at(-1)!;
    throw new Mismatch(last.fn, `${last.fn} 的输出可供后续调用使用`, String(c.a.out.answerError), `${last.fn} returned output that cannot be used: ${String(c.a.out.answerError)}`);
  }
  switch (`${kind}/${tc.op}`) {
    case 'device-info/info': {
      c.ok('info');
      const i = decodeDeviceInfo(c.out('info'));
      const fn = 'SDF_GetDeviceInfo';
      c.that(fn, /^\d{8}\d{3}\d{5}$/.test(i.deviceSerial) && validDate(i.deviceSerial.slice(0, 8)), 'DeviceSerial = 8 位日期 + 3 位批次 + 5 位流水号', JSON.stringify(i.deviceSerial), 'DeviceSerial 格式不符 / serial format');
      c.that(fn, i.standardVersion >= 1, 'StandardVersion ≥ 1', String(i.standardVersion), 'StandardVersion');
      const sm2 = 0x00020200 | 0x00020800;
      c.that(fn, (i.asymAlgAbility[0] & sm2) === sm2, 'AsymAlgAbility[0] ⊇ SGD_SM2_1 | SGD_SM2_3', `0x${i.asymAlgAbility[0].toString(16)}`, 'SM2 ability not declared');
      c.that(fn, (i.symAlgAbility & 0x400) !== 0, 'SymAlgAbility ∋ SGD_SM4', `0x${i.symAlgAbility.toString(16)}`, 'SM4 ability not declared');
      c.that(fn, (i.hashAlgAbility & 0x1) !== 0, 'HashAlgAbility ∋ SGD_SM3', `0x${i.hashAlgAbility.toString(16)}`, 'SM3 ability not declared');
      c.that(fn, i.bufferSize > 0, 'BufferSize > 0', String(i.bufferSize), 'BufferSize');
      return `DEVICEINFO 100 字节结构正确：${i.issuerName} ${i.deviceName} ${i.deviceSerial}`;
    }
    case 'session/reopen':
      c.ok('open-2');
      c.ok('close-2');
      return '会话可按序打开和关闭';
    case 'session/closed-session':
      c.ok('close-2');
      c.code('use-closed', codes.closedSession, '已关闭会话上的调用');
      return `已关闭的会话被拒绝（${sdrLabel(c.call('use-closed').rv)}）`;
    case 'random/lengths': {
      const lengths = tc.lengths as number[];
      const outs = lengths.map((n, i) => {
        c.ok(`random-${i}`);
        const r = c.out(`random-${i}`);
        c.that('SDF_GenerateRandom', r.length === n, `${n} 字节`, `${r.length} 字节`, 'random length differs from the request');
        return r;
      });
      const same = lengths.flatMap((n, i) => lengths.map((m, j) => (i < j && n === m && n >= 16 && outs[i]!.equals(outs[j]!) ? `${i},${j}` : ''))).filter(Boolean);
      c.that('SDF_GenerateRandom', same.length === 0, '两次 32 字节随机数互不相同', `相同：${same.join(' ')}`, 'two random outputs are identical');
      return '随机数长度正确，重复调用结果不同';
    }
    case 'random/sample': {
      c.ok('sample');
      const s = c.out('sample');
      c.that('SDF_GenerateRandom', s.length === Number(tc.bytes), `${String(tc.bytes)} 字节`, `${s.length} 字节`, 'sample length');
      const r = testSequence(s, s.length * 8, { alpha: req.settings.randomAlpha });
      const bad = r.items.filter((i) => !i.passed);
      c.that('SDF_GenerateRandom', bad.length === 0, `GM/T 0005 各检测项 P ≥ ${req.settings.randomAlpha}（筛查）`, bad.map((i) => `${i.id} P=${i.pValue.toExponential(2)}`).join('; '), 'random sample fails the GM/T 0005 screen');
      return `${r.items.length} 项 GM/T 0005 检测（${s.length * 8} 比特，α=${req.settings.randomAlpha} 筛查）均通过`;
    }
    case 'random/zero-length':
      c.code('zero', codes.zeroLength, '长度为 0 的随机数请求');
      return '长度为 0 的请求被拒绝';
    case 'access-right/no-right':
      c.code('sign', codes.noAccessRight, '未获取私钥使用权限即签名');
      return '未获取权限的签名被拒绝（SDR_PARDENY）';
    case 'access-right/wrong-password':
      c.code('wrong-password', codes.wrongPassword, '错误口令');
      c.code('sign', codes.noAccessRight, '口令错误后签名');
      return '错误口令被拒绝（SDR_PRKRERR），之后签名仍无权限';
    case 'access-right/after-release':
      c.ok('sign');
      c.ok('release');
      c.code('sign-after-release', codes.noAccessRight, '释放权限后签名');
      return '释放权限后签名被拒绝';
    case 'access-right/missing-index':
      c.code('missing', codes.missingKeyIndex, '不存在的密钥索引');
      return '不存在的密钥索引被拒绝';
    case 'export-public-key/pair': {
      c.ok('export-sign');
      c.ok('export-enc');
      for (const [name, fn] of [['sign', 'SDF_ExportSignPublicKey_ECC'], ['enc', 'SDF_ExportEncPublicKey_ECC']] as const) {
        const k = decodeEccPublicKey(c.out(name));
        c.that(fn, k.bits === 256, 'bits = 256', String(k.bits), 'ECCrefPublicKey.bits');
        c.that(fn, k.rightAligned, '坐标在 64 字节数组中右对齐（前 32 字节为 0）', c.out(name).subarray(4, 36).toString('hex'), 'coordinates not right-aligned in ECCrefPublicKey');
        c.that(fn, sm2ValidatePublicKey(k.point), 'SM2 曲线上的点', k.point.toString('hex'), 'public key is not on the SM2 curve');
      }
      c.that('SDF_ExportEncPublicKey_ECC', !c.out('sign').equals(c.out('enc')), '签名公钥与加密公钥不同', 'identical', 'sign and enc key pairs are the same');
      return '签名/加密公钥结构正确且互不相同';
    }
    case 'export-public-key/missing-index':
      c.code('missing', codes.missingKeyIndex, '导出不存在的密钥');
      return '不存在的密钥索引被拒绝';
    case 'sm2-sign/sign': {
      c.ok('sign');
      const pub = decodeEccPublicKey(c.out('pub')).point;
      const e = sm3(sm2Z(pub, b(tc.id)), b(tc.msg));
      c.equal('SDF_InternalSign_ECC', e.toString('hex'), c.out('e').toString('hex'), 'e ≠ SM3(Z‖M)');
      const sig = decodeEccSignature(c.out('sig'));
      c.that('SDF_InternalSign_ECC', sig.rightAligned, 'r、s 右对齐', c.out('sig').toString('hex').slice(0, 64), 'ECCSignature not right-aligned');
      c.that('SDF_InternalSign_ECC', sm2VerifyDigest(pub, e, sig.rs, { format: 'raw' }), '签名可由 lib/gm 按 GB/T 32918.2 验证', sig.rs.toString('hex'), 'signature does not verify in software');
      return '设备签名经独立实现验证通过';
    }
    case 'sm2-sign/wrong-length':
      c.code('sign', codes.badLength, '杂凑值长度不是 32 字节');
      return '长度错误的输入被拒绝';
    case 'sm2-verify/external':
      if (tc.valid) c.ok('verify');
      else c.code('verify', codes.verifyFailed, '无效签名');
      return tc.valid ? '有效签名验证通过' : '篡改后的签名被判定无效（SDR_VERIFYERR）';
    case 'sm2-verify/internal':
      c.ok('verify');
      c.code('verify-tampered', codes.verifyFailed, '篡改杂凑值后的验证');
      return '内部公钥验证：有效通过，篡改被拒绝';
    case 'sm2-encrypt/external': {
      c.ok('encrypt');
      const msg = b(tc.msg);
      const plain = openCipher('SDF_ExternalEncrypt_ECC', c, c.out('cipher'), msg.length, b(req.judgeOnly.testKey));
      c.equal('SDF_ExternalEncrypt_ECC', msg.toString('hex'), plain.toString('hex'), 'ciphertext does not decrypt to the message');
      return 'ECCCipher 结构正确（L=|M|、坐标右对齐），独立实现解密得原文';
    }
    case 'sm2-encrypt/internal': {
      c.ok('decrypt');
      const cipher = decodeEccCipher(c.out('cipher'));
      c.that('SDF_InternalEncrypt_ECC', cipher.l === b(tc.msg).length, `L = ${b(tc.msg).length}`, `L = ${cipher.l}`, 'ECCCipher.L');
      c.that('SDF_InternalEncrypt_ECC', cipher.rightAligned, 'C1 坐标右对齐', c.out('cipher').subarray(0, 32).toString('hex'), 'ECCCipher C1 not right-aligned');
      c.equal('SDF_InternalDecrypt_ECC', String(tc.msg), c.out('plain').toString('hex'), 'internal decrypt does not return the message');
      return '内部公钥加密、内部私钥解密往返一致';
    }
    case 'sm2-decrypt/decrypt':
      c.ok('decrypt');
      c.equal('SDF_InternalDecrypt_ECC', String(tc.msg), c.out('plain').toString('hex'), 'decryption differs from the message lib/gm encrypted');
      return '独立实现加密的密文被设备正确解密';
    case 'sm2-decrypt/tampered':
      c.code('decrypt', codes.tamperedCipher, '篡改的密文');
      return '篡改的密文被拒绝';
    case 'key-ecc/epk': {
      c.ok('generate-epk');
      const key = openCipher('SDF_GenerateKeyWithEPK_ECC', c, c.out('cipher'), 16, b(req.judgeOnly.testKey));
      c.ok('ct');
      c.equal('SDF_GenerateKeyWithEPK_ECC', sm4Ecb('encrypt', key, b(tc.block)).toString('hex'), c.out('ct').toString('hex'), 'the handle does not hold the key wrapped in the ECCCipher');
      return '外部公钥包装的会话密钥与句柄中的密钥一致';
    }
    case 'key-ecc/ipk-isk': {
      c.ok('import-isk');
      const cipher = decodeEccCipher(c.out('cipher'));
      c.that('SDF_GenerateKeyWithIPK_ECC', cipher.l === 16 && cipher.rightAligned, 'L = 16，C1 坐标右对齐', `L = ${cipher.l}，右对齐 = ${cipher.rightAligned}`, 'ECCCipher of the wrapped key');
      c.ok('ct-generated');
      c.ok('ct-imported');
      c.equal('SDF_ImportKeyWithISK_ECC', c.out('ct-generated').toString('hex'), c.out('ct-imported').toString('hex'), 'imported key differs from the generated one');
      return '内部公钥包装、内部私钥导入的会话密钥一致';
    }
    case 'key-ecc/import-known':
      c.ok('ct');
      c.equal('SDF_ImportKeyWithISK_ECC', sm4Ecb('encrypt', b(tc.key), b(tc.block)).toString('hex'), c.out('ct').toString('hex'), 'imported key does not encrypt like the known key');
      return '导入的已知密钥加密结果与独立实现一致';
    case 'key-ecc/missing-index':
      c.code('missing', codes.missingKeyIndex, '不存在的内部公钥索引');
      return '不存在的密钥索引被拒绝';
    case 'key-kek/roundtrip':
      c.ok('ct-generated');
      c.ok('ct-imported');
      c.equal('SDF_ImportKeyWithKEK', c.out('ct-generated').toString('hex'), c.out('ct-imported').toString('hex'), 'key imported under the KEK differs from the generated one');
      return 'KEK 包装的会话密钥导出再导入后一致';
    case 'key-kek/destroy':
      c.ok('ct-before');
      c.ok('destroy');
      c.code('use-destroyed', codes.badKeyHandle, '销毁后的密钥句柄');
      return '销毁后的会话密钥句柄不能再使用';
    case 'key-kek/missing-kek':
      c.code('missing', codes.missingKeyIndex, '不存在的 KEK 索引');
      return '不存在的 KEK 索引被拒绝';
    case 'key-agreement/device-sponsor': {
      c.ok('ct');
      const sponsorPub = decodeEccPublicKey(c.out('sponsorPub')).point;
      const sponsorTmp = decodeEccPublicKey(c.out('sponsorTmpPub')).point;
      const key = sm2KeyExchange({
        role: 'responder', selfId: b(tc.responseId), peerId: b(tc.sponsorId), klen: 16,
        selfStatic: pair(req.judgeOnly.agreementPeer!), selfEphemeral: pair(req.judgeOnly.agreementPeerTmp!),
        peerStaticPublic: sponsorPub, peerEphemeralPublic: sponsorTmp,
      }).key;
      c.equal('SDF_GenerateKeyWithECC', sm4Ecb('encrypt', key, b(tc.block)).toString('hex'), c.out('ct').toString('hex'), 'agreed key differs from GB/T 32918.3 computed by lib/gm');
      return '设备作为发起方协商的密钥与独立实现一致';
    }
    case 'key-agreement/device-responder': {
      c.ok('ct');
      const key = sm2KeyExchange({
        role: 'initiator', selfId: b(tc.sponsorId), peerId: b(tc.responseId), klen: 16,
        selfStatic: pair(req.judgeOnly.agreementPeer!), selfEphemeral: pair(req.judgeOnly.agreementPeerTmp!),
        peerStaticPublic: decodeEccPublicKey(c.out('responsePub')).point, peerEphemeralPublic: decodeEccPublicKey(c.out('responseTmpPub')).point,
      }).key;
      c.equal('SDF_GenerateAgreementDataAndKeyWithECC', sm4Ecb('encrypt', key, b(tc.block)).toString('hex'), c.out('ct').toString('hex'), 'agreed key differs from GB/T 32918.3 computed by lib/gm');
      return '设备作为响应方协商的密钥与独立实现一致';
    }
    case 'key-agreement/missing-index':
      c.code('missing', codes.missingKeyIndex, '不存在的密钥索引');
      return '不存在的密钥索引被拒绝';
    case 'sm4/ecb':
    case 'sm4/cbc': {
      const expected = tc.op === 'cbc' ? sm4Cbc('encrypt', b(tc.key), b(tc.iv), b(tc.pt)) : sm4Ecb('encrypt', b(tc.key), b(tc.pt));
      c.ok('encrypt');
      c.equal('SDF_Encrypt', expected.toString('hex'), c.out('ct').toString('hex'), `SM4-${tc.op.toUpperCase()} ciphertext differs${tc.source ? ` from ${String(tc.source)}` : ''}`);
      c.ok('decrypt');
      c.equal('SDF_Decrypt', String(tc.pt), c.out('pt').toString('hex'), 'decryption does not restore the plaintext');
      return `SM4-${tc.op.toUpperCase()} 结果与${tc.source ? String(tc.source) : '独立实现'}一致，解密恢复原文`;
    }
    case 'sm4/bad-length':
      c.code('encrypt', codes.badLength, '长度不是分组整数倍（SDF 不做填充）');
      return '非整分组长度被拒绝';
    case 'sm4/bad-mode':
      c.code('encrypt', codes.badMode, '不支持的 SM4 模式');
      return '不支持的模式返回 SDR_ALGMODNOTSUPPORT';
    case 'sm4/bad-algorithm':
      c.code('encrypt', codes.badAlgorithm, '不支持的算法标识');
      return '不支持的算法返回 SDR_ALGNOTSUPPORT';
    case 'sm4-mac/mac': {
      c.ok('mac');
      const cbc = sm4Cbc('encrypt', b(tc.key), b(tc.iv), b(tc.data));
      c.equal('SDF_CalculateMAC', cbc.subarray(-16).toString('hex'), c.out('mac').toString('hex'), 'MAC is not the last SM4-CBC block');
      return 'SM4 MAC 等于 CBC 最后一个分组';
    }
    case 'sm3/hash':
      c.ok('final');
      c.equal('SDF_HashFinal', sm3(b(tc.msg)).toString('hex'), c.out('digest').toString('hex'), `SM3 digest differs${tc.source ? ` from ${String(tc.source)}` : ''}`);
      return `多次 HashUpdate 后杂凑值与${tc.source ? String(tc.source) : '独立实现'}一致`;
    case 'sm3/hash-z':
      c.ok('final');
      c.equal('SDF_HashInit', sm3(sm2Z(b(tc.pub), b(tc.id)), b(tc.msg)).toString('hex'), c.out('digest').toString('hex'), 'HashInit with a public key does not hash Z‖M');
      return '带公钥和 ID 的杂凑等于 SM3(Z‖M)';
    case 'sm3/update-before-init':
      c.code('update', codes.hashStep, '未初始化即 HashUpdate');
      return '步骤错误返回 SDR_STEPERR';
    case 'file/lifecycle':
      c.ok('write');
      c.ok('read');
      c.equal('SDF_ReadFile', String(tc.data), c.out('read').toString('hex'), 'file content read back differs');
      c.code('read-beyond', codes.fileOffset, '越界读取');
      c.code('create-again', codes.fileExists, '重复创建');
      c.ok('delete');
      c.code('read-deleted', codes.fileMissing, '读取已删除的文件');
      return '文件创建、读写、越界、重复创建和删除均符合要求';
    default:
      throw new Error(`no judgement for ${kind}/${tc.op}`);
  }
}

/** Decodes an ECCCipher exactly and opens it with a test private key (the judge's independent decryption). */
function openCipher(fn: string, c: Check, bytes: Buffer, expectedLength: number, privateKey: Buffer): Buffer {
  const cipher = decodeEccCipher(bytes);
  c.that(fn, cipher.l === expectedLength, `L = ${expectedLength}`, `L = ${cipher.l}`, 'ECCCipher.L is not the plaintext length');
  c.that(fn, cipher.rightAligned, 'C1 坐标在 64 字节数组中右对齐', bytes.subarray(0, 32).toString('hex'), 'ECCCipher C1 coordinates are not right-aligned');
  try {
    return sm2Decrypt(privateKey, cipherToRaw(cipher), { format: 'raw' });
  } catch {
    throw new Mismatch(fn, '可由独立实现解密的 SM2 密文（C3 = SM3(x2‖M‖y2)）', bytes.subarray(0, 164).toString('hex').slice(0, 80) + '…', 'ciphertext does not decrypt in software');
  }
}

function pair(privHex: string): { privateKey: Buffer; publicKey: Buffer } {
  const privateKey = b(privHex);
  return { privateKey, publicKey: sm2PublicKeyFromPrivate(privateKey) };
}

function validDate(s: string): boolean {
  const d = new Date(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10).replace(/-/g, '') === s;
}

export { SDR };
