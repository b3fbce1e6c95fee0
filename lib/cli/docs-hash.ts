/**
 * Staleness of the generated docs (docs/api, docs/graphs; decision 0113) without regenerating
 * them: `npm run docs` records in docs/api/.inputs.json a sha256 of everything the output is a
 * deterministic function of (the library's sources and build config, the lock file that pins the
 * generators and the types they read, the generator script, dist/ for the graphs) and of the
 * output itself. The test recomputes both (a few hundred file reads, milliseconds). A changed
 * input with an unchanged API also reads as stale: conservative, it can ask for a needless
 * `npm run docs`, never miss a stale page.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** The record `npm run docs` writes. */
export const DOCS_RECORD = 'docs/api/.inputs.json';
/** Inputs of the generated docs, relative to the repository root (folders are read recursively). */
export const DOCS_INPUTS = ['lib', 'imports', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json', 'scripts/docs.ts', 'dist'];
/** Generated outputs (the record itself excluded). */
export const DOCS_OUTPUTS = ['docs/api', 'docs/graphs'];

function files(root: string, path: string): string[] {
  const abs = join(root, path);
  if (!existsSync(abs)) return [];
  if (!statSync(abs).isDirectory()) return [path];
  return readdirSync(abs)
    .sort()
    .flatMap((n) => files(root, join(path, n)));
}

/** sha256 over the sorted relative paths and contents of `paths` under `root`. */
export function treeHash(root: string, paths: readonly string[], exclude: readonly string[] = []): string {
  const h = createHash('sha256');
  for (const f of paths.flatMap((p) => files(root, p)).map((f) => relative(root, join(root, f)).split(sep).join('/')).filter((f) => !exclude.includes(f)).sort()) {
    h.update(`${f}\0`);
    h.update(readFileSync(join(root, f)));
    h.update('\0');
  }
  return h.digest('hex');
}

export interface DocsRecord {
  readonly inputs: string;
  readonly outputs: string;
}

/** The record for the current tree. */
export function docsRecord(root: string): DocsRecord {
  return { inputs: treeHash(root, DOCS_INPUTS), outputs: treeHash(root, DOCS_OUTPUTS, [DOCS_RECORD]) };
}
