/**
 * Console probe timing (docs/console.md): Chromium start, and the whole probe (two-factor checks, three roles,
 * cookie, logout) against the reference console on loopback. Prints figures; no assertions.
 * Run: node --import tsx bench/console.ts [rounds]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileEvidenceSink } from '../probes/evidence.ts';
import { chromiumMissing, launchChromium } from '../probes/web/browser.ts';
import { probeConsole, type ConsoleProbeOptions } from '../probes/web/console.ts';
import { startPlatform } from '../reference-platform/index.ts';

const rounds = Number(process.argv[2] ?? 3);
const missing = chromiumMissing();
if (missing) { console.log(missing); process.exit(0); }
const p = await startPlatform({ defects: [], console: { host: '127.0.0.1' } });
try {
  const app = p.provisionApp('bench');
  const admins = { super_admin: p.provisionAdmin('b-super', ['super_admin']), business_admin: p.provisionAdmin('b-business', ['business_admin', 'operator']), auditor: p.provisionAdmin('b-audit', ['auditor']) };
  const menus: Record<string, string[]> = { super_admin: ['resources', 'certificates', 'users'], business_admin: ['resources', 'keys', 'certificates', 'apps'], auditor: ['audit'] };
  const opts: ConsoleProbeOptions = {
    url: p.listening.console!,
    roles: Object.entries(admins).map(([role, a]) => ({ role, username: a.username, password: a.password, sm2PrivateKeyPem: a.privateKeyPem, menus: menus[role]! })),
    pages: { resources: '/resources', keys: '/keys', certificates: '/certificates', apps: '/apps', audit: '/audit', users: '/users' },
    operations: [{ id: 'create-key', path: '/keys', form: { appId: app.appId, type: 'SM4' }, allowedRoles: ['business_admin'] }],
    secrets: [{ what: 'app secret', value: app.secret }],
  };
  for (let i = 0; i < rounds; i++) {
    let t = Date.now();
    const b = await launchChromium();
    const launch = Date.now() - t;
    await b.close();
    t = Date.now();
    const o = await probeConsole({ id: 'console', name: 'console' }, opts, new FileEvidenceSink(mkdtempSync(join(tmpdir(), 'gmeval-bench-console-')), 'console'));
    console.log(`round ${i + 1}: chromium launch+close ${launch} ms; whole console probe ${Date.now() - t} ms (${o.data ? `${o.data.pagesVisited} pages, ${o.evidence.length} evidence files` : o.notTested?.detail})`);
  }
} finally { await p.close(); }
