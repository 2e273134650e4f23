import { hmacSm3, sm2Decrypt, sm2Kdf, sm4Cbc, timingSafeEqualBytes } from '../../lib/gm/index.ts';

/**
 * Helpers for judging protected data the platform hands out (key sync blobs, supervision envelopes) without
 * trusting the platform's own verdict.
 */

/** Whether `secret` appears in `text` in clear — raw, base64 or hex — at any depth of base64/JSON nesting. */
export function revealsSecret(text: string, secret: Buffer, depth = 0): boolean {
  if (depth > 6) return false;
  if (text.includes(secret.toString('base64').replace(/=+$/, '')) || text.toLowerCase().includes(secret.toString('hex'))) return true;
  const candidates: string[] = [text];
  try { collectStrings(JSON.parse(text), candidates); } catch { /* not JSON */ }
  for (const c of candidates) {
    if (!/^[A-Za-z0-9+/=\s]{8,}$/.test(c)) continue;
    const raw = Buffer.from(c, 'base64');
    if (raw.includes(secret)) return true;
    const inner = raw.toString('utf8');
    if (inner !== c && /^[\x20-\x7e\s]*$/.test(inner) && revealsSecret(inner, secret, depth + 1)) return true;
  }
  return false;
}

function collectStrings(v: unknown, out: string[]): void {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) collectStrings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) collectStrings(x, out);
}

/**
 * Alters one bit of the protected payload of a blob, format-agnostically: in a base64 JSON document the
 * longest base64 string value (the ciphertext, not the framing) is changed; otherwise the middle byte.
 */
export function flipPayloadBit(blobB64: string): string {
  const raw = Buffer.from(blobB64, 'base64');
  try {
    const doc = JSON.parse(raw.toString('utf8')) as unknown;
    let best: { holder: Record<string, unknown> | unknown[]; key: string | number; len: number } | undefined;
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach((x, i) => { if (typeof x === 'string') consider(v, i, x); else walk(x); });
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { if (typeof x === 'string') consider(v as Record<string, unknown>, k, x); else walk(x); }
    };
    const consider = (holder: Record<string, unknown> | unknown[], key: string | number, s: string) => {
      if (/^[A-Za-z0-9+/]+={0,2}$/.test(s) && s.length >= 16 && (!best || s.length > best.len)) best = { holder, key, len: s.length };
    };
    walk(doc);
    if (best) {
      const b = best as { holder: Record<string | number, unknown>; key: string | number };
      const bytes = Buffer.from(String(b.holder[b.key]), 'base64');
      bytes[bytes.length >> 1]! ^= 0x01;
      b.holder[b.key] = bytes.toString('base64');
      return Buffer.from(JSON.stringify(doc)).toString('base64');
    }
  } catch { /* not JSON: flip the middle byte */ }
  raw[raw.length >> 1]! ^= 0x01;
  return raw.toString('base64');
}

export interface SupervisionEnvelope { encryptedKey: string; iv: string; ciphertext: string; mac: string }
export const SUPERVISION_ENVELOPE_LABEL = 'gmeval supervision envelope v1';

/**
 * Opens the supervision digital envelope (docs/platform.md): k = SM2-decrypt(encryptedKey); enc ‖ mac =
 * SM3-KDF(k ‖ label, 48); HMAC-SM3(mac, iv ‖ ciphertext) must match before SM4-CBC decryption.
 */
export function openSupervisionEnvelope(privateKey: Buffer, e: SupervisionEnvelope): { ok: true; plaintext: Buffer } | { ok: false; reason: string } {
  let k: Buffer;
  try { k = sm2Decrypt(privateKey, Buffer.from(e.encryptedKey, 'base64'), { format: 'der' }); } catch (x) { return { ok: false, reason: `数字信封的会话密钥不能用监管方私钥解出（${(x as Error).message}）` }; }
  const sub = sm2Kdf(Buffer.concat([k, Buffer.from(SUPERVISION_ENVELOPE_LABEL)]), 48);
  const iv = Buffer.from(e.iv, 'base64');
  const ct = Buffer.from(e.ciphertext, 'base64');
  if (!timingSafeEqualBytes(hmacSm3(sub.subarray(16, 48), iv, ct), Buffer.from(e.mac, 'base64'))) return { ok: false, reason: '数字信封的 HMAC-SM3 校验不通过' };
  try { return { ok: true, plaintext: sm4Cbc('decrypt', sub.subarray(0, 16), iv, ct, { padding: true }) }; } catch (x) { return { ok: false, reason: `SM4-CBC 解密失败（${(x as Error).message}）` }; }
}
