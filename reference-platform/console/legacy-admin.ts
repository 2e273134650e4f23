import { createServer, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

/**
 * Listeners that exist only with a defect switched on — the kind of leftovers a network scan finds in real
 * deployments: a telnet maintenance shell (defect telnet-admin-open) and an international-TLS admin port that
 * still offers TLS 1.0 with an RSA-1024/SHA-1 certificate (defect tls10-enabled). Both are served on fixed,
 * commonly scanned ports of the chosen (zone) address.
 */
export const TELNET_ADMIN_PORT = 2323;
export const LEGACY_TLS_PORT = 8443;
/** defect mgmt-port-in-service-zone: the console's extra plain-HTTP listener on the service-zone address */
export const CONSOLE_SERVICE_ZONE_PORT = 8080;

const listen = (srv: Server, host: string, port: number) => new Promise<string>((resolve, reject) => {
  srv.once('error', reject);
  srv.listen(port, host, () => resolve(`${host}:${(srv.address() as AddressInfo).port}`));
});

export async function startTelnetAdmin(host: string, port = TELNET_ADMIN_PORT): Promise<{ address: string; server: Server }> {
  const server = createServer((sock) => {
    sock.on('error', () => {});
    // IAC WILL ECHO, IAC WILL SUPPRESS-GO-AHEAD, then a login prompt in clear text
    sock.write(Buffer.from([0xff, 0xfb, 0x01, 0xff, 0xfb, 0x03]));
    sock.write('gmeval platform maintenance shell\r\nlogin: ');
    sock.setTimeout(5000, () => sock.destroy());
    sock.on('data', () => sock.write('\r\nPassword: '));
  });
  return { address: await listen(server, host, port), server };
}

export async function startLegacyTls(host: string, port = LEGACY_TLS_PORT): Promise<{ address: string; server: Server }> {
  const dir = new URL('./defect-tls/', import.meta.url);
  const server = createTlsServer({
    key: readFileSync(new URL('weak-rsa1024.key.pem', dir)),
    cert: readFileSync(new URL('weak-rsa1024-sha1.cert.pem', dir)),
    minVersion: 'TLSv1',
    ciphers: 'DEFAULT:@SECLEVEL=0',
  }, (s) => {
    s.on('error', () => {});
    s.end('HTTP/1.0 200 OK\r\ncontent-type: text/html\r\n\r\n<html><body><form><input name="password" type="password"></form>legacy admin</body></html>');
  });
  server.on('tlsClientError', () => {});
  return { address: await listen(server, host, port), server };
}
