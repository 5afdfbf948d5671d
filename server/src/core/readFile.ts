/**
 * Reads a file the user named (or a directory walk found) without trusting what it is: only a
 * regular file, opened with O_NONBLOCK so a FIFO cannot block the open, checked with fstat on the
 * open descriptor (no stat-then-open race), refused above a size limit before any byte is read,
 * and read with a bound even if the file grows meanwhile. /dev/zero, FIFOs, sockets and
 * directories are refused with a reason instead of hanging or eating memory.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

export type ReadOutcome =
  | { ok: true; bytes: Buffer; stat: Stats }
  | { ok: false; tooLarge?: number; reason: string };

/** What a file system error means, in the words `ls` and `cat` use. */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'ELOOP': return 'too many levels of symbolic links';
    case 'ENOTDIR': return 'a path component is not a directory';
    default: return (e as Error)?.message ?? String(e);
  }
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'is a directory';
  if (st.isFIFO()) return 'not a regular file (a FIFO)';
  if (st.isCharacterDevice()) return 'not a regular file (a character device)';
  if (st.isBlockDevice()) return 'not a regular file (a block device)';
  if (st.isSocket()) return 'not a regular file (a socket)';
  return 'not a regular file';
}

export function readRegularFile(path: string, maxBytes: number): ReadOutcome {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    return { ok: false, reason: describeFsError(e) };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, reason: kindOf(stat) };
    if (stat.size > maxBytes) return { ok: false, tooLarge: stat.size, reason: `too large (${stat.size} bytes; the limit is ${maxBytes})` };
    // Read until EOF but never past the limit: a file that grows after the fstat stays bounded.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(stat.size - total, 65536), maxBytes + 1 - total));
      const got = chunk.length ? readSync(fd, chunk, 0, chunk.length, null) : 0;
      if (got === 0) break;
      chunks.push(chunk.subarray(0, got));
      total += got;
      if (total > maxBytes) return { ok: false, tooLarge: total, reason: `too large (over ${maxBytes} bytes)` };
    }
    return { ok: true, bytes: Buffer.concat(chunks, total), stat };
  } catch (e) {
    return { ok: false, reason: describeFsError(e) };
  } finally {
    closeSync(fd);
  }
}

/** Non-fatal UTF-8 decoding: invalid bytes become U+FFFD, which the input checks report by position. */
export function decodeText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}
