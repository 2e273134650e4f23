import { Given, Then, When } from '@cucumber/cucumber';
import { randomBytes } from 'node:crypto';
import { sm2Decrypt, sm2Encrypt, sm2GenerateKeyPair, sm2ValidatePublicKey } from '../lib/gm/index.ts';
import type { CallObservation } from '../probes/api/call.ts';
import { forEachTarget, judgeEach, recall, type Judgement } from './support/judge.ts';
import type { GmWorld } from './support/world.ts';
import { callAs, got, hex, refusal, setup } from './platform-support/roles.ts';

// Key lifecycle checks (T/TCGIA 0003-2023 §6.2 c, §6.5.3): When-steps drive the platform through a
// lifecycle sequence and record every answer; Then-steps judge what was recorded.

type T = Parameters<Parameters<typeof forEachTarget>[1]>[0] & { raw: { options?: Record<string, unknown> } };
const each = (w: GmWorld, fn: (t: T) => Promise<void>) => forEachTarget(w, (t) => fn(t as T));
const keyId = (w: GmWorld, id: string) => String(recall<CallObservation>(w, id, 'key')?.data?.output.keyId ?? '');
const DAY = 86400;

function refused(d: CallObservation | undefined, what: string, expectStatus?: number[]): Judgement {
  if (!d) return { passed: false, reason: `没有观察到${what}请求的结果` };
  const ok = !d.accepted && (!expectStatus || expectStatus.includes(d.error?.status ?? 0));
  return {
    passed: ok,
    expected: `${what}被拒绝${expectStatus ? `（HTTP ${expectStatus.join('/')}）` : ''}`,
    observed: d.accepted ? `被接受，返回 ${Object.keys(d.output).join(', ') || '结果'}` : refusal(d),
    reason: ok ? `${what}被拒绝` : d.accepted ? `${what}被接受 / the platform performed it` : `${what}被拒绝，但原因不符（${refusal(d)}）`,
  };
}
function accepted(d: CallObservation | undefined, what: string): Judgement {
  const ok = !!d?.accepted;
  return { passed: ok, expected: `${what}被接受`, observed: d ? (d.accepted ? '被接受' : refusal(d)) : '无结果', reason: ok ? `${what}被接受` : `${what}被拒绝：${d ? refusal(d) : ''}` };
}

/** Encrypts a fresh plaintext with the key (versioned envelope) and remembers both. */
async function encryptSample(w: GmWorld, t: T): Promise<boolean> {
  const plaintext = randomBytes(48);
  const out = await setup(w, t, 'self', 'encryptData', { keyId: keyId(w, t.object.id), plaintext }, 'sample', '用该密钥加密样本数据');
  if (!out) return false;
  w.stateOf(t.object.id).samplePlaintext = plaintext;
  return true;
}
const sample = (w: GmWorld, id: string) => ({ plaintext: w.stateOf(id).samplePlaintext as Buffer, ciphertext: String(got(w, id, 'sample')?.output.ciphertext ?? '') });

// --- purpose-bound use (6.5.3 e) -------------------------------------------------------------------

When('测评工具用该密钥的公钥加密一段数据，并请求平台用这把签名密钥解密', async function (this: GmWorld) {
  await each(this, async (t) => {
    const pub = await setup(this, t, 'self', 'getPublicKey', { keyId: keyId(this, t.object.id) }, 'publicKey', '获取签名密钥的公钥');
    if (!pub || !Buffer.isBuffer(pub.publicKey) || !sm2ValidatePublicKey(pub.publicKey)) return;
    const secret = randomBytes(16);
    this.stateOf(t.object.id).secret = secret;
    await callAs(this, t, 'self', 'sm2Decrypt', { keyId: keyId(this, t.object.id), ciphertext: sm2Encrypt(pub.publicKey, secret, { format: 'der' }) }, 'misuse');
  });
});

Then('平台应拒绝该请求，错误表明密钥用途不符', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '签名密钥不能用于解密（密钥按用途使用）', (d, t) => {
    const secret = this.stateOf(t.object.id).secret as Buffer;
    if (d.accepted) return { passed: false, expected: '拒绝（密钥用途不符）', observed: `解密成功${Buffer.isBuffer(d.output.plaintext) && d.output.plaintext.equals(secret) ? '，得到原数据' : ''}`, reason: '签名密钥被用于解密 / a signing key decrypted' };
    const usage = /USAGE|KEYTYPE|PURPOSE/i.test(`${d.error?.code} ${d.error?.message}`);
    return { passed: usage, expected: '拒绝，错误码表明密钥用途不符', observed: refusal(d), reason: usage ? '请求因密钥用途不符被拒绝' : `请求被拒绝，但错误未表明用途不符（${refusal(d)}）` };
  }, 'misuse');
});

// --- rotation (6.5.3 f, g) -------------------------------------------------------------------------

When('用该密钥加密一段数据，然后轮转该密钥', async function (this: GmWorld) {
  await each(this, async (t) => {
    if (!(await encryptSample(this, t))) return;
    const id = keyId(this, t.object.id);
    const before = await setup(this, t, 'self', 'getKey', { keyId: id }, 'before', '查询密钥信息');
    if (!before) return;
    await callAs(this, t, 'self', 'rotateKey', { keyId: id }, 'rotate');
    await callAs(this, t, 'self', 'getKey', { keyId: id }, 'after');
    await callAs(this, t, 'self', 'decryptData', { keyId: id, ciphertext: sample(this, t.object.id).ciphertext }, 'oldDecrypt');
    await callAs(this, t, 'self', 'encryptData', { keyId: id, plaintext: randomBytes(32) }, 'newEncrypt');
  });
});

Then('密钥的当前版本应比轮转前大 1', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '轮转产生新的密钥版本', (d, t) => {
    const before = Number(got(this, t.object.id, 'before')?.output.primaryVersion);
    const after = Number(d.output.primaryVersion);
    return accepted(got(this, t.object.id, 'rotate'), '轮转').passed && d.accepted
      ? { passed: after === before + 1, expected: `版本 ${before + 1}`, observed: `版本 ${after}`, reason: after === before + 1 ? '轮转后版本加 1' : '轮转后版本号未按预期增加' }
      : accepted(got(this, t.object.id, 'rotate'), '轮转');
  }, 'after');
});

Then('轮转前的密文仍应解密为原数据', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '轮转后旧版本密文仍可解密', (d, t) => {
    const { plaintext } = sample(this, t.object.id);
    if (!d.accepted) return { passed: false, expected: hex(plaintext), observed: refusal(d), reason: '轮转前加密的数据无法再解密 / rotation broke old ciphertext' };
    const same = Buffer.isBuffer(d.output.plaintext) && d.output.plaintext.equals(plaintext);
    return { passed: same, expected: hex(plaintext), observed: hex(d.output.plaintext), reason: same ? '旧密文解密为原数据' : '旧密文解密结果与原数据不同' };
  }, 'oldDecrypt');
});

Then('新的加密应使用新版本密钥', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '轮转后加密使用新版本', (d, t) => {
    const after = Number(got(this, t.object.id, 'after')?.output.primaryVersion);
    if (!d.accepted) return accepted(d, '轮转后的加密');
    const v = Number(d.output.keyVersion);
    return { passed: v === after, expected: `密文标明版本 ${after}`, observed: `版本 ${v}（${String(d.output.ciphertext).slice(0, 12)}…）`, reason: v === after ? '新加密使用当前版本' : '新加密未使用轮转后的版本' };
  }, 'newEncrypt');
});

When('为该密钥配置 {int} 天的自动轮转周期，并让平台时钟前进 {int} 天', async function (this: GmWorld, period: number, days: number) {
  await each(this, async (t) => {
    const id = keyId(this, t.object.id);
    if (!(await setup(this, t, 'self', 'setRotationPolicy', { keyId: id, rotationPeriodDays: period }, 'policy', '配置轮转周期'))) return;
    if (!(await setup(this, t, 'super_admin', 'advanceClock', { advanceSeconds: days * DAY }, 'clock', '推进平台时钟（测试钩子）'))) return;
    await callAs(this, t, 'self', 'getKey', { keyId: id }, 'after');
  });
});

Then('该密钥应已自动轮转到新版本', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '按轮转策略自动轮转', (d) => {
    const v = Number(d.output.primaryVersion);
    return d.accepted ? { passed: v >= 2, expected: '版本 ≥ 2', observed: `版本 ${v}`, reason: v >= 2 ? '到期后密钥已自动轮转' : '轮转周期已过，密钥仍为版本 1 / no automatic rotation' } : accepted(d, '查询密钥');
  }, 'after');
});

// --- destruction (6.5.3 k) -------------------------------------------------------------------------

When('用该密钥加密一段数据，停用该密钥并安排 {int} 天后销毁', async function (this: GmWorld, days: number) {
  await each(this, async (t) => {
    if (!(await encryptSample(this, t))) return;
    const id = keyId(this, t.object.id);
    if (!(await setup(this, t, 'self', 'changeKeyState', { keyId: id, action: 'deactivate' }, 'deactivate', '停用密钥'))) return;
    if (!(await setup(this, t, 'self', 'scheduleKeyDestruction', { keyId: id, pendingWindowDays: days }, 'schedule', '安排销毁'))) return;
    await callAs(this, t, 'self', 'encryptData', { keyId: id, plaintext: randomBytes(16) }, 'pendingUse');
  });
});

Then('待销毁期间该密钥不能用于加密', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '待销毁的密钥不能用于加密', (d) => refused(d, '用待销毁密钥加密', [409]), 'pendingUse');
});

When('平台时钟前进 {int} 天', async function (this: GmWorld, days: number) {
  await each(this, async (t) => {
    if (!(await setup(this, t, 'super_admin', 'advanceClock', { advanceSeconds: days * DAY }, 'clock', '推进平台时钟（测试钩子）'))) return;
    await callAs(this, t, 'self', 'getKey', { keyId: keyId(this, t.object.id) }, 'state');
  });
});

// Emergency destruction is M-of-N approved (reference-platform-api.md §6): the application requests, two administrators
// approve (approvalDecide), the application executes and the key is gone at that moment.
When('用该密钥加密一段数据，然后申请紧急销毁该密钥', async function (this: GmWorld) {
  await each(this, async (t) => {
    if (!(await encryptSample(this, t))) return;
    const r = await setup(this, t, 'self', 'emergencyDestroyKey', { keyId: keyId(this, t.object.id), reason: 'gmeval: 紧急销毁检查' }, 'destroyRequest', '申请紧急销毁');
    if (!r) return;
    const approvalId = String(r.approvalId ?? '');
    this.stateOf(t.object.id).destroyApproval = approvalId;
    await callAs(this, t, 'self', 'getKey', { keyId: keyId(this, t.object.id) }, 'pendingState');
    if (!approvalId) return;
    await callAs(this, t, 'self', 'emergencyDestroyExecute', { keyId: keyId(this, t.object.id), approvalId }, 'execUnapproved');
    // the requester (the application) never approves its own request
    await callAs(this, t, 'self', 'approvalDecide', { approvalId, decision: 'approve' }, 'selfApprove');
    if (!(await setup(this, t, 'business_admin', 'approvalDecide', { approvalId, decision: 'approve' }, 'destroyApprove1', '第一名管理员批准'))) return;
    await callAs(this, t, 'self', 'emergencyDestroyExecute', { keyId: keyId(this, t.object.id), approvalId }, 'execOneApproval');
  });
});

Then('审批通过前该密钥不应被销毁，申请方不能自行批准，只有一人批准时不能执行', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '紧急销毁须经多人审批', (d, t) => {
    const state = String(d.output.state ?? '');
    const approvalId = String(this.stateOf(t.object.id).destroyApproval ?? '');
    const early = got(this, t.object.id, 'execUnapproved');
    const self = got(this, t.object.id, 'selfApprove');
    const one = got(this, t.object.id, 'execOneApproval');
    const notYet = d.accepted && !/^DESTROYED/.test(state) && !!approvalId;
    const blocked = !early?.accepted && !self?.accepted && !!one && !one.accepted;
    const ok = notYet && blocked;
    const show = (x: CallObservation | undefined) => (x ? (x.accepted ? '被接受' : refusal(x)) : '无结果');
    return {
      passed: ok,
      expected: '申请后得到审批单、密钥仍未销毁；未批准执行、申请方自批、一人批准后执行均被拒绝',
      observed: `申请后状态 ${state || '-'}，审批单 ${approvalId || '无'}；未批准执行：${show(early)}；自批：${show(self)}；一人批准后执行：${show(one)}`,
      reason: ok ? '紧急销毁须经两名管理员批准后由申请方执行' : !notYet ? '申请即销毁了密钥，未经审批 / destroyed without approval' : '审批不足时紧急销毁仍可执行',
    };
  }, 'pendingState');
});

When('两名管理员批准该紧急销毁申请后，申请方执行销毁', async function (this: GmWorld) {
  await each(this, async (t) => {
    const approvalId = String(this.stateOf(t.object.id).destroyApproval ?? '');
    // a platform that destroyed on request (no approval object) has nothing left to approve: its state is judged as is
    if (approvalId && !got(this, t.object.id, 'execOneApproval')?.accepted) {
      if (!(await setup(this, t, 'super_admin', 'approvalDecide', { approvalId, decision: 'approve' }, 'destroyApprove2', '第二名管理员批准'))) return;
      if (!(await setup(this, t, 'self', 'emergencyDestroyExecute', { keyId: keyId(this, t.object.id), approvalId }, 'destroy', '执行紧急销毁'))) return;
    }
    await callAs(this, t, 'self', 'getKey', { keyId: keyId(this, t.object.id) }, 'state');
  });
});

Then('该密钥的状态应为已销毁', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '密钥状态为已销毁（元数据保留）', (d) => {
    const s = String(d.output.state ?? '');
    return d.accepted ? { passed: /^DESTROYED/.test(s), expected: 'DESTROYED', observed: s, reason: /^DESTROYED/.test(s) ? '密钥已销毁，元数据仍可查询' : `密钥状态为 ${s}，未销毁` } : accepted(d, '查询已销毁密钥的元数据');
  }, 'state');
});

Then('已销毁的密钥不能再解密此前的密文，也不能导出', async function (this: GmWorld) {
  await each(this, async (t) => {
    const id = keyId(this, t.object.id);
    await callAs(this, t, 'self', 'decryptData', { keyId: id, ciphertext: sample(this, t.object.id).ciphertext }, 'deadDecrypt');
    await callAs(this, t, 'self', 'exportKey', { keyId: id, wrappingPublicKey: sm2GenerateKeyPair().publicKey }, 'deadExport');
  });
  return judgeEach<CallObservation>(this, '已销毁的密钥不可使用、不可导出', (d, t) => {
    const dec = refused(d, '用已销毁密钥解密');
    const exp = refused(got(this, t.object.id, 'deadExport'), '导出已销毁密钥');
    return { passed: dec.passed && exp.passed, expected: '解密与导出都被拒绝', observed: `解密：${dec.observed}；导出：${exp.observed}`, reason: dec.passed && exp.passed ? '已销毁的密钥不能再使用或导出' : '已销毁的密钥仍可使用或导出 / destroyed key still usable' };
  }, 'deadDecrypt');
});

// --- export only as ciphertext (6.5.3 d) -----------------------------------------------------------

Given('以 SM2 数字信封向平台导入一把已知的可导出 SM4 密钥', async function (this: GmWorld) {
  await each(this, async (t) => {
    const p = await setup(this, t, 'self', 'getImportParameters', {}, 'importParameters', '获取导入参数');
    if (!p || !Buffer.isBuffer(p.wrappingPublicKey) || !sm2ValidatePublicKey(p.wrappingPublicKey)) return;
    const known = randomBytes(16);
    this.stateOf(t.object.id).knownKey = known;
    await setup(this, t, 'self', 'importKey', { type: 'SM4', name: `gmeval-export-${Date.now()}`, wrappedKey: sm2Encrypt(p.wrappingPublicKey, known, { format: 'der' }), importToken: String(p.importToken), exportable: true }, 'key', '导入可导出的测试密钥');
  });
});

When('请求以测评工具的 SM2 公钥导出该密钥', async function (this: GmWorld) {
  await each(this, async (t) => {
    const kp = sm2GenerateKeyPair();
    this.stateOf(t.object.id).recipient = kp;
    await callAs(this, t, 'self', 'exportKey', { keyId: keyId(this, t.object.id), wrappingPublicKey: kp.publicKey }, 'export');
  });
});

Then('导出结果中不应出现密钥明文，且用测评工具的私钥解密后应得到原密钥', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '密钥以密文形式导出（SM2 数字信封）', (d, t) => {
    const known = this.stateOf(t.object.id).knownKey as Buffer;
    const kp = this.stateOf(t.object.id).recipient as { privateKey: Buffer };
    if (!d.accepted) return accepted(d, '导出可导出密钥');
    const w = d.output.wrappedKey as Buffer;
    if (w.includes(known)) return { passed: false, expected: '不含密钥明文的 SM2 密文', observed: `导出结果含密钥明文（${w.length} 字节）`, reason: '密钥以明文导出 / key exported in clear' };
    let opened: Buffer | undefined;
    try { opened = sm2Decrypt(kp.privateKey, w, { format: 'der' }); } catch { opened = undefined; }
    const ok = !!opened?.equals(known);
    return { passed: ok, expected: '测评工具私钥解密得到原密钥', observed: opened ? `解密得到 ${opened.length} 字节${ok ? '（与原密钥相同）' : '（与原密钥不同）'}` : '无法用测评工具私钥解密', reason: ok ? '导出结果是发给测评工具的 SM2 密文' : '导出结果不是发给指定公钥的 SM2 密文' };
  }, 'export');
});

// --- backup and restore by key splitting (6.5.3 i) -------------------------------------------------

When('用该密钥加密一段数据，并以 {int} 名保管人、门限 {int} 备份该密钥', async function (this: GmWorld, n: number, threshold: number) {
  await each(this, async (t) => {
    if (!(await encryptSample(this, t))) return;
    const custodians = Array.from({ length: n }, (_, i) => ({ name: `保管人${i + 1}`, key: sm2GenerateKeyPair() }));
    this.stateOf(t.object.id).custodians = custodians;
    const id = keyId(this, t.object.id);
    const b = await setup(this, t, 'self', 'backupKey', { keyId: id, threshold, custodians: custodians.map((c) => ({ name: c.name, publicKey: c.key.publicKey.toString('base64') })) }, 'backup', '备份密钥');
    if (!b) return;
    await callAs(this, t, 'self', 'getBackupRecord', { keyId: id, backupId: String(b.backupId) }, 'record');
  });
});

Then('备份记录应列出发给每名保管人的分量', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '密钥备份对每个分量都有记录', (d, t) => {
    const custodians = (this.stateOf(t.object.id).custodians as { name: string }[]).map((c) => c.name);
    if (!d.accepted) return accepted(d, '查询备份记录');
    const shares = Array.isArray(d.output.shares) ? (d.output.shares as { custodian?: string }[]) : [];
    const listed = custodians.filter((c) => shares.some((s) => s.custodian === c));
    return { passed: listed.length === custodians.length, expected: custodians.join('、'), observed: shares.map((s) => s.custodian).join('、'), reason: listed.length === custodians.length ? '每名保管人的分量均有记录' : '备份记录缺少部分分量' };
  }, 'record');
});

/** The custodians open their SM2-enveloped shares with their own keys, as they would on restore. */
function openShares(w: GmWorld, id: string, count: number): string[] {
  const custodians = w.stateOf(id).custodians as { name: string; key: { privateKey: Buffer } }[];
  const shares = (got(w, id, 'backup')?.output.shares ?? []) as { custodian: string; encryptedShare: string }[];
  return shares.slice(0, count).map((s) => {
    const c = custodians.find((x) => x.name === s.custodian)!;
    return sm2Decrypt(c.key.privateKey, Buffer.from(s.encryptedShare, 'base64'), { format: 'der' }).toString('base64');
  });
}

When('只用 {int} 名保管人的分量请求恢复', async function (this: GmWorld, count: number) {
  await each(this, async (t) => {
    await callAs(this, t, 'self', 'restoreKey', { blob: String(got(this, t.object.id, 'backup')?.output.blob ?? ''), shares: openShares(this, t.object.id, count) }, 'restoreFew');
  });
});

Then('平台应拒绝恢复', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '不足门限的分量不能恢复密钥（知识拆分）', (d) => refused(d, '以不足门限的分量恢复'), 'restoreFew');
});

When('用 {int} 名保管人的分量请求恢复', async function (this: GmWorld, count: number) {
  await each(this, async (t) => {
    const r = await callAs(this, t, 'self', 'restoreKey', { blob: String(got(this, t.object.id, 'backup')?.output.blob ?? ''), shares: openShares(this, t.object.id, count) }, 'restore');
    if (r.data?.accepted) await callAs(this, t, 'self', 'decryptData', { keyId: String(r.data.output.keyId), ciphertext: sample(this, t.object.id).ciphertext }, 'restoredDecrypt');
  });
});

Then('恢复出的密钥应能解密备份前的密文', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '以门限数量的分量恢复的密钥可用', (d, t) => {
    const r = got(this, t.object.id, 'restore');
    if (!r?.accepted) return accepted(r, '以门限数量的分量恢复');
    const { plaintext } = sample(this, t.object.id);
    const same = d.accepted && Buffer.isBuffer(d.output.plaintext) && d.output.plaintext.equals(plaintext);
    return { passed: same, expected: hex(plaintext), observed: d.accepted ? hex(d.output.plaintext) : refusal(d), reason: same ? '恢复的密钥解密出备份前的数据' : '恢复的密钥不能解密备份前的数据' };
  }, 'restoredDecrypt');
});

// --- archive (6.5.3 h) and suspension (6.2 c) -------------------------------------------------------

When('用该密钥加密一段数据，停用并归档该密钥', async function (this: GmWorld) {
  await each(this, async (t) => {
    if (!(await encryptSample(this, t))) return;
    const id = keyId(this, t.object.id);
    if (!(await setup(this, t, 'self', 'changeKeyState', { keyId: id, action: 'deactivate' }, 'deactivate', '停用密钥'))) return;
    if (!(await setup(this, t, 'self', 'changeKeyState', { keyId: id, action: 'archive' }, 'archive', '归档密钥'))) return;
    await callAs(this, t, 'self', 'encryptData', { keyId: id, plaintext: randomBytes(16) }, 'archivedEncrypt');
    await callAs(this, t, 'self', 'decryptData', { keyId: id, ciphertext: sample(this, t.object.id).ciphertext }, 'archivedDecrypt');
  });
});

Then('归档的密钥不能用于加密', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '归档密钥不能用于加密', (d) => refused(d, '用归档密钥加密', [409]), 'archivedEncrypt');
});

Then('归档的密钥仍应能解密此前的密文', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '归档密钥长期保存、仍可解密历史数据', (d, t) => {
    const { plaintext } = sample(this, t.object.id);
    const same = d.accepted && Buffer.isBuffer(d.output.plaintext) && d.output.plaintext.equals(plaintext);
    return { passed: same, expected: hex(plaintext), observed: d.accepted ? hex(d.output.plaintext) : refusal(d), reason: same ? '归档密钥仍能解密历史密文' : '归档密钥不能解密历史密文' };
  }, 'archivedDecrypt');
});

When('冻结该密钥后请求签名，再解冻后请求签名', async function (this: GmWorld) {
  await each(this, async (t) => {
    const id = keyId(this, t.object.id);
    if (!(await setup(this, t, 'self', 'changeKeyState', { keyId: id, action: 'suspend' }, 'suspend', '冻结密钥'))) return;
    await callAs(this, t, 'self', 'sign', { keyId: id, data: randomBytes(32) }, 'suspendedSign');
    if (!(await setup(this, t, 'self', 'changeKeyState', { keyId: id, action: 'resume' }, 'resume', '解冻密钥'))) return;
    await callAs(this, t, 'self', 'sign', { keyId: id, data: randomBytes(32) }, 'resumedSign');
  });
});

Then('冻结期间的签名应被拒绝，解冻后的签名应被接受', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '密钥状态在服务端执行（冻结/解冻）', (d, t) => {
    const a = refused(d, '冻结期间签名', [409]);
    const b = accepted(got(this, t.object.id, 'resumedSign'), '解冻后签名');
    return { passed: a.passed && b.passed, expected: '冻结时拒绝，解冻后接受', observed: `冻结时：${a.observed}；解冻后：${b.observed}`, reason: a.passed && b.passed ? '状态被正确执行' : `${a.passed ? '' : a.reason}${b.passed ? '' : ` ${b.reason}`}`.trim() };
  }, 'suspendedSign');
});

// --- audit of key management (6.5.3 i, k) ------------------------------------------------------------

Then('审计日志应记录对该密钥的{string}操作', async function (this: GmWorld, action: string) {
  await each(this, async (t) => {
    await callAs(this, t, 'auditor', 'auditRecords', { resourceId: keyId(this, t.object.id), action }, 'keyAudit');
  });
  return judgeEach<CallObservation>(this, `密钥${action}操作生成审计记录`, (d) => {
    if (!d.accepted) return accepted(d, '审计员查询审计记录');
    const recs = Array.isArray(d.output.records) ? (d.output.records as { entry?: string }[]) : [];
    const ok = recs.some((r) => { try { const e = JSON.parse(String(r.entry)); return e.action === action && e.outcome === 'SUCCESS' && e.ts && e.actor?.id; } catch { return false; } });
    return { passed: ok, expected: `一条 ${action} 记录（操作者、时间、结果）`, observed: `${recs.length} 条记录`, reason: ok ? '审计日志记录了该操作' : '未找到该操作的审计记录' };
  }, 'keyAudit');
});


