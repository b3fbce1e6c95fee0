/**
 * Small hand-written dist/ trees for the CLI tests: one cluster `c` whose flux-system
 * Kustomization applies itself and an `apps` Kustomization; files are given as path → YAML.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export type Tree = Record<string, string>;

const ksz = (name: string, path: string, extra = 'wait: true'): string =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: ${name}, namespace: flux-system}\nspec: {interval: 10m, prune: true, path: ${path}, sourceRef: {kind: GitRepository, name: flux-system, namespace: flux-system}, ${extra}}\n`;

/** A clean tree: flux-system (GitRepository, two Kustomizations), apps (Namespace web, ConfigMap web/settings). */
export function cleanTree(): Tree {
  return {
    'c/README.md': '# c\n',
    'c/flux-system/gitrepository-flux-system.yaml':
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: flux-system, namespace: flux-system}\nspec: {interval: 1m, url: https://example.com/f.git, ref: {branch: main}}\n',
    'c/flux-system/kustomization-flux-system.yaml': ksz('flux-system', './dist/c/flux-system'),
    'c/flux-system/kustomization-apps.yaml': ksz('apps', './dist/c/apps'),
    'c/apps/namespace-web.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: web}\n',
    'c/apps/configmap-settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: web}\ndata: {a: b}\n',
  };
}

export { ksz };

/** Writes `tree` into a new temporary folder; returns the folder. */
export function writeTree(tree: Tree): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'cli-')), 'dist');
  for (const [file, text] of Object.entries(tree)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}
