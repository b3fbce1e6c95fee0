import { Construct } from 'constructs';
import { Capability, capabilityOwners, claimCapability, FluxApp } from '../../lib';
import { manifest, testCluster } from '../support/fleet';

describe('claimCapability', () => {
  test('one owner per capability is fine, and is listed', () => {
    const { fleet, cluster } = testCluster();
    const a = new Construct(cluster, 'A');
    claimCapability(cluster, Capability.LOAD_BALANCER_IPS, a);
    claimCapability(cluster, Capability.LOAD_BALANCER_IPS, a);
    expect(capabilityOwners(cluster, Capability.LOAD_BALANCER_IPS)).toEqual([a]);
    expect(() => fleet.manifests()).not.toThrow();
  });

  test('fails when two constructs claim the same capability of a cluster', () => {
    const { fleet, cluster } = testCluster();
    claimCapability(cluster, Capability.LOAD_BALANCER_IPS, new Construct(cluster, 'Cilium'));
    claimCapability(cluster, Capability.LOAD_BALANCER_IPS, new Construct(cluster, 'MetalLB'));
    expect(() => fleet.manifests()).toThrow(/\[test\/MetalLB\] claims "load-balancer-ips", which test\/Cilium already provides in test; switch one of them off/);
  });
});

describe('FluxApp createNamespace', () => {
  test('does not emit a Namespace for a pre-existing namespace such as kube-system', () => {
    // (chart x is not pinned: registered so synth-time validation knows its values)
    const { fleet, cluster } = testCluster('test', { charts: [{ name: 'x', version: '1.0.0', repository: 'https://charts.example.com', values: '' }] });
    const app = new FluxApp(cluster.controllers, 'cni', { chart: { name: 'x', version: '1.0.0', repository: 'https://charts.example.com' }, namespace: 'kube-system', createNamespace: false });
    expect(app.namespaceObject).toBeUndefined();
    expect(fleet.manifests().filter((m) => m.object.kind === 'Namespace')).toEqual([]);
    // the release lives in flux-system (decision 0094) and installs into kube-system
    expect(manifest(fleet, 'test/releases/cni/helmrelease-cni.yaml').metadata.namespace).toBe('flux-system');
    expect(manifest(fleet, 'test/releases/cni/helmrelease-cni.yaml').spec.targetNamespace).toBe('kube-system');
  });
});
