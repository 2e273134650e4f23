import { Given, Then, When } from '@cucumber/cucumber';
import { randomBytes, randomUUID } from 'node:crypto';
import { sm2GenerateKeyPair, sm2Verify, sm3 } from '../lib/gm/index.ts';
import type { CallObservation } from '../probes/api/call.ts';
import { forEachTarget, judgeEach, remember, type Judgement } from './support/judge.ts';
import type { GmWorld } from './support/world.ts';
import { callAs, got, refusal, setup } from './platform-support/roles.ts';
import { leafHashWith, verifyConsistency, verifyInclusion } from './platform-support/rfc6962-verify.ts';

// Applications and access control (§6.4 b/g, §6.5.8 c), administration (§6.5.6 b), audit (§6.5.7) and the
// resource pool (§6.1.4 a). Sequences that change shared platform state (a policy, a device fault, a
// tampered record) restore it inside the same When-step, so a failed judgement never leaves it behind.

type T = Parameters<Parameters<typeof forEachTarget>[1]>[0] & { raw: { options?: Record<string, unknown> } };
const each = (w: GmWorld, fn: (t: T) => Promise<void>) => forEachTarget(w, (t) => fn(t as T));
const refusedAs = (d: CallObservation | undefined, what: string, statuses: number[], codeRe?: RegExp): Judgement => {
  if (!d) return { passed: false, reason: `没有观察到${what}的结果` };
  const ok = !d.accepted && statuses.includes(d.error?.status ?? 0) && (!codeRe || codeRe.test(`${d.error?.code}`));
  return { passed: ok, expected: `${what}被拒绝（HTTP ${statuses.join('/')}${codeRe ? `，${codeRe.source}` : ''}）`, observed: d.accepted ? '被接受' : refusal(d), reason: ok ? `${what}被拒绝` : d.accepted ? `${what}被接受` : `${what}被拒绝，但原因不符（${refusal(d)}）` };
};
const acceptedAs = (d: CallObservation | undefined, what: string): Judgement => ({ passed: !!d?.accepted, expected: `${what}被接受`, observed: d ? (d.accepted ? '被接受' : refusal(d)) : '无结果', reason: d?.accepted ? `${what}被接受` : `${what}被拒绝` });
const both = (a: Judgement, b: Judgement): Judgement => ({ passed: a.passed && b.passed, expected: `${a.expected}；${b.expected}`, observed: `${a.observed}；${b.observed}`, reason: a.passed && b.passed ? `${a.reason}；${b.reason}` : [a, b].filter((x) => !x.passed).map((x) => x.reason).join('；') });
const entries = (d: CallObservation | undefined) => (Array.isArray(d?.output.records) ? (d!.output.records as { seq: number; entry: string }[]) : []);

// --- tenant isolation (6.5.8 c) and access-control policy (6.4 b) ----------------------------------

Given(/^另一个接入应用在平台内生成一把 ?(SM4|SM2 签名) ?密钥$/, async function (this: GmWorld, kind: string) {
  await each(this, async (t) => {
    await setup(this, t, 'peer', 'generateKey', { type: kind === 'SM4' ? 'SM4' : 'SM2_SIGN', name: `gmeval-peer-${Date.now()}` }, 'peerKey', '另一个应用生成密钥');
  });
});
const peerKey = (w: GmWorld, id: string) => String(got(w, id, 'peerKey')?.output.keyId ?? '');

When('本应用用该密钥标识请求加密和查询密钥信息', async function (this: GmWorld) {
  await each(this, async (t) => {
    await callAs(this, t, 'self', 'encryptData', { keyId: peerKey(this, t.object.id), plaintext: randomBytes(16) }, 'foreignUse');
    await callAs(this, t, 'self', 'getKey', { keyId: peerKey(this, t.object.id) }, 'foreignRead');
  });
});

Then('平台应答复密钥不存在，且未执行运算', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '应用之间的密钥相互独立、不可相互使用', (d, t) =>
    both(refusedAs(d, '用其他应用的密钥加密', [404]), refusedAs(got(this, t.object.id, 'foreignRead'), '查询其他应用的密钥', [404])), 'foreignUse');
});

When('业务管理员将该应用的访问控制策略限定为只能做杂凑运算，该应用随后请求签名和杂凑', async function (this: GmWorld) {
  await each(this, async (t) => {
    const me = await setup(this, t, 'peer', 'whoAmI', {}, 'peerSelf', '查询第二个应用的标识');
    if (!me) return;
    const appId = String(me.appId);
    if (!(await setup(this, t, 'business_admin', 'setAppPolicy', { appId, operations: ['hash'], keyIds: null }, 'policy', '设置访问控制策略'))) return;
    try {
      await callAs(this, t, 'peer', 'sign', { keyId: peerKey(this, t.object.id), data: randomBytes(16) }, 'deniedSign');
      await callAs(this, t, 'peer', 'hash', { algorithm: 'SM3', data: randomBytes(16) }, 'allowedHash');
    } finally {
      await callAs(this, t, 'business_admin', 'setAppPolicy', { appId, operations: null, keyIds: null }, 'policyReset');
    }
  });
});

Then('策略不允许的签名请求应被拒绝，策略允许的杂凑请求应被接受', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '按访问控制策略控制接入应用的访问', (d, t) =>
    both(refusedAs(d, '策略不允许的签名', [403]), acceptedAs(got(this, t.object.id, 'allowedHash'), '策略允许的杂凑')), 'deniedSign');
});

// --- administrators: two factors (6.5.6 b), separation of duties (6.4 g) ----------------------------

When('系统管理员分别以完整双因子、错误的 SM2 密钥和只有口令的方式登录并访问管理接口', async function (this: GmWorld) {
  await each(this, async (t) => {
    await callAs(this, t, 'super_admin', 'adminWhoAmI', {}, 'loginValid');
    await callAs(this, t, 'super_admin', 'adminWhoAmI', {}, 'loginWrongKey', { auth: 'wrong-second-factor' });
    await callAs(this, t, 'super_admin', 'adminWhoAmI', {}, 'loginPasswordOnly', { auth: 'password-only' });
  });
});

Then('只有通过口令和 SM2 挑战应答两个因子的登录才被接受', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '管理员双因子身份鉴别（口令 + SM2 挑战应答）', (d, t) => {
    const valid = acceptedAs(d, '完整双因子登录');
    const wrong = refusedAs(got(this, t.object.id, 'loginWrongKey'), '以未登记的 SM2 密钥应答挑战的登录', [401]);
    const pw = refusedAs(got(this, t.object.id, 'loginPasswordOnly'), '只有口令的登录', [401]);
    const all = [valid, wrong, pw];
    return { passed: all.every((j) => j.passed), expected: all.map((j) => j.expected).join('；'), observed: all.map((j) => j.observed).join('；'), reason: all.every((j) => j.passed) ? '只有双因子登录被接受' : all.filter((j) => !j.passed).map((j) => j.reason).join('；') };
  }, 'loginValid');
});

When('系统管理员创建一名同时具有业务管理员和审计员角色的管理员', async function (this: GmWorld) {
  await each(this, async (t) => {
    await callAs(this, t, 'super_admin', 'createAdmin', { username: `gmeval-sod-${randomUUID().slice(0, 8)}`, password: randomBytes(18).toString('base64url'), publicKey: sm2GenerateKeyPair().publicKey, roles: ['business_admin', 'auditor'] }, 'sod');
  });
});

Then('平台应以职责分离为由拒绝', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '同一人员不能兼任相互冲突的管理角色', (d) => refusedAs(d, '分配冲突角色', [409], /SOD|SEPARATION|CONFLICT/i), 'sod');
});

When('审计员请求修改接入应用的访问控制策略', async function (this: GmWorld) {
  await each(this, async (t) => {
    const me = await setup(this, t, 'peer', 'whoAmI', {}, 'peerSelf', '查询第二个应用的标识');
    if (!me) return;
    // the requested change is the default policy, so that even a wrongly accepted request changes nothing
    await callAs(this, t, 'auditor', 'setAppPolicy', { appId: String(me.appId), operations: null, keyIds: null }, 'auditorPolicy');
  });
});

Then('平台应以权限不足拒绝', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '审计员不能执行业务管理操作（越权访问被拒绝）', (d) => refusedAs(d, '审计员修改访问控制策略', [403]), 'auditorPolicy');
});

// --- audit (6.5.7) ----------------------------------------------------------------------------------

When('本应用请求用一个不存在的密钥加密', async function (this: GmWorld) {
  await each(this, async (t) => {
    const id = `gmeval-missing-${randomUUID()}`;
    this.stateOf(t.object.id).missingKey = id;
    await callAs(this, t, 'self', 'encryptData', { keyId: id, plaintext: randomBytes(16) }, 'refusedOp');
    await callAs(this, t, 'auditor', 'auditRecords', { resourceId: id }, 'refusalAudit');
  });
});

Then('审计员应能查到这次被拒绝操作的记录，含操作者、操作、时间和结果', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '被拒绝的操作也生成审计记录（谁、做什么、何时、结果）', (d, t) => {
    const op = got(this, t.object.id, 'refusedOp');
    if (op?.accepted) return { passed: false, reason: '对不存在密钥的请求未被拒绝，无法检查' };
    if (!d.accepted) return acceptedAs(d, '审计员查询审计记录');
    const rec = entries(d).map((r) => { try { return JSON.parse(r.entry) as Record<string, unknown>; } catch { return {}; } })
      .find((e) => e.outcome !== 'SUCCESS' && e.ts && (e.actor as { id?: string } | undefined)?.id && e.action);
    return { passed: !!rec, expected: '一条结果为拒绝的记录，含 actor、action、ts、outcome', observed: rec ? JSON.stringify(rec).slice(0, 300) : `${entries(d).length} 条记录`, reason: rec ? '被拒绝的操作已记录' : '被拒绝的操作没有审计记录' };
  }, 'refusalAudit');
});

When('审计员先后取得两个签名检查点及审计公钥，并取得最新记录的包含证明和两个检查点间的一致性证明', async function (this: GmWorld) {
  await each(this, async (t) => {
    const first = await setup(this, t, 'auditor', 'auditCheckpoint', {}, 'cp1', '获取检查点');
    if (!first) return;
    // one more security-relevant action, so that the log grows between the two checkpoints
    await setup(this, t, 'self', 'generateKey', { type: 'SM4', name: `gmeval-audit-${Date.now()}` }, 'grow', '生成密钥');
    const cp = await setup(this, t, 'auditor', 'auditCheckpoint', {}, 'cp2', '获取检查点');
    if (!cp) return;
    await setup(this, t, 'auditor', 'auditPublicKey', {}, 'auditKey', '获取审计公钥');
    const size = Number(cp.size);
    const recs = await setup(this, t, 'auditor', 'auditRecords', {}, 'allRecords', '获取审计记录');
    if (!recs) return;
    const last = entries({ accepted: true, output: recs } as CallObservation).filter((r) => r.seq < size).pop();
    this.stateOf(t.object.id).lastRecord = last;
    if (last) await callAs(this, t, 'auditor', 'auditInclusionProof', { seq: last.seq, treeSize: size }, 'inclusion');
    await callAs(this, t, 'auditor', 'auditConsistencyProof', { first: Number(first.size), second: size }, 'consistency');
  });
});

const b64s = (v: unknown) => (Array.isArray(v) ? v.map((x) => Buffer.from(String(x), 'base64')) : []);

Then('检查点的 SM2 签名应能用审计公钥验证', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '审计检查点由平台 SM2 签名（日志完整性的密码保护）', (d, t) => {
    const pub = got(this, t.object.id, 'auditKey')?.output.publicKey as Buffer | undefined;
    const note = String(d.output.note ?? '');
    let ok = false;
    try { ok = !!pub && sm2Verify(pub, Buffer.from(note, 'utf8'), d.output.signature as Buffer, { format: 'der' }); } catch { ok = false; }
    const rootInNote = note.split('\n')[2] === (d.output.rootHash as Buffer).toString('base64') && note.split('\n')[1] === String(d.output.size);
    return { passed: ok && rootInNote, expected: '签名按 GB/T 32918.2 验证通过，签名内容含树大小与根', observed: `${ok ? '签名有效' : '签名无效'}；${rootInNote ? '根与大小在签名内容中' : '签名内容与检查点不符'}`, reason: ok && rootInNote ? '检查点签名有效' : '检查点没有有效的 SM2 签名 / checkpoint not signed' };
  }, 'cp2');
});

Then('该记录的包含证明和两个检查点间的一致性证明应由测评工具独立验证通过', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '审计日志的包含与一致性证明（RFC 6962，SM3）独立验证', (d, t) => {
    const last = this.stateOf(t.object.id).lastRecord as { seq: number; entry: string } | undefined;
    const cp1 = got(this, t.object.id, 'cp1')!.output;
    const cp2 = got(this, t.object.id, 'cp2')!.output;
    if (!last) return { passed: false, reason: '审计日志中没有记录' };
    if (!d.accepted) return acceptedAs(d, '获取包含证明');
    const leaf = leafHashWith(sm3, Buffer.from(last.entry, 'utf8'));
    const inc = verifyInclusion(sm3, leaf, last.seq, Number(cp2.size), b64s(d.output.path), cp2.rootHash as Buffer);
    const c = got(this, t.object.id, 'consistency');
    const cons = !!c?.accepted && verifyConsistency(sm3, Number(cp1.size), Number(cp2.size), cp1.rootHash as Buffer, cp2.rootHash as Buffer, b64s(c.output.path));
    return { passed: inc && cons, expected: '包含证明与一致性证明均验证通过', observed: `记录 ${last.seq} 包含证明${inc ? '通过' : '不通过'}；${cp1.size}→${cp2.size} 一致性证明${cons ? '通过' : '不通过'}`, reason: inc && cons ? '日志只追加、记录未被改动' : '证明不能验证' };
  }, 'inclusion');
});

When('一条审计记录在存储中被篡改后，审计员请求平台校验审计日志并独立验证该记录', async function (this: GmWorld) {
  await each(this, async (t) => {
    const cp = await setup(this, t, 'auditor', 'auditCheckpoint', {}, 'cp', '获取检查点');
    if (!cp) return;
    const size = Number(cp.size);
    const seq = Math.max(0, size - 1);
    this.stateOf(t.object.id).tamperedSeq = seq;
    if (!(await setup(this, t, 'super_admin', 'tamperAuditRecord', { seq }, 'tamper', '篡改审计记录（测试钩子）'))) return;
    try {
      await callAs(this, t, 'auditor', 'auditVerify', {}, 'verify');
      const recs = await callAs(this, t, 'auditor', 'auditRecords', {}, 'records');
      const rec = entries(recs.data).find((r) => r.seq === seq);
      this.stateOf(t.object.id).tamperedEntry = rec?.entry;
      await callAs(this, t, 'auditor', 'auditInclusionProof', { seq, treeSize: size }, 'inclusion');
    } finally {
      // the same hook again restores the record
      await callAs(this, t, 'super_admin', 'tamperAuditRecord', { seq }, 'restore');
    }
  });
});

Then('平台的校验结果应指出该记录被篡改', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '平台能发现被篡改的审计记录', (d, t) => {
    const seq = this.stateOf(t.object.id).tamperedSeq as number;
    const r = (d.output.result ?? {}) as { firstBadSeq?: number };
    const ok = d.accepted && d.output.status === 'TAMPERED' && r.firstBadSeq === seq;
    return { passed: ok, expected: `TAMPERED，首个异常记录 ${seq}`, observed: d.accepted ? `${String(d.output.status)}${r.firstBadSeq !== undefined ? `，首个异常记录 ${r.firstBadSeq}` : ''}` : refusal(d), reason: ok ? '校验发现了篡改' : '被篡改的记录未被发现 / tampering not detected' };
  }, 'verify');
});

Then('独立验证应发现该记录与签名检查点不符', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '被篡改的记录不能通过包含证明验证', (d, t) => {
    const seq = this.stateOf(t.object.id).tamperedSeq as number;
    const entry = this.stateOf(t.object.id).tamperedEntry as string | undefined;
    const cp = got(this, t.object.id, 'cp')!.output;
    if (!entry || !d.accepted) return { passed: false, reason: '未取得被篡改记录或其包含证明', observed: d.accepted ? '无记录' : refusal(d) };
    const ok = verifyInclusion(sm3, leafHashWith(sm3, Buffer.from(entry, 'utf8')), seq, Number(cp.size), b64s(d.output.path), cp.rootHash as Buffer);
    return { passed: !ok, expected: '包含证明验证失败', observed: ok ? '验证通过' : '验证失败', reason: ok ? '被篡改的记录仍能通过验证' : '篡改被独立验证发现' };
  }, 'inclusion');
});

// --- resource pool health (6.1.4 a) -----------------------------------------------------------------

When('运维人员让一台密码设备发生故障并执行健康检测，随后生成 {int} 把密钥，再排除故障并执行健康检测', async function (this: GmWorld, n: number) {
  await each(this, async (t) => {
    const list = await setup(this, t, 'business_admin', 'listDevices', {}, 'devices', '查询设备列表');
    if (!list) return;
    const devices = (Array.isArray(list.devices) ? list.devices : []) as { deviceId: string; state: string }[];
    const victim = devices.filter((d) => d.state === 'ONLINE').pop();
    if (!victim || devices.filter((d) => d.state === 'ONLINE').length < 2) {
      remember(this, t.object.id, { probe: 'api', object: t.object, at: new Date().toISOString(), notTested: { reason: 'inconclusive', detail: '资源池中可用设备少于 2 台，无法检查调度' }, evidence: [] }, 'healthDown');
      return;
    }
    this.stateOf(t.object.id).victim = victim.deviceId;
    if (!(await setup(this, t, 'business_admin', 'injectDeviceFault', { deviceId: victim.deviceId, mode: 'ERROR' }, 'fault', '注入设备故障（测试钩子）'))) return;
    try {
      await callAs(this, t, 'business_admin', 'runHealthCheck', {}, 'healthDown');
      const keys: CallObservation[] = [];
      for (let i = 0; i < n; i++) {
        const k = await callAs(this, t, 'self', 'generateKey', { type: 'SM4', name: `gmeval-sched-${i}` }, `sched${i}`);
        if (k.data) keys.push(k.data);
      }
      this.stateOf(t.object.id).scheduled = keys;
    } finally {
      await callAs(this, t, 'business_admin', 'injectDeviceFault', { deviceId: victim.deviceId, mode: 'NONE' }, 'unfault');
      await callAs(this, t, 'business_admin', 'runHealthCheck', {}, 'healthUp');
    }
  });
});

const stateOfDevice = (d: CallObservation | undefined, id: string) => ((d?.output.devices ?? []) as { deviceId: string; state: string }[]).find((x) => x.deviceId === id)?.state;

Then('故障设备应被移出调度，故障期间生成的密钥均不在该设备上，排除故障后该设备恢复可用', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '健康检测发现异常时停止对该资源的调度并在恢复后重新纳入', (d, t) => {
    const victim = String(this.stateOf(t.object.id).victim);
    const down = stateOfDevice(d, victim);
    const keys = (this.stateOf(t.object.id).scheduled ?? []) as CallObservation[];
    const bad = keys.filter((k) => !k.accepted || k.output.deviceId === victim);
    const up = stateOfDevice(got(this, t.object.id, 'healthUp'), victim);
    const ok = d.accepted && down !== 'ONLINE' && down !== undefined && keys.length > 0 && bad.length === 0 && up === 'ONLINE';
    return {
      passed: ok,
      expected: `故障后 ${victim} 不为 ONLINE；${keys.length} 把密钥全部生成且都不在 ${victim}；恢复后 ONLINE`,
      observed: `故障后：${down}；密钥：${keys.map((k) => (k.accepted ? String(k.output.deviceId) : `拒绝(${refusal(k)})`)).join(', ')}；恢复后：${up}`,
      reason: ok ? '故障设备被移出调度并在恢复后重新纳入' : bad.length ? '故障设备仍被调度 / an unhealthy device was scheduled' : '设备健康状态未按预期变化',
    };
  }, 'healthDown');
});
