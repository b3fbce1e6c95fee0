import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { UpstreamCache } from '../upstream/lock';
import { validateFleetManifests, type FleetManifest } from './fleet';
import type { SchemaRegistry } from './schema-registry';
import { isJsonObject, parseYamlDocuments, stringField } from './types';
import { ValidationRule, type ValidationReport } from './validate-objects';

export interface ValidateDirectoryOptions {
  readonly registry?: SchemaRegistry;
  readonly cache?: UpstreamCache;
  /**
   * Validate each top-level folder as its own object set (one folder per cluster, as InfraFlux
   * writes dist/): a HelmRelease's valuesFrom and chart source are then looked up in its own
   * folder only. When false, the whole tree is one set.
   * @default true
   */
  readonly folderPerCluster?: boolean;
}

export interface DirectoryReport extends ValidationReport {
  /** Manifest files read (`*.yaml`, `*.yml`, `*.json`), relative to the directory. */
  readonly files: readonly string[];
  /** Documents not validated, with why (kustomize's own `kustomization.yaml` is not a Kubernetes object). */
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
}

const MANIFEST_FILE = /\.(ya?ml|json)$/;

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (MANIFEST_FILE.test(name)) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out;
}

/**
 * Validates every Kubernetes object in the YAML/JSON files under `dir` (any tree, e.g. a dist/
 * written by InfraFlux or by hand): each object against its pinned schema with unknown fields
 * rejected, each Flux HelmRelease's merged values against its pinned chart. Files that do not
 * parse are issues; kustomize `Kustomization` config files (`kustomize.config.k8s.io`) are skipped.
 */
export function validateDirectory(dir: string, options: ValidateDirectoryOptions = {}): DirectoryReport {
  const files = listFiles(dir);
  const manifests: FleetManifest[] = [];
  const skipped: { file: string; reason: string }[] = [];
  const parseIssues: DirectoryReport['issues'] = [];
  const perCluster = options.folderPerCluster ?? true;
  for (const file of files) {
    const path = perCluster ? file : `all/${file}`;
    let docs: unknown[];
    try {
      const text = readFileSync(join(dir, file), 'utf8');
      docs = file.endsWith('.json') ? [JSON.parse(text) as unknown] : parseYamlDocuments(text, file);
    } catch (error) {
      parseIssues.push({ object: file, path: '', message: `cannot parse: ${(error as Error).message}`, source: file, rule: ValidationRule.SCHEMA });
      continue;
    }
    docs.forEach((doc, i) => {
      if ((stringField(doc, 'apiVersion') ?? '').startsWith('kustomize.config.k8s.io/')) {
        skipped.push({ file, reason: 'kustomize configuration, not a Kubernetes object' });
        return;
      }
      if (isJsonObject(doc) && stringField(doc, 'kind') === 'List' && Array.isArray(doc.items)) {
        doc.items.forEach((item, j) => manifests.push({ file: docs.length > 1 ? `${path}#${i}.${j}` : `${path}#${j}`, object: item }));
        return;
      }
      manifests.push({ file: docs.length > 1 ? `${path}#${i}` : path, object: doc });
    });
  }
  const report = validateFleetManifests(manifests, {
    ...(options.registry ? { registry: options.registry } : {}),
    ...(options.cache ? { cache: options.cache } : {}),
  });
  const strip = (source: string): string => {
    const inner = source.replace(/^dist\//, '');
    return perCluster ? inner : inner.replace(/^all\//, '');
  };
  return {
    ...report,
    issues: [...parseIssues, ...report.issues.map((i) => ({ ...i, source: strip(i.source), object: i.object.replace(/\(dist\/([^)]*)\)$/, (_m, s: string) => `(${strip(`dist/${s}`)})`) }))],
    files,
    skipped,
  };
}
