/**
 * Usage monitoring (§6.1.4 b, §6.4 h): calls per application and per interface, with refusals, kept in
 * memory (a restart starts a new measuring period, reported as `since`).
 */
export class Metrics {
  readonly since = new Date().toISOString();
  private readonly byApp = new Map<string, Map<string, { calls: number; errors: number }>>();
  private readonly byInterface = new Map<string, { calls: number; errors: number; totalMs: number }>();

  record(appId: string | undefined, iface: string, ok: boolean, ms: number): void {
    const i = this.byInterface.get(iface) ?? { calls: 0, errors: 0, totalMs: 0 };
    i.calls++;
    if (!ok) i.errors++;
    i.totalMs += ms;
    this.byInterface.set(iface, i);
    if (!appId) return;
    let m = this.byApp.get(appId);
    if (!m) this.byApp.set(appId, (m = new Map()));
    const a = m.get(iface) ?? { calls: 0, errors: 0 };
    a.calls++;
    if (!ok) a.errors++;
    m.set(iface, a);
  }

  snapshot(): { since: string; applications: { appId: string; calls: number; errors: number; byInterface: Record<string, { calls: number; errors: number }> }[]; interfaces: { name: string; calls: number; errors: number; meanMs: number }[] } {
    return {
      since: this.since,
      applications: [...this.byApp].map(([appId, m]) => {
        const byInterface = Object.fromEntries(m);
        let calls = 0;
        let errors = 0;
        for (const v of m.values()) { calls += v.calls; errors += v.errors; }
        return { appId, calls, errors, byInterface };
      }),
      interfaces: [...this.byInterface].map(([name, v]) => ({ name, calls: v.calls, errors: v.errors, meanMs: v.calls ? Math.round((v.totalMs / v.calls) * 100) / 100 : 0 })),
    };
  }
}
