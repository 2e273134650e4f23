import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { mutation } from '../../test/fixtures/lint/mutations.ts';
import { cmsSigningTime, parseCms } from './cms.ts';
import { Asn1Error } from './der.ts';
import { explicit, implicitPrim, integer, octets, oid, seq, set, tlv, toPem } from './der-encode.ts';
import { loadPkiObjects } from './input.ts';
import { OID } from './oids.ts';

const root = new URL('../../test/fixtures/lint/', import.meta.url).pathname;
/** DER of every envelope in the golden fixtures, by fixture name. */
const envelopes = new Map<string, Uint8Array>();
for (const profile of ['gmt0015-2012', 'gmt0015-2023']) {
  for (const f of readdirSync(join(root, profile)).filter((x) => x.endsWith('.cmstest'))) {
    const o = loadPkiObjects(readFileSync(join(root, profile, f))).objects[0]!;
    envelopes.set(`${profile}/${f.replace('.cmstest', '')}`, o.der);
  }
}
const der = (name: string) => envelopes.get(`gmt0015-2012/${name}`)!;

test('reads the three GM/T 0010 types with absolute offsets and paths', () => {
  const ev = parseCms(der('cms_good_enveloped'));
  assert.equal(ev.typeName, 'envelopedData');
  assert.equal(ev.family, 'gmt0010');
  assert.equal(ev.recipientInfos.length, 1);
  const ri = ev.recipientInfos[0]!;
  assert.equal(ri.version, 1);
  assert.equal(ri.keyEncryptionAlgorithm.oid, OID.sm2Encrypt);
  assert.equal(ri.keyEncryptionAlgorithm.path, 'envelopedData.recipientInfos[0].keyEncryptionAlgorithm');
  assert.equal(ev.der[ri.encryptedKey.start], 0x04, 'encryptedKey offset points at its OCTET STRING');
  assert.equal(ev.encryptedContentInfo?.contentEncryptionAlgorithm.oid, OID.sm4Cbc);
  assert.equal(ev.encryptedContentInfo?.encryptedContent?.tag, 0x80);
  assert.deepEqual(ev.contentTypes.map((t) => t.oid), [OID.gmEnvelopedData, OID.gmData]);

  const se = parseCms(der('cms_good_signed_and_enveloped_km'));
  assert.equal(se.typeName, 'signedAndEnvelopedData');
  assert.equal(se.signerInfos.length, 1);
  assert.equal(se.signerInfos[0]!.authenticatedAttributes.length, 3);
  assert.equal(cmsSigningTime(se)?.toISOString(), '2026-02-01T00:00:00.000Z');

  const sd = parseCms(der('cms_good_signed_data'));
  assert.equal(sd.typeName, 'signedData');
  assert.equal(sd.certificates.length, 1, 'embedded signer certificate');
  assert.equal(sd.body?.type === 'signedData' && sd.body.contentInfo.content?.tag, 0x04);
  assert.equal(parseCms(der('cms_pkcs7_oids_enveloped')).family, 'pkcs7');
});

test('offsets stay absolute when the object sits inside a larger buffer', () => {
  const d = der('cms_good_enveloped');
  const buf = new Uint8Array(d.length + 10);
  buf.set(d, 7);
  const c = parseCms(buf, 7, 7 + d.length);
  assert.equal(c.recipientInfos[0]!.encryptedKey.start, parseCms(d).recipientInfos[0]!.encryptedKey.start + 7);
});

test('input: PKCS7 and CMS PEM labels and DER sniffing give kind cms', () => {
  const d = der('cms_good_enveloped');
  for (const label of ['PKCS7', 'CMS']) assert.equal(loadPkiObjects(Buffer.from(toPem(label, d))).objects[0]!.kind, 'cms');
  const o = loadPkiObjects(d).objects[0]!;
  assert.equal(o.kind, 'cms');
  assert.equal(o.source, 'DER');
  assert.equal(o.object?.kind, 'cms');
});

test('structure errors carry offsets; BER forms are recorded, not fatal', () => {
  const d = der('cms_good_enveloped');
  assert.throws(() => parseCms(d.subarray(0, d.length - 5)), (e) => e instanceof Asn1Error && e.offset === 0);
  const bad = seq(oid(OID.gmEnvelopedData), explicit(0, seq(integer(1), set(seq(integer(1))), seq(oid(OID.gmData), seq(oid(OID.sm4Cbc))))));
  assert.throws(() => parseCms(bad), (e) => e instanceof Asn1Error && e.path === 'envelopedData.recipientInfos[0]' && e.offset > 0);
  const ber = seq(oid(OID.gmEnvelopedData), explicit(0, seq(integer(1), set(), seq(oid(OID.gmData), seq(oid(OID.sm4Cbc), octets(new Uint8Array(16))),
    tlv(0xa0, octets(Uint8Array.of(1, 2)), octets(Uint8Array.of(3)))))));
  const c = parseCms(ber);
  assert.equal(c.derIssues.length, 1);
  assert.match(c.derIssues[0]!.message, /constructed \[0\]/);
  // content types outside the three parsed ones are kept opaque
  const data = parseCms(seq(oid(OID.gmData), explicit(0, octets(Uint8Array.of(1)))));
  assert.equal(data.typeName, 'data');
  assert.equal(data.content?.tag, 0x04);
  assert.throws(() => parseCms(seq(oid(OID.gmData), implicitPrim(1, Uint8Array.of(1)))), Asn1Error);
});

test('fuzz: mutated envelopes make the parser return or throw Asn1Error, nothing else', () => {
  const seeds = [...envelopes.values()];
  let parsed = 0;
  fc.assert(fc.property(mutation(seeds), (bytes) => {
    try {
      parseCms(bytes);
      parsed++;
    } catch (e) {
      if (!(e instanceof Asn1Error)) throw e;
      assert.equal(typeof e.offset, 'number');
      assert.ok(e.offset >= 0 && e.offset <= bytes.length, `offset ${e.offset} outside the input`);
    }
  }), { numRuns: 20000, seed: 20260201 });
  assert.ok(parsed > 0, 'some mutations still parse');
});
