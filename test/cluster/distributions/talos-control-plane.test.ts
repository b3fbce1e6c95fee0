import { TALOS_CONTROL_PLANE } from '../../../lib/cluster/distributions/talos-control-plane';
import { context, controlPlaneInputs, LABELS, VERSIONS } from './support';

describe('TALOS_CONTROL_PLANE', () => {
  test('emits a TalosControlPlane with the machine template, replicas and the documents as strategic patches', () => {
    // GIVEN control-plane inputs WHEN rendered
    const { chart, ctx } = context();
    const cp = TALOS_CONTROL_PLANE.renderControlPlane(controlPlaneInputs(ctx));
    const o = cp.toJson();
    // THEN
    expect(cp.node.id).toBe('ControlPlane');
    expect(cp.node.scope).toBe(chart);
    expect([o.kind, o.metadata.name, o.metadata.namespace]).toEqual(['TalosControlPlane', 'prod-control-plane', 'prod']);
    expect(o.spec.version).toBe(VERSIONS.kubernetes);
    expect(o.spec.replicas).toBe(3);
    expect(o.spec.infrastructureTemplate).toEqual({ apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2', kind: 'AWSMachineTemplate', name: 'prod-control-plane-abc', namespace: 'prod' });
    expect(o.spec.controlPlaneConfig.controlplane).toEqual({ generateType: 'controlplane', talosVersion: VERSIONS.talos, strategicPatches: ['cluster:\n  allowSchedulingOnControlPlanes: true\n'] });
  });

  test('emits a TalosConfigTemplate per pool, named by the context, with the worker documents', () => {
    // GIVEN a pool WHEN its bootstrap is rendered
    const { ctx } = context();
    const t = TALOS_CONTROL_PLANE.renderWorkerBootstrap({ ctx, poolId: 'Pool-w', clusterName: 'prod', namespace: 'prod', labels: LABELS, pool: { name: 'w' }, talosDocuments: [{ machine: { nodeLabels: { a: 'b' } } }], versions: VERSIONS });
    const o = t.toJson();
    // THEN
    expect(t.node.id).toBe('Pool-w-BootstrapTemplate');
    expect([o.kind, o.metadata.name, o.metadata.labels]).toEqual(['TalosConfigTemplate', 'prod-w-talosconfigtemplate', LABELS]);
    expect(o.spec.template.spec).toEqual({ generateType: 'worker', talosVersion: VERSIONS.talos, strategicPatches: ['machine:\n  nodeLabels:\n    a: b\n'] });
  });

  test('worker Machines take the Kubernetes version', () => {
    expect(TALOS_CONTROL_PLANE.machineVersion(VERSIONS)).toBe(VERSIONS.kubernetes);
  });
});
