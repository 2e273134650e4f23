/** probes/net against the reference platform's zones on a loopback /24 of the test's own (never off this machine). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { MemoryEvidenceSink } from '../../probes/evidence.ts';
import { probeZone, type ZoneSpec } from '../../probes/net/zone.ts';
import { parseNmapXml } from '../../probes/net/scan.ts';
import { portSpec, resolvePorts } from '../../probes/net/ports.ts';

const platform = async (defects: string[]) => {
  const mod = (await import(new URL('../../reference-platform/index.ts', import.meta.url).href)) as typeof import('../../reference-platform/index.ts');
  const net = `127.${10 + Math.floor(Math.random() * 240)}.${Math.floor(Math.random() * 256)}`;
  const p = await mod.startPlatform({ defects, bind: { api: `${net}.2`, sdf: `${net}.4` }, console: { host: '127.0.0.1', mgmtHost: `${net}.3` } });
  const endpoints: Record<string, string> = { api: p.listening.http, sdf: p.listening.sdf, console: p.listening.console!, 'console-tlcp': p.listening.consoleTlcp!, 'console-tlcp-ca': `data:,${encodeURIComponent('')}`, 'zone-service': `${net}.2`, 'zone-management': `${net}.3`, 'zone-core': `${net}.4` };
  endpoints['console-tlcp-ca'] = `data:application/x-pem-file;base64,${Buffer.from(p.consoleCaPem!).toString('base64')}`;
  return { p, net, endpoints };
};
const obj = { id: 'z', name: 'zone' };
const service: ZoneSpec = { role: 'service', hosts: ['zone-service'], declaredPorts: ['api'], scanPorts: ['1-1024', 2323, 8443] };
const mgmt: ZoneSpec = { role: 'management', hosts: ['zone-management'], declaredPorts: ['console-tlcp'], managementPorts: ['console-tlcp'], tlcpPorts: ['console-tlcp'], trustAnchors: ['console-tlcp-ca'], scanPorts: ['1-1024'] };

test('nmap XML: open TCP ports per address, every requested host listed', () => {
  const xml = `<?xml version="1.0"?><nmaprun><host><status state="up"/><address addr="127.9.9.2" addrtype="ipv4"/><ports>
<port protocol="tcp" portid="8443"><state state="open" reason="syn-ack"/></port><port protocol="tcp" portid="23"><state state="closed"/></port>
<port protocol="tcp" portid="2323"><state state="open"/></port></ports></host></nmaprun>`;
  assert.deepEqual(parseNmapXml(xml, ['127.9.9.2', '127.9.9.3']), { '127.9.9.2': [2323, 8443], '127.9.9.3': [] });
  assert.throws(() => parseNmapXml('<html/>'), /nmaprun/);
  assert.equal(portSpec([5, 1, 2, 3, 9, 10]), '1-3,5,9-10');
  assert.throws(() => resolvePorts(['nosuch'], {}), /neither a number nor a target endpoint/);
});

test('clean zones: only declared ports; the management zone speaks TLCP with a verified certificate', async () => {
  const { p, endpoints } = await platform([]);
  try {
    const s = await probeZone(obj, service, endpoints, new MemoryEvidenceSink());
    assert.ok(s.data, JSON.stringify(s.notTested));
    assert.equal(s.data.scanner, existsSync('/usr/bin/nmap') ? 'nmap' : 'tcp-connect');
    assert.deepEqual(s.data.open.map((x) => x.port), s.data.declared);
    assert.equal(s.data.services[0]!.protocol, 'http');
    assert.equal(s.data.services[0]!.adminHttp, false);
    const m = await probeZone(obj, mgmt, endpoints, new MemoryEvidenceSink());
    assert.equal(m.data!.services.length, 1);
    const svc = m.data!.services[0]!;
    assert.equal(svc.protocol, 'tlcp', JSON.stringify(svc));
    assert.equal(svc.tlcp!.peerVerified, true);
    assert.match(svc.tlcp!.suite!, /SM4/);
  } finally { await p.close(); }
});

test('zone defects are seen: telnet shell, TLS 1.0 with RSA-1024/SHA-1, console on the service address, plaintext management port', async () => {
  const { p, endpoints } = await platform(['telnet-admin-open', 'tls10-enabled', 'mgmt-port-in-service-zone', 'console-mgmt-plaintext']);
  try {
    for (const nmapPath of [undefined, '/nonexistent/nmap']) {
      const s = await probeZone(obj, { ...service, scanPorts: ['1-1024', 2323, 8443, endpoints.api!.replace(/.*:(\d+).*/, '$1'), p.defectListeners['console-service-zone']!.split(':')[1]!] }, endpoints, new MemoryEvidenceSink(), { nmapPath });
      const d = s.data!;
      if (nmapPath) { assert.equal(d.scanner, 'tcp-connect'); assert.match(d.notice!, /nmap/); }
      const by = (port: number) => d.services.find((x) => x.port === port)!;
      assert.equal(by(2323).protocol, 'telnet');
      const tls = by(8443);
      assert.equal(tls.protocol, 'tls');
      assert.equal(tls.tls!.versions.find((v) => v.version === 'TLSv1')!.accepted, true);
      assert.equal(tls.tls!.versions.find((v) => v.version === 'SSLv3')!.accepted, false);
      assert.equal(tls.tls!.certificate!.keyBits, 1024);
      assert.equal(tls.tls!.certificate!.strengthBits, 63);
      assert.deepEqual(tls.tls!.certificate!.weaknesses, ['RSA-1024 密钥短于 2048 位', 'SHA-1 签名']);
      const extra = by(Number(p.defectListeners['console-service-zone']!.split(':')[1]));
      assert.equal(extra.protocol, 'http');
      assert.equal(extra.adminHttp, true);
    }
    const m = await probeZone(obj, mgmt, endpoints, new MemoryEvidenceSink());
    const svc = m.data!.services[0]!;
    assert.equal(svc.protocol, 'http');
    assert.equal(svc.adminHttp, true);
    assert.equal(svc.tlcp!.handshake, false);
  } finally { await p.close(); }
});
