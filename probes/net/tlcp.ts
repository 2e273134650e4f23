import type { TlcpFacts } from './identify.ts';
import { certificatesFromPem } from '../../lib/tlcp/index.ts';

/**
 * A TLCP (GB/T 38636) handshake through the TLCP probe (probes/tlcp), verifying the server's certificates against
 * the given trust anchors when there are any. The probe is loaded by path: without it, ports are reported with the
 * reason instead of being judged.
 */
export async function tlcpHandshake(host: string, port: number, trustAnchorsPem: string[], timeoutMs = 1500): Promise<TlcpFacts> {
  let dial: typeof import('../tlcp/dial.ts');
  try {
    dial = (await import(new URL('../tlcp/dial.ts', import.meta.url).href)) as typeof import('../tlcp/dial.ts');
  } catch (e) {
    return { handshake: false, unavailable: `TLCP 探针不可用 / probes/tlcp could not be loaded: ${(e as Error).message}` };
  }
  const trusted = trustAnchorsPem.flatMap((p) => certificatesFromPem(p));
  try {
    const s = await dial.tlcpConnect({ host, port, connectTimeoutMs: timeoutMs, timeoutMs, ...(trusted.length ? { trustedCerts: trusted } : {}) });
    const n = s.negotiated!;
    s.destroy();
    return { handshake: true, suite: n.suiteName, version: `0x${n.version.toString(16).padStart(4, '0')}`, peerVerified: trusted.length ? n.peerVerified : false, certificates: n.peerCertificates.length };
  } catch (e) {
    return { handshake: false, error: (e as Error).message.slice(0, 200) };
  }
}
