import type { EvidenceRef, EvidenceSink } from '../evidence.ts';
import type { Observation } from '../observation.ts';
import { identifyService, type ServiceFacts } from './identify.ts';
import { DEFAULT_SCAN, resolveHost, resolvePorts, ZoneSpecError } from './ports.ts';
import { scanHosts, type ScanOptions } from './scan.ts';
import { tlcpHandshake } from './tlcp.ts';
import { readFileSync } from 'node:fs';

/** A network zone as the profile declares it (objects of kind network-zone, options). */
export interface ZoneSpec {
  /** service | management | core (licence material: CA 服务区 / 管理区 / 核心区), or another name */
  role: string;
  hosts: string[];
  /** ports meant to be open in this zone */
  declaredPorts: (string | number)[];
  /** management interfaces (must not be reachable from the service zone; must not be plaintext) */
  managementPorts?: (string | number)[];
  /** ports that must speak TLCP (GB/T 38636) */
  tlcpPorts?: (string | number)[];
  /** what to scan besides the declared ports (default DEFAULT_SCAN) */
  scanPorts?: (string | number)[];
  /** TLCP trust anchors: PEM files, or endpoint names holding a data: URL */
  trustAnchors?: string[];
}

export interface ZoneObservation {
  role: string;
  hosts: string[];
  scanner: 'nmap' | 'tcp-connect';
  notice?: string;
  command?: string;
  declared: number[];
  management: number[];
  tlcpPorts: number[];
  scanned: number;
  open: { host: string; port: number }[];
  services: ServiceFacts[];
  trustAnchors: number;
}

export function zoneSpecFrom(options: Record<string, unknown> | undefined): ZoneSpec {
  const o = options ?? {};
  const list = (k: string, required = false): (string | number)[] => {
    const v = o[k];
    if (v === undefined && !required) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' || typeof x === 'number')) throw new ZoneSpecError(`options.${k}: a list of ports/addresses or endpoint names is required`);
    return v as (string | number)[];
  };
  return {
    role: typeof o.role === 'string' ? o.role : 'service',
    hosts: list('hosts', true).map(String),
    declaredPorts: list('declaredPorts', true),
    managementPorts: list('managementPorts'),
    tlcpPorts: list('tlcpPorts'),
    ...(o.scanPorts !== undefined ? { scanPorts: list('scanPorts') } : {}),
    trustAnchors: list('trustAnchors').map(String),
  };
}

function anchorPem(ref: string, endpoints: Record<string, string>, baseDir: string): string {
  const e = endpoints[ref];
  if (e?.startsWith('data:')) return Buffer.from(e.slice(e.indexOf(',') + 1), 'base64').toString('utf8');
  try {
    return readFileSync(new URL(ref, `file://${baseDir.replace(/\/?$/, '/')}`), 'utf8');
  } catch (err) {
    throw new ZoneSpecError(`trust anchor "${ref}" is neither a data: endpoint nor a readable PEM file (${(err as Error).message})`);
  }
}

/**
 * Scans one zone: open ports (nmap or the built-in scan) on every host of the zone, then what answers on each
 * open port (protocol, TLS versions and certificate, TLCP handshake). Raw scanner output and the per-port facts
 * are evidence. Never judges.
 */
export async function probeZone(object: { id: string; name: string }, spec: ZoneSpec, endpoints: Record<string, string>, evidence: EvidenceSink, o: ScanOptions & { baseDir?: string } = {}): Promise<Observation<ZoneObservation>> {
  const at = new Date().toISOString();
  let hosts: string[], declared: number[], management: number[], tlcpPorts: number[], scanList: number[], anchors: string[];
  try {
    hosts = [...new Set(spec.hosts.map((h) => resolveHost(h, endpoints)))];
    declared = resolvePorts(spec.declaredPorts, endpoints);
    management = resolvePorts(spec.managementPorts ?? [], endpoints);
    tlcpPorts = resolvePorts(spec.tlcpPorts ?? [], endpoints);
    scanList = resolvePorts([...(spec.scanPorts ?? DEFAULT_SCAN), ...spec.declaredPorts, ...(spec.managementPorts ?? []), ...(spec.tlcpPorts ?? [])], endpoints);
    anchors = (spec.trustAnchors ?? []).map((a) => anchorPem(a, endpoints, o.baseDir ?? process.cwd()));
  } catch (e) {
    return { probe: 'net', object, at, notTested: { reason: 'error', detail: `网络区域配置错误 / zone spec: ${(e as Error).message}` }, evidence: [] };
  }
  const scan = await scanHosts(hosts, scanList, o);
  const refs: EvidenceRef[] = [evidence.save(scan.scanner === 'nmap' ? 'nmap.xml' : 'tcp-connect-scan.json', scan.scanner === 'nmap' ? 'application/xml' : 'application/json', scan.raw)];
  const open = hosts.flatMap((host) => (scan.open[host] ?? []).map((port) => ({ host, port })));
  const services = await Promise.all(open.map((p) => identifyService(p.host, p.port, { tlcp: (h, port) => tlcpHandshake(h, port, anchors) })));
  const data: ZoneObservation = {
    role: spec.role, hosts, scanner: scan.scanner, ...(scan.notice ? { notice: scan.notice } : {}), ...(scan.command ? { command: scan.command } : {}),
    declared, management, tlcpPorts, scanned: scanList.length, open, services, trustAnchors: anchors.length,
  };
  refs.push(evidence.save('services.json', 'application/json', JSON.stringify({ ...data, ms: scan.ms }, null, 2)));
  return { probe: 'net', object, at, data, evidence: refs };
}
