import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sm3 } from '../../lib/gm/index.ts';
import { MerkleHasher, splitPoint } from '../../reference-platform/audit/merkle.ts';
import { verifyConsistency, verifyInclusion } from '../../steps/platform-support/rfc6962-verify.ts';

// Published RFC 6962 vectors (certificate-transparency / transparency-dev merkle testonly data, SHA-256).
const sha256 = (...p: Uint8Array[]) => { const h = createHash('sha256'); for (const x of p) h.update(x); return h.digest(); };
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const un = (s: string) => Buffer.from(s, 'hex');
const ENTRIES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(un);
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const INCLUSION = [
  { index: 0, size: 8, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { index: 5, size: 8, proof: ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
];
const CONSISTENCY = [
  { first: 2, second: 8, proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { first: 6, second: 8, proof: ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
  { first: 2, second: 5, proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] },
];

const m = new MerkleHasher(sha256);
const leaves = ENTRIES.map((e) => m.leafHash(e));

test('RFC 6962 SHA-256 roots for sizes 0..8', () => {
  for (let n = 0; n <= 8; n++) assert.equal(hex(m.root(leaves.slice(0, n))), ROOTS[n], `size ${n}`);
  assert.deepEqual([2, 3, 4, 5, 8, 9].map(splitPoint), [1, 2, 2, 4, 4, 8]);
});

test('inclusion and consistency proofs equal the published ones and verify independently', () => {
  for (const v of INCLUSION) {
    assert.deepEqual(m.inclusionPath(leaves, v.index, v.size).map(hex), v.proof);
    assert.ok(verifyInclusion(sha256, leaves[v.index]!, v.index, v.size, v.proof.map(un), un(ROOTS[v.size]!)));
  }
  for (const v of CONSISTENCY) {
    assert.deepEqual(m.consistencyProof(leaves, v.first, v.second).map(hex), v.proof, `${v.first}->${v.second}`);
    assert.ok(verifyConsistency(sha256, v.first, v.second, un(ROOTS[v.first]!), un(ROOTS[v.second]!), v.proof.map(un)));
  }
});

test('with SM3: every proof of every tree up to 40 leaves verifies, and altered ones do not', () => {
  const s = new MerkleHasher(sm3);
  const big = Array.from({ length: 40 }, (_, i) => s.leafHash(Buffer.from(`record ${i}`)));
  const roots = Array.from({ length: 41 }, (_, n) => s.root(big.slice(0, n)));
  for (let n = 1; n <= 40; n++) {
    for (let i = 0; i < n; i++) {
      const p = s.inclusionPath(big, i, n);
      assert.ok(verifyInclusion(sm3, big[i]!, i, n, p, roots[n]!), `inclusion ${i}/${n}`);
      assert.equal(verifyInclusion(sm3, sm3(Buffer.from('forged')), i, n, p, roots[n]!), false);
      if (p.length) assert.equal(verifyInclusion(sm3, big[i]!, i, n, p.slice(0, -1), roots[n]!), false);
    }
    for (let f = 1; f <= n; f++) {
      const p = s.consistencyProof(big, f, n);
      assert.ok(verifyConsistency(sm3, f, n, roots[f]!, roots[n]!, p), `consistency ${f}->${n}`);
      if (f < n) assert.equal(verifyConsistency(sm3, f, n, roots[f]!, roots[n - 1]!, p), n - 1 === f && false);
    }
  }
});
