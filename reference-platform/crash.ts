/**
 * Crash points for the crash-safety test: with CSP_CONFORMANCE_MODE=1 and GMEVAL_CRASH_AT=<name>, the
 * process kills itself (SIGKILL, no clean-up) at that point inside an operation's transaction.
 */
export function crashPoint(name: string): void {
  if (process.env.CSP_CONFORMANCE_MODE === '1' && process.env.GMEVAL_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}
