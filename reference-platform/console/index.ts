import type { Server } from 'node:net';
import type { PlatformContext } from '../context.ts';
import { startConsole, type RunningConsole } from './server.ts';
import { CONSOLE_SERVICE_ZONE_PORT, startLegacyTls, startTelnetAdmin } from './legacy-admin.ts';

export interface ConsoleListenOptions {
  /** the browser-facing HTTP listener; default 127.0.0.1, port 0 */
  host?: string;
  port?: number;
  /** management-zone address for the TLCP listener (none when absent) */
  mgmtHost?: string;
  mgmtPort?: number;
  /** the service-zone address (where the zone defects put their listeners) */
  serviceHost: string;
}

export interface ConsoleListeners {
  console: RunningConsole;
  /** listeners that only defects open: name → host:port */
  defectListeners: Record<string, string>;
  close(): Promise<void>;
}

/** Starts the console and, with the network defects switched on, the listeners that violate the zoning. */
export async function startConsoleListeners(ctx: PlatformContext, o: ConsoleListenOptions): Promise<ConsoleListeners> {
  const c = await startConsole(ctx, {
    http: { host: o.host ?? '127.0.0.1', port: o.port ?? 0 },
    ...(o.mgmtHost ? { tlcp: { host: o.mgmtHost, port: o.mgmtPort ?? 0 } } : {}),
    // defect mgmt-port-in-service-zone: the console also answers on the service-zone address
    ...(ctx.defects.has('mgmt-port-in-service-zone') ? { extraHttp: [{ host: o.serviceHost, port: CONSOLE_SERVICE_ZONE_PORT }] } : {}),
  });
  const extra: Server[] = [];
  const defectListeners: Record<string, string> = {};
  try {
    if (c.extra[0]) defectListeners['console-service-zone'] = c.extra[0];
    if (ctx.defects.has('telnet-admin-open')) { const t = await startTelnetAdmin(o.serviceHost); extra.push(t.server); defectListeners.telnet = t.address; }
    if (ctx.defects.has('tls10-enabled')) { const t = await startLegacyTls(o.serviceHost); extra.push(t.server); defectListeners['legacy-tls'] = t.address; }
  } catch (e) {
    await c.close();
    for (const s of extra) s.close();
    throw e;
  }
  return {
    console: c,
    defectListeners,
    async close() {
      await c.close();
      await Promise.all(extra.map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}
