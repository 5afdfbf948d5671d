/**
 * The one place a shell command line is built: the OpenSSH runner must hand sshd a single string,
 * which the remote login shell parses. Each argument is quoted POSIX single-quote style, so the
 * shell gives back exactly the bytes we had: inside '…' nothing is special but the closing quote,
 * and a quote itself is written '\'' (close, escaped quote, reopen).
 *
 * Requires a POSIX login shell on the host (sh, dash, bash, ksh, zsh); csh/tcsh and fish parse
 * quotes differently and are not supported.
 */

/** Characters that never need quoting in any POSIX shell (no globbing, expansion, or word starts like ~ and =). */
const PLAIN = /^[A-Za-z0-9_\/.,:@+-]+$/;

export function shellQuote(arg: string): string {
  if (arg.includes('\0')) throw new Error('a shell argument cannot contain a NUL byte');
  if (PLAIN.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** An argv as one command line whose shell word-splitting yields exactly argv. */
export function shellJoin(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('empty command');
  return argv.map(shellQuote).join(' ');
}
