import { Admins } from './admin/admins.ts';
import { Apps } from './apps/apps.ts';
import { AuditLog } from './audit/audit-log.ts';
import { Clock } from './clock.ts';
import { Metrics } from './monitor/metrics.ts';
import { sm2GenerateKeyPair, sm2PrivateKeyToPem } from '../lib/gm/index.ts';
import { randomBytes } from 'node:crypto';
import { Defects } from './defects/registry.ts';
import { SdfEndpoint } from './sdf-endpoint/server.ts';
import { Keys } from './keys/keys.ts';
import { ResourcePool } from './pool/pool.ts';
import { DeviceGroups } from './pool/groups.ts';
import { InterfaceRegistry } from './interfaces/registry.ts';
import { PlatformIntegrity, type IntegrityMode } from './integrity/integrity.ts';
import { Supervision } from './supervision/report.ts';
import { openDb } from './store/db.ts';
import { MasterKey } from './store/master-key.ts';
import { buildApi } from './api/server.ts';
import { PkiServices } from './ca/services.ts';
import { startConsoleListeners } from './console/index.ts';
import { startTlcpListener } from './tlcp-listener/listener.ts';
import { Directory } from './directory/directory.ts';
import type { PlatformContext } from './context.ts';

export { DEFECTS, defectNames } from './defects/registry.ts';

export interface PlatformOptions {
  host?: string;
  httpPort?: number;
  defects?: string[];
  /** data directory; ':memory:' (default) keeps nothing after close */
  dataDir?: string;
  devices?: number;
  logger?: boolean;
  /** serve the conformance hooks (test clock, device failure, audit tampering); default: CSP_CONFORMANCE_MODE=1 */
  conformance?: boolean;
  /** port of the SDF device endpoint (GM/T 0018 over TCP, docs/sdf.md); 0 = a free port */
  sdfPort?: number;
  /** private-key access password of the endpoint's key indices; default: random per start */
  sdfPin?: string;
  /** on a software/configuration integrity mismatch (§6.5.5 a): enforce (refuse to start), report, or rebaseline;
   *  default GMEVAL_INTEGRITY, else enforce. A fresh or in-memory data directory records its baseline at start. */
  integrity?: IntegrityMode;
  /** the software root whose files the integrity manifest covers (tests); default: this platform's folder */
  integrityRoot?: string;
  /** per-listener addresses, to model network zones (docs/network.md); default: host */
  bind?: { api?: string; sdf?: string; tlcp?: string; ldap?: string };
  /** port of the TLCP listener carrying the same API, admin routes included (GB/T 38636, docs/tlcp.md); 0 = a free port */
  tlcpPort?: number;
  /** port of the LDAP directory where the CA publishes certificates and CRLs (docs/ca-km.md); 0 = a free port, false = none */
  ldapPort?: number | false;
  /** the administrators' web console (docs/console.md): HTTP on `host` (default 127.0.0.1) and `port` (0 = free);
   *  over TLCP on `mgmtHost` when given; `false` = no console */
  console?: { host?: string; port?: number; mgmtHost?: string; mgmtPort?: number } | false;
}

/** An administrator account with its soft SM2 "smart key"; secrets live only in this object. */
export interface ProvisionedAdmin { username: string; password: string; privateKeyPem: string; roles: string[] }

export interface RunningPlatform {
  listening: { http: string; sdf: string; tlcp: string; ldap?: string; console?: string; consoleTlcp?: string };
  /** the API's TLCP listener: trust anchor (public) and the evaluation client's double certificate (keys PEM: secret) */
  tlcp: { caPem: string; clientCertsPem: string; clientKeysPem: string };
  /** the console's TLCP trust anchor (public) and the listeners only defects open (name → host:port) */
  consoleCaPem?: string;
  defectListeners: Record<string, string>;
  defects: string[];
  /** the SDF endpoint's private-key access password (shown only here, like a credential) */
  sdfPin: string;
  /** onboards an application and returns its credential (the secret is shown only here) */
  provisionApp(name: string): { appId: string; accessKey: string; secret: string };
  /** creates an administrator with a fresh password and SM2 key pair (returned once, never stored in clear) */
  provisionAdmin(username: string, roles: string[]): ProvisionedAdmin;
  /** whether an access key is an active credential (a restarted platform keeps its applications) */
  credentialValid(accessKey: string): boolean;
  /** assigns RA duties (录入 ENTRY, 审核 REVIEW, 制证 ISSUE) to an administrator holding the operator role */
  assignRaDuties(username: string, duties: ('ENTRY' | 'REVIEW' | 'ISSUE')[]): void;
  close(): Promise<void>;
}

/** Starts the reference platform on loopback. Port 0 picks a free port. */
export async function startPlatform(o: PlatformOptions = {}): Promise<RunningPlatform> {
  const host = o.host ?? '127.0.0.1';
  const defects = new Defects(o.defects ?? []);
  const dataDir = o.dataDir ?? ':memory:';
  const db = openDb(dataDir);
  const master = MasterKey.openOrCreate(dataDir);
  const pool = new ResourcePool(db, master, defects, o.devices ?? 3);
  const clock = new Clock();
  const audit = new AuditLog(db, master, clock, defects);
  const keys = new Keys(db, pool, audit, clock, defects);
  const system = { actor: { type: 'system' as const, id: 'platform' } };
  const conformance = o.conformance ?? process.env.CSP_CONFORMANCE_MODE === '1';
  const integrity = checkIntegrity(o, { db, master, clock, defects, audit, dataDir, conformance });
  const metrics = new Metrics();
  const ctx: PlatformContext = {
    db, master, defects, pool, apps: new Apps(db, master, { skipPolicyMac: defects.has('acl-no-integrity') }), keys, audit, admins: new Admins(db, defects), clock, metrics,
    groups: new DeviceGroups(db, pool, defects, clock), interfaces: new InterfaceRegistry(db, clock, defects), integrity,
    supervision: new Supervision(db, master, metrics, pool, clock, defects),
    conformance,
    maintenance() {
      const changes = pool.healthCheck();
      if (changes.length) audit.append({ ...system, action: 'POOL_HEALTH_CHECK', outcome: 'SUCCESS', details: { changes } });
      keys.sweep(system);
      ctx.pki?.sweep();
    },
  };
  ctx.pki = new PkiServices(ctx);
  const timer = setInterval(() => {
    try { ctx.maintenance(); } catch { /* retried at the next tick */ }
  }, 5_000);
  timer.unref();
  const api = await buildApi(ctx, { logger: o.logger });
  const apiHost = o.bind?.api ?? host;
  await api.listen({ host: apiHost, port: o.httpPort ?? 0 });
  const addr = api.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const hostForUrl = apiHost.includes(':') ? `[${apiHost}]` : apiHost;
  ctx.pki.ca.publicBase = `http://${hostForUrl}:${port}/api/v1`;
  const sdfPin = o.sdfPin ?? randomBytes(12).toString('base64url');
  const sdf = new SdfEndpoint({ host: o.bind?.sdf ?? host, port: o.sdfPort ?? 0, pin: sdfPin, db, pool, defects });
  const sdfUrl = await sdf.listen();
  const tlcp = await startTlcpListener({ host: o.bind?.tlcp ?? apiHost, port: o.tlcpPort ?? 0, httpServer: api.server, defects });
  const directory = o.ldapPort === false ? undefined : new Directory(ctx);
  const ldapUrl = await directory?.listen(o.bind?.ldap ?? apiHost, o.ldapPort || 0);
  const consoleL = o.console === false ? undefined : await startConsoleListeners(ctx, { ...(o.console ?? {}), serviceHost: apiHost });
  return {
    listening: { http: `http://${hostForUrl}:${port}/api/v1`, sdf: sdfUrl, tlcp: tlcp.address, ...(ldapUrl ? { ldap: ldapUrl } : {}), ...(consoleL?.console.url ? { console: consoleL.console.url } : {}), ...(consoleL?.console.tlcp ? { consoleTlcp: consoleL.console.tlcp } : {}) },
    ...(consoleL ? { consoleCaPem: consoleL.console.caPem } : {}),
    defectListeners: consoleL?.defectListeners ?? {},
    tlcp: { caPem: tlcp.certificates.caPem, clientCertsPem: tlcp.certificates.clientPem.certs, clientKeysPem: tlcp.certificates.clientPem.keys },
    defects: defects.list(),
    sdfPin,
    provisionApp(name) {
      const r = ctx.apps.create(name);
      return { appId: r.app.id, accessKey: r.accessKey, secret: r.secret };
    },
    credentialValid(accessKey) {
      return !!ctx.apps.credential(accessKey);
    },
    assignRaDuties(username, duties) {
      ctx.pki!.ra.provisionDuties(username, duties);
    },
    provisionAdmin(username, roles) {
      const kp = sm2GenerateKeyPair();
      const password = randomBytes(18).toString('base64url');
      ctx.admins.create(username, password, kp.publicKey, roles);
      return { username, password, privateKeyPem: sm2PrivateKeyToPem(kp), roles };
    },
    async close() {
      clearInterval(timer);
      await consoleL?.close();
      await tlcp.close();
      await directory?.close();
      await sdf.close();
      await api.close();
      db.close();
    },
  };
}

/**
 * §6.5.5 a at start-up: verifies the signed manifest of the platform's software and configuration. In enforce
 * mode a mismatch stops the start (the database is closed, nothing is served); every outcome is audited.
 */
function checkIntegrity(o: PlatformOptions, c: { db: ReturnType<typeof openDb>; master: MasterKey; clock: Clock; defects: Defects; audit: AuditLog; dataDir: string; conformance: boolean }): PlatformIntegrity {
  const env = process.env.GMEVAL_INTEGRITY;
  const mode: IntegrityMode = o.integrity ?? (env === 'report' || env === 'rebaseline' || env === 'enforce' ? env : 'enforce');
  const config = { defects: [...c.defects.list()].sort(), conformance: c.conformance, devices: o.devices ?? 3, host: o.host ?? '127.0.0.1' };
  const integrity = new PlatformIntegrity({ db: c.db, master: c.master, clock: c.clock, defects: c.defects, dataDir: c.dataDir, root: o.integrityRoot, config, mode });
  const r = integrity.start();
  const system = { type: 'system' as const, id: 'platform' };
  const persistent = c.dataDir !== ':memory:';
  if (r.refuse) {
    c.audit.append({ actor: system, action: 'INTEGRITY_CHECK', outcome: 'FAILED', details: { mode, mismatches: r.report.mismatches.map((m) => m.path).slice(0, 50), signatureValid: r.report.signatureValid } });
    c.db.close();
    throw new Error(r.refuse);
  }
  const files = (JSON.parse(r.report.manifest || '{}') as { files?: unknown[] }).files?.length ?? 0;
  c.audit.append({ actor: system, action: r.rebaselinedFrom ? 'INTEGRITY_REBASELINE' : 'INTEGRITY_CHECK', outcome: r.report.status === 'OK' ? 'SUCCESS' : 'FAILED', details: {
    mode, baseline: r.report.baseline, status: r.report.status, files, manifestSm3: r.report.manifestSm3,
    ...(r.rebaselinedFrom ? { changed: r.rebaselinedFrom.mismatches.map((m) => m.path).slice(0, 50) } : {}),
    ...(r.report.status !== 'OK' ? { mismatches: r.report.mismatches.map((m) => m.path).slice(0, 50) } : {}),
  } });
  if (persistent && r.report.baseline !== 'loaded') process.stderr.write(`gmeval platform: integrity baseline ${r.report.baseline}: ${files} software files and the configuration signed into ${c.dataDir}/integrity-manifest.json (SM3 ${r.report.manifestSm3.slice(0, 16)}…)\n`);
  if (r.report.status !== 'OK') process.stderr.write(`gmeval platform: WARNING integrity MISMATCH (mode ${mode}): ${r.report.mismatches.map((m) => m.path).slice(0, 8).join(', ') || 'manifest signature invalid'}\n`);
  return integrity;
}
