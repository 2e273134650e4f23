import type { Name } from '../pki/x509.ts';

/**
 * Certificate names as LDAP distinguished names (RFC 4514), the way a CA publishes a subscriber's certificates under
 * the subject's own DN (RFC 4523 pkiUser / pkiCA). The string form reverses the RDN order of the X.509 Name (most
 * specific first); types without an RFC 4514 short name are written as dotted OIDs with the BER value in hex.
 */

const SHORT: Record<string, string> = {
  '2.5.4.3': 'CN', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.6': 'C', '2.5.4.9': 'STREET',
  '0.9.2342.19200300.100.1.25': 'DC', '0.9.2342.19200300.100.1.1': 'UID',
};

/** RFC 4514 §2.4 escaping of a string value. */
export function escapeDnValue(v: string): string {
  let out = v.replace(/[\\"+,;<>=]/g, (c) => `\\${c}`).replace(/\0/g, '\\00');
  if (out.startsWith('#') || out.startsWith(' ')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 1) out = `${out.slice(0, -1)}\\ `;
  return out;
}

export function nameToLdapDn(name: Name): string {
  return [...name.rdns].reverse().map((rdn) => rdn.map((a) => {
    const short = SHORT[a.type];
    if (short && a.text !== null) return `${short}=${escapeDnValue(a.text)}`;
    return `${a.type}=#${Buffer.from(a.valueNode.bytes).toString('hex')}`;
  }).join('+')).join(',');
}

export class DnError extends Error {
  constructor(message: string, readonly offset: number) { super(message); }
}

export interface DnAttribute { type: string; value: string }

/**
 * Parses an RFC 4514 string into RDNs of (type, value): escapes (`\,` and `\e8\ae`) are decoded to UTF-8 text,
 * `#hex` values are kept as `#hex`. Throws DnError with the character offset on malformed input.
 */
export function parseLdapDn(dn: string): DnAttribute[][] {
  const rdns: DnAttribute[][] = [];
  if (!dn.trim()) return rdns;
  let i = 0;
  let rdn: DnAttribute[] = [];
  while (i <= dn.length) {
    while (dn[i] === ' ') i++;
    const eq = dn.indexOf('=', i);
    if (eq < 0) throw new DnError(`expected "type=value" at offset ${i}`, i);
    const type = dn.slice(i, eq).trim();
    if (!/^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)+)$/.test(type)) throw new DnError(`bad attribute type "${type}" at offset ${i}`, i);
    i = eq + 1;
    const bytes: number[] = [];
    let hexForm = false;
    if (dn[i] === '#') {
      hexForm = true;
      const m = /^#([0-9A-Fa-f]{2})+/.exec(dn.slice(i));
      if (!m) throw new DnError(`bad #hex value at offset ${i}`, i);
      bytes.push(...Buffer.from(m[0].slice(1), 'hex'));
      i += m[0].length;
    } else {
      let trailing = 0;
      while (i < dn.length && dn[i] !== ',' && dn[i] !== '+' && dn[i] !== ';') {
        if (dn[i] === '\\') {
          const h = /^[0-9A-Fa-f]{2}/.exec(dn.slice(i + 1, i + 3));
          if (h) { bytes.push(parseInt(h[0], 16)); i += 3; }
          else if (i + 1 < dn.length) { bytes.push(...Buffer.from(dn[i + 1]!, 'utf8')); i += 2; }
          else throw new DnError(`dangling escape at offset ${i}`, i);
          trailing = 0;
        } else {
          trailing = dn[i] === ' ' ? trailing + 1 : 0;
          const cp = dn.codePointAt(i)!;
          const ch = String.fromCodePoint(cp);
          bytes.push(...Buffer.from(ch, 'utf8'));
          i += ch.length;
        }
      }
      if (trailing) bytes.splice(bytes.length - trailing, trailing);
    }
    rdn.push({ type, value: hexForm ? `#${Buffer.from(bytes).toString('hex')}` : Buffer.from(bytes).toString('utf8') });
    const sep = dn[i];
    i++;
    if (sep === '+') continue;
    rdns.push(rdn);
    rdn = [];
    if (sep === undefined) break;
  }
  return rdns;
}

const LONG: Record<string, string> = { commonname: 'cn', countryname: 'c', organizationname: 'o', organizationalunitname: 'ou', localityname: 'l', stateorprovincename: 'st' };
const OID_NAME: Record<string, string> = Object.fromEntries(Object.entries(SHORT).map(([oid, s]) => [oid, s.toLowerCase()]));

/**
 * A comparison key for DNs: types lower-cased (OIDs of known types by name), values decoded, trimmed and compared
 * case-insensitively (the caseIgnoreMatch of the naming attributes), multi-valued RDNs in sorted order.
 */
export function dnKey(dn: string): string {
  return parseLdapDn(dn).map((rdn) => rdn.map((a) => {
    const t = a.type.toLowerCase();
    return `${OID_NAME[t] ?? LONG[t] ?? t}=${escapeDnValue(a.value.trim().replace(/\s+/g, ' ').toLowerCase())}`;
  }).sort().join('+')).join(',');
}

/** Human form with escapes decoded (for evidence and messages). */
export function dnText(dn: string): string {
  try {
    return parseLdapDn(dn).map((rdn) => rdn.map((a) => `${a.type}=${a.value}`).join('+')).join(',');
  } catch {
    return dn;
  }
}
