import { Fleet, FleetValidationProps, GitOpsCluster, SynthesizedManifest } from '../../lib';

/** A fleet with one cluster `test`, for construct tests; `validation` registers test charts/CRDs. */
export function testCluster(name = 'test', validation?: FleetValidationProps): { fleet: Fleet; cluster: GitOpsCluster } {
  const fleet = new Fleet({ source: { url: 'https://example.com/org/repo.git' }, ...(validation ? { validation } : {}) });
  const cluster = fleet.addCluster(name, { name });
  return { fleet, cluster };
}

/** The synthesized object written to `file` (relative to dist/). */
export function manifest(fleet: Fleet, file: string): Record<string, any> {
  const found = fleet.manifests().find((m) => m.file === file);
  if (!found) throw new Error(`no manifest ${file}; have:\n${fleet.manifests().map((m) => m.file).join('\n')}`);
  return found.object;
}

/** file → object, for snapshots. */
export function manifestsByFile(fleet: Fleet): Record<string, Record<string, unknown>> {
  return Object.fromEntries(fleet.manifests().map((m: SynthesizedManifest) => [m.file, m.object]));
}
