import { parse } from 'yaml';
import { Fleet, GitOpsCluster } from '../../lib';
import { ICloudControllerManager } from '../../lib/cloud';
import { WorkloadClusterBootstrap } from '../../lib/management';

/** A management cluster and one workload cluster (cheap: no TalosCluster). */
export function setup(workloadName = 'prod-aws'): { fleet: Fleet; mgmt: GitOpsCluster; workload: GitOpsCluster } {
  const fleet = new Fleet({ source: { url: 'ssh://git@example.com/fleet.git', secretName: 'flux-system' } });
  return { fleet, mgmt: fleet.addCluster('mgmt', { name: 'mgmt', fluxLockdown: false /* bootstraps read flux-system sources (decision 0094) */ }), workload: fleet.addCluster(workloadName, { name: workloadName }) };
}

/** Bootstraps `workload` from `mgmt` with `ccm`. */
export function bootstrap(mgmt: GitOpsCluster, workload: GitOpsCluster, ccm: ICloudControllerManager): WorkloadClusterBootstrap {
  return new WorkloadClusterBootstrap(mgmt.apps, `Bootstrap-${workload.name}`, { workload, cloudControllerManager: ccm });
}

/** The object of dist file `path`. */
export function file(fleet: Fleet, path: string): any {
  const m = fleet.manifests().find((x) => x.file === path);
  if (!m) throw new Error(`no ${path} in ${fleet.manifests().map((x) => x.file).join(', ')}`);
  return m.object;
}

/** The parsed values of the remote values ConfigMap `<release>-values` of the bootstrap of `cluster`. */
export function remoteValues(fleet: Fleet, cluster: string, release: string): any {
  return parse(file(fleet, `mgmt/releases/${cluster}-bootstrap/configmap-${release}-values.yaml`).data['values.yaml']);
}

/** The manifests of the bootstrap folders, for snapshots. */
export function bootstrapFiles(fleet: Fleet, cluster: string): Array<{ file: string; object: unknown }> {
  return fleet
    .manifests()
    .filter((m) => m.file.startsWith(`mgmt/releases/${cluster}-bootstrap/`) || m.file.startsWith(`${cluster}/cloud-controller-manager/`))
    .map((m) => ({ file: m.file, object: m.object }));
}
