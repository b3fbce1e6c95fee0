/**
 * The reference fleet's cloud controller managers (stacks/cloud.ts, decision 0070): built once,
 * checked against the rendered objects and the reconcile model.
 */
import { parse } from 'yaml';
import { reconcileFleet, ReconcileCode } from '../../lib/reconcile';
import { referenceFleet } from '../support/reference-fleet';

describe('reference fleet cloud controller managers', () => {
  // GIVEN the complete reference fleet (the shared read-only build: this test only reads it)
  const { fleet, manifests } = referenceFleet();
  const has = (file: string): boolean => manifests.some((m) => m.file === file);
  const obj = (file: string): any => manifests.find((m) => m.file === file)!.object;

  test('each AWS, Azure, GCP and Proxmox workload gets its CCM from mgmt; Metal3 none', () => {
    expect(has('mgmt/releases/prod-aws-bootstrap/helmrelease-aws-cloud-controller-manager.yaml')).toBe(true);
    expect(has('mgmt/releases/prod-azure-bootstrap/helmrelease-cloud-provider-azure.yaml')).toBe(true);
    expect(has('mgmt/releases/dev-gcp-bootstrap/kustomization-gcp-cloud-controller-manager.yaml')).toBe(true);
    expect(has('mgmt/releases/dev-proxmox-bootstrap/helmrelease-proxmox-cloud-controller-manager.yaml')).toBe(true);
    expect(manifests.filter((m) => m.file.startsWith('mgmt/releases/edge-metal3-bootstrap/') && /cloud|ccm/.test(m.file))).toEqual([]);
    // AND no workload installs a CCM through its own Flux
    expect(manifests.filter((m) => !m.file.startsWith('mgmt/') && m.object.kind === 'HelmRelease' && /cloud-controller|cloud-provider/.test(String((m.object as any).metadata.name)))).toEqual([]);
  });

  test('Cilium serves the kube-proxy health port the cloud load balancers probe, on the cloud clusters only', () => {
    const healthz = (c: string): unknown => parse(obj(`mgmt/releases/${c}-bootstrap/configmap-cilium-values.yaml`).data['values.yaml']).kubeProxyReplacementHealthzBindAddr;
    for (const c of ['prod-aws', 'prod-azure', 'dev-gcp']) expect({ c, bind: healthz(c) }).toEqual({ c, bind: '0.0.0.0:10256' });
    for (const c of ['dev-proxmox', 'edge-metal3']) expect({ c, bind: healthz(c) }).toEqual({ c, bind: undefined });
  });

  test('the Talos config of the CCM clusters has the external cloud provider, Metal3 not', () => {
    const cpPatches = (c: string): string[] => obj(`mgmt/releases/cluster-${c}/taloscontrolplane-${c}-control-plane.yaml`).spec.controlPlaneConfig.controlplane.strategicPatches;
    for (const c of ['prod-aws', 'prod-azure', 'dev-gcp', 'dev-proxmox']) {
      expect({ c, on: cpPatches(c).some((p) => parse(p)?.cluster?.externalCloudProvider?.enabled === true) }).toEqual({ c, on: true });
    }
    expect(cpPatches('edge-metal3').some((p) => parse(p)?.cluster?.externalCloudProvider !== undefined)).toBe(false);
  });

  test('reconciles cleanly, and fails when the Azure cloud config is not delivered to the workload', () => {
    // THEN the reconcile check passes
    expect(() => fleet.checkReconcile(manifests)).not.toThrow();
    // WHEN prod-azure no longer declares the Secret its ClusterResourceSet copies
    const inputs = fleet.clusters.map((c) => ({
      name: c.name,
      manifests: manifests.filter((m) => m.file.startsWith(`${c.name}/`)),
      externalInputs: c.name === 'prod-azure' ? c.externalInputs.filter((i) => i.name !== 'azure-cloud-provider') : c.externalInputs,
      secretUses: c.secretUses,
    }));
    const report = reconcileFleet(inputs);
    // THEN the remote CCM release's Secret is unresolved on prod-azure
    const v = report.violations.find((x) => x.code === ReconcileCode.UNRESOLVED_REFERENCE && x.message.includes('azure-cloud-provider'));
    expect(v?.message).toMatch(/helmrelease-cloud-provider-azure\.yaml/);
  });
});
