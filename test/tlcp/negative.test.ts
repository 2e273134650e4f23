/**
 * Bad conversations: each must end in the right fatal alert and a close, on the server (over TCP, driven by the
 * manual client) and on the client (engines wired back to back).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AddressInfo, Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { sm2Encrypt } from '../../lib/gm/index.ts';
import { ROOT_CA, VERIFY_AT, clientCredentials, serverCredentials } from '../fixtures/tlcp/keys.ts';
import {
  ContentType, HandshakeType, ManualTlcpClient, TlcpEngine, encodeCertificate, encodeClientHello, encodeEccClientKeyExchange,
  encodeHandshake, encodeRecord, parseCertificate, type CloseCause, type EngineOptions, type TlcpSocket,
} from '../../lib/tlcp/index.ts';
import { manualConnect } from '../../probes/tlcp/dial.ts';
import { createTlcpServer } from '../../reference-platform/tlcp-listener/server.ts';

let server: Server;
let port: number;
const serverErrors: Error[] = [];
const established: TlcpSocket[] = [];

before(async () => {
  server = createTlcpServer({ ...serverCredentials(), caCerts: [ROOT_CA()], verifyAt: VERIFY_AT }, (s) => {
    established.push(s);
    s.on('data', (d: Buffer) => s.write(d));
  });
  server.on('tlcpClientError', (e: Error) => serverErrors.push(e));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(() => server.close());

const ecdheOpts = (suite: number): Partial<EngineOptions> => (suite === 0xe011 || suite === 0xe051 ? { clientCredentials: clientCredentials() } : {});

async function expectAlert(c: ManualTlcpClient, name: string, from?: number): Promise<void> {
  const o = await c.outcome(3000, from);
  assert.equal(o.alert?.name, name, `expected fatal ${name}, got ${o.alert?.name ?? 'no alert'}${o.timedOut ? ' (timeout)' : ''}`);
  assert.equal(o.alert?.level, 2);
  assert.equal(o.closed, true);
  c.destroy();
}

describe('server rejects bad client input with the right fatal alert', () => {
  for (const suite of [0xe013, 0xe053, 0xe011, 0xe051]) {
    const hex = suite.toString(16);
    it(`${hex}: tampered client Finished → decrypt_error`, async () => {
      const c = await manualConnect({
        port, suites: [suite], ...ecdheOpts(suite),
        hooks: { outgoingHandshake: (t, raw) => (t === HandshakeType.finished ? Uint8Array.from(raw, (b, i) => (i === 6 ? b ^ 0x40 : b)) : raw) },
      });
      c.start();
      await expectAlert(c, 'decrypt_error', 0);
    });

    it(`${hex}: application record with one flipped bit → bad_record_mac`, async () => {
      let flip = false;
      const c = await manualConnect({
        port, suites: [suite], ...ecdheOpts(suite),
        hooks: { outgoingRecord: (t, w) => (flip && t === ContentType.application_data ? Uint8Array.from(w, (b, i) => (i === w.length - 3 ? b ^ 1 : b)) : w) },
      });
      assert.equal((await c.handshake()).kind, 'handshake');
      flip = true;
      const from = c.events.length;
      c.engine.write(new TextEncoder().encode('tampered'));
      await expectAlert(c, 'bad_record_mac', from);
    });

    it(`${hex}: truncated protected record (fragment cut, length adjusted) → bad_record_mac`, async () => {
      let cut = false;
      const c = await manualConnect({
        port, suites: [suite], ...ecdheOpts(suite),
        hooks: { outgoingRecord: (t, w) => (cut && t === ContentType.application_data ? encodeRecord(t, w.subarray(5, w.length - 7)) : w) },
      });
      await c.handshake();
      cut = true;
      const from = c.events.length;
      c.engine.write(new TextEncoder().encode('truncated record'));
      await expectAlert(c, 'bad_record_mac', from);
    });
  }

  it('partial record then end of stream → server closes without crashing', async () => {
    const c = await manualConnect({ port, suites: [0xe013] });
    await c.handshake();
    const before = serverErrors.length;
    c.sendBytes(Uint8Array.of(23, 1, 1, 0, 100, 1, 2, 3));
    c.endTransport();
    const o = await c.outcome(3000);
    assert.equal(o.closed, true);
    assert.equal(o.timedOut, false);
    assert.equal(serverErrors.length, before, 'established connection does not report a handshake error');
    const srv = established.at(-1)!;
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(srv.findings.some((f) => f.includes('incomplete record')), srv.findings.join('; '));
  });

  it('unexpected handshake message (Finished in place of ClientKeyExchange) → unexpected_message', async () => {
    const c = await manualConnect({
      port, suites: [0xe013],
      hooks: { outgoingHandshake: (t, raw) => (t === HandshakeType.client_key_exchange ? encodeHandshake(HandshakeType.finished, new Uint8Array(12)) : raw) },
    });
    c.start();
    await expectAlert(c, 'unexpected_message', 0);
  });

  it('application data before the handshake → unexpected_message', async () => {
    const c = await manualConnect({ port, suites: [0xe013] });
    c.sendRecord(ContentType.application_data, new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'), false);
    await expectAlert(c, 'unexpected_message', 0);
  });

  it('ChangeCipherSpec before the key exchange → unexpected_message', async () => {
    const c = await manualConnect({ port, suites: [0xe013] });
    c.start();
    c.sendRecord(ContentType.change_cipher_spec, Uint8Array.of(1), false);
    await expectAlert(c, 'unexpected_message', 0);
  });

  it('only RSA / non-GM suites offered → handshake_failure', async () => {
    const c = await manualConnect({ port, suites: [0xe019, 0xe01c, 0xc02f, 0x002f] });
    c.start();
    await expectAlert(c, 'handshake_failure', 0);
  });

  it('non-GM suite first, E013 second → E013 is chosen', async () => {
    const c = await manualConnect({ port, suites: [0xc02f, 0xe013] });
    const ev = await c.handshake();
    assert.equal(ev.kind, 'handshake');
    assert.equal(ev.kind === 'handshake' && ev.negotiated.suite, 0xe013);
    c.destroy();
  });

  it('ClientHello version 0x0303 → protocol_version; record version 0x0303 → protocol_version', async () => {
    const c = await manualConnect({ port, suites: [0xe013], clientVersion: 0x0303 });
    c.start();
    await expectAlert(c, 'protocol_version', 0);
    const c2 = await manualConnect({ port });
    const ch = encodeClientHello({ version: 0x0101, random: randomBytes(32), sessionId: new Uint8Array(0), cipherSuites: [0xe013], compressionMethods: [0] });
    c2.sendBytes(encodeRecord(ContentType.handshake, ch, 0x0303));
    await expectAlert(c2, 'protocol_version', 0);
  });

  it('record longer than 2^14 + 2048 → record_overflow', async () => {
    const c = await manualConnect({ port });
    c.sendBytes(Uint8Array.of(22, 1, 1, 0x48, 0x01));
    await expectAlert(c, 'record_overflow', 0);
  });

  it('pre-master secret with version ≠ 0101 → illegal_parameter', async () => {
    const encPub = parseCertificate(serverCredentials().encCert).publicKey;
    const c = await manualConnect({
      port, suites: [0xe013],
      hooks: { outgoingHandshake: (t, raw) => (t === HandshakeType.client_key_exchange ? encodeEccClientKeyExchange(sm2Encrypt(encPub, Uint8Array.of(3, 3, ...randomBytes(46)), { format: 'der' })) : raw) },
    });
    c.start();
    await expectAlert(c, 'illegal_parameter', 0);
  });

  it('ECDHE without a client certificate → handshake_failure', async () => {
    const c = await manualConnect({
      port, suites: [0xe051], clientCredentials: clientCredentials(),
      hooks: { outgoingHandshake: (t, raw) => (t === HandshakeType.certificate ? encodeHandshake(HandshakeType.certificate, Uint8Array.of(0, 0, 0)) : raw) },
    });
    c.start();
    await expectAlert(c, 'handshake_failure', 0);
  });

  it('ECDHE with a client certificate pair that does not belong together → bad_certificate', async () => {
    const cc = clientCredentials();
    const foreignEnc = serverCredentials().encCert;
    const c = await manualConnect({
      port, suites: [0xe011], clientCredentials: cc,
      hooks: { outgoingHandshake: (t, raw) => (t === HandshakeType.certificate ? encodeCertificate([cc.signCert, foreignEnc, ...(cc.chain ?? [])]) : raw) },
    });
    c.start();
    await expectAlert(c, 'bad_certificate', 0);
  });

  it('renegotiation attempt (encrypted ClientHello) → warning no_renegotiation, connection stays usable', async () => {
    const c = await manualConnect({ port, suites: [0xe053] });
    await c.handshake();
    const from = c.events.length;
    const ch = encodeClientHello({ version: 0x0101, random: randomBytes(32), sessionId: new Uint8Array(0), cipherSuites: [0xe053], compressionMethods: [0] });
    c.sendRecord(ContentType.handshake, ch, true);
    const ev = await c.waitFor((e) => e.kind === 'alert', 3000, from);
    assert.equal(ev.kind === 'alert' && ev.name, 'no_renegotiation');
    assert.equal(ev.kind === 'alert' && ev.level, 1);
    c.engine.write(new TextEncoder().encode('still here'));
    const data = await c.waitFor((e) => e.kind === 'data', 3000, from);
    assert.equal(data.kind === 'data' && Buffer.from(data.bytes).toString(), 'still here');
    c.destroy();
  });
});

/** Wires a client and a server engine back to back (synchronous, no sockets). */
function pair(clientOpts: Partial<EngineOptions>, serverOpts: Partial<EngineOptions> = {}) {
  const s = new TlcpEngine({ role: 'server', serverCredentials: serverCredentials(), ...serverOpts });
  const c = new TlcpEngine({ role: 'client', ...clientOpts });
  c.on('write', (b) => s.receive(b));
  s.on('write', (b) => c.receive(b));
  const closes: { client?: CloseCause; server?: CloseCause } = {};
  c.on('close', (x) => (closes.client = x));
  s.on('close', (x) => (closes.server = x));
  return { c, s, closes };
}

function sentAlert(cause: CloseCause | undefined): string | undefined {
  return cause && (cause.kind === 'alert_sent' || cause.kind === 'alert_received') ? `${cause.kind}:${cause.error.descriptionName}` : cause?.kind;
}

describe('client rejects bad server input with the right fatal alert', () => {
  it('tampered server Finished → client sends decrypt_error', () => {
    const { c, closes } = pair({ suites: [0xe013] }, {
      hooks: { outgoingHandshake: (t, raw) => (t === HandshakeType.finished ? Uint8Array.from(raw, (b, i) => (i === 4 ? b ^ 1 : b)) : raw) },
    });
    c.start();
    assert.equal(sentAlert(closes.client), 'alert_sent:decrypt_error');
    assert.equal(sentAlert(closes.server), 'alert_received:decrypt_error');
  });

  it('ServerKeyExchange signature over other bytes → decrypt_error', () => {
    const { c, closes } = pair({ suites: [0xe053] }, {
      hooks: { outgoingHandshake: (t, raw) => (t === HandshakeType.server_key_exchange ? Uint8Array.from(raw, (b, i) => (i === raw.length - 5 ? b ^ 1 : b)) : raw) },
    });
    c.start();
    assert.equal(sentAlert(closes.client), 'alert_sent:decrypt_error');
  });

  it('server picks a suite that was not offered → illegal_parameter', () => {
    const { c, closes } = pair({ suites: [0xe013] }, {
      hooks: { outgoingHandshake: (t, raw) => (t === HandshakeType.server_hello ? Uint8Array.from(raw, (b, i) => (i === raw.length - 2 ? 0x53 : b)) : raw) },
    });
    c.start();
    assert.equal(sentAlert(closes.client), 'alert_sent:illegal_parameter');
  });

  it('server certificate not chaining to the trust anchor → unknown_ca / bad_certificate', () => {
    const other = parseCertificate(clientCredentials().signCert).der; // an end-entity certificate as the only anchor
    const { c, closes } = pair({ suites: [0xe013], trustedCerts: [other], verifyAt: VERIFY_AT });
    c.start();
    assert.match(sentAlert(closes.client)!, /alert_sent:(unknown_ca|bad_certificate)/);
  });

  it('server certificate outside its validity → certificate_expired', () => {
    const { c, closes } = pair({ suites: [0xe013], trustedCerts: [ROOT_CA()], verifyAt: new Date('2030-01-01T00:00:00Z') });
    c.start();
    assert.equal(sentAlert(closes.client), 'alert_sent:certificate_expired');
  });

  it('a server sending the same certificate as signing and encryption certificate is reported (not refused)', () => {
    const sc = serverCredentials();
    const { c, closes } = pair({ suites: [0xe013] }, { serverCredentials: { ...sc, encCert: sc.signCert, encKey: sc.signKey } });
    c.start();
    assert.equal(c.handshakeComplete, true, JSON.stringify(closes));
    assert.ok(c.findings.some((f) => f.includes('same key')));
    assert.ok(c.findings.some((f) => f.includes('encryption certificate allows neither')));
  });

  it('GmSSL 3.1.1-style unencrypted alert after CCS ends the connection and is reported', () => {
    const { c, s, closes } = pair({ suites: [0xe013] });
    c.start();
    assert.equal(c.handshakeComplete, true);
    s.sendRawRecord(ContentType.alert, Uint8Array.of(2, 0), false);
    assert.equal(closes.client?.kind, 'plaintext_alert_after_ccs');
    assert.ok(c.findings.some((f) => f.includes('unencrypted alert')));
  });

  it('an unexpected handshake message after the handshake → unexpected_message', () => {
    const { c, s, closes } = pair({ suites: [0xe053] });
    c.start();
    s.sendRawRecord(ContentType.handshake, encodeHandshake(HandshakeType.server_hello_done, new Uint8Array(0)), true);
    assert.equal(sentAlert(closes.client), 'alert_sent:unexpected_message');
  });
});
