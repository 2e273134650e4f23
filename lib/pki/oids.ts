/** Object identifiers used by GM/T 0015 profiles (certificates-gmt0015.md §2) and RFC 5280. */
export const OID = {
  // GM/T 0006 algorithms
  sm2Curve: '1.2.156.10197.1.301',
  sm2Sign: '1.2.156.10197.1.301.1',
  sm2KeyExchange: '1.2.156.10197.1.301.2',
  sm2Encrypt: '1.2.156.10197.1.301.3',
  sm3: '1.2.156.10197.1.401',
  sm2WithSm3: '1.2.156.10197.1.501',
  rsaWithSm3: '1.2.156.10197.1.504',
  /** SM4 (bare: legacy CFCA content algorithm) and its modes (GM/T 0006) */
  sm4: '1.2.156.10197.1.104',
  sm4Ecb: '1.2.156.10197.1.104.1',
  sm4Cbc: '1.2.156.10197.1.104.2',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  // GM/T 0010 content types (certificates-gmt0015.md §2, §9)
  gmData: '1.2.156.10197.6.1.4.2.1',
  gmSignedData: '1.2.156.10197.6.1.4.2.2',
  gmEnvelopedData: '1.2.156.10197.6.1.4.2.3',
  gmSignedAndEnvelopedData: '1.2.156.10197.6.1.4.2.4',
  gmEncryptedData: '1.2.156.10197.6.1.4.2.5',
  gmKeyAgreementInfo: '1.2.156.10197.6.1.4.2.6',
  // PKCS#7 content types (RFC 2315 §14) and the PKCS#9 attributes CMS signers use
  pkcs7Data: '1.2.840.113549.1.7.1',
  pkcs7SignedData: '1.2.840.113549.1.7.2',
  pkcs7EnvelopedData: '1.2.840.113549.1.7.3',
  pkcs7SignedAndEnvelopedData: '1.2.840.113549.1.7.4',
  pkcs7DigestedData: '1.2.840.113549.1.7.5',
  pkcs7EncryptedData: '1.2.840.113549.1.7.6',
  pkcs9ContentType: '1.2.840.113549.1.9.3',
  pkcs9MessageDigest: '1.2.840.113549.1.9.4',
  pkcs9SigningTime: '1.2.840.113549.1.9.5',
  // X.520 attribute types
  countryName: '2.5.4.6',
  commonName: '2.5.4.3',
  surname: '2.5.4.4',
  serialNumber: '2.5.4.5',
  localityName: '2.5.4.7',
  stateOrProvinceName: '2.5.4.8',
  streetAddress: '2.5.4.9',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  title: '2.5.4.12',
  givenName: '2.5.4.42',
  pseudonym: '2.5.4.65',
  dnQualifier: '2.5.4.46',
  emailAddress: '1.2.840.113549.1.9.1',
  domainComponent: '0.9.2342.19200300.100.1.25',
  // Extensions
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  basicConstraints: '2.5.29.19',
  cRLNumber: '2.5.29.20',
  reasonCode: '2.5.29.21',
  invalidityDate: '2.5.29.24',
  deltaCRLIndicator: '2.5.29.27',
  issuingDistributionPoint: '2.5.29.28',
  certificateIssuer: '2.5.29.29',
  nameConstraints: '2.5.29.30',
  cRLDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  policyMappings: '2.5.29.33',
  authorityKeyIdentifier: '2.5.29.35',
  policyConstraints: '2.5.29.36',
  extKeyUsage: '2.5.29.37',
  freshestCRL: '2.5.29.46',
  inhibitAnyPolicy: '2.5.29.54',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  subjectInfoAccess: '1.3.6.1.5.5.7.1.11',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
  ocspNonce: '1.3.6.1.5.5.7.48.1.2',
  ocspBasic: '1.3.6.1.5.5.7.48.1.1',
  adOcsp: '1.3.6.1.5.5.7.48.1',
  adCaIssuers: '1.3.6.1.5.5.7.48.2',
  // EKU purposes
  kpServerAuth: '1.3.6.1.5.5.7.3.1',
  kpClientAuth: '1.3.6.1.5.5.7.3.2',
  kpCodeSigning: '1.3.6.1.5.5.7.3.3',
  kpEmailProtection: '1.3.6.1.5.5.7.3.4',
  kpTimeStamping: '1.3.6.1.5.5.7.3.8',
  kpOcspSigning: '1.3.6.1.5.5.7.3.9',
  anyExtendedKeyUsage: '2.5.29.37.0',
  // GM/T 0015 Chinese identity extensions (§5 of the digest)
  cnIdentifyCode: '1.2.156.10260.4.1.1',
  cnInsuranceNumber: '1.2.156.10260.4.1.2',
  cnIcRegistrationNumber: '1.2.156.10260.4.1.3',
  cnOrganizationCode: '1.2.156.10260.4.1.4',
  cnTaxationNumber: '1.2.156.10260.4.1.5',
  cnResidentIdNumber2023: '1.2.156.10260.4.1.1.1',
  cnPassportNumber2023: '1.2.156.10260.4.1.1.2',
  /** 统一社会信用代码, 2023: two variants seen (certificates-gmt0015.md §2, [U]) */
  cnUsccShort: '1.2.156.10260.4.4',
  cnUsccLong: '1.2.156.10260.4.4.4',
} as const;

/** Extensions defined by GM/T 0015 §5 (2012 and 2023 forms). */
export const CN_EXTENSION_OIDS: ReadonlySet<string> = new Set([
  OID.cnIdentifyCode, OID.cnInsuranceNumber, OID.cnIcRegistrationNumber, OID.cnOrganizationCode, OID.cnTaxationNumber,
  OID.cnResidentIdNumber2023, OID.cnPassportNumber2023, OID.cnUsccShort, OID.cnUsccLong,
]);

/** Pre-2012 e-government arcs (1.2.156.11.7.x, 1.2.86.11.7.x): read-only, notice. */
export function isLegacyCnOid(oid: string): boolean {
  return oid.startsWith('1.2.156.11.7.') || oid.startsWith('1.2.86.11.7.');
}

const NAMES: Record<string, string> = Object.fromEntries(Object.entries(OID).map(([k, v]) => [v, k]));
export function oidName(oid: string): string { return NAMES[oid] ?? oid; }

/** Extensions RFC 5280 §4.2 and GM/T 0015 define; anything else critical is "unknown critical". */
export const KNOWN_CERT_EXTENSIONS: ReadonlySet<string> = new Set([
  OID.subjectKeyIdentifier, OID.keyUsage, OID.subjectAltName, OID.issuerAltName, OID.basicConstraints,
  OID.nameConstraints, OID.cRLDistributionPoints, OID.certificatePolicies, OID.policyMappings,
  OID.authorityKeyIdentifier, OID.policyConstraints, OID.extKeyUsage, OID.freshestCRL, OID.inhibitAnyPolicy,
  OID.authorityInfoAccess, OID.subjectInfoAccess, OID.ocspNoCheck, ...CN_EXTENSION_OIDS,
]);
