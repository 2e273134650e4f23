/**
 * SM3 (GB/T 32905-2016) and HMAC-SM3 (RFC 2104 construction over SM3).
 * Node's OpenSSL provides SM3 natively; it is verified against the standard's own examples in kat.ts.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** SM3 digest (32 bytes) of the concatenation of all parts. */
export function sm3(...parts: Uint8Array[]): Buffer {
  const h = createHash('sm3');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** HMAC-SM3 (32 bytes) of the concatenation of all parts under key. */
export function hmacSm3(key: Uint8Array, ...parts: Uint8Array[]): Buffer {
  const h = createHmac('sm3', key);
  for (const p of parts) h.update(p);
  return h.digest();
}

/**
 * Compares two byte strings without a data-dependent early exit.
 * A length mismatch returns false at once: lengths (e.g. of tags) are public.
 */
export function timingSafeEqualBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}
