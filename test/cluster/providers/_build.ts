import { TalosCluster, TalosClusterProps } from '../../../lib/cluster';
import { testCluster } from '../../support/fleet';

/** Builds one workload cluster on a tiny management cluster `mgmt`; returns its manifests. */
export function build(props: TalosClusterProps) {
  const { fleet, cluster } = testCluster('mgmt');
  const tc = new TalosCluster(cluster.apps, 'Workload', props);
  return { fleet, tc, manifests: fleet.manifests() };
}

type Manifests = ReadonlyArray<{ readonly file: string; readonly object: Record<string, any> }>;

/** The objects of `kind`. */
export const byKind = (manifests: Manifests, kind: string): Record<string, any>[] => manifests.filter((m) => m.object.kind === kind).map((m) => m.object);

/** file → object of the objects a provider strategy emits (infrastructure, IPAM and Metal3 groups), for snapshots. */
export function providerObjects(manifests: Manifests): Record<string, unknown> {
  const ours = (apiVersion: string) => /^(infrastructure|ipam)\.cluster\.x-k8s\.io\/|^metal3\.io\//.test(apiVersion);
  return Object.fromEntries(manifests.filter((m) => ours(String(m.object.apiVersion))).map((m) => [m.file, m.object]));
}
