import { CILIUM_CHART } from '../../imports/helm/charts';
import { CiliumValues } from '../../imports/helm/cilium';
import { Fleet, GitOpsCluster } from '../../lib';
import { FluxApp } from '../../lib/flux/flux-app';
import { WORKLOAD_CLUSTER_LABEL, WorkloadClusterBootstrap, WorkloadCni } from '../../lib/management';
import { validateFleetManifests } from '../../lib/validation';
import { VersionSet } from '../../lib/versions';
import { AwsCloudControllerManager, GcpCloudControllerManager } from '../../lib/cloud';
import { Cidr, ClusterProvider, InfrastructureInputs, TalosCluster, TalosClusterClass, TalosClusterProps } from '../../lib/cluster';
import { ErrorCode } from '../../lib/core/errors';
import { SecretReference } from '../../lib/secrets/secret-reference';
import { thrownBy } from '../support/errors';
import { seal, SealedSecretGroup, SealedSecretsController, SealingCertificate } from '../../lib/secrets';
import { TEST_CERT_PEM } from '../secrets/_keys';

function setup(): { fleet: Fleet; mgmt: GitOpsCluster; prod: GitOpsCluster } {
  const fleet = new Fleet({ source: { url: 'ssh://git@example.com/fleet.git', secretName: 'flux-system' } });
  return { fleet, mgmt: fleet.addCluster('mgmt', { name: 'mgmt', fluxLockdown: false /* bootstraps read flux-system sources (decision 0094) */ }), prod: fleet.addCluster('prod-aws', { name: 'prod-aws' }) };
}

function file(fleet: Fleet, path: string): any {
  const m = fleet.manifests().find((x) => x.file === path);
  if (!m) throw new Error(`no ${path} in ${fleet.manifests().map((x) => x.file).join(', ')}`);
  return m.object;
}

describe('WorkloadClusterBootstrap', () => {
  test('snapshot', () => {
    const { fleet, mgmt, prod } = setup();
    new WorkloadClusterBootstrap(mgmt.apps, 'Bootstrap-prod-aws', { workload: prod });
    const out = fleet.manifests().filter((m) => m.file.includes('bootstrap')).map((m) => ({ file: m.file, object: m.object }));
    expect(out).toMatchSnapshot();
  });

  test('every object validates against its pinned schema', () => {
    const { fleet, mgmt, prod } = setup();
    new WorkloadClusterBootstrap(mgmt.apps, 'Bootstrap-prod-aws', { workload: prod });
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });

  test('installs Cilium into the workload cluster through the CAPI kubeconfig secret, never uninstalling it', () => {
    // GIVEN a management cluster and a workload cluster
    const { fleet, mgmt, prod } = setup();
    // WHEN the workload cluster is bootstrapped
    new WorkloadClusterBootstrap(mgmt.apps, 'Bootstrap-prod-aws', { workload: prod });
    // THEN the Cilium HelmRelease targets the workload through prod-aws-kubeconfig (key value)
    const hr = file(fleet, 'mgmt/releases/prod-aws-bootstrap/helmrelease-cilium.yaml');
    expect(hr.metadata.namespace).toBe('prod-aws');
    expect(hr.spec.kubeConfig).toEqual({ secretRef: { name: 'prod-aws-kubeconfig', key: 'value' } });
    expect(hr.spec.targetNamespace).toBe('kube-system');
    // AND no remediation path uninstalls it: install retried in place, upgrade rolled back, never pruned
    expect(hr.spec.install.strategy.name).toBe('RetryOnFailure');
    expect(hr.spec.install.remediation).toBeUndefined();
    expect(hr.spec.upgrade.remediation.strategy).toBe('rollback');
    expect(hr.metadata.annotations['kustomize.toolkit.fluxcd.io/prune']).toBe('disabled');
    // AND the values are the Talos ones (KubePrism, kube-proxy replacement)
    const values = file(fleet, 'mgmt/releases/prod-aws-bootstrap/configmap-cilium-values.yaml').data['values.yaml'];
    expect(values).toContain('k8sServiceHost: localhost');
    expect(values).toContain('k8sServicePort: 7445');
    expect(values).toContain('kubeProxyReplacement: true');
    expect(values).toContain('name: prod-aws');
  });

  test('a mesh member gets the shared ClusterMesh CA with its Cilium install (tls.ca.* from a Secret on mgmt)', () => {
    // GIVEN the CA sealed on mgmt into the bootstrap namespace
    const { fleet, mgmt, prod } = setup();
    new SealedSecretsController(mgmt.controllers, 'SealedSecrets');
    const group = new SealedSecretGroup(mgmt.apps, 'WorkloadSecrets', { name: 'workload-secrets' });
    const sealed = group.addSealedSecret('MeshCa', {
      encryptedData: seal({ certificate: SealingCertificate.fromPem(TEST_CERT_PEM), name: 'prod-aws-cilium-mesh-ca', namespace: 'prod-aws', data: { 'ca.crt': 'Y2VydA==', 'ca.key': 'a2V5' } }),
    });
    const meshCa = sealed.secretRef;
    // WHEN the workload is bootstrapped with it
    const b = new WorkloadClusterBootstrap(mgmt.apps, 'Bootstrap-prod-aws', { workload: prod, meshCa });
    sealed.neededBy(b);
    // THEN the remote release reads both keys into tls.ca.cert/key, after its values ConfigMap
    const hr = file(fleet, 'mgmt/releases/prod-aws-bootstrap/helmrelease-cilium.yaml');
    expect(hr.spec.valuesFrom).toEqual([
      { kind: 'ConfigMap', name: 'cilium-values', valuesKey: 'values.yaml' },
      { kind: 'Secret', name: 'prod-aws-cilium-mesh-ca', valuesKey: 'ca.crt', targetPath: 'tls.ca.cert' },
      { kind: 'Secret', name: 'prod-aws-cilium-mesh-ca', valuesKey: 'ca.key', targetPath: 'tls.ca.key' },
    ]);
    expect(b.meshCa).toBe(meshCa);
    expect(mgmt.secretUses.map((u) => `${u.provenance} ${u.namespace}/${u.name}`)).toContain('sealed prod-aws/prod-aws-cilium-mesh-ca');
  });

  test('fails on a ClusterMesh CA Secret outside the bootstrap namespace', () => {
    const { mgmt, prod } = setup();
    const error = thrownBy(() => new WorkloadClusterBootstrap(mgmt.apps, 'Bootstrap-prod-aws', { workload: prod, meshCa: SecretReference.fromSealedSecret('mesh-ca', 'kube-system') }));
    expect(error.code).toBe(ErrorCode.SECRET_NAMESPACE_MISMATCH);
    expect(error.message).toContain('ClusterMesh CA Secret kube-system/mesh-ca is in namespace "kube-system", but the consumer reads Secrets only from "prod-aws"');
  });

  test('then Flux, then the workload\'s own flux-system folder', () => {
    const { fleet, mgmt, prod } = setup();
    new WorkloadClusterBootstrap(mgmt.apps, 'Bootstrap-prod-aws', { workload: prod });
    const op = file(fleet, 'mgmt/releases/prod-aws-bootstrap/helmrelease-flux-operator.yaml');
    expect(op.spec.dependsOn).toEqual([{ name: 'cilium', namespace: 'prod-aws' }]);
    const instance = file(fleet, 'prod-aws/bootstrap/fluxinstance-flux.yaml');
    expect(instance.spec.distribution.version).toBe('2.9.4');
    const instanceKs = file(fleet, 'mgmt/releases/prod-aws-bootstrap/kustomization-flux-instance.yaml');
    expect(instanceKs.spec).toMatchObject({ path: './dist/prod-aws/bootstrap', dependsOn: [{ name: 'prod-aws-bootstrap', namespace: 'flux-system' }] });
    const sync = file(fleet, 'mgmt/releases/prod-aws-bootstrap/kustomization-flux-sync.yaml');
    expect(sync.spec).toMatchObject({ path: './dist/prod-aws/flux-system', prune: false, dependsOn: [{ name: 'flux-instance', namespace: 'prod-aws' }] });
    expect(sync.spec.kubeConfig.secretRef.name).toBe('prod-aws-kubeconfig');
    // the management-side Kustomization health-checks the releases, and is not `wait` (no deadlock)
    const ks = file(fleet, 'mgmt/apps/kustomization-prod-aws-bootstrap.yaml');
    expect(ks.spec.wait).toBe(false);
    expect(ks.spec.healthChecks.map((h: { name: string }) => h.name)).toEqual(['cilium', 'flux-operator']);
  });

  test('copies the Git credentials by reference with a ClusterResourceSet selecting the labelled Cluster', () => {
    const { fleet, mgmt, prod } = setup();
    new WorkloadClusterBootstrap(mgmt.apps, 'Bootstrap-prod-aws', { workload: prod });
    const crs = file(fleet, 'mgmt/releases/prod-aws-bootstrap/clusterresourceset-prod-aws-flux-git.yaml');
    expect(crs.spec).toEqual({
      clusterSelector: { matchLabels: { [WORKLOAD_CLUSTER_LABEL]: 'prod-aws' } },
      resources: [{ kind: 'Secret', name: 'prod-aws-flux-git' }],
      strategy: 'Reconcile',
    });
    expect(fleet.manifests().map((m) => (m.object as { kind: string }).kind)).not.toContain('Secret');
  });

  test('custom CNI values are merged over the Talos baseline; a custom namespace and Cluster name', () => {
    const { fleet, mgmt, prod } = setup();
    const b = new WorkloadClusterBootstrap(mgmt.apps, 'B', {
      workload: prod,
      clusterName: 'prod-aws-1',
      namespace: 'clusters',
      cni: WorkloadCni.cilium({ values: { hubble: { enabled: true } } }),
      versions: VersionSet.pinned(),
    });
    expect(b.kubeconfigSecretName).toBe('prod-aws-1-kubeconfig');
    const values = file(fleet, 'mgmt/releases/prod-aws-1-bootstrap/configmap-cilium-values.yaml');
    expect(values.metadata.namespace).toBe('clusters');
    expect(values.data['values.yaml']).toContain('hubble:');
    expect(values.data['values.yaml']).toContain('k8sServicePort: 7445');
  });

  test('fails when the workload is the management cluster itself', () => {
    const { mgmt } = setup();
    expect(() => new WorkloadClusterBootstrap(mgmt.apps, 'Self', { workload: mgmt })).toThrow(/\[mgmt\/apps\/Self\] workload "mgmt" is the management cluster itself/);
  });

  test('fails on a cluster name that is not a DNS-1123 label', () => {
    const { mgmt, prod } = setup();
    expect(() => new WorkloadClusterBootstrap(mgmt.apps, 'B', { workload: prod, clusterName: 'Prod_AWS' })).toThrow(/\[mgmt\/apps\/B\] clusterName "Prod_AWS" is not a DNS-1123 label/);
  });

  test('fails on an unsupported VersionSet', () => {
    const { mgmt, prod } = setup();
    expect(() => new WorkloadClusterBootstrap(mgmt.apps, 'B', { workload: prod, versions: VersionSet.of({ flux: '2.9.4' }) })).toThrow(/\[mgmt\/apps\/B\] unsupported version set: flux "2\.9\.4" is not an exact version/);
  });

  test('fails outside a Flux layer', () => {
    const { mgmt, prod } = setup();
    expect(() => new WorkloadClusterBootstrap(mgmt as never, 'B', { workload: prod })).toThrow(
      /\[mgmt\/B\] a WorkloadClusterBootstrap must be created directly in a FluxLayer of the management cluster/,
    );
  });

  test('fails on a namespace that is not a DNS-1123 label', () => {
    const { mgmt, prod } = setup();
    expect(() => new WorkloadClusterBootstrap(mgmt.apps, 'B', { workload: prod, namespace: 'Clusters.Prod' })).toThrow(
      /\[mgmt\/apps\/B\] namespace "Clusters.Prod" is not a DNS-1123 label/,
    );
  });

  test('fails on a gitCredentialsResourceSet that is not a DNS-1123 subdomain', () => {
    const { mgmt, prod } = setup();
    expect(() => new WorkloadClusterBootstrap(mgmt.apps, 'B', { workload: prod, gitCredentialsResourceSet: 'Flux_Git' })).toThrow(
      /\[mgmt\/apps\/B\] gitCredentialsResourceSet "Flux_Git" is not a DNS-1123 subdomain/,
    );
  });

  test('fails on a CNI app whose chart differs from the VersionSet\'s Cilium chart', () => {
    // GIVEN a workload CNI app (installed by the management cluster) pinned to another Cilium chart
    const { mgmt, prod } = setup();
    const app = new FluxApp<CiliumValues>(prod.controllers, 'Cilium', {
      chart: { ...CILIUM_CHART, version: '1.19.3' },
      name: 'cilium',
      namespace: 'kube-system',
      installedElsewhere: true,
    });
    // WHEN it is bootstrapped with the pinned VersionSet THEN the mismatch is named with both versions
    expect(() => new WorkloadClusterBootstrap(mgmt.apps, 'B', { workload: prod, cni: WorkloadCni.fromApp(app) })).toThrow(
      /\[mgmt\/apps\/B\] CNI chart cilium 1\.19\.3 differs from the VersionSet's cilium 1\.20\.0; bump both together/,
    );
  });

  test('fails on a CNI app that its own cluster\'s Flux installs (WorkloadCni.fromApp)', () => {
    const { prod } = setup();
    const app = new FluxApp<CiliumValues>(prod.controllers, 'Cilium', { chart: CILIUM_CHART, name: 'cilium', namespace: 'kube-system', createNamespace: false });
    expect(() => WorkloadCni.fromApp(app)).toThrow(
      /\[prod-aws\/controllers\/Cilium\] is installed by its own cluster's Flux; a release must have one owner: create it with installedByManagementCluster: true/,
    );
  });
});

describe('WorkloadClusterBootstrap with a cloud controller manager (decision 0070)', () => {
  const awsCluster = (mgmt: GitOpsCluster, over: Partial<TalosClusterProps> = {}): TalosCluster =>
    new TalosCluster(mgmt.apps, 'ProdAws', {
      name: 'prod-aws',
      clusterClass: TalosClusterClass.dev(ClusterProvider.AWS),
      infrastructure: InfrastructureInputs.aws({ region: 'eu-central-1', amiId: 'ami-0123456789abcdef0' }),
      network: { pods: [Cidr.of('10.16.0.0/16')], services: [Cidr.of('10.17.0.0/20')], nodes: Cidr.of('10.18.0.0/16') },
      ...over,
    });
  const lbIpamOff = WorkloadCni.cilium({ values: { enableLBIPAM: false, defaultLBServiceIPAM: 'none' } });

  test('installs the CCM next to Cilium and before Flux: flux-operator depends on it, the bootstrap health-checks it', () => {
    // GIVEN an AWS workload with its CCM
    const { fleet, mgmt, prod } = setup();
    const capiCluster = awsCluster(mgmt);
    const ccm = new AwsCloudControllerManager(prod.controllers, 'Ccm', { clusterName: 'prod-aws' });
    // WHEN the management cluster bootstraps it
    new WorkloadClusterBootstrap(mgmt.apps, 'Bootstrap-prod-aws', { workload: prod, capiCluster, cloudControllerManager: ccm });
    // THEN the CCM release has no dependency (host network: it needs no CNI) and Flux waits for it
    const hr = file(fleet, 'mgmt/releases/prod-aws-bootstrap/helmrelease-aws-cloud-controller-manager.yaml');
    expect(hr.spec.dependsOn).toBeUndefined();
    expect(hr.metadata.annotations['kustomize.toolkit.fluxcd.io/prune']).toBe('disabled');
    const op = file(fleet, 'mgmt/releases/prod-aws-bootstrap/helmrelease-flux-operator.yaml');
    expect(op.spec.dependsOn).toEqual([{ name: 'cilium', namespace: 'prod-aws' }, { name: 'aws-cloud-controller-manager', namespace: 'prod-aws' }]);
    const ks = file(fleet, 'mgmt/apps/kustomization-prod-aws-bootstrap.yaml');
    expect(ks.spec.healthChecks.map((h: { name: string }) => h.name)).toEqual(['cilium', 'flux-operator', 'aws-cloud-controller-manager']);
    // AND the Talos nodes run with the external cloud provider the CCM serves
    expect(capiCluster.externalCloudProvider).toBe(true);
  });

  test('fails a cloud cluster without a CCM while LB IPAM is off', () => {
    // GIVEN an AWS cluster with Cilium LB IPAM off (the cloud LB is expected) and no external cloud provider
    const { mgmt, prod } = setup();
    const capiCluster = awsCluster(mgmt, { externalCloudProvider: false });
    // WHEN it is bootstrapped without a CCM
    const e = thrownBy(() => new WorkloadClusterBootstrap(mgmt.apps, 'Bootstrap-prod-aws', { workload: prod, capiCluster, cni: lbIpamOff }));
    // THEN the stable code names the missing CCM
    expect(e.code).toBe(ErrorCode.CLOUD_CCM_MISSING);
    expect(e.constructPath).toBe('mgmt/apps/Bootstrap-prod-aws');
    expect(e.message).toContain('AwsCloudControllerManager');
  });

  test('fails a Talos cluster with an external cloud provider and no CCM (nodes would stay uninitialized)', () => {
    const { mgmt, prod } = setup();
    const capiCluster = awsCluster(mgmt);
    const e = thrownBy(() => new WorkloadClusterBootstrap(mgmt.apps, 'Bootstrap-prod-aws', { workload: prod, capiCluster }));
    expect(e.code).toBe(ErrorCode.CLOUD_CCM_MISSING);
    expect(e.message).toContain('uninitialized');
  });

  test('fails a CCM of another provider', () => {
    const { mgmt, prod } = setup();
    const capiCluster = awsCluster(mgmt);
    const ccm = new GcpCloudControllerManager(prod.controllers, 'Ccm', { clusterName: 'prod-aws', project: 'infraflux-dev' });
    const e = thrownBy(() => new WorkloadClusterBootstrap(mgmt.apps, 'Bootstrap-prod-aws', { workload: prod, capiCluster, cloudControllerManager: ccm }));
    expect(e.code).toBe(ErrorCode.CLOUD_CCM_MISMATCH);
  });

  test('fails a CCM for a cluster without the external cloud provider', () => {
    const { mgmt, prod } = setup();
    const capiCluster = awsCluster(mgmt, { externalCloudProvider: false });
    const ccm = new AwsCloudControllerManager(prod.controllers, 'Ccm', { clusterName: 'prod-aws' });
    const e = thrownBy(() => new WorkloadClusterBootstrap(mgmt.apps, 'Bootstrap-prod-aws', { workload: prod, capiCluster, cloudControllerManager: ccm }));
    expect(e.code).toBe(ErrorCode.CLOUD_CCM_MISMATCH);
  });

  test('fails a CCM created in another cluster than the workload', () => {
    const { mgmt, prod } = setup();
    const ccm = new AwsCloudControllerManager(mgmt.controllers, 'Ccm', { clusterName: 'prod-aws' });
    const e = thrownBy(() => new WorkloadClusterBootstrap(mgmt.apps, 'Bootstrap-prod-aws', { workload: prod, cloudControllerManager: ccm }));
    expect(e.code).toBe(ErrorCode.CLOUD_CCM_MISMATCH);
    expect(e.message).toContain('prod-aws');
  });
});
