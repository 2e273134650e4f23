/**
 * Independent RFC 6962 / RFC 9162 §2.1.3.2 and §2.1.4.2 proof verification, used by the audit
 * checks: the toolkit recomputes everything itself from the leaf and the proof, trusting nothing the
 * platform claims. The hash is a parameter (SM3 for audit logs, SHA-256 for the published vectors).
 */
export type Hash = (...parts: Uint8Array[]) => Buffer;

export function leafHashWith(h: Hash, entry: Uint8Array): Buffer {
  return h(Buffer.from([0x00]), entry);
}
const node = (h: Hash, l: Uint8Array, r: Uint8Array) => h(Buffer.from([0x01]), l, r);

export function verifyInclusion(h: Hash, leafHash: Uint8Array, index: number, size: number, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = node(h, p, r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn >>>= 1; sn >>>= 1; }
    } else r = node(h, r, p);
    fn >>>= 1;
    sn >>>= 1;
  }
  return sn === 0 && Buffer.from(r).equals(Buffer.from(root));
}

export function verifyConsistency(h: Hash, first: number, second: number, firstRoot: Uint8Array, secondRoot: Uint8Array, proof: readonly Uint8Array[]): boolean {
  if (!Number.isInteger(first) || !Number.isInteger(second) || first < 0 || first > second) return false;
  if (first === second) return proof.length === 0 && Buffer.from(firstRoot).equals(Buffer.from(secondRoot));
  if (first === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  let path = [...proof];
  // when first is an exact power of two, the first subtree root is the old root itself
  if ((first & (first - 1)) === 0) path = [Buffer.from(firstRoot), ...path];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) { fn >>>= 1; sn >>>= 1; }
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = node(h, c, fr);
      sr = node(h, c, sr);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn >>>= 1; sn >>>= 1; }
    } else sr = node(h, sr, c);
    fn >>>= 1;
    sn >>>= 1;
  }
  return sn === 0 && Buffer.from(fr).equals(Buffer.from(firstRoot)) && Buffer.from(sr).equals(Buffer.from(secondRoot));
}
