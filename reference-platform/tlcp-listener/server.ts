/** A net.Server speaking TLCP (the listening half; the protocol is lib/tlcp). */
import { createServer, type Server } from 'node:net';
import { tlcpServeOver, type TlcpServerOptions, type TlcpSocket } from '../../lib/tlcp/index.ts';

export type { TlcpServerOptions };

/**
 * `onConnection` receives each socket after its handshake; failed handshakes are reported with the server's
 * 'tlcpClientError' event (error, socket) and never crash the server.
 */
export function createTlcpServer(opts: TlcpServerOptions, onConnection?: (s: TlcpSocket) => void): Server {
  const server = createServer((sock) => {
    sock.on('error', () => { /* reported through the TLCP socket */ });
    tlcpServeOver(sock, opts, {
      secure: (ts) => {
        server.emit('secureConnection', ts);
        onConnection?.(ts);
      },
      failed: (err, ts) => server.emit('tlcpClientError', err, ts),
    });
  });
  return server;
}
