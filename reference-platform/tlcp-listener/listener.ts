/**
 * The platform's TLCP listener: the same HTTP API (and so the administration routes) carried over TLCP
 * (GB/T 38636-2020) with the platform's double certificate. Defects switch on named non-conformances.
 */
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import { DEFAULT_SUITES, TlcpSessionCache, type NonConformance, type TlcpSocket } from '../../lib/tlcp/index.ts';
import type { Defects } from '../defects/registry.ts';
import { provisionTlcpCertificates, type TlcpCertificateSet } from './certificates.ts';
import { createTlcpServer } from './server.ts';

export interface TlcpListenerOptions {
  host: string;
  port: number;
  /** the platform's HTTP server: every established TLCP connection is handed to it */
  httpServer: HttpServer;
  defects: Defects;
  certificates?: TlcpCertificateSet;
}

export interface RunningTlcpListener {
  /** host:port */
  address: string;
  certificates: TlcpCertificateSet;
  close(): Promise<void>;
}

/** TLS_RSA_WITH_AES_128_CBC_SHA: what defect `tlcp-accepts-rsa-suite` also selects (run internally as ECC_SM4_CBC_SM3) */
const RSA_SUITE = 0x002f;

export async function startTlcpListener(o: TlcpListenerOptions): Promise<RunningTlcpListener> {
  const d = o.defects;
  const certificates = o.certificates ?? provisionTlcpCertificates({
    encKeyUsageSign: d.has('cert-enc-keyusage-sign'), endEntityIsCa: d.has('cert-ee-is-ca'), generalizedTime: d.has('cert-validity-generalizedtime'),
  });
  const server = { ...certificates.server };
  if (d.has('tlcp-enc-cert-as-sign')) {
    server.encCert = server.signCert;
    server.encKey = server.signKey;
  }
  const nonConformance: NonConformance = {
    ...(d.has('tlcp-accepts-rsa-suite') ? { aliasSuites: { [RSA_SUITE]: 0xe013 } } : {}),
    ...(d.has('tlcp-no-finished-check') ? { skipFinishedCheck: true } : {}),
    ...(d.has('tlcp-static-iv') ? { staticIv: true } : {}),
    ...(d.has('tlcp-ske-wrong-z') ? { skeSignId: '' } : {}),
  };
  const sockets = new Set<TlcpSocket>();
  const tcp: Server = createTlcpServer({
    ...server,
    suites: d.has('tlcp-accepts-rsa-suite') ? [...DEFAULT_SUITES, RSA_SUITE] : DEFAULT_SUITES,
    caCerts: [certificates.caCert],
    sessionCache: new TlcpSessionCache(),
    transcript: false,
    handshakeTimeoutMs: 10_000,
    nonConformance,
  }, (ts) => {
    sockets.add(ts);
    ts.once('close', () => sockets.delete(ts));
    o.httpServer.emit('connection', ts);
  });
  tcp.on('tlcpClientError', () => { /* a failed handshake is the client's problem; the alert was sent */ });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(o.port, o.host, () => resolve());
  });
  const addr = tcp.address() as AddressInfo;
  return {
    address: `${o.host.includes(':') ? `[${o.host}]` : o.host}:${addr.port}`,
    certificates,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      tcp.close(() => resolve());
    }),
  };
}
