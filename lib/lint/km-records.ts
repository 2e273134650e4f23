/**
 * Reads the KM centre's key records for e_pair_enc_key_not_from_km: which certificate serial (GM/T 0014 userCertNo)
 * each key was issued for and, when the export has it, the key's public key. Two forms, because KM exports vary:
 *   JSON  [{ "userCertNo": "3b5d…", "publicKey": "04…" | base64 }, …]
 *   text  one record per line: `serial[,publicKey]`; `#` starts a comment
 * Every problem names the line (or array index) and field; nothing is guessed.
 */
import type { KmRecord } from './types.ts';

export class KmRecordsError extends Error {}

const HEX_SERIAL = /^(0x)?[0-9a-fA-F]{1,64}$/;

function publicKeyOf(v: string, where: string): Uint8Array {
  const s = v.trim();
  const bytes = /^[0-9a-fA-F]+$/.test(s) && s.length % 2 === 0 ? Buffer.from(s, 'hex') : /^[A-Za-z0-9+/]+={0,2}$/.test(s) ? Buffer.from(s, 'base64') : null;
  if (!bytes || !((bytes.length === 65 && bytes[0] === 4) || (bytes.length === 33 && (bytes[0] === 2 || bytes[0] === 3)))) {
    throw new KmRecordsError(`${where}: publicKey is not an SM2 point (65 octets 04‖X‖Y or 33 compressed, hex or base64)`);
  }
  return new Uint8Array(bytes);
}

function serialOf(v: unknown, where: string): string {
  if (typeof v !== 'string' || !HEX_SERIAL.test(v.trim())) throw new KmRecordsError(`${where}: userCertNo must be a hexadecimal serial number, got ${JSON.stringify(v)}`);
  return v.trim().replace(/^0x/i, '').toLowerCase();
}

export function parseKmRecords(text: string, name: string): KmRecord[] {
  const t = text.trim();
  if (t.startsWith('[')) {
    let data: unknown;
    try { data = JSON.parse(t); } catch (e) { throw new KmRecordsError(`${name}: not valid JSON (${(e as Error).message})`); }
    if (!Array.isArray(data)) throw new KmRecordsError(`${name}: expected a JSON array of records`);
    return data.map((r, i) => {
      const where = `${name}: [${i}]`;
      if (!r || typeof r !== 'object') throw new KmRecordsError(`${where}: record must be an object`);
      const o = r as Record<string, unknown>;
      const rec: KmRecord = { userCertNo: serialOf(o.userCertNo, where) };
      if (o.publicKey !== undefined) {
        if (typeof o.publicKey !== 'string') throw new KmRecordsError(`${where}: publicKey must be a string`);
        rec.publicKey = publicKeyOf(o.publicKey, where);
      }
      return rec;
    });
  }
  const out: KmRecord[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const l = line.replace(/#.*/, '').trim();
    if (!l) return;
    const where = `${name}:${i + 1}`;
    const [serial, pub, ...extra] = l.split(/[,\s]+/);
    if (extra.length) throw new KmRecordsError(`${where}: expected "serial[,publicKey]", found ${extra.length + 2} fields`);
    const rec: KmRecord = { userCertNo: serialOf(serial, where) };
    if (pub) rec.publicKey = publicKeyOf(pub, where);
    out.push(rec);
  });
  if (!out.length) throw new KmRecordsError(`${name}: no KM records`);
  return out;
}
