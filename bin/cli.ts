import { Command, CommanderError } from 'commander';
import { EXIT, InputError } from './exit-codes.ts';
import { loadCommandGroups, type CommandGroup } from './commands/index.ts';

/** Builds the commander program; each command group lives in its own file under bin/commands/. */
export function buildProgram(groups: CommandGroup[], setExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name('gmeval')
    .description('商用密码合规测评工具 — compliance-as-code for China\'s commercial cryptography')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of groups) register(program, setExit);
  return program;
}

/** Runs the CLI and returns the process exit code (DESIGN.md §4). */
export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.OK;
  const program = buildProgram(await loadCommandGroups(), (c) => { code = c; });
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.OK;
      return EXIT.INPUT;
    }
    if (err instanceof InputError) {
      process.stderr.write(`gmeval: ${err.message}\n`);
      for (const d of err.details) process.stderr.write(`  ${d}\n`);
      return EXIT.INPUT;
    }
    process.stderr.write(`gmeval: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return EXIT.INTERNAL;
  }
}
