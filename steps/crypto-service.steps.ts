import { Given, Then, When } from '@cucumber/cucumber';
import { randomBytes } from 'node:crypto';
import { SM2_DEFAULT_ID, sm2Encrypt, sm2GenerateKeyPair, sm2Sign, sm2ValidatePublicKey, sm2Verify, type Sm2KeyPair } from '../lib/gm/index.ts';
import { observeCall, type CallObservation } from '../probes/api/call.ts';
import type { AuthMode } from '../probes/adapters/index.ts';
import { forEachTarget, judgeEach, recall, remember, type Judgement } from './support/judge.ts';
import { lookup, SM3_VECTORS, SM4_VECTORS } from './support/known-answers.ts';
import type { GmWorld } from './support/world.ts';

// Crypto-service steps (T/TCGIA 0003-2023 §6.2, §6.5.1): When-steps call probes, Then-steps judge.

const hex = (b: unknown) => (Buffer.isBuffer(b) ? b.toString('hex') : String(b));
const refusal = (d: CallObservation) => `${d.error?.status ?? ''} ${d.error?.code ?? ''} ${d.error?.message ?? ''}`.trim();
function accepted(d: CallObservation, what: string): Judgement | undefined {
  return d.accepted ? undefined : { passed: false, reason: `平台拒绝了${what}请求 / the platform refused the ${what} request: ${refusal(d)}`, observed: refusal(d) };
}

Given('被测对象为各密码服务接口', async function (this: GmWorld) {
  await this.selectObjects('crypto-service');
});

// --- SM3 -------------------------------------------------------------------------------------

When('请求 SM3 杂凑服务计算{string}的消息', async function (this: GmWorld, name: string) {
  const v = lookup(SM3_VECTORS, name, 'SM3');
  await forEachTarget(this, async (t) => remember(this, t.object.id, await observeCall(t, 'hash', { algorithm: 'SM3', data: v.message }, {}, 'sm3-hash')));
});

Then('返回的杂凑值应等于{string}给出的杂凑值', async function (this: GmWorld, name: string) {
  const v = lookup(SM3_VECTORS, name, 'SM3');
  return judgeEach<CallObservation>(this, `SM3 杂凑结果与 ${v.source} 一致`, (d) => accepted(d, 'SM3 杂凑') ?? {
    passed: hex(d.output.digest) === v.digest,
    expected: v.digest,
    observed: hex(d.output.digest),
    reason: hex(d.output.digest) === v.digest ? '杂凑值与标准示例一致' : '杂凑值与标准示例不一致 / digest differs from the standard example',
  });
});

// --- SM4 -------------------------------------------------------------------------------------

Given('以 SM2 数字信封向平台导入{string}的 SM4 密钥', async function (this: GmWorld, name: string) {
  const v = lookup(SM4_VECTORS, name, 'SM4');
  await forEachTarget(this, async (t) => {
    const params = await observeCall(t, 'getImportParameters', {}, {}, 'import-parameters');
    remember(this, t.object.id, params, 'importParameters');
    const p = params.data;
    if (!p) return;
    if (!p.accepted || !Buffer.isBuffer(p.output.wrappingPublicKey) || !sm2ValidatePublicKey(p.output.wrappingPublicKey)) {
      remember(this, t.object.id, { ...params, data: undefined, notTested: { reason: 'inconclusive', detail: `平台未给出有效的 SM2 包装公钥 / no valid SM2 wrapping key: ${p.accepted ? 'invalid public key' : refusal(p)}` } });
      return;
    }
    const wrappedKey = sm2Encrypt(p.output.wrappingPublicKey, v.key, { format: 'der' });
    const imp = await observeCall(t, 'importKey', { type: 'SM4', name: `gmeval-kat-${Date.now()}`, wrappedKey, importToken: String(p.output.importToken) }, {}, 'import-key');
    if (imp.data && !imp.data.accepted) {
      remember(this, t.object.id, { ...imp, data: undefined, notTested: { reason: 'inconclusive', detail: `平台拒绝导入测试密钥 / the platform refused to import the test key: ${refusal(imp.data)}` } });
      return;
    }
    remember(this, t.object.id, imp, 'key');
  });
});

const keyIdOf = (w: GmWorld, objectId: string) => String(recall<CallObservation>(w, objectId, 'key')?.data?.output.keyId ?? '');

When('用该密钥请求 SM4 加密{string}的明文', async function (this: GmWorld, name: string) {
  const v = lookup(SM4_VECTORS, name, 'SM4');
  await forEachTarget(this, async (t) =>
    remember(this, t.object.id, await observeCall(t, 'encrypt', { keyId: keyIdOf(this, t.object.id), algorithm: 'SM4', mode: v.mode, iv: v.iv, data: v.plaintext, padding: false }, {}, 'sm4-encrypt')));
});

Then('返回的密文应等于{string}给出的密文', async function (this: GmWorld, name: string) {
  const v = lookup(SM4_VECTORS, name, 'SM4');
  return judgeEach<CallObservation>(this, `SM4-${v.mode} 加密结果与 ${v.source} 一致`, (d) => accepted(d, 'SM4 加密') ?? {
    passed: hex(d.output.ciphertext) === v.ciphertext,
    expected: v.ciphertext,
    observed: hex(d.output.ciphertext),
    reason: hex(d.output.ciphertext) === v.ciphertext ? '密文与标准示例一致' : '密文与标准示例不一致 / ciphertext differs from the standard example',
  });
});

When('用该密钥请求 SM4 解密该密文', async function (this: GmWorld) {
  await forEachTarget(this, async (t) => {
    const enc = recall<CallObservation>(this, t.object.id)!;
    const input = enc.data!.input as { mode: string; iv?: string };
    remember(this, t.object.id, enc, 'encryption');
    const iv = typeof input.iv === 'string' ? Buffer.from(input.iv.replace(/^hex:/, ''), 'hex') : undefined;
    remember(this, t.object.id, await observeCall(t, 'decrypt', { keyId: keyIdOf(this, t.object.id), algorithm: 'SM4', mode: input.mode, iv, data: enc.data!.output.ciphertext as Buffer, padding: false }, {}, 'sm4-decrypt'));
  });
});

Then('解密结果应等于原明文', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, 'SM4 解密恢复原明文', (d, t) => {
    const original = String((recall<CallObservation>(this, t.object.id, 'encryption')?.data?.input as { data?: string })?.data ?? '').replace(/^hex:/, '');
    return accepted(d, 'SM4 解密') ?? { passed: hex(d.output.plaintext) === original, expected: original, observed: hex(d.output.plaintext), reason: hex(d.output.plaintext) === original ? '解密结果与原明文一致' : '解密结果与原明文不一致' };
  });
});

const KEY_TYPES: Record<string, string> = { 'SM4': 'SM4', 'SM2 签名': 'SM2_SIGN', 'SM2 加密': 'SM2_ENC', 'HMAC-SM3': 'HMAC_SM3' };

Given(/^平台内生成一把 ?(SM4|SM2 签名|SM2 加密|HMAC-SM3) ?密钥$/, async function (this: GmWorld, kind: string) {
  await forEachTarget(this, async (t) => {
    const obs = await observeCall(t, 'generateKey', { type: KEY_TYPES[kind]!, name: `gmeval-${Date.now()}` }, {}, 'generate-key');
    if (obs.data && !obs.data.accepted) {
      remember(this, t.object.id, { ...obs, data: undefined, notTested: { reason: 'inconclusive', detail: `平台拒绝生成测试密钥 / key generation refused: ${refusal(obs.data)}` } });
      return;
    }
    remember(this, t.object.id, obs, 'key');
  });
});

When('用该密钥以 CBC 模式加密由四个相同分组组成的数据', async function (this: GmWorld) {
  const block = randomBytes(16);
  const data = Buffer.concat([block, block, block, block]);
  await forEachTarget(this, async (t) =>
    remember(this, t.object.id, await observeCall(t, 'encrypt', { keyId: keyIdOf(this, t.object.id), algorithm: 'SM4', mode: 'CBC', iv: randomBytes(16), data, padding: false }, {}, 'sm4-cbc-repeated-blocks')));
});

Then('密文中不应出现相同的密文分组', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '相同明文分组加密后密文分组互不相同（未退化为 ECB）', (d) => {
    const ct = d.output.ciphertext as Buffer;
    const blocks = Array.from({ length: Math.floor(ct.length / 16) }, (_, i) => ct.subarray(i * 16, i * 16 + 16).toString('hex'));
    const distinct = new Set(blocks).size;
    return accepted(d, 'SM4-CBC 加密') ?? {
      passed: blocks.length === 4 && distinct === 4,
      expected: '4 个互不相同的密文分组',
      observed: `${blocks.length} 个分组，其中 ${distinct} 个不同：${blocks.join(' ')}`,
      reason: distinct === 4 ? '密文分组互不相同' : '相同明文分组得到相同密文分组：实际为 ECB 模式 / identical blocks: the platform used ECB',
    };
  });
});

When('用该密钥请求 AES-128-CBC 加密', async function (this: GmWorld) {
  await forEachTarget(this, async (t) =>
    remember(this, t.object.id, await observeCall(t, 'encrypt', { keyId: keyIdOf(this, t.object.id), algorithm: 'AES', mode: 'CBC', iv: randomBytes(16), data: randomBytes(32), padding: false }, {}, 'aes-request')));
});

// --- SM2 -------------------------------------------------------------------------------------

const MESSAGE = (text: string) => Buffer.from(text, 'utf8');

When('请求平台用该密钥对消息{string}签名', async function (this: GmWorld, text: string) {
  await forEachTarget(this, async (t) => {
    const keyId = keyIdOf(this, t.object.id);
    const pub = await observeCall(t, 'getPublicKey', { keyId }, {}, 'public-key');
    remember(this, t.object.id, pub, 'publicKey');
    if (!pub.data) return;
    remember(this, t.object.id, await observeCall(t, 'sign', { keyId, data: MESSAGE(text) }, {}, 'sm2-sign'));
  });
});

Then('该签名应能用该密钥的公钥和默认用户标识按 GB\\/T 32918.2 验证通过', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, 'SM2 签名可由独立实现按 GB/T 32918.2（Z 值，默认 ID）验证', (d, t) => {
    const pub = recall<CallObservation>(this, t.object.id, 'publicKey')?.data?.output.publicKey as Buffer | undefined;
    if (!pub || !sm2ValidatePublicKey(pub)) return { passed: false, reason: '平台未给出有效的 SM2 公钥', observed: hex(pub) };
    const msg = Buffer.from(String((d.input as { data: string }).data).replace(/^hex:/, ''), 'hex');
    const ok = sm2Verify(pub, msg, d.output.signature as Buffer, { id: SM2_DEFAULT_ID });
    return accepted(d, 'SM2 签名') ?? {
      passed: ok,
      expected: `签名按 e = SM3(Z‖M)、Z 取默认 ID ${SM2_DEFAULT_ID} 验证通过`,
      observed: `signature ${hex(d.output.signature)} ${ok ? '验证通过' : '验证不通过'}`,
      reason: ok ? '签名验证通过' : '签名不能按 GB/T 32918.2 验证：可能未计算 Z 值或 ID 不符 / does not verify with Z',
    };
  });
});

interface ToolSignature { key: Sm2KeyPair; message: Buffer; signature: Buffer }
/** The tool's own signing key and signature live in the scenario's World, under a reserved state id. */
const toolSig = (w: GmWorld) => w.stateOf('#tool').signature as ToolSignature;

Given('测评工具持有一把 SM2 签名密钥，并用它对消息{string}签名', function (this: GmWorld, text: string) {
  const key = sm2GenerateKeyPair();
  const message = MESSAGE(text);
  this.stateOf('#tool').signature = { key, message, signature: sm2Sign(key.privateKey, message, { id: SM2_DEFAULT_ID, format: 'der' }) } satisfies ToolSignature;
});

When('请求平台用测评工具的公钥验证该签名', async function (this: GmWorld) {
  const s = toolSig(this);
  await forEachTarget(this, async (t) => remember(this, t.object.id, await observeCall(t, 'verify', { publicKey: s.key.publicKey, data: s.message, signature: s.signature }, {}, 'sm2-verify-valid')));
});

When('请求平台用测评工具的公钥验证被篡改一个比特的消息', async function (this: GmWorld) {
  const s = toolSig(this);
  const tampered = Buffer.from(s.message);
  tampered[0] = tampered[0]! ^ 0x01;
  await forEachTarget(this, async (t) => remember(this, t.object.id, await observeCall(t, 'verify', { publicKey: s.key.publicKey, data: tampered, signature: s.signature }, {}, 'sm2-verify-tampered')));
});

Then('平台应判定签名有效', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '平台按 GB/T 32918.2 验证独立实现产生的有效签名', (d) => accepted(d, 'SM2 验签') ?? {
    passed: d.output.valid === true,
    expected: 'valid = true',
    observed: `valid = ${String(d.output.valid)}`,
    reason: d.output.valid === true ? '平台判定有效签名为有效' : '平台判定一个有效签名为无效：验签未按 Z‖M 计算 / a valid signature was rejected',
  });
});

Then('平台应判定签名无效', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '平台拒绝与消息不符的签名', (d) => {
    const rejected = !d.accepted || d.output.valid === false;
    return { passed: rejected, expected: 'valid = false（或拒绝）', observed: d.accepted ? `valid = ${String(d.output.valid)}` : refusal(d), reason: rejected ? '篡改后的消息未通过验签' : '篡改后的消息仍被判定签名有效' };
  });
});

// --- algorithms (6.5.1) ------------------------------------------------------------------------

const GM_ALGORITHM = /^(SM2|SM3|SM4|SM9|ZUC|HMAC-SM3)(-[A-Z0-9]+)*$/;

When('查询平台提供的密码算法', async function (this: GmWorld) {
  await forEachTarget(this, async (t) => remember(this, t.object.id, await observeCall(t, 'capabilities', {}, {}, 'capabilities')));
});

Then('所列算法均应为国家密码管理部门认可的商用密码算法', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '平台只提供商用密码算法（SM2/SM3/SM4/SM9/ZUC 及 HMAC-SM3）', (d) => {
    const algs = Array.isArray(d.output.algorithms) ? (d.output.algorithms as unknown[]).map(String) : [];
    const others = algs.filter((a) => !GM_ALGORITHM.test(a));
    return accepted(d, '算法查询') ?? {
      passed: algs.length > 0 && others.length === 0,
      expected: '只含 SM2、SM3、SM4、SM9、ZUC 及其模式、HMAC-SM3',
      observed: algs.join(', ') || '（空）',
      reason: others.length ? `提供了非商用密码算法：${others.join(', ')}` : algs.length ? '所列算法均为商用密码算法' : '平台未列出任何算法',
    };
  });
});

Then('平台应拒绝该请求', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '平台拒绝非商用密码算法的运算请求', (d) => ({
    passed: !d.accepted,
    expected: '请求被拒绝',
    observed: d.accepted ? `请求被接受并返回结果 ${Object.keys(d.output).join(', ')}` : refusal(d),
    reason: d.accepted ? '平台执行了非商用密码算法的运算 / performed a non-GM algorithm' : '请求被拒绝',
  }));
});

// --- request authentication (6.2 b) ---------------------------------------------------------

const AUTH_MODES: Record<string, AuthMode> = {
  不带鉴别信息: 'none',
  签名错误: 'bad-signature',
  时间戳过期: 'stale-timestamp',
  重放已成功的请求: 'replay',
};

When('以{string}的方式发送 SM3 杂凑请求', async function (this: GmWorld, how: string) {
  const auth = AUTH_MODES[how];
  if (!auth) throw new Error(`unknown authentication variation "${how}" (known: ${Object.keys(AUTH_MODES).join(', ')})`);
  await forEachTarget(this, async (t) => remember(this, t.object.id, await observeCall(t, 'hash', { algorithm: 'SM3', data: randomBytes(32) }, { auth }, `auth-${auth}`)));
});

Then('平台应拒绝该请求，且错误表明鉴别失败', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '平台拒绝未经有效鉴别的请求', (d) => {
    const authStatus = d.error?.status === 401 || d.error?.status === 403;
    return {
      passed: !d.accepted && authStatus,
      expected: 'HTTP 401/403，鉴别失败',
      observed: d.accepted ? '请求被接受并返回结果' : refusal(d),
      reason: d.accepted ? '未经有效鉴别的请求被接受 / the request was served' : authStatus ? '请求因鉴别失败被拒绝' : `请求被拒绝，但不是因为鉴别失败（${refusal(d)}）`,
    };
  });
});
