/**
 * Reads what a TLCP server sent, from a conversation's transcript (hex of records and handshake messages).
 * Untrusted input: every parser here returns partial results plus `problems`, never throws.
 */
import {
  ContentType, HandshakeType, SUITES, decodeCertificate, decodeCertificateRequest, decodeServerHello, decodeServerKeyExchange,
  fromHex, suiteName, type TranscriptEntry,
} from '../../lib/tlcp/index.ts';

export interface ServerFlight {
  serverHello?: { version: number; suite: number; suiteName: string; sessionIdHex: string; randomHex: string; extensions: number[] };
  clientRandomHex?: string;
  certificates?: Uint8Array[];
  ske?: { paramsHex?: string; signatureHex: string; namedCurve?: number; pointHex?: string };
  certificateRequest?: { types: number[]; authorities: number };
  /** explicit IVs (CBC) or nonces (GCM) of the server's protected records, in order */
  explicit: { kind: 'CBC' | 'GCM'; hex: string }[];
  /** handshake message types received after the handshake (renegotiation answers) */
  lateHandshake: number[];
  problems: string[];
}

function safeHex(h: string): Uint8Array | null {
  const clean = h.endsWith('…') ? h.slice(0, -1) : h;
  if (!/^(?:[0-9a-f]{2})*$/i.test(clean)) return null;
  return fromHex(clean);
}

/** Decodes the server's flight and record-protection details from a client-side transcript. */
export function parseServerFlight(entries: readonly TranscriptEntry[]): ServerFlight {
  const out: ServerFlight = { explicit: [], lateHandshake: [], problems: [] };
  let kx: 'ECC' | 'ECDHE' | undefined;
  let bulk: 'CBC' | 'GCM' | undefined;
  let protectedIn = false;
  let finishedIn = false;
  const guard = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (e) {
      out.problems.push(`${what}: ${(e as Error)?.message ?? String(e)}`);
    }
  };
  for (const e of entries) {
    if (!e || typeof e !== 'object') continue;
    const bytes = typeof e.hex === 'string' ? safeHex(e.hex) : null;
    if (!bytes) continue;
    if (e.dir === 'out' && e.kind === 'handshake' && e.type === HandshakeType.client_hello && bytes.length >= 4 + 2 + 32) {
      out.clientRandomHex = Buffer.from(bytes.subarray(6, 38)).toString('hex');
    }
    if (e.dir !== 'in') continue;
    if (e.kind === 'record') {
      if (e.type === ContentType.change_cipher_spec) protectedIn = true;
      else if (protectedIn && bulk && bytes.length >= 5 && bytes.length !== 7 && e.type !== ContentType.change_cipher_spec) {
        const n = bulk === 'CBC' ? 16 : 8;
        if (bytes.length >= 5 + n) out.explicit.push({ kind: bulk, hex: Buffer.from(bytes.subarray(5, 5 + n)).toString('hex') });
      }
      continue;
    }
    if (e.kind !== 'handshake' || bytes.length < 4) continue;
    const body = bytes.subarray(4);
    if (finishedIn) {
      out.lateHandshake.push(e.type);
      continue;
    }
    switch (e.type) {
      case HandshakeType.server_hello:
        guard('ServerHello', () => {
          const sh = decodeServerHello(body);
          const info = SUITES[sh.cipherSuite];
          kx = info?.kx;
          bulk = info?.bulk;
          out.serverHello = {
            version: sh.version, suite: sh.cipherSuite, suiteName: suiteName(sh.cipherSuite), sessionIdHex: Buffer.from(sh.sessionId).toString('hex'),
            randomHex: Buffer.from(sh.random).toString('hex'), extensions: (sh.extensions ?? []).map((x) => x.type),
          };
        });
        break;
      case HandshakeType.certificate:
        guard('Certificate', () => (out.certificates = decodeCertificate(body)));
        break;
      case HandshakeType.server_key_exchange:
        guard('ServerKeyExchange', () => {
          if (!kx) throw new Error('no known key exchange (ServerHello missing or foreign suite)');
          const ske = decodeServerKeyExchange(body, kx);
          out.ske = {
            signatureHex: Buffer.from(ske.signature).toString('hex'),
            ...(ske.paramsRaw ? { paramsHex: Buffer.from(ske.paramsRaw).toString('hex'), namedCurve: ske.params!.namedCurve, pointHex: Buffer.from(ske.params!.point).toString('hex') } : {}),
          };
        });
        break;
      case HandshakeType.certificate_request:
        guard('CertificateRequest', () => {
          const cr = decodeCertificateRequest(body);
          out.certificateRequest = { types: cr.certificateTypes, authorities: cr.authorities.length };
        });
        break;
      case HandshakeType.finished:
        finishedIn = true;
        break;
      default:
        break;
    }
  }
  return out;
}
