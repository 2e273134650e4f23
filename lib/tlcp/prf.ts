import { hmacSm3, sm3 } from '../gm/index.ts';
import { concat } from './bytes.ts';
import type { CipherSuiteInfo } from './constants.ts';

const enc = new TextEncoder();

/** TLS 1.2 P_hash with HMAC-SM3 (digest §5): PRF(secret, label, seed) = P_SM3(secret, label ‖ seed). */
export function prfSm3(secret: Uint8Array, label: string, seed: Uint8Array, length: number): Uint8Array {
  const labelSeed = concat(enc.encode(label), seed);
  const out = new Uint8Array(length);
  let a: Uint8Array = labelSeed;
  let off = 0;
  while (off < length) {
    a = hmacSm3(secret, a);
    const block = hmacSm3(secret, a, labelSeed);
    out.set(block.subarray(0, Math.min(block.length, length - off)), off);
    off += block.length;
  }
  return out;
}

export function deriveMasterSecret(preMaster: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array): Uint8Array {
  return prfSm3(preMaster, 'master secret', concat(clientRandom, serverRandom), 48);
}

export interface KeyBlock {
  clientMacKey: Uint8Array;
  serverMacKey: Uint8Array;
  clientKey: Uint8Array;
  serverKey: Uint8Array;
  /** CBC: derived, unused (explicit IVs); GCM: the 4-byte implicit salt */
  clientIv: Uint8Array;
  serverIv: Uint8Array;
  raw: Uint8Array;
}

export function keyBlockLength(suite: CipherSuiteInfo): number {
  return 2 * (suite.macKeyLength + suite.encKeyLength + suite.fixedIvLength);
}

export function deriveKeyBlock(
  masterSecret: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  suite: CipherSuiteInfo,
): KeyBlock {
  const raw = prfSm3(masterSecret, 'key expansion', concat(serverRandom, clientRandom), keyBlockLength(suite));
  let o = 0;
  const take = (n: number): Uint8Array => raw.slice(o, (o += n));
  const clientMacKey = take(suite.macKeyLength);
  const serverMacKey = take(suite.macKeyLength);
  const clientKey = take(suite.encKeyLength);
  const serverKey = take(suite.encKeyLength);
  const clientIv = take(suite.fixedIvLength);
  const serverIv = take(suite.fixedIvLength);
  return { clientMacKey, serverMacKey, clientKey, serverKey, clientIv, serverIv, raw };
}

/** verify_data[12] = PRF(master, "client finished" | "server finished", SM3(handshake_messages)). */
export function computeVerifyData(masterSecret: Uint8Array, sender: 'client' | 'server', handshakeMessages: Uint8Array[]): Uint8Array {
  return prfSm3(masterSecret, `${sender} finished`, sm3(...handshakeMessages), 12);
}
