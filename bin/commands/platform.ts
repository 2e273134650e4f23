import type { CommandGroup } from './index.ts';
import { InputError } from '../exit-codes.ts';

/**
 * The bundled reference platform. Loaded lazily by path: the toolkit itself never depends on it
 * (DESIGN.md §2), only this launcher does.
 */
const platformModule = () => import(new URL('../../reference-platform/cli.ts', import.meta.url).href) as Promise<typeof import('../../reference-platform/cli.ts')>;
const registryModule = () => import(new URL('../../reference-platform/defects/registry.ts', import.meta.url).href) as Promise<typeof import('../../reference-platform/defects/registry.ts')>;

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InputError(`--http-port: "${v}" is not a port number (0..65535)`);
  return n;
}

export const register: CommandGroup = (program) => {
  const platform = program.command('platform').description('the bundled reference platform / 内置参考平台');
  platform
    .command('start')
    .description('start the reference platform in the foreground on loopback; first stdout line: {"listening": {...}}')
    .option('--http-port <port>', 'HTTP API port (0 = a free port)', port, 0)
    .option('--sdf-port <port>', 'SDF device endpoint port, GM/T 0018 over TCP (0 = a free port)', port, 0)
    .option('--tlcp-port <port>', 'TLCP listener carrying the same API, GB/T 38636 (0 = a free port)', port, 0)
    .option('--ldap-port <port>', 'LDAP directory where the CA publishes certificates and CRLs (0 = a free port; docs/ca-km.md)', port, 0)
    .option('--console-port <port>', 'administrators\' web console, HTTP on the listen address (0 = a free port; docs/console.md)', port, 0)
    .option('--console-tlcp <host:port>', 'also serve the console over TLCP on this (management-zone) address, e.g. 127.0.0.3:0')
    .option('--host <addr>', 'listen address (loopback only unless you say otherwise)', '127.0.0.1')
    .option('--defect <name...>', 'switch on named non-conformances (see `gmeval platform defects`)')
    .option('--data <dir>', 'data directory (SQLite, sealed keys); default: in memory')
    .action(async (o: { httpPort: number; sdfPort: number; tlcpPort: number; ldapPort: number; consolePort: number; consoleTlcp?: string; host: string; defect?: string[]; data?: string }) => {
      const { DEFECTS } = await registryModule();
      const known = new Set(DEFECTS.map((d) => d.name));
      const unknown = (o.defect ?? []).filter((d) => !known.has(d));
      if (unknown.length) throw new InputError(`--defect: unknown defect ${unknown.join(', ')}`, [`known: ${[...known].join(', ')}`]);
      const { runPlatformCli } = await platformModule();
      const tlcp = o.consoleTlcp === undefined ? undefined : /^(.+):(\d{1,5})$/.exec(o.consoleTlcp);
      if (o.consoleTlcp !== undefined && (!tlcp || Number(tlcp[2]) > 65535)) throw new InputError(`--console-tlcp: "${o.consoleTlcp}" is not HOST:PORT`);
      await runPlatformCli({
        host: o.host, httpPort: o.httpPort, sdfPort: o.sdfPort, tlcpPort: o.tlcpPort, ldapPort: o.ldapPort, defects: o.defect ?? [], dataDir: o.data,
        console: { host: o.host, port: o.consolePort, ...(tlcp ? { mgmtHost: tlcp[1]!, mgmtPort: Number(tlcp[2]) } : {}) },
      });
    });
  platform
    .command('defects')
    .description('list the named defects and the requirement each violates')
    .option('--json', 'machine-readable')
    .action(async (o: { json?: boolean }) => {
      const { DEFECTS } = await registryModule();
      if (o.json) return void process.stdout.write(JSON.stringify(DEFECTS, null, 2) + '\n');
      for (const d of DEFECTS) process.stdout.write(`${d.name.padEnd(28)} ${d.summaryZh}\n${''.padEnd(28)} violates: ${d.violates.map((v) => `${v.std} ${v.clause}`).join(', ')}\n`);
    });
};
