/**
 * Starts the bundled reference platform for a run whose profile says `target.kind: reference`.
 * Loaded by path and only then, so nothing in the toolkit depends on the platform (DESIGN.md §2):
 * the platform is reached afterwards exactly like a remote one, through the profile's adapters.
 *
 * It provisions what the evaluation needs — two applications (the second for tenant isolation and
 * access-control checks) and three administrators in separated roles, each with a soft SM2 "smart key".
 * Secrets exist only in this process's memory (the `provisioned` map) and are never written out.
 */
export interface StartedReference {
  endpoints: { api: string; sdf: string } & Record<string, string>;
  provisioned: Record<string, string>;
  defects: string[];
  stop(): Promise<void>;
}

export async function startReferenceTarget(defects: string[]): Promise<StartedReference> {
  const mod = (await import(new URL('../reference-platform/index.ts', import.meta.url).href)) as typeof import('../reference-platform/index.ts');
  // network zones (docs/network.md) on a loopback /24 of its own per run, so concurrent runs never share a port:
  // .2 service zone (API), .3 management zone (console over TLCP), .4 core zone (SDF device endpoint)
  const net = `127.${10 + Math.floor(Math.random() * 240)}.${Math.floor(Math.random() * 256)}`;
  const p = await mod.startPlatform({ defects, conformance: true, bind: { api: `${net}.2`, sdf: `${net}.4` }, console: { host: '127.0.0.1', mgmtHost: `${net}.3` } });
  const app = p.provisionApp('gmeval-evaluation');
  const peer = p.provisionApp('gmeval-evaluation-peer');
  const provisioned: Record<string, string> = {
    'app.accessKey': app.accessKey, 'app.secret': app.secret, 'app.id': app.appId,
    'peerApp.accessKey': peer.accessKey, 'peerApp.secret': peer.secret, 'peerApp.id': peer.appId,
  };
  const admins: [string, string[]][] = [['super', ['super_admin']], ['business', ['business_admin', 'operator']], ['audit', ['auditor']]];
  for (const [who, roles] of admins) {
    const a = p.provisionAdmin(`gmeval-${who}`, roles);
    provisioned[`admin.${who}.username`] = a.username;
    provisioned[`admin.${who}.secret`] = JSON.stringify({ password: a.password, sm2PrivateKeyPem: a.privateKeyPem });
  }
  // CA/RA/KM administration (docs/ca-km.md): RA operators with one duty each (录入 / 审核 / 制证), a judicial officer
  // (司法取证员) and an audit administrator, who is the second approver of judicial recoveries
  const caAdmins: [string, string[], ('ENTRY' | 'REVIEW' | 'ISSUE')[]][] = [
    ['ra-entry', ['operator'], ['ENTRY']], ['ra-review', ['operator'], ['ENTRY', 'REVIEW']], ['ra-issue', ['operator'], ['ISSUE']],
    ['judicial', ['judicial_officer'], []], ['audit-admin', ['audit_admin'], []],
  ];
  for (const [who, roles, duties] of caAdmins) {
    const a = p.provisionAdmin(`gmeval-${who}`, roles);
    if (duties.length) p.assignRaDuties(a.username, duties);
    provisioned[`admin.${who}.username`] = a.username;
    provisioned[`admin.${who}.secret`] = JSON.stringify({ password: a.password, sm2PrivateKeyPem: a.privateKeyPem });
  }
  // the SDF device endpoint's access password (GM/T 0018 6.2.8), for the profile's sdf adapters
  provisioned['sdf.pin'] = p.sdfPin;
  const endpoints: StartedReference['endpoints'] = { api: p.listening.http, sdf: p.listening.sdf, 'zone-service': `${net}.2`, 'zone-management': `${net}.3`, 'zone-core': `${net}.4` };
  // the CA's LDAP directory (docs/ca-km.md), on the service zone's address like the API
  if (p.listening.ldap) endpoints.ldap = p.listening.ldap;
  if (p.listening.console) endpoints.console = p.listening.console;
  if (p.listening.consoleTlcp) endpoints['console-tlcp'] = p.listening.consoleTlcp;
  // the management channel's trust anchor: a public certificate, carried like an endpoint so the profile can name it
  // the API over TLCP (GB/T 38636): host:port for tlcp-channel objects, a base URL for http adapters with transport tlcp,
  // the listener's trust anchor (public, like the console's), and the evaluation client's double certificate (keys: secret)
  endpoints.tlcp = p.listening.tlcp;
  endpoints['api-tlcp'] = `http://${p.listening.tlcp}/api/v1`;
  endpoints['tlcp-ca'] = `data:application/x-pem-file;base64,${Buffer.from(p.tlcp.caPem).toString('base64')}`;
  provisioned['tlcp.client.certs'] = p.tlcp.clientCertsPem;
  provisioned['tlcp.client.keys'] = p.tlcp.clientKeysPem;
  if (p.consoleCaPem) endpoints['console-tlcp-ca'] = `data:application/x-pem-file;base64,${Buffer.from(p.consoleCaPem).toString('base64')}`;
  return { endpoints, provisioned, defects: p.defects, stop: () => p.close() };
}
