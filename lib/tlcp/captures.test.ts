/**
 * Re-derives the key schedule and opens every protected record of the captures between independent TLCP
 * implementations (GmSSL 3.3-dev, GmSSL 3.1.1, Tongsuo 8.5 NTLS) in test/fixtures/tlcp.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  FIXTURES, keysFor, loadConnections, loadManifest, openProtected, parseRecords, protectionFor, suiteOf, transcripts, viewDirection,
  type CaptureEntry, type ConnectionDetails,
} from '../../test/fixtures/tlcp/capture-analysis.ts';
import { fromHex, toHex } from './bytes.ts';
import { ContentType, HandshakeType } from './constants.ts';
import { decodeCertificate, decodeCertificateRequest, decodeClientHello, decodeServerHello, HandshakeReader } from './messages.ts';
import { computeVerifyData, deriveMasterSecret } from './prf.ts';
import { TlcpAlertError } from './errors.ts';
import { sm2Decrypt, sm2KeyExchange, sm2PublicKeyFromPrivate, sm2Verify, sm3 } from '../gm/index.ts';
import { concat, u24 } from './bytes.ts';
import { parseCertificate } from './certs.ts';
import { decodeCertificateVerify, decodeEccClientKeyExchange, decodeEcdheClientKeyExchange, decodeServerKeyExchange } from './messages.ts';
import { keyFromPem } from '../../test/fixtures/tlcp/keys.ts';

const manifest = loadManifest();

function masterFor(entry: CaptureEntry, i: number): Uint8Array | undefined {
  const d = entry.connection_details[i]!;
  if (d.pre_master_secret) return deriveMasterSecret(fromHex(d.pre_master_secret), fromHex(d.client_random), fromHex(d.server_random));
  // resumed connections reuse the master secret of the connection that created the session (connection 1)
  if (d.master_secret && i > 0 && entry.connection_details[0]!.pre_master_secret) {
    const first = entry.connection_details[0]!;
    return deriveMasterSecret(fromHex(first.pre_master_secret!), fromHex(first.client_random), fromHex(first.server_random));
  }
  return undefined;
}

describe('TLCP captures: fixture integrity', () => {
  it('every fixture file matches SHA256SUMS', () => {
    const sums = readFileSync(join(FIXTURES, 'SHA256SUMS'), 'utf8').trim().split('\n');
    assert.ok(sums.length >= 30);
    for (const line of sums) {
      const [hash, file] = line.split(/\s+/);
      assert.equal(createHash('sha256').update(readFileSync(join(FIXTURES, file!))).digest('hex'), hash, file);
    }
  });
});

for (const entry of manifest) {
  describe(`capture ${entry.file} (${entry.client} → ${entry.server})`, () => {
    const conns = loadConnections(entry);
    it(`holds ${entry.connections} TCP connection(s)`, () => assert.equal(conns.length, entry.connections));

    entry.connection_details.forEach((d: ConnectionDetails, i) => {
      const conn = conns[i]!;
      const c2s = viewDirection(parseRecords(conn.c2s));
      const s2c = viewDirection(parseRecords(conn.s2c));
      const suite = suiteOf(d);

      it(`#${i + 1}: record count, types and lengths per direction match the manifest`, () => {
        for (const [dir, view] of [['c2s', c2s], ['s2c', s2c]] as const) {
          const exp = d.records.filter((r) => r.dir === dir);
          assert.deepEqual(view.records.map((r) => [r.type, r.fragment.length]), exp.map((r) => [r.type, r.length]), dir);
        }
      });

      it(`#${i + 1}: hello fields and certificate lengths decode as the manifest says`, () => {
        const ch = decodeClientHello(c2s.clearMessages[0]!.body);
        assert.equal(toHex(ch.random), d.client_random);
        assert.equal(toHex(ch.sessionId), d.client_hello.session_id);
        assert.deepEqual(ch.cipherSuites.map((s) => s.toString(16).padStart(4, '0')), d.client_hello.cipher_suites);
        assert.deepEqual(ch.extensions?.map((e) => e.type) ?? null, d.client_hello.extensions);
        const sh = decodeServerHello(s2c.clearMessages[0]!.body);
        assert.equal(sh.version, 0x0101);
        assert.equal(toHex(sh.random), d.server_random);
        assert.equal(toHex(sh.sessionId), d.server_hello.session_id);
        assert.equal(sh.cipherSuite, parseInt(d.suite, 16));
        const certMsg = s2c.clearMessages.find((m) => m.type === HandshakeType.certificate);
        if (d.certificate_der_lengths) {
          assert.deepEqual(decodeCertificate(certMsg!.body).map((c) => c.length), d.certificate_der_lengths.server);
          const clientCert = c2s.clearMessages.find((m) => m.type === HandshakeType.certificate);
          if (d.certificate_der_lengths.client) assert.deepEqual(decodeCertificate(clientCert!.body).map((c) => c.length), d.certificate_der_lengths.client);
        } else assert.equal(certMsg, undefined, 'abbreviated handshake carries no Certificate');
        const cr = s2c.clearMessages.find((m) => m.type === HandshakeType.certificate_request);
        if (d.certificate_request) assert.deepEqual(decodeCertificateRequest(cr!.body).certificateTypes, d.certificate_request.certificate_types);
        if (d.ecdhe_client_key_exchange) {
          const cke = c2s.clearMessages.find((m) => m.type === HandshakeType.client_key_exchange)!;
          assert.equal(cke.body.length, d.ecdhe_client_key_exchange.startsWith('69') ? 69 : 71);
        }
      });

      const abbreviated = !s2c.clearMessages.some((m) => m.type === HandshakeType.certificate);
      if (!abbreviated) {
        it(`#${i + 1}: ServerKeyExchange signature verifies with the signing certificate (and not without the u24 length)`, () => {
          const certs = decodeCertificate(s2c.clearMessages.find((m) => m.type === HandshakeType.certificate)!.body);
          const sign = parseCertificate(certs[0]!);
          const ske = decodeServerKeyExchange(s2c.clearMessages.find((m) => m.type === HandshakeType.server_key_exchange)!.body, suite.kx);
          const cr = fromHex(d.client_random);
          const sr = fromHex(d.server_random);
          if (suite.kx === 'ECC') {
            assert.equal(sm2Verify(sign.publicKey, concat(cr, sr, u24(certs[1]!.length), certs[1]!), ske.signature), d.checks.ske_signature_over_cr_sr_u24len_enccert);
            assert.equal(sm2Verify(sign.publicKey, concat(cr, sr, certs[1]!), ske.signature), false);
          } else {
            assert.equal(sm2Verify(sign.publicKey, concat(cr, sr, ske.paramsRaw!), ske.signature), d.checks.ske_signature_over_cr_sr_params);
            assert.equal(ske.params!.namedCurve, 41);
          }
        });
      }

      if (suite.kx === 'ECC' && entry.decrypt_with?.server_enc_key && d.pre_master_secret) {
        it(`#${i + 1}: ClientKeyExchange decrypts with the server enc key to the pre-master secret (0101…)`, () => {
          const ct = decodeEccClientKeyExchange(c2s.clearMessages.find((m) => m.type === HandshakeType.client_key_exchange)!.body);
          const key = keyFromPem(entry.decrypt_with!.server_enc_key!);
          const pms = sm2Decrypt(key.privateKey, ct, { format: 'der' });
          assert.equal(toHex(pms), d.pre_master_secret);
          assert.equal(toHex(pms.subarray(0, 2)), '0101');
          // decrypting with another key fails on C3
          const wrong = keyFromPem('certs/sm2_tlcp_server_sign_key.plain.pem');
          assert.throws(() => sm2Decrypt(wrong.privateKey, ct, { format: 'der' }));
        });
      }

      if (suite.kx === 'ECDHE' && !abbreviated) {
        it(`#${i + 1}: ECDHE ClientKeyExchange parses in the ${d.ecdhe_client_key_exchange} form`, () => {
          const cke = c2s.clearMessages.find((m) => m.type === HandshakeType.client_key_exchange)!;
          const { params, format } = decodeEcdheClientKeyExchange(cke.body);
          assert.equal(format, d.ecdhe_client_key_exchange!.startsWith('69') ? 'bare' : 'vector');
          assert.equal(params.point.length, 65);
        });
      }

      const cvMsg = c2s.clearMessages.find((m) => m.type === HandshakeType.certificate_verify);
      if (cvMsg && d.certificate_verify_signs) {
        it(`#${i + 1}: CertificateVerify verifies over ${d.certificate_verify_signs} and not over the other form`, () => {
          const clientCerts = decodeCertificate(c2s.clearMessages.find((m) => m.type === HandshakeType.certificate)!.body);
          const pub = parseCertificate(clientCerts[0]!).publicKey;
          const sig = decodeCertificateVerify(cvMsg.body);
          const serverMsgs = s2c.clearMessages.filter((m) => m.type !== HandshakeType.new_session_ticket);
          const clientBefore = c2s.clearMessages.slice(0, c2s.clearMessages.indexOf(cvMsg));
          const t = concat(clientBefore[0]!.raw, ...serverMsgs.map((m) => m.raw), ...clientBefore.slice(1).map((m) => m.raw));
          const hashForm = d.certificate_verify_signs!.startsWith('SM3');
          assert.equal(sm2Verify(pub, sm3(t), sig), hashForm);
          assert.equal(sm2Verify(pub, t, sig), !hashForm);
        });
      }

      if (entry.vector && suite.kx === 'ECDHE') {
        it(`#${i + 1}: SM2 key exchange (client = responder) reproduces the vector's pre-master secret`, () => {
          const v = JSON.parse(readFileSync(join(FIXTURES, entry.vector!), 'utf8')).ecdhe_vector;
          const certs = decodeCertificate(s2c.clearMessages.find((m) => m.type === HandshakeType.certificate)!.body);
          const pa = parseCertificate(certs[1]!).publicKey;
          assert.equal(toHex(pa), v.server_enc_pub_PA);
          const ske = decodeServerKeyExchange(s2c.clearMessages.find((m) => m.type === HandshakeType.server_key_exchange)!.body, 'ECDHE');
          assert.equal(toHex(ske.params!.point), v.server_eph_pub_RA);
          const cke = decodeEcdheClientKeyExchange(c2s.clearMessages.find((m) => m.type === HandshakeType.client_key_exchange)!.body);
          const rB = fromHex(v.client_eph_priv_rB);
          assert.equal(toHex(sm2PublicKeyFromPrivate(rB)), toHex(cke.params.point), 'r_B·G = R_B in the ClientKeyExchange');
          const dB = fromHex(v.client_enc_priv_dB);
          const { key } = sm2KeyExchange({
            role: 'responder', selfStatic: { privateKey: Buffer.from(dB), publicKey: sm2PublicKeyFromPrivate(dB) },
            selfEphemeral: { privateKey: Buffer.from(rB), publicKey: sm2PublicKeyFromPrivate(rB) },
            peerStaticPublic: pa, peerEphemeralPublic: ske.params!.point, klen: 48,
          });
          assert.equal(toHex(key), v.pre_master_secret);
          assert.equal(toHex(key), d.pre_master_secret);
        });
      }

      const master = masterFor(entry, i);
      if (!master) return;

      it(`#${i + 1}: master secret and key block re-derived (${suite.name})`, () => {
        assert.equal(toHex(master), d.master_secret);
        const kb = keysFor(d, master);
        assert.equal(kb.raw.length, suite.bulk === 'CBC' ? 128 : 40);
        const k = d.key_block!;
        assert.equal(toHex(kb.clientMacKey), k.client_write_mac_key);
        assert.equal(toHex(kb.serverMacKey), k.server_write_mac_key);
        assert.equal(toHex(kb.clientKey), k.client_write_key);
        assert.equal(toHex(kb.serverKey), k.server_write_key);
        assert.equal(toHex(kb.clientIv), k.client_write_iv);
        assert.equal(toHex(kb.serverIv), k.server_write_iv);
      });

      it(`#${i + 1}: every protected record opens (MAC/tag, padding, explicit nonce) and both Finished verify`, () => {
        const kb = keysFor(d, master);
        const opened = {
          c2s: openProtected(c2s, protectionFor(suite, kb, 'c2s')),
          s2c: openProtected(s2c, protectionFor(suite, kb, 's2c')),
        };
        for (const dir of ['c2s', 's2c'] as const) {
          const exp = d.records.filter((r) => r.dir === dir && r.protection !== 'none' && !r.protection.startsWith('none'));
          const got = opened[dir].filter((o) => o.seq >= 0);
          assert.equal(got.length, exp.length, `${dir} protected record count`);
          got.forEach((o, j) => {
            const e = exp[j]!;
            assert.equal(o.seq, e.seq, `${dir} seq`);
            assert.equal(o.plaintext.length, e.plaintext_length, `${dir} plaintext length`);
            if (e.gcm_explicit_nonce) assert.equal(toHex(o.explicit!), e.gcm_explicit_nonce);
          });
        }
        const cf = new HandshakeReader();
        cf.feed(opened.c2s[0]!.plaintext);
        const clientFinished = cf.next()!;
        const sf = new HandshakeReader();
        sf.feed(opened.s2c[0]!.plaintext);
        const serverFinished = sf.next()!;
        assert.equal(clientFinished.type, HandshakeType.finished);
        assert.equal(serverFinished.type, HandshakeType.finished);
        const t = transcripts(c2s.clearMessages, s2c.clearMessages, clientFinished, serverFinished, abbreviated);
        assert.equal(toHex(computeVerifyData(master, 'client', t.clientT)), toHex(clientFinished.body), 'client verify_data');
        assert.equal(toHex(computeVerifyData(master, 'server', t.serverT)), toHex(serverFinished.body), 'server verify_data');
        if (entry.vector && suite.kx === 'ECC') {
          const v = JSON.parse(readFileSync(join(FIXTURES, entry.vector), 'utf8'));
          assert.equal(toHex(sm3(...t.clientT)), v.client_finished.transcript_sm3);
          assert.equal(toHex(clientFinished.body), v.client_finished.expected_verify_data);
          assert.equal(toHex(serverFinished.body), v.server_finished.expected_verify_data);
          for (const a of v.app_data as { dir: 'c2s' | 's2c'; seq: number; plaintext: string }[]) {
            assert.equal(toHex(opened[a.dir].find((o) => o.seq === a.seq)!.plaintext), a.plaintext, `${a.dir} seq ${a.seq}`);
          }
        }
        // one changed byte of verify_data no longer matches
        const bad = new Uint8Array(clientFinished.body);
        bad[0]! ^= 1;
        assert.notEqual(toHex(computeVerifyData(master, 'client', t.clientT)), toHex(bad));
      });

      it(`#${i + 1}: flipping one bit of each protected record (IV/nonce, body, tag) is rejected with bad_record_mac`, () => {
        const kb = keysFor(d, master);
        for (const [dir, view] of [['c2s', c2s], ['s2c', s2c]] as const) {
          if (view.ccsIndex < 0) continue;
          const rec = view.records[view.ccsIndex + 1]!;
          for (const pos of [0, 8, 20, rec.fragment.length - 1]) {
            const prot = protectionFor(suite, kb, dir);
            const frag = new Uint8Array(rec.fragment);
            frag[pos]! ^= 0x01;
            assert.throws(() => prot.open(rec.type, frag), (e: unknown) => e instanceof TlcpAlertError && e.descriptionName === 'bad_record_mac', `${dir} byte ${pos}`);
          }
          assert.throws(() => protectionFor(suite, kb, dir).open(ContentType.application_data, rec.fragment), TlcpAlertError, 'wrong type in MAC/AAD');
        }
      });
    });
  });
}
