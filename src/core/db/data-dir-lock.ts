// One owner per embedded data dir. PGlite is a single-process database: a second process on the
// same files answers too, and one of the two silently loses its writes. `DATA_DIR/.lock` holds the
// owner's pid (and, on Linux, its start time, so a recycled pid is not mistaken for the owner);
// it is created with O_EXCL, so of two starters only one wins. A lock left by a killed process is
// taken over: it is moved aside atomically (rename), checked again, and removed.
import { linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync, closeSync, existsSync } from 'node:fs';
import path from 'node:path';

export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: number,
  ) {
    super(`DATA_DIR ${dir} is in use by process ${holder}: one process owns an embedded database (stop it, or give this one another DATA_DIR)`);
    this.name = 'DataDirLockedError';
  }
}

interface Holder {
  pid: number;
  started?: string;
}

/** the process's start time in clock ticks since boot (Linux), to tell a recycled pid apart */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces: fields are counted after its closing parenthesis
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function alive(h: Holder): boolean {
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (!h.started) return true;
  const now = startTimeOf(h.pid);
  return now === undefined || now === h.started;
}

function readHolder(file: string): Holder | undefined {
  try {
    const [pid, started] = readFileSync(file, 'utf8').trim().split(/\s+/);
    const n = Number(pid);
    return Number.isInteger(n) && n > 0 ? { pid: n, started: started || undefined } : { pid: 0 };
  } catch {
    return undefined; // gone meanwhile
  }
}

/**
 * Takes `dir`'s lock for this process (throws DataDirLockedError when a live process has it);
 * resolves to the function that gives it back (also run at exit).
 */
export function lockDataDir(dir: string): () => void {
  const file = path.join(dir, '.lock');
  const mine = `${process.pid} ${startTimeOf(process.pid) ?? ''}\n`;
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, mine);
      } finally {
        closeSync(fd);
      }
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          if (readFileSync(file, 'utf8') === mine) unlinkSync(file);
        } catch {
          // already gone
        }
      };
      process.on('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readHolder(file);
    if (!holder) continue;
    if (holder.pid === process.pid) throw new DataDirLockedError(dir, holder.pid);
    // an empty or half-written file: its writer may be between open and write
    if (holder.pid === 0 && attempt < 5) continue;
    if (holder.pid !== 0 && alive(holder)) throw new DataDirLockedError(dir, holder.pid);
    // stale: move it aside (atomic, so two takers cannot both remove it), then look at what was moved
    const aside = `${file}.stale-${process.pid}`;
    try {
      renameSync(file, aside);
    } catch {
      continue; // another taker moved it first
    }
    const moved = readHolder(aside);
    if (moved && moved.pid !== 0 && alive(moved)) {
      // a live owner's fresh lock was moved by mistake (it was taken between our read and rename)
      try {
        linkSync(aside, file);
      } catch {
        // someone else holds it now; either way this process is not the owner
      }
      unlinkSync(aside);
      throw new DataDirLockedError(dir, moved.pid);
    }
    if (existsSync(aside)) unlinkSync(aside);
  }
  throw new Error(`DATA_DIR ${dir}: could not take ${file}`);
}
