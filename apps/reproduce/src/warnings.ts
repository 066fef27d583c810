/**
 * Print a one-line warning on stderr, even with `--quiet`: something was found wrong and repaired (a corrupted
 * checkpoint recomputed, a corrupted model retrained), which a user must hear about.
 */
export function warn(message: string): void {
  process.stderr.write(`smoothhess-reproduce: warning: ${message.replace(/\s*\n\s*/g, " ")}\n`);
}
