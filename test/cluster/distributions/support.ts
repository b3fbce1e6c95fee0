import { Chart, Testing } from 'cdk8s';
import { ProviderContext } from '../../../lib/cluster/providers/_strategy';
import { DEFAULT_TALOS_CNI_SETTINGS } from '../../../lib/talos/cilium-machine-config';
import { VersionSet } from '../../../lib/versions/version-set';

/** A chart and the part of a ProviderContext the distribution strategies read (scope, templateName). */
export function context(): { chart: Chart; ctx: ProviderContext } {
  const chart = new Chart(Testing.app(), 'cluster');
  const ctx = { scope: chart, templateName: (kind: string, base: string) => `${base}-${kind.toLowerCase()}` } as unknown as ProviderContext;
  return { chart, ctx };
}

export const MACHINE_TEMPLATE = { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2', apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'AWSMachineTemplate', name: 'prod-control-plane-abc' };
export const LABELS = { 'cluster.x-k8s.io/cluster-name': 'prod' };
export const VERSIONS = VersionSet.pinned();

export function controlPlaneInputs(ctx: ProviderContext, over: { kubeProxyDisabled?: boolean } = {}) {
  return {
    ctx,
    clusterName: 'prod',
    namespace: 'prod',
    labels: LABELS,
    replicas: 3,
    machineTemplate: MACHINE_TEMPLATE,
    talosDocuments: [{ cluster: { allowSchedulingOnControlPlanes: true } }],
    versions: VERSIONS,
    cni: { ...DEFAULT_TALOS_CNI_SETTINGS, ...over },
    serviceDomain: 'cluster.local',
  };
}
