import { connect as tlsConnect, type PeerCertificate } from 'node:tls';
import { connect } from 'node:net';
import { parseCertificate } from '../../lib/pki/x509.ts';

/** What international TLS (Node's OpenSSL) sees on a port: versions accepted, suites, the server certificate. */
export interface TlsInspection {
  versions: { version: string; accepted: boolean; cipher?: string; error?: string }[];
  certificate?: CertificateFacts;
}
export interface CertificateFacts {
  subject: string;
  keyType: string;
  keyBits?: number;
  curve?: string;
  signatureAlgorithm: string;
  signatureOid: string;
  /** weakest of key and signature hash, in bits of security (NIST SP 800-57 Part 1 Table 2/3) */
  strengthBits: number;
  weaknesses: string[];
}

const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;

const SIG_OIDS: Record<string, { name: string; hashBits: number; weak?: string }> = {
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hashBits: 18, weak: 'MD5 签名' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hashBits: 63, weak: 'SHA-1 签名' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hashBits: 63, weak: 'SHA-1 签名' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hashBits: 128 },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hashBits: 192 },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hashBits: 256 },
  '1.2.840.113549.1.1.10': { name: 'RSASSA-PSS', hashBits: 128 },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hashBits: 128 },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hashBits: 192 },
  '1.2.156.10197.1.501': { name: 'SM2-with-SM3', hashBits: 128 },
  '1.3.101.112': { name: 'Ed25519', hashBits: 128 },
};

/** RSA/DH modulus → security bits (SP 800-57 Table 2, with the usual interpolation below 1024). */
export function rsaStrength(bits: number): number {
  if (bits >= 15360) return 256;
  if (bits >= 7680) return 192;
  if (bits >= 3072) return 128;
  if (bits >= 2048) return 112;
  if (bits >= 1024) return 80;
  if (bits >= 768) return 64;
  return 50;
}

export function certificateFacts(der: Uint8Array, subject: string, keyType: string, keyBits?: number, curve?: string): CertificateFacts {
  const c = parseCertificate(der);
  const sig = SIG_OIDS[c.signatureAlgorithm.oid] ?? { name: c.signatureAlgorithm.oid, hashBits: 0, weak: `未知签名算法 ${c.signatureAlgorithm.oid}` };
  const weaknesses: string[] = [];
  let keyStrength = 128;
  if (keyType === 'rsa' || keyType === 'rsa-pss') {
    keyStrength = rsaStrength(keyBits ?? 0);
    if ((keyBits ?? 0) < 2048) weaknesses.push(`RSA-${keyBits} 密钥短于 2048 位`);
  } else if (keyType === 'ec') keyStrength = curve === 'secp384r1' ? 192 : curve === 'secp521r1' ? 256 : 128;
  if (sig.weak) weaknesses.push(sig.weak);
  return { subject, keyType, ...(keyBits ? { keyBits } : {}), ...(curve ? { curve } : {}), signatureAlgorithm: sig.name, signatureOid: c.signatureAlgorithm.oid, strengthBits: Math.min(keyStrength, sig.hashBits || keyStrength), weaknesses };
}

function tryVersion(host: string, port: number, version: (typeof TLS_VERSIONS)[number], timeoutMs: number): Promise<{ accepted: boolean; cipher?: string; error?: string; cert?: PeerCertificate; raw?: Buffer; keyType?: string; keyBits?: number; curve?: string }> {
  return new Promise((resolve) => {
    const s = tlsConnect({ host, port, servername: undefined, minVersion: version, maxVersion: version, rejectUnauthorized: false, ciphers: 'ALL:@SECLEVEL=0' });
    const done = (v: Awaited<ReturnType<typeof tryVersion>>) => { clearTimeout(t); s.destroy(); resolve(v); };
    const t = setTimeout(() => done({ accepted: false, error: 'timeout' }), timeoutMs);
    s.once('secureConnect', () => {
      const x = s.getPeerX509Certificate();
      const details = x?.publicKey.asymmetricKeyDetails;
      done({ accepted: true, cipher: s.getCipher()?.standardName ?? s.getCipher()?.name, cert: s.getPeerCertificate(), raw: x?.raw, keyType: x?.publicKey.asymmetricKeyType, keyBits: details?.modulusLength, curve: details?.namedCurve });
    });
    s.once('error', (e) => done({ accepted: false, error: e.message.slice(0, 160) }));
  });
}

/**
 * SSL 3.0 cannot be offered through Node's OpenSSL: a minimal SSLv3 ClientHello is sent by hand and a ServerHello
 * with version 3.0 means the server accepts it.
 */
export function sslv3Accepted(host: string, port: number, timeoutMs: number): Promise<{ accepted: boolean; error?: string }> {
  const random = Buffer.alloc(32, 7);
  const suites = [0x000a, 0x002f, 0x0035, 0x0005, 0x0004, 0x0009];
  const body = Buffer.concat([Buffer.from([3, 0]), random, Buffer.from([0]), Buffer.from([0, suites.length * 2]), Buffer.from(suites.flatMap((s) => [s >> 8, s & 0xff])), Buffer.from([1, 0])]);
  const hs = Buffer.concat([Buffer.from([1, 0, body.length >> 8, body.length & 0xff]), body]);
  const rec = Buffer.concat([Buffer.from([22, 3, 0, hs.length >> 8, hs.length & 0xff]), hs]);
  return new Promise((resolve) => {
    const s = connect({ host, port });
    let buf = Buffer.alloc(0);
    const done = (v: { accepted: boolean; error?: string }) => { clearTimeout(t); s.destroy(); resolve(v); };
    const t = setTimeout(() => done({ accepted: false, error: 'timeout' }), timeoutMs);
    s.once('connect', () => s.write(rec));
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length < 6) return;
      // handshake record carrying ServerHello (type 2) whose server_version is 3.0
      if (buf[0] === 22 && buf[5] === 2 && buf.length >= 11) done({ accepted: buf[9] === 3 && buf[10] === 0 });
      else done({ accepted: false, error: buf[0] === 21 ? 'alert' : 'no ServerHello' });
    });
    s.once('error', (e) => done({ accepted: false, error: e.message }));
    s.once('end', () => done({ accepted: false, error: 'closed' }));
  });
}

export async function inspectTls(host: string, port: number, timeoutMs = 1500): Promise<TlsInspection> {
  const [ssl3, ...rest] = await Promise.all([sslv3Accepted(host, port, timeoutMs), ...TLS_VERSIONS.map((v) => tryVersion(host, port, v, timeoutMs))]);
  const versions = [{ version: 'SSLv3', ...ssl3 }, ...rest.map((r, i) => ({ version: TLS_VERSIONS[i]!, accepted: r.accepted, ...(r.cipher ? { cipher: r.cipher } : {}), ...(r.error ? { error: r.error } : {}) }))];
  const withCert = rest.find((r) => r.accepted && r.raw);
  let certificate: CertificateFacts | undefined;
  if (withCert?.raw) {
    try {
      certificate = certificateFacts(withCert.raw, withCert.cert?.subject ? Object.entries(withCert.cert.subject).map(([k, v]) => `${k}=${String(v)}`).join(', ') : '', withCert.keyType ?? 'unknown', withCert.keyBits, withCert.curve);
    } catch (e) {
      certificate = { subject: '', keyType: withCert.keyType ?? 'unknown', signatureAlgorithm: 'unparseable', signatureOid: '', strengthBits: 0, weaknesses: [`证书无法解析：${(e as Error).message}`] };
    }
  }
  return { versions, ...(certificate ? { certificate } : {}) };
}
