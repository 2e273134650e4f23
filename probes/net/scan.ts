import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import { portSpec } from './ports.ts';

/** Result of a port scan of some hosts: open TCP ports per host, how they were found, and the raw output (evidence). */
export interface ScanResult {
  scanner: 'nmap' | 'tcp-connect';
  /** why nmap was not used (absent, failed) — stated in every finding */
  notice?: string;
  command?: string;
  open: Record<string, number[]>;
  raw: string;
  ms: number;
}

export interface ScanOptions {
  /** nmap executable (default: `nmap` on PATH; GMEVAL_NMAP overrides) */
  nmapPath?: string;
  timeoutMs?: number;
  /** built-in scanner: connections in flight and per-connection timeout */
  concurrency?: number;
  connectTimeoutMs?: number;
}

/**
 * TCP connect scan (`nmap -sT`: needs no privileges) of an explicit port list with bounded timing; nmap's XML
 * (`-oX -`) is parsed with fast-xml-parser. Without nmap, a built-in connect scan does the same job more slowly
 * and says so.
 */
export async function scanHosts(hosts: string[], ports: number[], o: ScanOptions = {}): Promise<ScanResult> {
  const t0 = Date.now();
  const nmap = o.nmapPath ?? process.env.GMEVAL_NMAP ?? 'nmap';
  const args = ['-sT', '-Pn', '-n', '-T4', '--max-retries', '1', '--host-timeout', `${Math.ceil((o.timeoutMs ?? 30_000) / 1000)}s`, '-p', portSpec(ports), '-oX', '-', ...hosts];
  const run = await runProcess(nmap, args, o.timeoutMs ?? 30_000);
  if (run.ok) {
    try {
      return { scanner: 'nmap', command: `${nmap} ${args.join(' ')}`, open: parseNmapXml(run.stdout, hosts), raw: run.stdout, ms: Date.now() - t0 };
    } catch (e) {
      run.reason = `nmap output could not be read: ${(e as Error).message}`;
    }
  }
  const notice = `nmap 不可用，改用内置 TCP 连接扫描 / nmap unavailable (${run.reason}); built-in TCP connect scan used`;
  const open = await connectScan(hosts, ports, o.concurrency ?? 200, o.connectTimeoutMs ?? 1500);
  const raw = JSON.stringify({ scanner: 'tcp-connect', notice, hosts, ports: portSpec(ports), open }, null, 2);
  return { scanner: 'tcp-connect', notice, open, raw, ms: Date.now() - t0 };
}

function runProcess(cmd: string, args: string[], timeoutMs: number): Promise<{ ok: boolean; stdout: string; reason: string }> {
  return new Promise((resolve) => {
    let stdout = '', stderr = '';
    let child;
    try {
      child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      return resolve({ ok: false, stdout: '', reason: (e as Error).message });
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 5000);
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString('utf8'); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
    child.on('error', (e: NodeJS.ErrnoException) => { clearTimeout(timer); resolve({ ok: false, stdout, reason: e.code === 'ENOENT' ? `${cmd} not found` : e.message }); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ ok: code === 0, stdout, reason: code === 0 ? '' : `${cmd} exited ${code}: ${stderr.trim().slice(0, 200)}` }); });
  });
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Open TCP ports per host address from nmap's XML; every requested host appears (an empty list when none). */
export function parseNmapXml(xml: string, hosts: string[] = []): Record<string, number[]> {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false }).parse(xml) as {
    nmaprun?: { host?: unknown };
  };
  if (!doc.nmaprun) throw new Error('no <nmaprun> element');
  const out: Record<string, number[]> = Object.fromEntries(hosts.map((h) => [h, [] as number[]]));
  for (const h of asArray(doc.nmaprun.host as Record<string, unknown> | Record<string, unknown>[])) {
    const addr = asArray(h.address as { addr: string; addrtype: string } | { addr: string; addrtype: string }[]).find((a) => a.addrtype !== 'mac')?.addr;
    if (!addr) continue;
    const ports = asArray((h.ports as { port?: unknown } | undefined)?.port as Record<string, unknown> | Record<string, unknown>[]);
    out[addr] = ports
      .filter((p) => p.protocol === 'tcp' && (p.state as { state?: string } | undefined)?.state === 'open')
      .map((p) => Number(p.portid))
      .sort((a, b) => a - b);
  }
  return out;
}

/** Plain TCP connect scan with bounded concurrency. */
export async function connectScan(hosts: string[], ports: number[], concurrency: number, timeoutMs: number): Promise<Record<string, number[]>> {
  const jobs = hosts.flatMap((host) => ports.map((port) => ({ host, port })));
  const out: Record<string, number[]> = Object.fromEntries(hosts.map((h) => [h, [] as number[]]));
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const j = jobs[next++]!;
      if (await tcpOpen(j.host, j.port, timeoutMs)) out[j.host]!.push(j.port);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  for (const h of hosts) out[h]!.sort((a, b) => a - b);
  return out;
}

export function tcpOpen(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const done = (v: boolean) => { clearTimeout(t); s.destroy(); resolve(v); };
    const t = setTimeout(() => done(false), timeoutMs);
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}
