// Reading a capture directory safely (issues 15, 16): only regular files, at most a size limit each, never through
// a symbolic link that leaves the directory, never blocking (FIFOs, /dev/zero, /dev/urandom are refused before a
// read). Errors are ImportErrors naming the file; they never quote the file's content.
import { closeSync, constants, fstatSync, lstatSync, opendirSync, openSync, readSync, realpathSync, type Stats } from 'node:fs';
import { join, sep } from 'node:path';
import { ImportError } from './parse.js';

const MiB = 2 ** 20;
const sizeText = (n: number) => (n >= MiB ? `${n / MiB} MiB` : `${n} bytes`);

function kind(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a directory';
  return 'not a regular file';
}

export class CaptureDir {
  /** the directory with every symbolic link resolved: files must resolve inside it */
  private readonly real: string;
  /**
   * @param root the capture directory (`/` for --live)
   * @param contained files must resolve inside root (false for --live: /sys is a forest of symbolic links)
   */
  constructor(readonly root: string, private readonly contained: boolean) {
    let st: Stats;
    try { st = lstatSync(root); } catch { throw new ImportError(root, 1, 'no such directory'); }
    try { this.real = realpathSync(root); } catch (e) { throw new ImportError(root, 1, `cannot read: ${(e as NodeJS.ErrnoException).code ?? 'error'}`); }
    if (!st.isDirectory() && !lstatSync(this.real).isDirectory()) throw new ImportError(root, 1, 'not a directory');
  }

  path(rel: string): string { return join(this.root, rel); }

  /** the resolved path of root/rel, null when it does not exist; an error when it resolves outside the capture */
  private resolve(rel: string): string | null {
    const p = this.path(rel);
    try { lstatSync(p); } catch { return null; }
    let r: string;
    try { r = realpathSync(p); } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new ImportError(p, 1, 'a symbolic link to nothing (dangling)');
      throw new ImportError(p, 1, `cannot read: ${code ?? 'error'}`);
    }
    if (this.contained && r !== this.real && !r.startsWith(this.real === sep ? sep : this.real + sep)) {
      throw new ImportError(p, 1, `a symbolic link out of ${this.root}: only files inside the capture directory are read`);
    }
    return r;
  }

  /** the text of root/rel: null when absent (an error when `required`), at most `maxBytes` */
  file(rel: string, maxBytes: number, required = false): string | null {
    const p = this.path(rel);
    const r = this.resolve(rel);
    if (r === null) {
      if (required) throw new ImportError(p, 1, 'cannot read: no such file');
      return null;
    }
    let fd: number;
    try {
      // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below, after fstat)
      fd = openSync(r, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    } catch (e) {
      throw new ImportError(p, 1, `cannot read: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw new ImportError(p, 1, `not a regular file (${kind(st)}): only regular files are read`);
      if (st.size > maxBytes) throw new ImportError(p, 1, `exceeds ${sizeText(maxBytes)} (the import's limit for this file)`);
      // /proc files say size 0: read in chunks, stop past the limit
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const b = Buffer.allocUnsafe(Math.min(1 * MiB, maxBytes + 1 - total));
        const n = readSync(fd, b, 0, b.length, null);
        if (n === 0) break;
        chunks.push(b.subarray(0, n));
        total += n;
        if (total > maxBytes) throw new ImportError(p, 1, `exceeds ${sizeText(maxBytes)} (the import's limit for this file)`);
      }
      return Buffer.concat(chunks, total).toString('utf8');
    } catch (e) {
      if (e instanceof ImportError) throw e;
      throw new ImportError(p, 1, `cannot read: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Reads bytes [from, to) of root/rel in chunks of at most `chunk` bytes, in order, handing each to `on` (for
   * /proc/kpageflags: 8 bytes per pfn, far too big to hold). Same checks as file(): a regular file inside the
   * capture, opened without blocking. Stops early at the end of the file. Returns the bytes read; null when absent.
   */
  chunks(rel: string, from: number, to: number, chunk: number, on: (buf: Uint8Array, offset: number) => void): number | null {
    const p = this.path(rel);
    const r = this.resolve(rel);
    if (r === null) return null;
    let fd: number;
    try { fd = openSync(r, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW); } catch (e) {
      throw new ImportError(p, 1, `cannot read: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw new ImportError(p, 1, `not a regular file (${kind(st)}): only regular files are read`);
      const b = Buffer.allocUnsafe(chunk);
      let off = from;
      while (off < to) {
        const n = readSync(fd, b, 0, Math.min(chunk, to - off), off);
        if (n === 0) break;
        on(b.subarray(0, n), off);
        off += n;
      }
      return off - from;
    } catch (e) {
      if (e instanceof ImportError) throw e;
      throw new ImportError(p, 1, `cannot read: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    } finally {
      closeSync(fd);
    }
  }

  /** whether root/rel is a directory inside the capture (null when absent) */
  isDir(rel: string): boolean | null {
    const r = this.resolve(rel);
    return r === null ? null : lstatSync(r).isDirectory();
  }

  /** the names in directory root/rel, at most `max` (more is an error); [] when absent */
  names(rel: string, max: number): string[] {
    const p = this.path(rel);
    const r = this.resolve(rel);
    if (r === null) return [];
    if (!lstatSync(r).isDirectory()) throw new ImportError(p, 1, 'not a directory');
    const d = opendirSync(r);
    const out: string[] = [];
    try {
      for (let e = d.readSync(); e; e = d.readSync()) {
        if (out.length >= max) throw new ImportError(p, 1, `more than ${max} entries: too many to import`);
        out.push(e.name);
      }
    } finally {
      d.closeSync();
    }
    return out;
  }
}
