import type { Command } from 'commander';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A command group registers its subcommands; it reports its exit code through setExit. */
export type CommandGroup = (program: Command, setExit: (code: number) => void) => void;

/**
 * Every other `*.ts` file in this folder is one command group exporting `register: CommandGroup`.
 * Discovered rather than listed so that adding a command is dropping a file.
 */
export async function loadCommandGroups(): Promise<CommandGroup[]> {
  const here = dirname(fileURLToPath(import.meta.url));
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.endsWith('.test.ts'))
    .sort();
  const groups: CommandGroup[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(here, f)).href)) as { register?: CommandGroup };
    if (typeof mod.register !== 'function') throw new Error(`bin/commands/${f} exports no register()`);
    groups.push(mod.register);
  }
  return groups;
}
