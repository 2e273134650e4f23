import { sm2PrivateKeyFromPem } from '../gm/index.ts';
import { certificatesFromPem, parseCertificate } from './certs.ts';
import { bytesEqual } from './bytes.ts';
import type { TlcpCredentials } from './engine.ts';

/**
 * Builds a TLCP double-certificate credential from PEM texts: signing certificate + key, encryption certificate +
 * key, optional CA certificates. Checks that each key matches its certificate (a swapped pair is the classic
 * deployment error), so the mistake shows here and not as a failed handshake.
 */
export function credentialsFromPem(p: { signCert: string; signKey: string; encCert: string; encKey: string; chain?: string }): TlcpCredentials {
  const signCert = certificatesFromPem(p.signCert)[0];
  const encCert = certificatesFromPem(p.encCert)[0];
  if (!signCert) throw new Error('signing certificate: no CERTIFICATE block in the PEM text');
  if (!encCert) throw new Error('encryption certificate: no CERTIFICATE block in the PEM text');
  const signKey = sm2PrivateKeyFromPem(p.signKey);
  const encKey = sm2PrivateKeyFromPem(p.encKey);
  if (!bytesEqual(parseCertificate(signCert).publicKey, signKey.publicKey)) throw new Error('signing key does not match the signing certificate');
  if (!bytesEqual(parseCertificate(encCert).publicKey, encKey.publicKey)) throw new Error('encryption key does not match the encryption certificate');
  return { signCert, signKey, encCert, encKey, ...(p.chain ? { chain: certificatesFromPem(p.chain) } : {}) };
}
