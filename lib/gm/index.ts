/** GM cryptographic core: SM2, SM3, SM4 (+GCM), GM/T 0009 encodings, SM2 key exchange, known-answer tests. */
export * from './sm3.ts';
export * from './sm4.ts';
export * from './sm4-gcm.ts';
export * from './sm2.ts';
export * from './sm2-exchange.ts';
export * from './sm2-keys.ts';
export * from './kat.ts';
