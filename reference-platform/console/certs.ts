import { sm2GenerateKeyPair } from '../../lib/gm/index.ts';
import { ext, issueCertificate, issuerFromCertificate, selfIssuer, type Issued } from '../../lib/pki/builder.ts';
import type { TlcpCredentials } from '../../lib/tlcp/index.ts';

/**
 * The console's TLCP double certificate (GB/T 38636: a signing and an encryption certificate), issued at start-up
 * by a console CA that exists only in this process. The CA certificate is public: it is what an evaluator is
 * given as the trust anchor of the management channel.
 */
export interface ConsoleCertificates { credentials: TlcpCredentials; caPem: string; caDer: Uint8Array }

export function issueConsoleCertificates(hostname = 'console.gmeval.local'): ConsoleCertificates {
  const now = Date.now();
  const notBefore = new Date(now - 3600_000);
  const notAfter = new Date(now + 2 * 365 * 86400_000);
  const caKeys = sm2GenerateKeyPair();
  const caName: [string, string][] = [['C', 'CN'], ['O', 'gmeval reference platform'], ['CN', 'gmeval console CA']];
  const ca: Issued = issueCertificate({
    subject: caName, notBefore, notAfter, publicKey: caKeys.publicKey,
    extensions: [ext.basicConstraints(true, 0), ext.keyUsage(['keyCertSign', 'cRLSign'])],
  }, selfIssuer(caKeys, caName));
  const issuer = issuerFromCertificate(ca.der, caKeys.privateKey);
  const leaf = (cn: string, usage: Parameters<typeof ext.keyUsage>[0]) => {
    const keys = sm2GenerateKeyPair();
    const cert = issueCertificate({
      subject: [['C', 'CN'], ['O', 'gmeval reference platform'], ['CN', cn]], notBefore, notAfter, publicKey: keys.publicKey,
      extensions: [ext.basicConstraints(false), ext.keyUsage(usage), ext.subjectAltName({ dns: [hostname] })],
    }, issuer);
    return { keys, cert };
  };
  const sign = leaf(`${hostname} (sign)`, ['digitalSignature']);
  const enc = leaf(`${hostname} (enc)`, ['keyEncipherment', 'dataEncipherment', 'keyAgreement']);
  return {
    credentials: { signCert: sign.cert.der, signKey: sign.keys, encCert: enc.cert.der, encKey: enc.keys, chain: [ca.der] },
    caPem: ca.pem,
    caDer: ca.der,
  };
}
