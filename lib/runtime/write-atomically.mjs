import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Writes `file` whole or not at all: a reader (a static host serving the status export) never sees it half
 * written. The temporary file's name is this write's own: instances sharing the folder often have the same
 * process id (each container's server is its PID 1), and a name made of it alone had two writers filling
 * and renaming one file (review r49b F2).
 * @param {string} file @param {string | Buffer} content
 */
export function writeAtomically(file, content) {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, file);
  } finally {
    rmSync(temporary, { force: true });
  }
}
