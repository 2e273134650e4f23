/** lib/tlcp client (dialled by probes/tlcp) ↔ lib/tlcp server (reference-platform/tlcp-listener) over real TCP sockets: all four suites, client authentication, resumption, HTTP/1.1. */
import assert from 'node:assert/strict';
import { request, createServer as createHttpServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ROOT_CA, VERIFY_AT, clientCredentials, serverCredentials } from '../fixtures/tlcp/keys.ts';
import { TlcpSessionCache, TlcpSocket, type TlcpServerOptions } from '../../lib/tlcp/index.ts';
import { tlcpConnect } from '../../probes/tlcp/dial.ts';
import { createTlcpServer } from '../../reference-platform/tlcp-listener/server.ts';

const SUITES = [0xe013, 0xe053, 0xe011, 0xe051];

async function listen(opts: Partial<TlcpServerOptions>, onConn: (s: TlcpSocket) => void): Promise<{ server: Server; port: number }> {
  const creds = serverCredentials();
  const server = createTlcpServer({ ...creds, caCerts: [ROOT_CA()], verifyAt: VERIFY_AT, ...opts }, onConn);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port };
}

function echo(s: TlcpSocket): void {
  s.on('data', (d: Buffer) => s.write(Buffer.from(d.toString().toUpperCase())));
  s.on('end', () => s.end());
}

async function roundTrip(s: TlcpSocket, text: string): Promise<string> {
  s.write(text);
  return new Promise((resolve) => s.once('data', (d: Buffer) => resolve(d.toString())));
}

describe('TLCP end to end over TCP', () => {
  const serverSide: TlcpSocket[] = [];
  let plain: { server: Server; port: number };
  let auth: { server: Server; port: number };
  const cache = new TlcpSessionCache();

  before(async () => {
    plain = await listen({ sessionCache: cache }, (s) => (serverSide.push(s), echo(s)));
    auth = await listen({ requireClientCert: true }, (s) => (serverSide.push(s), echo(s)));
  });
  after(() => {
    plain.server.close();
    auth.server.close();
  });

  for (const suite of SUITES) {
    const ecdhe = suite === 0xe011 || suite === 0xe051;
    it(`suite 0x${suite.toString(16)}: handshake, echo of application data, close_notify${ecdhe ? ' (client double certificate)' : ''}`, async () => {
      const s = await tlcpConnect({ port: plain.port, suites: [suite], trustedCerts: [ROOT_CA()], verifyAt: VERIFY_AT, ...(ecdhe ? { clientCerts: clientCredentials() } : {}) });
      assert.equal(s.negotiated!.suite, suite);
      assert.equal(s.negotiated!.version, 0x0101);
      assert.equal(s.negotiated!.peerVerified, true);
      assert.equal(s.negotiated!.peerCertificates.length, 3);
      assert.equal(s.negotiated!.resumed, false);
      assert.equal(await roundTrip(s, 'hello tlcp'), 'HELLO TLCP');
      const big = Buffer.alloc(100_000, 'a');
      s.write(big);
      let got = 0;
      await new Promise<void>((resolve) => s.on('data', (d: Buffer) => ((got += d.length), got >= big.length && resolve())));
      assert.equal(got, big.length);
      const srv = serverSide.at(-1)!;
      if (ecdhe) {
        assert.equal(srv.negotiated!.ecdheCkeFormat, 'bare');
        assert.equal(srv.negotiated!.clientAuthForm, 'hash');
        assert.equal(srv.negotiated!.peerVerified, true);
      }
      assert.ok(s.transcript.some((e) => e.kind === 'handshake' && e.summary.startsWith('server_hello')));
      s.end();
      await new Promise<void>((r) => s.on('close', () => r()));
      assert.equal(s.closeCause?.kind, 'close_notify');
    });
  }

  it('ECDHE in the 71-byte CKE form with a raw CertificateVerify (GmSSL 3.3-dev style) is accepted and recorded', async () => {
    const s = await tlcpConnect({ port: plain.port, suites: [0xe051], clientCerts: clientCredentials(), ecdheCkeFormat: 'vector', certVerifyForm: 'raw' });
    await roundTrip(s, 'x');
    const srv = serverSide.at(-1)!;
    assert.equal(srv.negotiated!.ecdheCkeFormat, 'vector');
    assert.equal(srv.negotiated!.clientAuthForm, 'raw');
    s.destroy();
  });

  for (const suite of [0xe013, 0xe053]) {
    it(`required client authentication, suite 0x${suite.toString(16)}: with certificates → ok; without → handshake_failure`, async () => {
      const s = await tlcpConnect({ port: auth.port, suites: [suite], clientCerts: clientCredentials() });
      assert.equal(await roundTrip(s, 'auth'), 'AUTH');
      const srv = serverSide.at(-1)!;
      assert.equal(srv.negotiated!.clientAuthForm, 'hash');
      assert.equal(srv.negotiated!.peerCertificates.length, 2, 'ECC client auth sends [sign, CA] by default');
      s.destroy();
      const d = await tlcpConnect({ port: auth.port, suites: [suite], clientCerts: clientCredentials(), eccClientCertChain: 'double', certVerifyForm: 'raw' });
      await roundTrip(d, 'x');
      assert.equal(serverSide.at(-1)!.negotiated!.peerCertificates.length, 3, 'Tongsuo-style [sign, enc, CA]');
      assert.equal(serverSide.at(-1)!.negotiated!.clientAuthForm, 'raw');
      d.destroy();
      await assert.rejects(tlcpConnect({ port: auth.port, suites: [suite] }), (e: Error & { descriptionName?: string }) => e.descriptionName === 'handshake_failure');
    });
  }

  it('optional client authentication: a client without certificates answers with an empty list and proceeds', async () => {
    const opt = await listen({ requestClientCert: true }, (s) => (serverSide.push(s), echo(s)));
    try {
      const s = await tlcpConnect({ port: opt.port, suites: [0xe013] });
      assert.equal(await roundTrip(s, 'anon'), 'ANON');
      assert.equal(serverSide.at(-1)!.negotiated!.clientAuthForm, null);
      s.destroy();
      const s2 = await tlcpConnect({ port: opt.port, suites: [0xe013], clientCerts: clientCredentials() });
      await roundTrip(s2, 'x');
      assert.equal(serverSide.at(-1)!.negotiated!.clientAuthForm, 'hash');
      s2.destroy();
    } finally {
      opt.server.close();
    }
  });

  it('resumption by session ID: abbreviated handshake with the same suite and master secret; unknown ID → full handshake', async () => {
    const s1 = await tlcpConnect({ port: plain.port, suites: [0xe053] });
    const session = s1.session!;
    assert.equal(session.id.length, 32);
    await roundTrip(s1, 'one');
    s1.destroy();
    const s2 = await tlcpConnect({ port: plain.port, suites: [0xe053], session });
    assert.equal(s2.negotiated!.resumed, true);
    assert.equal(s2.negotiated!.sessionId, s1.negotiated!.sessionId);
    assert.equal(await roundTrip(s2, 'two'), 'TWO');
    assert.ok(!s2.transcript.some((e) => e.kind === 'handshake' && e.summary.startsWith('certificate ')));
    s2.destroy();
    const s3 = await tlcpConnect({ port: plain.port, suites: [0xe053], session: { ...session, id: new Uint8Array(32).fill(7) } });
    assert.equal(s3.negotiated!.resumed, false);
    s3.destroy();
  });

  it('HTTP/1.1 runs over TlcpSocket on both sides', async () => {
    const httpServer = createHttpServer((req, res) => {
      res.setHeader('content-type', 'text/plain');
      res.end(`${req.method} ${req.url} over TLCP`);
    });
    const tl = await listen({}, (s) => httpServer.emit('connection', s));
    try {
      for (const suite of SUITES) {
        const ecdhe = suite === 0xe011 || suite === 0xe051;
        const sock = await tlcpConnect({ port: tl.port, suites: [suite], ...(ecdhe ? { clientCerts: clientCredentials() } : {}) });
        const body = await new Promise<string>((resolve, reject) => {
          const req = request({ method: 'GET', path: '/status', host: 'localhost', createConnection: () => sock }, (res: IncomingMessage) => {
            let b = '';
            res.on('data', (d: Buffer) => (b += d));
            res.on('end', () => resolve(`${res.statusCode} ${b}`));
          });
          req.on('error', reject);
          req.end();
        });
        assert.equal(body, '200 GET /status over TLCP');
        sock.destroy();
      }
    } finally {
      tl.server.close();
      httpServer.close();
    }
  });
});
