/**
 * RFC 6962 §2.1 Merkle tree hashing with a pluggable hash (SM3 in the platform, SHA-256 for the
 * published test vectors): leaf = H(0x00 ‖ entry), node = H(0x01 ‖ left ‖ right), empty tree = H("").
 * The split is at the largest power of two below n, so an odd node is promoted, never duplicated.
 */
export type HashFn = (...parts: Uint8Array[]) => Buffer;

const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

export class MerkleHasher {
  constructor(readonly hash: HashFn) {}

  leafHash(entry: Uint8Array): Buffer {
    return this.hash(LEAF, entry);
  }

  nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
    return this.hash(NODE, left, right);
  }

  emptyRoot(): Buffer {
    return this.hash();
  }

  /** MTH over leaf hashes leaves[lo, hi). */
  root(leaves: readonly Uint8Array[], lo = 0, hi = leaves.length): Buffer {
    const n = hi - lo;
    if (n === 0) return this.emptyRoot();
    if (n === 1) return Buffer.from(leaves[lo]!);
    const k = splitPoint(n);
    return this.nodeHash(this.root(leaves, lo, lo + k), this.root(leaves, lo + k, hi));
  }

  /** PATH(m, D[n]) of RFC 6962 §2.1.1 for the first `size` leaves. */
  inclusionPath(leaves: readonly Uint8Array[], index: number, size = leaves.length): Buffer[] {
    if (!Number.isInteger(index) || index < 0 || index >= size || size > leaves.length) throw new RangeError(`leaf ${index} is not in a tree of size ${size}`);
    const path = (m: number, lo: number, hi: number): Buffer[] => {
      const n = hi - lo;
      if (n <= 1) return [];
      const k = splitPoint(n);
      return m < k ? [...path(m, lo, lo + k), this.root(leaves, lo + k, hi)] : [...path(m - k, lo + k, hi), this.root(leaves, lo, lo + k)];
    };
    return path(index, 0, size);
  }

  /** PROOF(m, D[n]) of RFC 6962 §2.1.2. */
  consistencyProof(leaves: readonly Uint8Array[], first: number, second = leaves.length): Buffer[] {
    if (!Number.isInteger(first) || first < 0 || first > second || second > leaves.length) throw new RangeError(`no consistency proof from ${first} to ${second}`);
    if (first === 0 || first === second) return [];
    const sub = (m: number, lo: number, hi: number, complete: boolean): Buffer[] => {
      const n = hi - lo;
      if (m === n) return complete ? [] : [this.root(leaves, lo, hi)];
      const k = splitPoint(n);
      return m <= k
        ? [...sub(m, lo, lo + k, complete), this.root(leaves, lo + k, hi)]
        : [...sub(m - k, lo + k, hi, false), this.root(leaves, lo, lo + k)];
    };
    return sub(first, 0, second, true);
  }
}

/** Largest power of two strictly below n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
