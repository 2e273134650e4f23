import { Then, When } from '@cucumber/cucumber';
import { probeZone, zoneSpecFrom, type ZoneObservation } from '../probes/net/zone.ts';
import type { ServiceFacts } from '../probes/net/identify.ts';
import type { Observation } from '../probes/observation.ts';
import type { EvalObject } from '../profiles/profile.ts';
import type { Judgement } from './support/judge.ts';
import type { GmWorld } from './support/world.ts';
import { judgeObjects, objectsOf, observeOnce, type Selected } from './gbt39786-objects.steps.ts';

// Network zones (objects of kind network-zone, docs/network.md): scanned once per run; the scenarios judge the scan.

const ZONES = 'zones';
const svc = (s: ServiceFacts) => `${s.host}:${s.port}（${s.protocol}${s.adminHttp ? '，管理登录页' : ''}）`;
const scanNote = (d: ZoneObservation) => `${d.scanner === 'nmap' ? 'nmap -sT' : '内置 TCP 连接扫描'}，${d.hosts.join('、')} 上 ${d.scanned} 个端口${d.notice ? `；${d.notice}` : ''}`;
const verdict = (bad: string[], ok: string, what: string, d: ZoneObservation, expected: string): Judgement => ({
  passed: !bad.length, expected, observed: bad.length ? bad.join('；') : `${ok}（${scanNote(d)}）`,
  reason: bad.length ? `${what}：${bad.join('；')}（${scanNote(d)}）` : `${ok}（${scanNote(d)}）`,
});

async function scanZones(world: GmWorld, filter?: (o: EvalObject) => boolean): Promise<void> {
  const endpoints = world.ctx.endpoints ?? {};
  // the zones are scanned side by side (each scan mostly waits on connects and handshakes)
  const selected: Selected<ZoneObservation>[] = await Promise.all(objectsOf(world, 'network-zone', filter).map(async (o) => {
    let obs: Observation<ZoneObservation>;
    try {
      const spec = zoneSpecFrom(o.options);
      obs = await observeOnce(world, o, 'net', (ev) => probeZone({ id: o.id, name: o.name }, spec, endpoints, ev, { timeoutMs: 20_000 }));
    } catch (e) {
      obs = { probe: 'net', object: { id: o.id, name: o.name }, at: new Date().toISOString(), notTested: { reason: 'error', detail: `${o.id}: ${(e as Error).message}` }, evidence: [] };
    }
    return { object: o, obs };
  }));
  world.stateOf(ZONES).selected = selected;
}
const zones = (w: GmWorld) => (w.stateOf(ZONES).selected ?? []) as Selected<ZoneObservation>[];

When('扫描测评配置中每个网络区域的主机端口', async function (this: GmWorld) {
  await scanZones(this);
});
When('从服务区扫描主机端口', async function (this: GmWorld) {
  await scanZones(this, (o) => (o.options as { role?: string } | undefined)?.role === 'service');
});

Then('开放的端口应都是该区域声明的端口', async function (this: GmWorld) {
  return judgeObjects(this, '网络区域只开放声明的端口', zones(this), (d) => {
    const extra = d.services.filter((s) => !d.declared.includes(s.port)).map(svc);
    return verdict(extra, `只开放声明的端口 ${d.declared.join(', ') || '（无）'}`, '开放了未声明的端口', d, `只开放 ${d.declared.join(', ')}`);
  });
});

Then('服务区不应能访问任何管理接口', async function (this: GmWorld) {
  return judgeObjects(this, '管理接口不能从服务区访问', zones(this), (d) => {
    const mgmt = d.services.filter((s) => s.adminHttp || s.protocol === 'telnet' || s.protocol === 'ssh' || s.protocol === 'ftp' || d.management.includes(s.port)).map(svc);
    return verdict(mgmt, '服务区地址上没有管理接口应答', '服务区可以访问管理接口', d, '服务区地址上没有管理登录页、telnet、SSH、FTP');
  });
});

Then('管理接口不应使用 telnet、FTP 或明文 HTTP 等明文协议', async function (this: GmWorld) {
  return judgeObjects(this, '远程管理不使用明文协议', zones(this), (d) => {
    const admin = d.management.length || d.services.some((x) => x.adminHttp || ['telnet', 'ftp', 'ssh'].includes(x.protocol));
    if (!admin) return { notApplicable: true, reason: `该区域没有管理接口（${scanNote(d)}）` };
    const plain = d.services.filter((s) => s.protocol === 'telnet' || s.protocol === 'ftp' || (s.protocol === 'http' && (s.adminHttp || d.management.includes(s.port)))).map(svc);
    return verdict(plain, '没有以明文协议提供的管理接口', '发现明文管理协议', d, '管理接口只经 TLCP 等密码保护的通道提供');
  });
});

Then('国际 TLS 服务不应接受 SSL 3.0 或 TLS 1.0', async function (this: GmWorld) {
  return judgeObjects(this, '不使用 SSL 3.0 / TLS 1.0（高风险判定指引：通用 密码技术）', zones(this), (d) => {
    const tls = d.services.filter((s) => s.tls);
    // a zone with no international TLS offers no SSL 3.0 / TLS 1.0: the check holds (the scan is the evidence)
    const bad = tls.flatMap((s) => s.tls!.versions.filter((v) => v.accepted && (v.version === 'SSLv3' || v.version === 'TLSv1')).map((v) => `${s.host}:${s.port} 接受 ${v.version}${v.cipher ? `（${v.cipher}）` : ''}`));
    const ok = tls.length ? `${tls.length} 个国际 TLS 服务均只接受 ${[...new Set(tls.flatMap((s) => s.tls!.versions.filter((v) => v.accepted).map((v) => v.version)))].join('、')}` : '区域内没有国际 TLS 服务';
    return verdict(bad, ok, '提供高风险协议版本', d, '不接受 SSL 3.0、TLS 1.0');
  });
});

Then('通信实体证书不应使用 RSA 2048 位以下密钥、SHA-1 或 MD5', async function (this: GmWorld) {
  return judgeObjects(this, '通信实体证书的算法与密钥长度', zones(this), (d) => {
    const certs = d.services.filter((s) => s.tls?.certificate);
    const weak = certs.map((s) => s.tls!.certificate!).filter((c) => c.weaknesses.length);
    const bad = certs.flatMap((s) => {
      const c = s.tls!.certificate!;
      return c.weaknesses.length ? [`${s.host}:${s.port} 证书 ${c.keyType.toUpperCase()}${c.keyBits ? `-${c.keyBits}` : ''}/${c.signatureAlgorithm}：${c.weaknesses.join('、')}（安全强度约 ${c.strengthBits} 位）`] : [];
    });
    const ok = certs.length ? `${certs.length} 个证书均无弱算法` : '区域内没有国际 TLS 证书';
    // the weakest certificate's measured strength decides Ra (GB/T 39786 A dimension, 2023 rules table 2)
    return { ...verdict(bad, ok, '证书使用弱算法或短密钥', d, 'RSA ≥ 2048 位，签名不用 SHA-1/MD5'), ...(weak.length ? { strengthBits: Math.min(...weak.map((c) => c.strengthBits)) } : {}) };
  });
});

Then('声明为 TLCP 的端口应完成 GB\\/T 38636 握手并验证服务端证书', async function (this: GmWorld) {
  // without the TLCP probe the ports cannot be judged: not tested, with the reason
  const selected = zones(this).map((z) => {
    const missing = z.obs.data?.tlcpPorts.length ? z.obs.data.services.find((s) => s.tlcp?.unavailable)?.tlcp?.unavailable : undefined;
    return missing ? { ...z, obs: { ...z.obs, data: undefined, notTested: { reason: 'could_not_test' as const, detail: missing } } } : z;
  });
  return judgeObjects(this, '管理通道以 TLCP 建立并鉴别服务端身份', selected, (d) => {
    if (!d.tlcpPorts.length) return { notApplicable: true, reason: `该区域没有声明 TLCP 端口（${scanNote(d)}）` };
    const bad: string[] = [];
    const good: string[] = [];
    for (const port of d.tlcpPorts) {
      for (const host of d.hosts) {
        const s = d.services.find((x) => x.host === host && x.port === port);
        if (!s) { bad.push(`${host}:${port} 未开放`); continue; }
        const t = s.tlcp;
        if (!t?.handshake) bad.push(`${host}:${port} TLCP 握手失败（${t?.error ?? s.protocol}）`);
        else if (!/SM4/.test(t.suite ?? '')) bad.push(`${host}:${port} 协商的套件 ${t.suite} 不是 SM2/SM4/SM3 套件`);
        else if (d.trustAnchors && !t.peerVerified) bad.push(`${host}:${port} 服务端证书未能验证到信任锚`);
        else good.push(`${host}:${port} ${t.suite}${t.peerVerified ? '，证书链已验证' : '（配置中无信任锚，证书链未验证）'}`);
      }
    }
    return verdict(bad, good.join('；'), 'TLCP 通道不成立', d, '每个 TLCP 端口完成握手，使用 SM2/SM4/SM3 套件，服务端证书链验证到信任锚');
  });
});
