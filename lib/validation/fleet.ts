import { validateObjects, ValidateObjectsOptions, ValidationReport } from './validate-objects';

/** A synthesized manifest: its path under dist/ (`<cluster>/...`) and the object. */
export interface FleetManifest {
  readonly file: string;
  readonly object: unknown;
}

/**
 * Validates a fleet's manifests one cluster at a time (the first folder of each file): a
 * HelmRelease's valuesFrom ConfigMap or chartRef source must be found in its own cluster, never in
 * another cluster that happens to have an object of the same namespace and name.
 */
export function validateFleetManifests(
  manifests: readonly FleetManifest[],
  options: ValidateObjectsOptions = {},
): ValidationReport & { readonly clusters: readonly string[] } {
  const byCluster = new Map<string, FleetManifest[]>();
  for (const m of manifests) {
    const cluster = m.file.split('/')[0];
    byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), m]);
  }
  const reports = [...byCluster.values()].map((ms) => validateObjects(ms.map((m) => ({ source: `dist/${m.file}`, object: m.object })), options));
  return {
    clusters: [...byCluster.keys()],
    issues: reports.flatMap((r) => r.issues),
    objectsValidated: reports.reduce((n, r) => n + r.objectsValidated, 0),
    helmReleasesValidated: reports.reduce((n, r) => n + r.helmReleasesValidated, 0),
    celRulesNotEvaluated: Math.max(0, ...reports.map((r) => r.celRulesNotEvaluated)),
  };
}
