import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sm2GenerateKeyPair } from '../gm/index.ts';
import { KmRecordsError, parseKmRecords } from './km-records.ts';

const pub = Buffer.from(sm2GenerateKeyPair().publicKey);

test('JSON and text forms give the same records; serials are normalised', () => {
  const j = parseKmRecords(JSON.stringify([{ userCertNo: '0x3B5D', publicKey: pub.toString('base64') }, { userCertNo: 'ff01' }]), 'km.json');
  const t = parseKmRecords(`# export\n3b5d,${pub.toString('hex')}\nFF01\n`, 'km.txt');
  assert.deepEqual(j, t);
  assert.equal(j[0]!.userCertNo, '3b5d');
  assert.deepEqual(Buffer.from(j[0]!.publicKey!), pub);
});

test('bad records are refused with the place and the field named', () => {
  assert.throws(() => parseKmRecords('[{"userCertNo": 12}]', 'km.json'), (e: Error) => e instanceof KmRecordsError && /km\.json: \[0\]: userCertNo/.test(e.message));
  assert.throws(() => parseKmRecords('3b5d\nxyz\n', 'km.txt'), /km\.txt:2: userCertNo/);
  assert.throws(() => parseKmRecords('3b5d,0401\n', 'km.txt'), /km\.txt:1: publicKey is not an SM2 point/);
  assert.throws(() => parseKmRecords('[{"userCertNo"', 'km.json'), /km\.json: not valid JSON/);
  assert.throws(() => parseKmRecords('# nothing\n', 'km.txt'), /no KM records/);
});
