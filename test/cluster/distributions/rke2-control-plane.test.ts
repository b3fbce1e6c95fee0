import { RKE2_CONTROL_PLANE, rke2WorkerBootstrap } from '../../../lib/cluster/distributions/rke2-control-plane';
import { context, controlPlaneInputs, LABELS, VERSIONS } from './support';

describe('RKE2_CONTROL_PLANE', () => {
  test('emits an RKE2ControlPlane with no CNI of its own, kube-proxy disabled, the RKE2 version', () => {
    // GIVEN inputs with kube-proxy replaced by Cilium WHEN rendered
    const { ctx } = context();
    const o = RKE2_CONTROL_PLANE.renderControlPlane(controlPlaneInputs(ctx)).toJson();
    // THEN
    expect([o.kind, o.metadata.name]).toEqual(['RKE2ControlPlane', 'prod-control-plane']);
    expect(o.spec.version).toBe(VERSIONS.rke2);
    expect(o.spec.machineTemplate.spec.infrastructureRef).toEqual({ apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'AWSMachineTemplate', name: 'prod-control-plane-abc' });
    expect(o.spec.serverConfig).toEqual({ cni: 'none', disableComponents: { kubernetesComponents: ['kubeProxy'] }, clusterDomain: 'cluster.local' });
  });

  test('keeps kube-proxy when the CNI settings say so', () => {
    // GIVEN kubeProxyDisabled false WHEN rendered THEN no disableComponents
    const { ctx } = context();
    const o = RKE2_CONTROL_PLANE.renderControlPlane(controlPlaneInputs(ctx, { kubeProxyDisabled: false })).toJson();
    expect(o.spec.serverConfig.disableComponents).toBeUndefined();
  });

  test('worker bootstrap: RKE2ConfigTemplate with the pool node labels as agent nodeLabels; Talos documents ignored', () => {
    // GIVEN a labelled pool WHEN rendered
    const { ctx } = context();
    const t = rke2WorkerBootstrap({ ctx, poolId: 'Pool-w', clusterName: 'prod', namespace: 'prod', labels: LABELS, pool: { name: 'w', nodeLabels: { tier: 'web' } }, talosDocuments: [{ x: 1 }], versions: VERSIONS });
    const o = t.toJson();
    // THEN
    expect(t.node.id).toBe('Pool-w-BootstrapTemplate');
    expect([o.kind, o.metadata.name]).toEqual(['RKE2ConfigTemplate', 'prod-w-rke2configtemplate']);
    expect(o.spec.template.spec).toEqual({ agentConfig: { nodeLabels: ['tier=web'] } });
    expect(RKE2_CONTROL_PLANE.renderWorkerBootstrap).toBe(rke2WorkerBootstrap);
  });

  test('worker Machines take the RKE2 release', () => {
    expect(RKE2_CONTROL_PLANE.machineVersion(VERSIONS)).toBe(VERSIONS.rke2);
  });
});
