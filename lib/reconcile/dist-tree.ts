import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isJsonObject, parseYamlDocuments } from '../validation/types';
import { externalInputsFromReadme } from './cluster-readme';
import { ReconcileClusterInput, ReconcileManifest } from './types';

/**
 * Reads a dist/ tree as the reconcile model's input: one cluster per top-level folder, every
 * `*.yaml`/`*.yml` document below it (what Flux would apply), and the external inputs its
 * generated `README.md` carries. For `infraflux validate dist` and for checking a committed tree.
 */
export function readDistTree(dir: string): ReconcileClusterInput[] {
  const walk = (d: string): string[] =>
    readdirSync(d)
      .sort()
      .flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory() && !name.startsWith('.'))
    .sort()
    .map((name) => {
      const manifests: ReconcileManifest[] = [];
      for (const file of walk(join(dir, name)).filter((f) => /\.ya?ml$/.test(f))) {
        const rel = relative(dir, file).split('\\').join('/');
        for (const doc of parseYamlDocuments(readFileSync(file, 'utf8'), rel)) {
          if (isJsonObject(doc)) manifests.push({ file: rel, object: doc });
        }
      }
      const readme = join(dir, name, 'README.md');
      return { name, manifests, externalInputs: existsSync(readme) ? externalInputsFromReadme(readFileSync(readme, 'utf8')) : [] };
    });
}
