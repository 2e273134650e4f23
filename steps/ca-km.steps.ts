import { Then, When } from '@cucumber/cucumber';
import { randomBytes } from 'node:crypto';
import { sm2GenerateKeyPair, sm3, type Sm2KeyPair } from '../lib/gm/index.ts';
import { openEnvelopedKey } from '../lib/ca/enveloped-key.ts';
import { bytesEqual } from '../lib/pki/der.ts';
import { parseCertificate } from '../lib/pki/x509.ts';
import type { CallObservation } from '../probes/api/call.ts';
import type { Observation } from '../probes/observation.ts';
import { requestTimestamp, type TsaAnswer } from '../probes/tsa/probe.ts';
import { judgeEach, remember } from './support/judge.ts';
import type { GmWorld } from './support/world.ts';
import { accepted, callAs, each, type CaTarget, endpointOf, got, lintErrors, refusal, setupAs, subscriberOf } from './ca-common.steps.ts';

// KM centre checks (GM/T 0038 7.3, 7.6) and the time-stamp protocol (GM/T 0037 8.14).

// --- escrow (7.6) --------------------------------------------------------------------------------------

Then('加密证书的公钥应为 KM 为该证书序列号生成并托管的密钥', async function (this: GmWorld) {
  await each(this, async (t) => {
    const s = subscriberOf(this, t.object.id);
    if (s) await callAs(this, t, 'business_admin', 'kmKeyInfo', { userCertNo: s.encSerial }, 'kmKey');
  });
  return judgeEach<CallObservation>(this, '加密证书使用 KM 生成并托管的密钥（GM/T 0015 e_pair_enc_key_not_from_km）', (d, t) => {
    // 404 is itself the finding (the KM holds no key for that certificate); any other refusal leaves nothing to compare
    if (!d.accepted && d.error?.status !== 404) return accepted(d, '查询 KM 密钥记录');
    const s = subscriberOf(this, t.object.id)!;
    const records = d.accepted ? [{ userCertNo: s.encSerial, publicKey: d.output.publicKey as Buffer }] : [];
    const errs = lintErrors('加密证书', s.encDer, s.chain, 'enc', { kmRecords: records }).filter((e) => e.startsWith('e_pair_enc_key_not_from_km'));
    return {
      passed: errs.length === 0,
      expected: `KM 为序列号 ${s.encSerial} 托管的公钥与加密证书的公钥相同`,
      observed: d.accepted ? (errs.length ? errs.join('；') : '一致') : `KM 无该序列号的密钥记录（${refusal(d)}）`,
      reason: errs.length ? '加密证书的密钥不是 KM 生成并托管的密钥：KM 无法恢复该密钥 / encryption key not from the KM' : '加密证书的密钥由 KM 生成并托管',
    };
  }, 'kmKey');
});

Then('KM 的在用库应包含已分配的加密密钥，备用库不为空', async function (this: GmWorld) {
  await each(this, async (t) => { if (subscriberOf(this, t.object.id)) await callAs(this, t, 'self', 'kmPoolStats', {}, 'stores'); });
  return judgeEach<CallObservation>(this, 'KM 密钥库（备用库 / 在用库 / 历史库）', (d) => {
    if (!d.accepted) return accepted(d, '查询 KM 密钥库');
    const s = (d.output.stores ?? {}) as Record<string, number>;
    const ok = Number(s.IN_USE) >= 1 && Number(s.POOL) >= 1 && 'HISTORY' in s;
    return { passed: ok, expected: '在用库 ≥ 1，备用库 ≥ 1，有历史库', observed: JSON.stringify(s), reason: ok ? 'KM 按备用库、在用库、历史库管理加密密钥' : 'KM 密钥库不符合要求' };
  }, 'stores');
});

Then('KM 保存的托管记录中不应出现该加密私钥的明文', async function (this: GmWorld) {
  await each(this, async (t) => {
    const s = subscriberOf(this, t.object.id);
    if (s) await callAs(this, t, 'super_admin', 'kmEscrowRecord', { userCertNo: s.encSerial }, 'escrow');
  });
  return judgeEach<CallObservation>(this, 'KM 托管的私钥以密文保存', (d, t) => {
    if (!d.accepted) return accepted(d, '读取托管记录（测试钩子）');
    const s = subscriberOf(this, t.object.id)!;
    let d32: Buffer;
    try { d32 = openEnvelopedKey(s.envelope, s.keys.privateKey).privateKey; } catch (e) { return { passed: false, expected: '可打开的数字信封', observed: (e as Error).message, reason: '无法从数字信封取得加密私钥作比对' }; }
    const stored = d.output.stored as Buffer;
    const leak = stored.includes(d32) || stored.includes(Buffer.from(d32.toString('hex'))) || stored.includes(Buffer.from(d32.toString('base64')));
    return { passed: !leak, expected: '托管记录中不含私钥明文', observed: `格式 ${String(d.output.format)}，${stored.length} 字节${leak ? '，含私钥明文' : ''}`, reason: leak ? 'KM 以明文保存加密私钥 / escrowed key stored in clear' : '托管私钥以密文保存' };
  }, 'escrow');
});

// --- judicial recovery (7.3) ------------------------------------------------------------------------

When('司法取证员为该订户的加密证书提交司法取证申请', async function (this: GmWorld) {
  await each(this, async (t) => {
    const s = subscriberOf(this, t.object.id);
    if (!s) return;
    const officer = sm2GenerateKeyPair();
    this.stateOf(t.object.id).officer = officer;
    const r = await setupAs(this, t, 'judicial_officer', 'judicialRecoveryRequest', { caseNumber: `（2025）测字第${randomBytes(2).readUInt16BE()}号`, documentDigest: sm3(Buffer.from('gmeval legal document')).toString('hex'), userCertNo: s.encSerial, officerPublicKey: officer.publicKey }, 'judicial', '提交司法取证申请');
    if (!r) return;
    const id = String(r.recoveryId);
    this.stateOf(t.object.id).recoveryId = id;
    await callAs(this, t, 'judicial_officer', 'judicialRecoveryExecute', { recoveryId: id }, 'execNone');
    await callAs(this, t, 'judicial_officer', 'approvalDecide', { approvalId: id, decision: 'approve' }, 'selfApprove');
  });
});

Then('未经批准执行应被拒绝，申请人也不能批准自己的申请', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '未经批准不能执行，申请人不能自批', (d, t) => {
    const self = got(this, t.object.id, 'selfApprove');
    const ok = !d.accepted && !!self && !self.accepted;
    return { passed: ok, expected: '执行被拒绝；自批被拒绝', observed: `执行：${d.accepted ? '被接受' : refusal(d)}；自批：${self ? (self.accepted ? '被接受' : refusal(self)) : '无结果'}`, reason: ok ? '未经批准不能执行，申请人不能自批' : '司法取证未经批准即可执行或申请人可自批' };
  }, 'execNone');
});

When('一名业务管理员批准后，司法取证员尝试执行', async function (this: GmWorld) {
  await each(this, async (t) => {
    const id = String(this.stateOf(t.object.id).recoveryId ?? '');
    if (!(await setupAs(this, t, 'business_admin', 'approvalDecide', { approvalId: id, decision: 'approve' }, 'approve1', '第一名管理员批准'))) return;
    await callAs(this, t, 'judicial_officer', 'judicialRecoveryExecute', { recoveryId: id }, 'execOne');
  });
});

Then('只有一人批准时执行仍应被拒绝', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '司法取证需两名不同管理员批准', (d) => {
    const ok = !d.accepted;
    return { passed: ok, expected: '拒绝（批准人数不足）', observed: d.accepted ? '执行成功，得到加密私钥' : refusal(d), reason: ok ? '一人批准不足以执行司法取证' : '一人批准即可执行司法取证 / single approval released the key' };
  }, 'execOne');
});

When('另一名审计管理员也批准后，司法取证员执行', async function (this: GmWorld) {
  await each(this, async (t) => {
    const id = String(this.stateOf(t.object.id).recoveryId ?? '');
    const first = got(this, t.object.id, 'execOne');
    // with a one-approval platform the first execution already happened; the key must still be judged
    if (first?.accepted) { remember(this, t.object.id, { probe: 'api', object: t.object, at: new Date().toISOString(), data: first, evidence: [] }, 'execTwo'); return; }
    if (!(await setupAs(this, t, 'audit_admin', 'approvalDecide', { approvalId: id, decision: 'approve' }, 'approve2', '第二名管理员批准'))) return;
    await callAs(this, t, 'judicial_officer', 'judicialRecoveryExecute', { recoveryId: id }, 'execTwo');
  });
});

Then('司法取证员应得到以其公钥保护的加密私钥，且与加密证书的公钥匹配', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '司法取证结果以数字信封交付给司法取证员', (d, t) => {
    if (!d.accepted) return accepted(d, '两人批准后执行司法取证');
    const s = subscriberOf(this, t.object.id)!;
    const officer = this.stateOf(t.object.id).officer as Sm2KeyPair;
    try {
      const k = openEnvelopedKey(d.output.encryptedPrivateKey as Buffer, officer.privateKey);
      const ok = bytesEqual(k.publicKey, parseCertificate(s.encDer).spki.publicKey);
      return { passed: ok, expected: '以司法取证员公钥保护、与加密证书匹配的私钥', observed: ok ? '匹配' : '不匹配', reason: ok ? '恢复的密钥只交付给司法取证员，且正确' : '恢复的密钥与加密证书不匹配' };
    } catch (e) {
      return { passed: false, expected: 'GM/T 0009 SM2EnvelopedKey', observed: (e as Error).message, reason: '司法取证结果不是以司法取证员公钥保护的数字信封' };
    }
  }, 'execTwo');
});

Then('审计日志应记录这次司法取证', async function (this: GmWorld) {
  await each(this, async (t) => {
    const s = subscriberOf(this, t.object.id);
    if (s) await callAs(this, t, 'auditor', 'auditRecords', { action: 'KM_JUDICIAL_RECOVERY', resourceId: s.encSerial }, 'judicialAudit');
  });
  return judgeEach<CallObservation>(this, '司法取证有审计记录', (d) => {
    if (!d.accepted) return accepted(d, '审计员查询审计日志');
    const recs = (d.output.records ?? []) as { entry: string }[];
    const ok = recs.some((r) => /KM_JUDICIAL_RECOVERY/.test(r.entry) && /approvers/.test(r.entry));
    return { passed: ok, expected: '含 KM_JUDICIAL_RECOVERY 记录（案件、批准人）', observed: `${recs.length} 条`, reason: ok ? '司法取证已记入审计日志' : '审计日志中没有这次司法取证' };
  }, 'judicialAudit');
});

// --- time stamps (GM/T 0037 8.14) -----------------------------------------------------------------

When('对一段数据的 SM3 杂凑请求时间戳', async function (this: GmWorld) {
  await each(this, async (t) => {
    const url = endpointOf(this, t, 'tsa');
    const obs: Observation<TsaAnswer> = url
      ? await requestTimestamp({ url, data: randomBytes(200), object: t.object, evidence: t.evidence, name: 'tsa', timeoutMs: this.ctx.timeouts.requestMs })
      : { probe: 'tsa', object: t.object, at: new Date().toISOString(), notTested: { reason: 'not_offered', detail: `测评对象 ${t.object.id} 未配置 options.tsa` }, evidence: [] };
    remember(this, t.object.id, obs, 'tsa');
  });
});

Then('时间戳应被授予，签名可用时间戳服务证书验证，且该证书的扩展密钥用法为 timeStamping', async function (this: GmWorld) {
  return judgeEach<TsaAnswer>(this, '时间戳签名有效（SM2/SM3）', (a) => {
    const ok = a.httpStatus === 200 && (a.status === 0 || a.status === 1) && a.signatureValid === true && a.tsaHasTimeStampingEku === true && a.essCertIdMatches === true;
    return { passed: ok, expected: '状态 granted，SM2 签名有效，TSA 证书 EKU timeStamping，ESSCertIDv2 匹配', observed: `HTTP ${a.httpStatus} 状态 ${a.status ?? '-'}；${a.problems.join('；') || '签名有效'}；EKU ${a.tsaHasTimeStampingEku ? '有' : '无'}；ESSCertIDv2 ${a.essCertIdMatches ? '匹配' : '不匹配'}`, reason: ok ? '时间戳签名有效' : '时间戳未授予或签名不可验证' };
  }, 'tsa');
});

Then('时间戳应绑定所请求的杂凑值、采用配置的策略并回送请求中的随机数', async function (this: GmWorld) {
  return judgeEach<TsaAnswer>(this, '时间戳绑定杂凑值与随机数', (a, t) => {
    const policy = (t as unknown as CaTarget).raw.options?.tsaPolicy;
    const imprint = a.imprintReturned === a.imprintSent && a.hashOid === '1.2.156.10197.1.401';
    const pol = policy === undefined || a.policy === String(policy);
    const nonce = a.nonceReturned === a.nonceSent;
    const ok = imprint && pol && nonce;
    return { passed: ok, expected: `SM3 杂凑 ${a.imprintSent.slice(0, 16)}…，策略 ${String(policy ?? '任意')}，随机数 ${a.nonceSent}`, observed: `杂凑${imprint ? '一致' : '不一致'}，策略 ${a.policy ?? '-'}，随机数 ${a.nonceReturned ?? '未回送'}`, reason: ok ? '时间戳绑定了请求的杂凑值与随机数' : !nonce ? '时间戳未回送随机数' : '时间戳未绑定请求的杂凑值或策略不符' };
  }, 'tsa');
});

Then('时间戳服务证书应通过 GM\\/T 0015 与 RFC 3161 证书检查', async function (this: GmWorld) {
  return judgeEach<TsaAnswer>(this, '时间戳服务证书符合 GM/T 0015 与 RFC 3161', (a, t) => {
    if (!a.tsaCertificate) return { passed: false, expected: '时间戳中携带或配置了时间戳服务证书', observed: a.problems.join('；') || '无证书', reason: '没有可检查的时间戳服务证书' };
    // issuers: what the token carried plus the CA chain of the subscriber enrolled earlier in this run, if any
    const chain = [...(a.tokenCertificates ?? []).map((b) => Buffer.from(b, 'base64')), ...(subscriberOf(this, t.object.id)?.chain ?? [])];
    const errs = lintErrors('时间戳服务证书', Buffer.from(a.tsaCertificate, 'base64'), chain);
    return { passed: errs.length === 0, expected: 'GM/T 0015 / RFC 3161 证书检查无错误级问题', observed: errs.join('；') || '无错误', reason: errs.length ? '时间戳服务证书不符合 GM/T 0015 或 RFC 3161' : '时间戳服务证书格式符合要求' };
  }, 'tsa');
});

// --- KM roles (licence material KM 三.5.3.6) ----------------------------------------------------------

When('业务管理员为该订户的加密证书提交司法取证申请，司法取证员查询并补充 KM 备用库', async function (this: GmWorld) {
  await each(this, async (t) => {
    const s = subscriberOf(this, t.object.id);
    if (!s) return;
    await callAs(this, t, 'business_admin', 'judicialRecoveryRequest', { caseNumber: `（2025）测字第${randomBytes(2).readUInt16BE()}号`, documentDigest: sm3(Buffer.from('gmeval role check')).toString('hex'), userCertNo: s.encSerial, officerPublicKey: sm2GenerateKeyPair().publicKey }, 'adminJudicial');
    await callAs(this, t, 'judicial_officer', 'kmPoolStats', {}, 'officerPool');
    await callAs(this, t, 'judicial_officer', 'kmReplenishPool', {}, 'officerReplenish');
  });
});

Then('这三项操作都应因权限不足被拒绝', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '司法取证员与业务管理员的权限分离', (d, t) => {
    const pool = got(this, t.object.id, 'officerPool');
    const rep = got(this, t.object.id, 'officerReplenish');
    const denied = (x: CallObservation | undefined) => !!x && !x.accepted && x.error?.status === 403;
    const show = (x: CallObservation | undefined) => (x ? (x.accepted ? '被接受' : refusal(x)) : '无结果');
    const ok = denied(d) && denied(pool) && denied(rep);
    return {
      passed: ok, expected: '三项均 403',
      observed: `业务管理员申请司法取证：${show(d)}；司法取证员查询备用库：${show(pool)}；司法取证员补充备用库：${show(rep)}`,
      reason: ok ? '司法取证只能由司法取证员申请，司法取证员不能管理密钥库' : '越权操作被接受 / KM role separation broken',
    };
  }, 'adminJudicial');
});
