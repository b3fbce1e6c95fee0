/** @internal File helpers shared by the import scripts and their tests. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every file below `dir` (recursively), as paths joined onto `dir`, in a deterministic order
 * (names sorted at each level). A missing folder has no files.
 */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listFiles(path) : [path];
    });
}
