import { Then, When } from '@cucumber/cucumber';
import type { Observation } from '../probes/observation.ts';
import type { OcspAnswer } from '../probes/ocsp/probe.ts';
import { readDirectory, tryAnonymousWrites, type DirectoryView, type LdapEndpoint, type WriteAttempt } from '../probes/ldap/probe.ts';
import { judgeEach, recall, remember } from './support/judge.ts';
import type { GmWorld } from './support/world.ts';
import { each, ocspFor, REASON_API, REASON_NAMES, serialOf, setupAs, subscriberOf, type CaTarget } from './ca-common.steps.ts';

// Directory service (目录服务, licence material 二.6.2.6, 三.6.2): what a relying party reads over anonymous LDAP must
// match what the CA issued and what its OCSP responder says; writes need the publisher's credentials.

interface DirectoryOptions extends LdapEndpoint { publisherDn?: string }

/** options.directory: an endpoint name or ldap:// URL, or {url, baseDn, serialAttribute, publisherDn}. */
function directoryOf(w: GmWorld, t: CaTarget): DirectoryOptions | string {
  const raw = t.raw.options?.directory;
  const o = (typeof raw === 'string' ? { url: raw } : raw) as Partial<DirectoryOptions> | undefined;
  if (!o || typeof o.url !== 'string') return `测评对象 ${t.object.id} 未配置 options.directory（目录服务地址）`;
  const url = /^ldaps?:\/\//.test(o.url) ? o.url : w.ctx.endpoints?.[o.url];
  if (!url) return `options.directory.url：目标端点中没有 "${o.url}"`;
  return { ...o, url, timeoutMs: w.ctx.timeouts.requestMs } as DirectoryOptions;
}

const notOffered = (t: CaTarget, detail: string): Observation => ({ probe: 'ldap', object: t.object, at: new Date().toISOString(), notTested: { reason: 'not_offered', detail }, evidence: [] });

When('管理员以{string}为由撤销该订户的签名证书后，依赖方匿名查询目录服务', async function (this: GmWorld, reason: string) {
  await each(this, async (t) => {
    const s = subscriberOf(this, t.object.id);
    if (!s) return;
    const dir = directoryOf(this, t);
    if (typeof dir === 'string') return remember(this, t.object.id, notOffered(t, dir), 'directory');
    if (!(await setupAs(this, t, 'self', 'changeCertificateStatus', { serial: s.signSerial, action: 'revoke', reason: REASON_API[reason] ?? 'unspecified' }, 'revoke', '撤销证书'))) return;
    await ocspFor(this, t, s, serialOf(s.signDer), 'ocspSign');
    await ocspFor(this, t, s, serialOf(s.encDer), 'ocspEnc');
    this.stateOf(t.object.id).revokeReason = reason;
    remember(this, t.object.id, await readDirectory({ endpoint: dir, certificates: [s.signDer, s.encDer], issuerDer: s.issuerDer, object: t.object, evidence: t.evidence, name: 'directory' }), 'directory');
  });
});

Then('目录中按主体 DN 与按序列号都应查到 CA 签发的这两张证书，内容与 CA 交付的一致', async function (this: GmWorld) {
  return judgeEach<DirectoryView>(this, '目录按主体 DN 与序列号提供 CA 签发的证书', (v) => {
    const bad = v.certificates.filter((c) => !c.bySubject.contains || !c.bySerial.contains);
    const desc = v.certificates.map((c) => `序列号 ${c.serial}：主体 DN ${c.bySubject.found ? (c.bySubject.contains ? '一致' : `有条目但无此证书（${c.bySubject.certificates} 张）`) : `未找到${c.bySubject.error ? `（${c.bySubject.error}）` : ''}`}，按序列号 ${c.bySerial.found ? (c.bySerial.contains ? '一致' : '条目中证书不符') : `未找到${c.bySerial.error ? `（${c.bySerial.error}）` : ''}`}`).join('；');
    return {
      passed: v.certificates.length === 2 && !bad.length,
      expected: `在 ${v.url} 的主体 DN（如 ${v.certificates[0]?.subjectDn ?? '-'}）与序列号条目下查到与 CA 交付的 DER 完全相同的签名证书和加密证书`,
      observed: desc,
      reason: bad.length ? '目录中缺少 CA 签发的证书或内容不一致 / directory does not hold the issued certificates' : '目录按主体 DN 与序列号提供的证书与 CA 交付的一致',
    };
  }, 'directory');
});

Then('目录中签发 CA 条目上的 CRL 应由 CA 签名，列出被撤销的证书，且与 OCSP 的回答一致', async function (this: GmWorld) {
  return judgeEach<DirectoryView>(this, '目录中的 CRL 与 CA 的撤销状态一致', (v, t) => {
    const s = subscriberOf(this, t.object.id)!;
    const reason = REASON_NAMES[String(this.stateOf(t.object.id).revokeReason ?? '密钥泄露')];
    const crl = v.crl.view;
    if (!v.crl.found || !crl) return { passed: false, expected: `${v.issuerDn} 上的 certificateRevocationList;binary`, observed: v.crl.error ?? '签发 CA 条目上没有 CRL', reason: '目录中查不到签发 CA 的 CRL' };
    const listed = new Map(crl.entries.map((e) => [e.serial, e]));
    const mismatches: string[] = [];
    for (const [der, key] of [[s.signDer, 'ocspSign'], [s.encDer, 'ocspEnc']] as const) {
      const serial = serialOf(der).toString(16);
      const a = recall<OcspAnswer>(this, t.object.id, key)?.data;
      const inCrl = listed.get(serial);
      if (!a || a.responseStatus !== 'successful') { mismatches.push(`${serial}：OCSP 无有效回答`); continue; }
      if ((a.certStatus === 'revoked') !== !!inCrl) mismatches.push(`${serial}：OCSP ${a.certStatus}，目录 CRL ${inCrl ? '列出' : '未列出'}`);
      else if (inCrl && (inCrl.reason ?? 0) !== (a.reason ?? 0)) mismatches.push(`${serial}：原因 OCSP ${a.reason ?? 0} / CRL ${inCrl.reason ?? 0}`);
    }
    const revoked = listed.get(s.signSerial.toLowerCase().replace(/^0+/, '') || '0');
    const sigOk = crl.signatureValid === true && crl.issuerMatches === true;
    const ok = sigOk && !!revoked && (revoked.reason ?? 0) === reason && !mismatches.length;
    return {
      passed: ok,
      expected: `CA 签名有效的 CRL，列出 ${s.signSerial}（原因 ${reason}），每张证书的 CRL 状态与 OCSP 一致`,
      observed: `CRL #${crl.crlNumber ?? '?'}（${crl.entries.length} 项，签名${crl.signatureValid ? '有效' : '无效'}，签发者${crl.issuerMatches ? '一致' : '不符'}）；${revoked ? `列出被撤销证书，原因 ${revoked.reason ?? 0}` : '未列出被撤销的证书'}${mismatches.length ? `；与 OCSP 不一致：${mismatches.join('；')}` : '；与 OCSP 一致'}`,
      reason: ok ? '目录中的 CRL 已更新并与 OCSP 一致' : !sigOk ? '目录中的 CRL 签名无效或签发者不符' : '目录中的 CRL 过期或与 CA 的撤销状态不一致 / stale directory entry',
    };
  }, 'directory');
});

// --- write protection (三.6.2.1) ------------------------------------------------------------------

/** LDAP result codes that mean "not allowed" (RFC 4511 Appendix A): the refusal a relying party must get. */
const ACCESS_DENIED = new Set([8, 13, 48, 49, 50, 53]);

When('以匿名连接、以及以发布者 DN 空口令的未认证绑定尝试向目录添加条目', async function (this: GmWorld) {
  await each(this, async (t) => {
    const dir = directoryOf(this, t);
    if (typeof dir === 'string') return remember(this, t.object.id, notOffered(t, dir), 'writes');
    const publisherDn = dir.publisherDn ?? (dir.baseDn ? `cn=gmeval-probe,${dir.baseDn}` : undefined);
    const parentDn = dir.baseDn ?? publisherDn?.replace(/^[^,]+,/, '');
    if (!publisherDn || !parentDn) return remember(this, t.object.id, notOffered(t, 'options.directory 需给出 publisherDn 或 baseDn（写入检查的位置）'), 'writes');
    const obs = await tryAnonymousWrites({ endpoint: dir, parentDn, bindDn: publisherDn, object: t.object, evidence: t.evidence, name: 'writes' });
    // a refusal for another reason (no such parent, schema) says nothing about access control
    const unclear = obs.data?.attempts.filter((a) => !a.accepted && !ACCESS_DENIED.has(a.code ?? -1)) ?? [];
    if (obs.data && unclear.length && !obs.data.attempts.some((a) => a.accepted)) {
      return remember(this, t.object.id, { ...obs, data: undefined, notTested: { reason: 'inconclusive', detail: `写入因其他原因被拒绝，不能说明访问控制：${unclear.map((a) => `${a.who} ${a.code ?? '-'} ${a.message ?? ''}`).join('；')}` } }, 'writes');
    }
    remember(this, t.object.id, obs, 'writes');
  });
});

Then('两次写入都应因权限不足被拒绝，未认证绑定不得被当作发布者', async function (this: GmWorld) {
  return judgeEach<{ url: string; attempts: WriteAttempt[] }>(this, '目录只允许发布者写入', (d) => {
    const show = (a: WriteAttempt) => `${a.who}${a.bind ? `（绑定 ${a.bind.dn}：${a.bind.accepted ? '成功' : `拒绝 ${a.bind.code ?? ''}`}）` : ''} 添加 ${a.dn}：${a.accepted ? `成功${a.cleanedUp ? '（已删除）' : '（未能删除）'}` : `拒绝 ${a.code ?? ''} ${a.codeName ?? ''}`}`;
    const accepted = d.attempts.filter((a) => a.accepted);
    const ok = d.attempts.length === 2 && !accepted.length;
    return {
      passed: ok,
      expected: '匿名与未认证绑定的写入均被拒绝（insufficientAccessRights 50 / unwillingToPerform 53 等）',
      observed: d.attempts.map(show).join('；'),
      reason: ok ? '目录拒绝非发布者的写入' : `目录接受了非发布者的写入 / anonymous write accepted: ${accepted.map((a) => a.who).join(', ')}`,
    };
  }, 'writes');
});
