/**
 * Port lists and address names of a network-zone object (docs/network.md). A port or host may be a number /
 * address, or the name of a target endpoint (`api`, `console-tlcp`, …) whose host or port is taken.
 */
export interface HostPort { host: string; port: number }

/** Parses `http://h:p/…`, `sdf://h:p/…`, `tlcp://h:p`, `h:p`, `[v6]:p`. */
export function endpointHostPort(text: string): HostPort | undefined {
  const t = text.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '');
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(t);
  if (!m) return undefined;
  const port = Number(m[3]);
  return port >= 1 && port <= 65535 ? { host: m[1] ?? m[2]!, port } : undefined;
}

export class ZoneSpecError extends Error {}

/** A host: an address, or an endpoint name (its host; a bare-address endpoint such as zone-service is the address). */
export function resolveHost(ref: string, endpoints: Record<string, string>): string {
  const e = endpoints[ref];
  if (e === undefined) {
    if (/^[0-9a-f:.]+$/i.test(ref) || /^[a-z0-9.-]+$/i.test(ref)) return ref;
    throw new ZoneSpecError(`host "${ref}" is neither an address nor a target endpoint`);
  }
  return endpointHostPort(e)?.host ?? e;
}

/** Ports: numbers, ranges "1-1024", or endpoint names (their port). Unknown names are an error naming them. */
export function resolvePorts(refs: (string | number)[], endpoints: Record<string, string>): number[] {
  const out = new Set<number>();
  for (const r of refs) {
    if (typeof r === 'number') { checkPort(r, String(r)); out.add(r); continue; }
    const range = /^(\d+)-(\d+)$/.exec(r);
    if (range) {
      const a = Number(range[1]), b = Number(range[2]);
      checkPort(a, r); checkPort(b, r);
      if (b < a || b - a > 65535) throw new ZoneSpecError(`port range "${r}" is reversed`);
      for (let p = a; p <= b; p++) out.add(p);
      continue;
    }
    if (/^\d+$/.test(r)) { checkPort(Number(r), r); out.add(Number(r)); continue; }
    const e = endpoints[r];
    const hp = e === undefined ? undefined : endpointHostPort(e);
    if (!hp) throw new ZoneSpecError(`port "${r}" is neither a number nor a target endpoint with a port${e === undefined ? '' : ` (endpoint ${r} = ${e})`}`);
    out.add(hp.port);
  }
  return [...out].sort((x, y) => x - y);
}

function checkPort(p: number, shown: string) {
  if (!Number.isInteger(p) || p < 1 || p > 65535) throw new ZoneSpecError(`port "${shown}" is not 1..65535`);
}

/** Compact nmap `-p` text: 1-1024,2323,8443. */
export function portSpec(ports: number[]): string {
  const s = [...new Set(ports)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length; i++) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j]! + 1) j++;
    parts.push(j > i ? `${s[i]}-${s[j]}` : String(s[i]));
    i = j;
  }
  return parts.join(',');
}

/** Ports scanned besides the declared ones when the profile does not say (well-known and commonly abused admin ports). */
export const DEFAULT_SCAN = ['1-1024', 1080, 1433, 1521, 2222, 2323, 3306, 3389, 5432, 5900, 5985, 6379, 8000, 8008, 8080, 8081, 8443, 8888, 9000, 9090, 9443, 10000];
