/**
 * Usage monitoring (§6.1.4 b, §6.4 h, §6.5.10): calls per application and per interface, with refusals, and a
 * per-minute trend, kept in memory (a restart starts a new measuring period, reported as `since`).
 */
export interface Bucket { start: string; calls: number; errors: number }

const BUCKET_MS = 60_000;
const MAX_BUCKETS = 24 * 60;

export class Metrics {
  readonly since = new Date().toISOString();
  private readonly byApp = new Map<string, Map<string, { calls: number; errors: number }>>();
  private readonly byInterface = new Map<string, { calls: number; errors: number; totalMs: number }>();
  private readonly buckets: (Bucket & { t: number })[] = [];

  record(appId: string | undefined, iface: string, ok: boolean, ms: number): void {
    let i = this.byInterface.get(iface);
    if (!i) this.byInterface.set(iface, (i = { calls: 0, errors: 0, totalMs: 0 }));
    i.calls++;
    if (!ok) i.errors++;
    i.totalMs += ms;
    const t = Math.floor(Date.now() / BUCKET_MS) * BUCKET_MS;
    let b = this.buckets[this.buckets.length - 1];
    if (!b || b.t !== t) {
      this.buckets.push((b = { t, start: new Date(t).toISOString(), calls: 0, errors: 0 }));
      if (this.buckets.length > MAX_BUCKETS) this.buckets.shift();
    }
    b.calls++;
    if (!ok) b.errors++;
    if (!appId) return;
    let m = this.byApp.get(appId);
    if (!m) this.byApp.set(appId, (m = new Map()));
    let a = m.get(iface);
    if (!a) m.set(iface, (a = { calls: 0, errors: 0 }));
    a.calls++;
    if (!ok) a.errors++;
  }

  /** Per-minute request counts (oldest first), for trends. */
  trend(): Bucket[] {
    return this.buckets.map(({ start, calls, errors }) => ({ start, calls, errors }));
  }

  snapshot(): { since: string; applications: { appId: string; calls: number; errors: number; byInterface: Record<string, { calls: number; errors: number }> }[]; interfaces: { name: string; calls: number; errors: number; meanMs: number }[] } {
    return {
      since: this.since,
      applications: [...this.byApp].map(([appId, m]) => {
        const byInterface = Object.fromEntries([...m].map(([k, v]) => [k, { ...v }]));
        let calls = 0;
        let errors = 0;
        for (const v of m.values()) { calls += v.calls; errors += v.errors; }
        return { appId, calls, errors, byInterface };
      }),
      interfaces: [...this.byInterface].map(([name, v]) => ({ name, calls: v.calls, errors: v.errors, meanMs: v.calls ? Math.round((v.totalMs / v.calls) * 100) / 100 : 0 })),
    };
  }
}
