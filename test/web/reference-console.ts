/**
 * The reference console with three provisioned administrators and the probe options that describe it (role menus,
 * pages, one role-restricted operation, the secrets that must never appear). Shared by the console test and
 * bench/console.ts so both drive the same setup.
 */
import type { ConsoleProbeOptions } from '../../probes/web/console.ts';

type Platform = Awaited<ReturnType<typeof import('../../reference-platform/index.ts')['startPlatform']>>;

/** Starts the platform with its console on loopback (dynamic import: toolkit code never loads the platform statically). */
export async function referenceConsole(defects: string[], prefix: string): Promise<{ p: Platform; opts: ConsoleProbeOptions }> {
  const mod = (await import(new URL('../../reference-platform/index.ts', import.meta.url).href)) as typeof import('../../reference-platform/index.ts');
  const p = await mod.startPlatform({ defects, console: { host: '127.0.0.1' } });
  const app = p.provisionApp(prefix);
  const admins = { super_admin: p.provisionAdmin(`${prefix}-super`, ['super_admin']), business_admin: p.provisionAdmin(`${prefix}-business`, ['business_admin', 'operator']), auditor: p.provisionAdmin(`${prefix}-audit`, ['auditor']) };
  const menus: Record<string, string[]> = { super_admin: ['resources', 'certificates', 'users'], business_admin: ['resources', 'keys', 'certificates', 'apps'], auditor: ['audit'] };
  const opts: ConsoleProbeOptions = {
    url: p.listening.console!,
    roles: Object.entries(admins).map(([role, a]) => ({ role, username: a.username, password: a.password, sm2PrivateKeyPem: a.privateKeyPem, menus: menus[role]! })),
    pages: { resources: '/resources', keys: '/keys', certificates: '/certificates', apps: '/apps', audit: '/audit', users: '/users' },
    operations: [{ id: 'create-key', path: '/keys', form: { appId: app.appId, type: 'SM4' }, allowedRoles: ['business_admin'] }],
    secrets: [{ what: 'app secret', value: app.secret }, ...Object.values(admins).map((a) => ({ what: `${a.username} password`, value: a.password }))],
  };
  return { p, opts };
}
