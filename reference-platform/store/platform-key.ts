import { sm2GenerateKeyPair, type Sm2KeyPair } from '../../lib/gm/index.ts';
import type { Db } from './db.ts';
import type { MasterKey } from './master-key.ts';

/**
 * A long-lived SM2 key of the platform itself (audit checkpoints, supervision reports): created once,
 * the private half stored sealed under the master key in `platform_secrets`, reloaded on every start.
 */
export function platformSm2Key(db: Db, master: MasterKey, name: string): Sm2KeyPair {
  const row = db.prepare('SELECT sealed, public_part FROM platform_secrets WHERE name = ?').get(name) as { sealed: Buffer; public_part: Buffer } | undefined;
  if (row) return { privateKey: master.unseal(row.sealed, name), publicKey: Buffer.from(row.public_part) };
  const kp = sm2GenerateKeyPair();
  db.prepare('INSERT INTO platform_secrets (name, sealed, public_part) VALUES (?,?,?)').run(name, master.seal(kp.privateKey, name), kp.publicKey);
  return kp;
}
