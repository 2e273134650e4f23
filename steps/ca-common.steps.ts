import { Given, Then, When } from '@cucumber/cucumber';
import { randomBytes } from 'node:crypto';
import { sm2GenerateKeyPair, type Sm2KeyPair } from '../lib/gm/index.ts';
import { buildCsr } from '../lib/ca/pkcs10.ts';
import { openEnvelopedKey } from '../lib/ca/enveloped-key.ts';
import { lintLoaded } from '../lib/lint/lint-objects.ts';
import type { LintOptions } from '../lib/lint/types.ts';
import { loadPkiObjects } from '../lib/pki/input.ts';
import { parseCertificate } from '../lib/pki/x509.ts';
import { bytesEqual, parseDer } from '../lib/pki/der.ts';
import { sm2Verify, SM2_DEFAULT_ID } from '../lib/gm/index.ts';
import { observeCall, type ApiTarget, type CallObservation } from '../probes/api/call.ts';
import type { Fields } from '../probes/adapters/index.ts';
import type { Observation } from '../probes/observation.ts';
import { queryOcsp, type OcspAnswer } from '../probes/ocsp/probe.ts';
import { fetchCrl, type CrlView } from '../probes/crl/probe.ts';
import { forEachTarget, judgeEach, recall, remember, type Judgement } from './support/judge.ts';
import type { GmWorld } from './support/world.ts';

// Certificate-authority checks (GM/T 0034 §12, GM/T 0037, licence material): When-steps drive the RA as the
// administrators the profile names per role, and query OCSP / CRL as a relying party; Then-steps judge.

export type CaTarget = ApiTarget & { raw: { adapter?: string; options?: Record<string, unknown> } };
export type CaRole = 'self' | 'ra_entry' | 'ra_review' | 'ra_issue' | 'business_admin' | 'auditor' | 'super_admin' | 'judicial_officer' | 'audit_admin';
export const each = (w: GmWorld, fn: (t: CaTarget) => Promise<void>) => forEachTarget(w, (t) => fn(t as CaTarget));

export interface Subscriber {
  keys: Sm2KeyPair; requestId: string; signSerial: string; encSerial: string;
  signDer: Buffer; encDer: Buffer; envelope: Buffer; issuerDer: Buffer; chain: Buffer[];
}

async function viewAs(w: GmWorld, t: CaTarget, role: CaRole): Promise<ApiTarget | string> {
  if (role === 'self') return t;
  const name = (t.raw.options?.adminAdapters as Record<string, unknown> | undefined)?.[role];
  if (typeof name !== 'string') return `测评对象 ${t.object.id} 未在 options.adminAdapters 中配置 ${role}`;
  const adapter = await w.adapterNamed(name);
  return adapter ? { ...t, adapter } : `适配器 ${name} 未配置`;
}

export async function callAs(w: GmWorld, t: CaTarget, role: CaRole, op: string, input: Fields, key: string): Promise<Observation<CallObservation>> {
  const v = await viewAs(w, t, role);
  const obs: Observation<CallObservation> = typeof v === 'string'
    ? { probe: 'api', object: t.object, at: new Date().toISOString(), notTested: { reason: 'not_offered', detail: v }, evidence: [] }
    : await observeCall(v, op, input, {}, `${key}-${op}`);
  remember(w, t.object.id, obs, key);
  return obs;
}

export const refusal = (d: CallObservation) => `${d.error?.status ?? ''} ${d.error?.code ?? ''} ${d.error?.message ?? ''}`.trim();
export const got = (w: GmWorld, id: string, key: string) => recall<CallObservation>(w, id, key)?.data;

/** A call whose success the check depends on: a refusal makes the object not tested (inconclusive). */
export async function setupAs(w: GmWorld, t: CaTarget, role: CaRole, op: string, input: Fields, key: string, what: string): Promise<Fields | undefined> {
  const obs = await callAs(w, t, role, op, input, key);
  if (!obs.data) return undefined;
  if (!obs.data.accepted) {
    remember(w, t.object.id, { ...obs, data: undefined, notTested: { reason: 'inconclusive', detail: `${what}未成功 / set-up refused: ${refusal(obs.data)}` } }, key);
    return undefined;
  }
  return obs.data.output;
}

/** An OCSP / CRL / TSA address from the object's options: absolute, or relative to its adapter's endpoint. */
export function endpointOf(w: GmWorld, t: CaTarget, option: string): string | undefined {
  const v = t.raw.options?.[option];
  if (typeof v !== 'string') return undefined;
  if (/^https?:\/\//.test(v)) return v;
  const a = t.raw.adapter ? (w.ctx.adapters[t.raw.adapter] as { baseUrl?: string } | undefined) : undefined;
  if (!a?.baseUrl) return undefined;
  return new URL(v, a.baseUrl.endsWith('/') ? a.baseUrl : `${a.baseUrl}/`).href;
}

export function pemCertificates(pem: string): Buffer[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
}

export const subscriberOf = (w: GmWorld, id: string, key = 'subscriber') => w.stateOf(id)[key] as Subscriber | undefined;

const SUBJECT = () => ({ C: 'CN', O: 'gmeval 测评', OU: 'CA 检查', CN: `订户-${randomBytes(4).toString('hex')}` });

/**
 * The whole RA flow for one subscriber: 录入 (ENTRY) → 审核 (REVIEW) → 制证 (ISSUE) → 下载. Every step is a set-up
 * call: if one is refused the object's checks are not tested, with the platform's reason.
 */
export async function enrol(w: GmWorld, t: CaTarget, key = 'subscriber', o: { type?: string; targetSerial?: string; keys?: Sm2KeyPair } = {}): Promise<Subscriber | undefined> {
  const keys = o.keys ?? sm2GenerateKeyPair();
  const csr = buildCsr(keys, [['C', 'CN'], ['CN', 'gmeval subscriber']]);
  const sub = await setupAs(w, t, 'ra_entry', 'raSubmitRequest', { type: o.type ?? 'ENROLL', profile: 'user-sign', subject: SUBJECT(), csr: Buffer.from(csr), ...(o.targetSerial ? { targetSerial: o.targetSerial } : {}) }, `${key}-submit`, '录入证书申请');
  if (!sub) return undefined;
  const requestId = String(sub.requestId);
  if (!(await setupAs(w, t, 'ra_review', 'raReviewRequest', { requestId, decision: 'approve' }, `${key}-review`, '审核证书申请'))) return undefined;
  const iss = await setupAs(w, t, 'ra_issue', 'raIssueRequest', { requestId }, `${key}-issue`, '制证');
  if (!iss) return undefined;
  const dl = await setupAs(w, t, 'ra_issue', 'raDownloadResult', { requestId }, `${key}-download`, '下载证书');
  if (!dl) return undefined;
  const chain = pemCertificates(String(dl.chain ?? ''));
  const s: Subscriber = {
    keys, requestId, signSerial: String(iss.signSerial), encSerial: String(iss.encSerial), signDer: dl.signCertificate as Buffer, encDer: dl.encCertificate as Buffer,
    envelope: dl.encryptedPrivateKey as Buffer, issuerDer: chain[0] ?? Buffer.alloc(0), chain,
  };
  w.stateOf(t.object.id)[key] = s;
  t.evidence.save(`${key}-sign.cer`, 'application/pkix-cert', s.signDer);
  t.evidence.save(`${key}-enc.cer`, 'application/pkix-cert', s.encDer);
  return s;
}

export const serialOf = (der: Uint8Array) => BigInt('0x' + Buffer.from(parseCertificate(der).serial.node.content).toString('hex'));

export async function ocspFor(w: GmWorld, t: CaTarget, s: Subscriber, serial: bigint, key: string): Promise<void> {
  const url = endpointOf(w, t, 'ocsp');
  const obs: Observation<OcspAnswer> = url
    ? await queryOcsp({ url, issuerDer: s.issuerDer, serial, object: t.object, evidence: t.evidence, name: key, timeoutMs: w.ctx.timeouts.requestMs })
    : { probe: 'ocsp', object: t.object, at: new Date().toISOString(), notTested: { reason: 'not_offered', detail: `测评对象 ${t.object.id} 未配置 options.ocsp` }, evidence: [] };
  remember(w, t.object.id, obs, key);
}

export async function crlFor(w: GmWorld, t: CaTarget, s: Subscriber, key: string): Promise<void> {
  const url = endpointOf(w, t, 'crl');
  const obs: Observation<CrlView> = url
    ? await fetchCrl({ url, issuerDer: s.issuerDer, object: t.object, evidence: t.evidence, name: key, timeoutMs: w.ctx.timeouts.requestMs })
    : { probe: 'crl', object: t.object, at: new Date().toISOString(), notTested: { reason: 'not_offered', detail: `测评对象 ${t.object.id} 未配置 options.crl` }, evidence: [] };
  remember(w, t.object.id, obs, key);
}

/** GM/T 0015 lints (lib/lint) on a certificate or CRL, with the CA chain as context; returns error-level findings. */
export function lintErrors(name: string, der: Uint8Array, chain: Buffer[], type?: 'sign' | 'enc', options: LintOptions = {}): string[] {
  const ctxObjects = chain.flatMap((c) => loadPkiObjects(c).objects);
  const runs = [lintLoaded([{ name, objects: loadPkiObjects(der).objects }, { name: 'chain', objects: ctxObjects, contextOnly: true }], { options })];
  // the type a certificate was issued as (an encryption certificate stays one even if its key usage says otherwise)
  if (type) runs.push(lintLoaded([{ name, objects: loadPkiObjects(der).objects }], { type, options }));
  const out = new Set<string>();
  for (const reports of runs) for (const r of reports) if (r.input === name) for (const x of r.results) if (x.status === 'error' || x.status === 'fatal') out.add(`${x.lint}: ${x.message ?? ''}`);
  return [...out];
}

export function signedBy(der: Uint8Array, issuerDer: Uint8Array): boolean {
  try {
    const r = parseDer(der);
    const issuer = parseCertificate(issuerDer);
    const c = parseCertificate(der);
    return bytesEqual(c.issuer.node.bytes, issuer.subject.node.bytes) && sm2Verify(issuer.spki.publicKey, r.children![0]!.bytes, r.children![2]!.content.subarray(1), { id: SM2_DEFAULT_ID, format: 'der' });
  } catch {
    return false;
  }
}

export const REASON_NAMES: Record<string, number> = { 未指定: 0, 密钥泄露: 1, 从属关系改变: 3, 被替代: 4, 停止使用: 5, 证书冻结: 6, 权限撤销: 9 };
export const REASON_API: Record<string, string> = { 密钥泄露: 'keyCompromise', 被替代: 'superseded', 停止使用: 'cessationOfOperation', 未指定: 'unspecified' };
export const accepted = (d: CallObservation | undefined, what: string): Judgement => ({ passed: !!d?.accepted, expected: `${what}被接受`, observed: d ? (d.accepted ? '被接受' : refusal(d)) : '无结果', reason: d?.accepted ? `${what}被接受` : `${what}被拒绝：${d ? refusal(d) : ''}` });

// --- objects ---------------------------------------------------------------------------------------

Given('被测对象为证书认证系统', async function (this: GmWorld) {
  await this.selectObjects('ca-system');
});

Given('被测对象为密钥管理系统', async function (this: GmWorld) {
  await this.selectObjects('km-system');
});

Given('CA 已为一名订户签发双证书', async function (this: GmWorld) {
  await each(this, async (t) => { await enrol(this, t); });
});

// --- 12.1 application ------------------------------------------------------------------------------

When('录入员以订户自行生成的 SM2 签名密钥提交证书申请，审核员审核通过，制证员制证并下载', async function (this: GmWorld) {
  await each(this, async (t) => {
    const s = await enrol(this, t);
    if (s) remember(this, t.object.id, { probe: 'ca', object: t.object, at: new Date().toISOString(), data: s, evidence: [] }, 'issued');
  });
});

Then('签名证书与加密证书应由签发 CA 以 SM2\\/SM3 签名，并通过 GM\\/T 0015 证书检查', async function (this: GmWorld) {
  return judgeEach<Subscriber>(this, '签发的双证书符合 GM/T 0015 且由 CA 签名', (s) => {
    const sig = signedBy(s.signDer, s.issuerDer) && signedBy(s.encDer, s.issuerDer);
    const errs = [...lintErrors('签名证书', s.signDer, s.chain, 'sign').map((e) => `签名证书 ${e}`), ...lintErrors('加密证书', s.encDer, s.chain, 'enc').map((e) => `加密证书 ${e}`)];
    const ok = sig && !errs.length;
    return { passed: ok, expected: '两张证书均由签发 CA 的 SM2 密钥签名，GM/T 0015 检查无错误', observed: `${sig ? '签名有效' : '签名无效或签发者不符'}；${errs.length ? errs.join('；') : '检查无错误'}`, reason: ok ? '双证书由 CA 签发且格式符合 GM/T 0015' : '签发的证书不符合 GM/T 0015 或签名无效' };
  }, 'issued');
});

Then('用订户签名私钥打开数字信封得到的加密私钥应与加密证书的公钥匹配', async function (this: GmWorld) {
  return judgeEach<Subscriber>(this, '加密私钥以数字信封交付且与加密证书匹配', (s) => {
    try {
      const k = openEnvelopedKey(s.envelope, s.keys.privateKey);
      const match = bytesEqual(k.publicKey, parseCertificate(s.encDer).spki.publicKey);
      return { passed: match, expected: '信封中的密钥对与加密证书公钥一致', observed: match ? '一致' : '不一致', reason: match ? '加密私钥经 SM2 数字信封交付，与加密证书匹配' : '信封中的密钥与加密证书的公钥不匹配' };
    } catch (e) {
      return { passed: false, expected: 'GM/T 0009 SM2EnvelopedKey，可用签名私钥打开', observed: (e as Error).message, reason: '加密私钥的数字信封无法打开或格式不符' };
    }
  }, 'issued');
});

When('录入员提交一份用其他私钥签名的 PKCS#10 证书请求', async function (this: GmWorld) {
  await each(this, async (t) => {
    const keys = sm2GenerateKeyPair();
    const csr = buildCsr(keys, [['C', 'CN'], ['CN', 'gmeval pop check']], { signWith: sm2GenerateKeyPair().privateKey });
    await callAs(this, t, 'ra_entry', 'raSubmitRequest', { type: 'ENROLL', profile: 'user-sign', subject: SUBJECT(), csr: Buffer.from(csr) }, 'badCsr');
  });
});

Then('RA 应拒绝该请求，错误表明请求签名无效', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '证书请求须证明持有签名私钥', (d) => {
    if (d.accepted) return { passed: false, expected: '拒绝（请求签名无效）', observed: `被接受，申请 ${String(d.output.requestId)}`, reason: '签名无效的 PKCS#10 请求被接受：未验证私钥持有' };
    const sig = /CSR|SIGNATURE|POSSESSION|签名/i.test(`${d.error?.code} ${d.error?.message}`);
    return { passed: sig, expected: '拒绝，错误表明请求签名无效', observed: refusal(d), reason: sig ? '签名无效的请求被拒绝' : `请求被拒绝，但原因不是签名无效（${refusal(d)}）` };
  }, 'badCsr');
});

// --- 12.2 update -----------------------------------------------------------------------------------

When('该订户以新的签名密钥申请证书更新，经审核与制证', async function (this: GmWorld) {
  await each(this, async (t) => {
    const old = subscriberOf(this, t.object.id);
    if (!old) return;
    const s = await enrol(this, t, 'renewed', { type: 'REKEY', targetSerial: old.signSerial });
    if (!s) return;
    remember(this, t.object.id, { probe: 'ca', object: t.object, at: new Date().toISOString(), data: s, evidence: [] }, 'renewedObs');
    await ocspFor(this, t, old, BigInt('0x' + old.signSerial), 'oldOcsp');
  });
});

Then('新签名证书应使用新的签名公钥', async function (this: GmWorld) {
  return judgeEach<Subscriber>(this, '更新后的签名证书使用新公钥', (s, t) => {
    const old = subscriberOf(this, t.object.id)!;
    const pub = parseCertificate(s.signDer).spki.publicKey;
    const ok = bytesEqual(pub, s.keys.publicKey) && !bytesEqual(pub, old.keys.publicKey) && s.signSerial !== old.signSerial;
    return { passed: ok, expected: '新序列号、新公钥', observed: `序列号 ${s.signSerial}（原 ${old.signSerial}）`, reason: ok ? '更新签发了使用新公钥的新证书' : '更新后的证书未使用新的签名公钥' };
  }, 'renewedObs');
});

// --- OCSP / CRL judgements ---------------------------------------------------------------------------

function ocspRevoked(a: OcspAnswer, reasonName: string): Judgement {
  const want = REASON_NAMES[reasonName];
  const ok = a.responseStatus === 'successful' && a.signatureValid === true && a.certStatus === 'revoked' && a.reason === want && !!a.revokedAt;
  return {
    passed: ok, expected: `revoked，原因 ${reasonName}（${want}），含撤销时间，响应签名有效`,
    observed: `${a.responseStatus} ${a.certStatus ?? '-'} 原因 ${a.reason ?? '无'} 时间 ${a.revokedAt ?? '无'} 签名${a.signatureValid ? '有效' : '无效'}`,
    reason: ok ? `OCSP 报告已撤销（${reasonName}）` : `OCSP 未正确报告撤销状态（${reasonName}）`,
  };
}

Then('OCSP 应报告旧签名证书已撤销，原因为{string}', async function (this: GmWorld, reason: string) {
  return judgeEach<OcspAnswer>(this, `被替代的旧证书在 OCSP 中为已撤销（${reason}）`, (a) => ocspRevoked(a, reason), 'oldOcsp');
});

When('管理员以{string}为由撤销该订户的签名证书', async function (this: GmWorld, reason: string) {
  await each(this, async (t) => {
    const s = subscriberOf(this, t.object.id);
    if (!s) return;
    // a CRL is current before the change, so the check sees whether the change itself reissues it
    await crlFor(this, t, s, 'crlBefore');
    if (!(await setupAs(this, t, 'self', 'changeCertificateStatus', { serial: s.signSerial, action: 'revoke', reason: REASON_API[reason] ?? 'unspecified' }, 'revoke', '撤销证书'))) return;
    await ocspFor(this, t, s, BigInt('0x' + s.signSerial), 'ocsp');
    await crlFor(this, t, s, 'crl');
  });
});

When('管理员冻结该订户的签名证书', async function (this: GmWorld) {
  await each(this, async (t) => {
    const s = subscriberOf(this, t.object.id);
    if (!s) return;
    await crlFor(this, t, s, 'crlBefore');
    if (!(await setupAs(this, t, 'self', 'changeCertificateStatus', { serial: s.signSerial, action: 'hold' }, 'hold', '冻结证书'))) return;
    await ocspFor(this, t, s, BigInt('0x' + s.signSerial), 'ocsp');
    await crlFor(this, t, s, 'crl');
  });
});

Then('OCSP 应报告该证书已撤销，原因为{string}，并给出撤销时间', async function (this: GmWorld, reason: string) {
  return judgeEach<OcspAnswer>(this, `OCSP 立即反映状态变化（${reason}）`, (a) => ocspRevoked(a, reason), 'ocsp');
});

Then('CRL 应列出该证书，原因为{string}', async function (this: GmWorld, reason: string) {
  return judgeEach<CrlView>(this, `CRL 立即列出该证书（${reason}）`, (c, t) => {
    const s = subscriberOf(this, t.object.id)!;
    const want = REASON_NAMES[reason];
    const e = c.entries.find((x) => x.serial === BigInt('0x' + s.signSerial).toString(16));
    // the revocation time the CRL gives must be the one OCSP reports (same second): one state, two channels
    const ocspAt = recall<OcspAnswer>(this, t.object.id, 'ocsp')?.data?.revokedAt;
    const sameTime = !ocspAt || !e?.revokedAt || Math.abs(Date.parse(ocspAt) - Date.parse(e.revokedAt)) < 1000;
    const ok = c.signatureValid === true && !!e && (e.reason ?? 0) === want && sameTime;
    return { passed: ok, expected: `CRL（签名有效）列出 ${s.signSerial}，原因 ${want}，撤销时间与 OCSP 一致`, observed: `CRL #${c.crlNumber ?? '?'}，${c.entries.length} 项；${e ? `原因 ${e.reason ?? '无'}，时间 ${e.revokedAt ?? '无'}（OCSP ${ocspAt ?? '-'}）` : '未列出该证书'}；签名${c.signatureValid ? '有效' : '无效'}`, reason: ok ? 'CRL 已更新并列出该证书' : !sameTime ? 'CRL 与 OCSP 给出的撤销时间不一致' : 'CRL 未及时反映该证书的状态' };
  }, 'crl');
});

// --- 12.7 release ------------------------------------------------------------------------------------

When('管理员对未冻结的签名证书执行解冻', async function (this: GmWorld) {
  await each(this, async (t) => {
    const s = subscriberOf(this, t.object.id);
    if (!s) return;
    await callAs(this, t, 'self', 'changeCertificateStatus', { serial: s.signSerial, action: 'release' }, 'badRelease');
    await callAs(this, t, 'self', 'getCertificate', { serial: s.signSerial }, 'afterBadRelease');
  });
});

Then('平台应拒绝该操作，且证书状态仍为有效', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '只能解冻已冻结的证书', (d, t) => {
    const after = got(this, t.object.id, 'afterBadRelease');
    const status = String(after?.output.status ?? '?');
    const ok = !d.accepted && d.error?.status === 409 && status === 'VALID';
    return { passed: ok, expected: '拒绝（HTTP 409 状态冲突），证书仍为 VALID', observed: `${d.accepted ? '解冻被接受' : refusal(d)}；状态 ${status}`, reason: ok ? '对未冻结证书的解冻被拒绝' : '对未冻结的证书解冻被当作成功处理' };
  }, 'badRelease');
});

When('管理员冻结该签名证书后再解冻', async function (this: GmWorld) {
  await each(this, async (t) => {
    const s = subscriberOf(this, t.object.id);
    if (!s) return;
    if (!(await setupAs(this, t, 'self', 'changeCertificateStatus', { serial: s.signSerial, action: 'hold' }, 'hold', '冻结证书'))) return;
    if (!(await setupAs(this, t, 'self', 'changeCertificateStatus', { serial: s.signSerial, action: 'release' }, 'release', '解冻证书'))) return;
    await ocspFor(this, t, s, BigInt('0x' + s.signSerial), 'ocsp');
  });
});

Then('OCSP 应报告该证书有效（good）', async function (this: GmWorld) {
  return judgeEach<OcspAnswer>(this, '解冻后 OCSP 报告有效', (a) => {
    const ok = a.responseStatus === 'successful' && a.signatureValid === true && a.certStatus === 'good';
    return { passed: ok, expected: 'good（签名有效）', observed: `${a.responseStatus} ${a.certStatus ?? '-'}`, reason: ok ? '解冻后证书恢复有效' : '解冻后 OCSP 未报告有效' };
  }, 'ocsp');
});

// --- licence material: OCSP unknown, CRL management, RA dual control, roles --------------------------

When('以签发 CA 的名义查询一个从未签发的序列号', async function (this: GmWorld) {
  await each(this, async (t) => {
    const s = subscriberOf(this, t.object.id);
    if (!s) return;
    const never = BigInt('0x7f' + randomBytes(15).toString('hex'));
    await ocspFor(this, t, s, never, 'ocsp');
  });
});

Then('OCSP 应回答 unknown，而不是 good', async function (this: GmWorld) {
  return judgeEach<OcspAnswer>(this, '从未签发的序列号不得回答 good', (a) => {
    const ok = a.responseStatus === 'successful' ? a.certStatus === 'unknown' : a.responseStatus === 'unauthorized';
    return { passed: ok, expected: 'unknown（或 unauthorized），绝不为 good', observed: `${a.responseStatus} ${a.certStatus ?? '-'}（序列号 ${a.serialAsked}）`, reason: ok ? '未签发的序列号回答 unknown' : a.certStatus === 'good' ? 'OCSP 对从未签发的序列号回答 good' : 'OCSP 对未签发序列号的回答不正确' };
  }, 'ocsp');
});

Then('OCSP 响应应回送请求中的随机数，签名应可用 CA 签发的 OCSP 签名证书验证', async function (this: GmWorld) {
  return judgeEach<OcspAnswer>(this, 'OCSP 回送随机数，响应签名有效', (a) => {
    const nonce = !!a.nonceSent && a.nonceReturned === a.nonceSent;
    const sig = a.signatureValid === true && (a.signer === 'issuer' || (a.signer === 'delegated' && !!a.delegatedHasOcspSigning && !!a.delegatedIssuedByIssuer));
    return { passed: nonce && sig, expected: `随机数 ${a.nonceSent}；签名者为 CA 或其签发的 OCSP 签名证书`, observed: `随机数 ${a.nonceReturned ?? '未回送'}；签名者 ${a.signer ?? '-'}${a.signer === 'delegated' ? `（OCSPSigning ${a.delegatedHasOcspSigning ? '有' : '无'}，由 CA 签发 ${a.delegatedIssuedByIssuer ? '是' : '否'}）` : ''}`, reason: nonce && sig ? '随机数回送，签名有效' : !nonce ? 'OCSP 未回送随机数' : 'OCSP 响应签名者不可信或签名无效' };
  }, 'ocsp');
});

Then('OCSP 响应及其签名证书应通过 RFC 6960 与 GM\\/T 0015 检查', async function (this: GmWorld) {
  return judgeEach<OcspAnswer>(this, 'OCSP 响应与签名证书符合 RFC 6960 / GM/T 0015', (a, t) => {
    if (!a.response) return { passed: false, expected: '一个 OCSP 响应', observed: a.responseStatus, reason: '没有可检查的 OCSP 响应' };
    const s = subscriberOf(this, t.object.id);
    const chain = s?.chain ?? [];
    const der = Buffer.from(a.response, 'base64');
    const errs = lintErrors('OCSP 响应', der, chain).map((e) => `响应 ${e}`);
    // the delegated responder certificates the response carries are certificates the run met: lint them too
    for (const o of loadPkiObjects(der).objects) {
      if (o.object?.kind !== 'ocsp') continue;
      for (const c of o.object.basic?.certs ?? []) errs.push(...lintErrors('OCSP 签名证书', c.der, chain).map((e) => `签名证书 ${e}`));
    }
    return { passed: errs.length === 0, expected: 'RFC 6960 / GM/T 0015 检查无错误级问题', observed: errs.join('；') || '无错误', reason: errs.length ? 'OCSP 响应或其签名证书不符合 RFC 6960 / GM/T 0015' : 'OCSP 响应与签名证书格式符合要求' };
  }, 'ocsp');
});

When('获取当前 CRL，管理员按需签发 CRL 并撤销该订户的签名证书后，再次获取 CRL', async function (this: GmWorld) {
  await each(this, async (t) => {
    const s = subscriberOf(this, t.object.id);
    if (!s) return;
    await crlFor(this, t, s, 'crlBefore');
    const caId = String(t.raw.options?.issuingCa ?? 'sub');
    if (!(await setupAs(this, t, 'self', 'issueCrlNow', { caId }, 'crlNow', '按需签发 CRL'))) return;
    if (!(await setupAs(this, t, 'self', 'changeCertificateStatus', { serial: s.signSerial, action: 'revoke', reason: 'cessationOfOperation' }, 'revoke', '撤销证书'))) return;
    await crlFor(this, t, s, 'crl');
  });
});

Then('CRL 应由签发 CA 以 SM2\\/SM3 签名，并通过 GM\\/T 0015 CRL 检查', async function (this: GmWorld) {
  return judgeEach<CrlView>(this, 'CRL 由 CA 以 SM2/SM3 签名且符合 GM/T 0015', (c, t) => {
    const s = subscriberOf(this, t.object.id)!;
    const errs = c.der ? lintErrors('CRL', c.der, s.chain) : ['无法获取'];
    const ok = c.httpStatus === 200 && c.signatureValid === true && c.issuerMatches === true && !errs.length;
    return { passed: ok, expected: 'HTTP 200，签发者为 CA，SM2 签名有效，检查无错误', observed: `HTTP ${c.httpStatus}，签发者${c.issuerMatches ? '一致' : '不符'}，签名${c.signatureValid ? '有效' : '无效'}；${errs.join('；') || '检查无错误'}`, reason: ok ? 'CRL 格式与签名正确' : 'CRL 格式或签名不符合要求' };
  }, 'crlBefore');
});

Then('CRL 编号应递增，新的 CRL 应列出被撤销的证书', async function (this: GmWorld) {
  return judgeEach<CrlView>(this, 'CRL 编号递增且撤销后立即更新', (c, t) => {
    const before = recall<CrlView>(this, t.object.id, 'crlBefore')?.data;
    const s = subscriberOf(this, t.object.id)!;
    const n0 = BigInt(before?.crlNumber ?? '-1');
    const n1 = BigInt(c.crlNumber ?? '-1');
    const listed = c.entries.some((e) => e.serial === BigInt('0x' + s.signSerial).toString(16));
    const ok = n1 >= n0 + 2n && listed && c.signatureValid === true;
    return { passed: ok, expected: `编号 ≥ ${n0 + 2n}（按需签发与撤销各产生一份），列出 ${s.signSerial}`, observed: `编号 ${n0} → ${n1}；${listed ? '已列出' : '未列出'}被撤销的证书`, reason: ok ? 'CRL 按需签发并在撤销后立即更新' : 'CRL 未按需签发或撤销后未立即更新' };
  }, 'crl');
});

When('同一名操作员录入证书申请后尝试审核自己的申请', async function (this: GmWorld) {
  await each(this, async (t) => {
    const csr = buildCsr(sm2GenerateKeyPair(), [['CN', 'gmeval dual control']]);
    const sub = await setupAs(this, t, 'ra_review', 'raSubmitRequest', { type: 'ENROLL', profile: 'user-sign', subject: SUBJECT(), csr: Buffer.from(csr) }, 'ownSubmit', '审核员录入证书申请');
    if (!sub) return;
    this.stateOf(t.object.id).ownRequest = String(sub.requestId);
    await callAs(this, t, 'ra_review', 'raReviewRequest', { requestId: String(sub.requestId), decision: 'approve' }, 'selfReview');
  });
});

Then('RA 应拒绝自行审核，申请仍待审核', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '审核员不能审核自己录入的申请', (d) => {
    const ok = !d.accepted && [403, 409].includes(d.error?.status ?? 0);
    return { passed: ok, expected: '拒绝（403/409）', observed: d.accepted ? `被接受，状态 ${String(d.output.state)}` : refusal(d), reason: ok ? '自行审核被拒绝' : '录入人审核通过了自己的申请（无双人控制）' };
  }, 'selfReview');
});

When('制证员对尚未审核通过的申请制证', async function (this: GmWorld) {
  await each(this, async (t) => {
    const csr = buildCsr(sm2GenerateKeyPair(), [['CN', 'gmeval unreviewed']]);
    const sub = await setupAs(this, t, 'ra_entry', 'raSubmitRequest', { type: 'ENROLL', profile: 'user-sign', subject: SUBJECT(), csr: Buffer.from(csr) }, 'pendingSubmit', '录入证书申请');
    if (!sub) return;
    await callAs(this, t, 'ra_issue', 'raIssueRequest', { requestId: String(sub.requestId) }, 'earlyIssue');
  });
});

Then('RA 应拒绝制证', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '未经审核的申请不能制证', (d) => {
    const ok = !d.accepted;
    return { passed: ok, expected: '拒绝（申请未审核）', observed: d.accepted ? `已制证：${String(d.output.signSerial)}` : refusal(d), reason: ok ? '未审核的申请不能制证' : '未经审核的申请被制证' };
  }, 'earlyIssue');
});

When('审计员尝试为一份已审核通过的申请制证，业务操作员尝试读取审计日志', async function (this: GmWorld) {
  await each(this, async (t) => {
    const csr = buildCsr(sm2GenerateKeyPair(), [['CN', 'gmeval roles']]);
    const sub = await setupAs(this, t, 'ra_entry', 'raSubmitRequest', { type: 'ENROLL', profile: 'user-sign', subject: SUBJECT(), csr: Buffer.from(csr) }, 'roleSubmit', '录入证书申请');
    if (!sub) return;
    if (!(await setupAs(this, t, 'ra_review', 'raReviewRequest', { requestId: String(sub.requestId), decision: 'approve' }, 'roleReview', '审核证书申请'))) return;
    await callAs(this, t, 'auditor', 'raIssueRequest', { requestId: String(sub.requestId) }, 'auditorIssue');
    await callAs(this, t, 'ra_entry', 'auditRecords', { action: 'CERT_ISSUE' }, 'operatorAudit');
  });
});

Then('两项操作都应因权限不足被拒绝', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '审计员不能制证，业务操作员不能读审计日志', (d, t) => {
    const audit = got(this, t.object.id, 'operatorAudit');
    const a = !d.accepted && d.error?.status === 403;
    const b = !!audit && !audit.accepted && audit.error?.status === 403;
    return { passed: a && b, expected: '两项均 403', observed: `审计员制证：${d.accepted ? '被接受' : refusal(d)}；操作员读审计：${audit ? (audit.accepted ? '被接受' : refusal(audit)) : '无结果'}`, reason: a && b ? '角色权限分离有效' : '越权操作被接受 / role separation broken' };
  }, 'auditorIssue');
});
