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
  endpoints: { api: string; sdf: string };
  provisioned: Record<string, string>;
  defects: string[];
  stop(): Promise<void>;
}

export async function startReferenceTarget(defects: string[]): Promise<StartedReference> {
  const mod = (await import(new URL('../reference-platform/index.ts', import.meta.url).href)) as typeof import('../reference-platform/index.ts');
  const p = await mod.startPlatform({ defects, conformance: true });
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
  // the SDF device endpoint's access password (GM/T 0018 6.2.8), for the profile's sdf adapters
  provisioned['sdf.pin'] = p.sdfPin;
  return { endpoints: { api: p.listening.http, sdf: p.listening.sdf }, provisioned, defects: p.defects, stop: () => p.close() };
}
