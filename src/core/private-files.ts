// DATA_DIR holds password hashes, uploads and the JWT secret: private to the server's user.
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Creates dir (0700) and drops group/other bits from everything under it: dirs 0700, files 0600.
 * A dir that is 0700 already was made private before (what is created inside it since is private
 * through the umask), so a large upload tree is not walked at every start.
 */
export function makePrivate(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((lstatSync(dir).mode & 0o777) === 0o700) return;
  const fix = (p: string) => {
    const st = lstatSync(p);
    if (st.isSymbolicLink()) return;
    if (st.isDirectory()) {
      if ((st.mode & 0o777) !== 0o700) chmodSync(p, 0o700);
      for (const name of readdirSync(p)) fix(path.join(p, name));
    } else if (st.mode & 0o077) {
      chmodSync(p, st.mode & 0o700);
    }
  };
  fix(dir);
}
