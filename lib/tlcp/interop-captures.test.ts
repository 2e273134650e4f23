/**
 * Our own interop runs against GmSSL 3.3.0-dev (built from source, both roles, all four suites, client
 * authentication), replayed from test/fixtures/tlcp/pcaps/gmeval_*.pcap: every record opens, both Finished verify,
 * the ECC pre-master decrypts with the fixture enc key, the application data is the echoed line.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FIXTURES, openProtected, parseRecords, protectionFor, transcripts, viewDirection } from '../../test/fixtures/tlcp/capture-analysis.ts';
import { readPcapConnections } from '../../test/fixtures/tlcp/pcap-reader.ts';
import { keyFromPem } from '../../test/fixtures/tlcp/keys.ts';
import { sm2Decrypt, sm2Verify, sm3 } from '../gm/index.ts';
import { concat, fromHex, toHex, u24 } from './bytes.ts';
import { parseCertificate } from './certs.ts';
import { ContentType, HandshakeType, SUITES } from './constants.ts';
import {
  HandshakeReader, decodeCertificate, decodeCertificateVerify, decodeClientHello, decodeEccClientKeyExchange, decodeEcdheClientKeyExchange,
  decodeServerHello, decodeServerKeyExchange,
} from './messages.ts';
import { computeVerifyData, deriveKeyBlock, deriveMasterSecret } from './prf.ts';

interface Entry {
  file: string; client: string; server: string; suite: string; outcome: string; client_auth: boolean;
  certificate_verify_form: 'hash' | 'raw' | null; ecdhe_cke_form: 'bare' | 'vector' | null; master_secret: string; app_data: string;
}
const entries = (JSON.parse(readFileSync(join(FIXTURES, 'gmeval-interop.json'), 'utf8')) as { captures: Entry[] }).captures;

describe('interop captures: gmeval lib/tlcp ↔ GmSSL 3.3.0-dev', () => {
  it('cover all four suites in both roles', () => {
    const seen = new Set(entries.map((e) => `${e.client.startsWith('gmeval') ? 'client' : 'server'}:${e.suite}`));
    for (const role of ['client', 'server']) for (const s of ['e013', 'e053', 'e011', 'e051']) assert.ok(seen.has(`${role}:${s}`), `${role} ${s}`);
  });

  for (const e of entries) {
    it(`${e.file} (${e.client} → ${e.server}, ${e.suite}): ${e.outcome}`, () => {
      assert.equal(e.outcome, 'complete; app data echoed');
      const [conn] = readPcapConnections(join(FIXTURES, e.file));
      const c2s = viewDirection(parseRecords(conn!.c2s));
      const s2c = viewDirection(parseRecords(conn!.s2c));
      const suite = SUITES[parseInt(e.suite, 16)]!;
      const ch = decodeClientHello(c2s.clearMessages[0]!.body);
      const sh = decodeServerHello(s2c.clearMessages[0]!.body);
      assert.equal(sh.cipherSuite, suite.id);
      const find = (msgs: typeof c2s.clearMessages, t: number) => msgs.find((m) => m.type === t);
      const certs = decodeCertificate(find(s2c.clearMessages, HandshakeType.certificate)!.body);
      const ske = decodeServerKeyExchange(find(s2c.clearMessages, HandshakeType.server_key_exchange)!.body, suite.kx);
      const signed = suite.kx === 'ECC' ? concat(ch.random, sh.random, u24(certs[1]!.length), certs[1]!) : concat(ch.random, sh.random, ske.paramsRaw!);
      assert.ok(sm2Verify(parseCertificate(certs[0]!).publicKey, signed, ske.signature), 'ServerKeyExchange signature');
      const cke = find(c2s.clearMessages, HandshakeType.client_key_exchange)!;
      let master = fromHex(e.master_secret);
      if (suite.kx === 'ECC') {
        const pms = sm2Decrypt(keyFromPem('certs/sm2_tlcp_server_enc_key.plain.pem').privateKey, decodeEccClientKeyExchange(cke.body));
        assert.equal(toHex(pms.subarray(0, 2)), '0101');
        master = deriveMasterSecret(pms, ch.random, sh.random);
        assert.equal(toHex(master), e.master_secret);
      } else {
        assert.equal(decodeEcdheClientKeyExchange(cke.body).format, e.ecdhe_cke_form);
      }
      const cv = find(c2s.clearMessages, HandshakeType.certificate_verify);
      assert.equal(!!cv, e.client_auth);
      if (cv) {
        const clientCerts = decodeCertificate(find(c2s.clearMessages, HandshakeType.certificate)!.body);
        const before = c2s.clearMessages.slice(0, c2s.clearMessages.indexOf(cv));
        const t = concat(before[0]!.raw, ...s2c.clearMessages.map((m) => m.raw), ...before.slice(1).map((m) => m.raw));
        const pub = parseCertificate(clientCerts[0]!).publicKey;
        const sig = decodeCertificateVerify(cv.body);
        assert.equal(sm2Verify(pub, t, sig), e.certificate_verify_form === 'raw');
        assert.equal(sm2Verify(pub, sm3(t), sig), e.certificate_verify_form === 'hash');
      }
      const kb = deriveKeyBlock(master, ch.random, sh.random, suite);
      const opened = { c2s: openProtected(c2s, protectionFor(suite, kb, 'c2s')), s2c: openProtected(s2c, protectionFor(suite, kb, 's2c')) };
      const fin = (o: typeof opened.c2s) => {
        const r = new HandshakeReader();
        r.feed(o[0]!.plaintext);
        return r.next()!;
      };
      const tr = transcripts(c2s.clearMessages, s2c.clearMessages, fin(opened.c2s), fin(opened.s2c), false);
      assert.equal(toHex(computeVerifyData(master, 'client', tr.clientT)), toHex(fin(opened.c2s).body));
      assert.equal(toHex(computeVerifyData(master, 'server', tr.serverT)), toHex(fin(opened.s2c).body));
      for (const dir of ['c2s', 's2c'] as const) {
        const app = opened[dir].filter((o) => o.type === ContentType.application_data && o.plaintext.length > 0);
        assert.equal(Buffer.from(app[0]!.plaintext).toString(), e.app_data, `${dir} application data`);
      }
    });
  }
});
