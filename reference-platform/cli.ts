import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPlatform, type PlatformOptions } from './index.ts';

/**
 * `gmeval platform start`: runs in the foreground. The first stdout line is the machine-readable
 * `{"listening": {...}}`; a demo application credential is written to a 0600 file, never to stdout.
 */
export async function runPlatformCli(o: PlatformOptions & { credentialFile?: string }): Promise<void> {
  const p = await startPlatform(o);
  const credFile = o.credentialFile ?? (o.dataDir && o.dataDir !== ':memory:' ? join(o.dataDir, 'demo-credential.json') : undefined);
  // a restarted platform keeps its demo application (and so its keys) while the credential is valid
  let cred: { accessKey: string; secret: string } | undefined;
  if (credFile && existsSync(credFile)) {
    try {
      const c = JSON.parse(readFileSync(credFile, 'utf8')) as { accessKey: string; secret: string };
      if (p.credentialValid(String(c.accessKey))) cred = c;
    } catch { cred = undefined; }
  }
  cred ??= p.provisionApp('demo');
  if (credFile) writeFileSync(credFile, JSON.stringify({ accessKey: cred.accessKey, secret: cred.secret, sdfPin: p.sdfPin }, null, 2) + '\n', { mode: 0o600 });
  process.stdout.write(JSON.stringify({ listening: p.listening, defects: p.defects, credentialFile: credFile ?? null }) + '\n');
  const stop = async () => {
    await p.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await new Promise(() => {});
}
