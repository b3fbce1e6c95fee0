import { JsonPatch } from 'cdk8s';
import { CertManager, Fleet, GitOpsCluster } from '../../lib';
import { CapiProvider, InfrastructureProviderChoice, ManagementCluster, ProviderConfigSecret, ProviderVersionField } from '../../lib/management';
import { UpstreamCache } from '../../lib/upstream/lock';
import { VersionSet } from '../../lib/versions';

function setup(): { fleet: Fleet; mgmt: GitOpsCluster; certManager: CertManager } {
  const fleet = new Fleet({ source: { url: 'ssh://git@example.com/fleet.git', secretName: 'flux-system' } });
  const mgmt = fleet.addCluster('mgmt', { name: 'mgmt' });
  const certManager = new CertManager(mgmt.controllers, 'CertManager');
  return { fleet, mgmt, certManager };
}

function objects(fleet: Fleet, prefix: string): Array<{ file: string; object: any }> {
  return fleet.manifests().filter((m) => m.file.startsWith(prefix)) as Array<{ file: string; object: any }>;
}

describe('ManagementCluster', () => {
  test('snapshot of the management cluster objects', () => {
    const { fleet, mgmt, certManager } = setup();
    new ManagementCluster(mgmt, 'ClusterApi', { certManager });
    const out = fleet.manifests().filter((m) => /capi/.test(m.file)).map((m) => ({ file: m.file, object: m.object }));
    expect(out).toMatchSnapshot();
  });

  test('installs the operator chart in controllers after cert-manager, the provider CRs in configs after the operator', () => {
    // GIVEN a management cluster with cert-manager
    const { fleet, mgmt, certManager } = setup();
    // WHEN Cluster API is added
    const capi = new ManagementCluster(mgmt, 'ClusterApi', { certManager });
    fleet.validateAll();
    // THEN the operator app depends on cert-manager and the configs layer on the controllers layer
    const operatorKs = objects(fleet, 'mgmt/controllers/kustomization-capi-operator.yaml')[0].object;
    expect(operatorKs.spec.dependsOn).toEqual([{ name: 'cert-manager', namespace: 'flux-system' }]);
    const configsKs = objects(fleet, 'mgmt/flux-system/kustomization-configs.yaml')[0].object;
    expect(configsKs.spec.dependsOn).toEqual(expect.arrayContaining([{ name: 'controllers', namespace: 'flux-system' }]));
    const release = objects(fleet, 'mgmt/releases/capi-operator/helmrelease-capi-operator.yaml')[0].object;
    expect(release.spec.chart.spec).toMatchObject({ chart: 'cluster-api-operator', version: '0.28.0' });
    expect(capi.operator.values.image?.manager?.tag).toBe('v0.28.0');
  });

  test('emits every provider at the VersionSet version with the ClusterTopology gate on core', () => {
    const { fleet, mgmt, certManager } = setup();
    new ManagementCluster(mgmt, 'ClusterApi', { certManager });
    const byFile = new Map(objects(fleet, 'mgmt/releases/capi-providers/').map((m) => [m.file.split('/').pop(), m.object]));
    expect(byFile.get('coreprovider-cluster-api.yaml').spec).toEqual({ version: 'v1.12.11', manager: { featureGates: { ClusterTopology: true } } });
    expect(byFile.get('bootstrapprovider-talos.yaml').metadata).toEqual({ name: 'talos', namespace: 'cabpt-system' });
    expect(byFile.get('bootstrapprovider-talos.yaml').spec.version).toBe('v0.6.12');
    expect(byFile.get('controlplaneprovider-talos.yaml').spec.version).toBe('v0.5.12');
    expect(byFile.get('controlplaneprovider-rke2.yaml').spec.version).toBe('v0.25.0');
    expect(byFile.get('infrastructureprovider-aws.yaml').spec).toEqual({ version: 'v2.11.1', configSecret: { name: 'capa-variables', namespace: 'capa-system' } });
    expect(byFile.get('infrastructureprovider-gcp.yaml').spec.configSecret).toEqual({ name: 'capg-variables', namespace: 'capg-system' });
    expect(byFile.get('infrastructureprovider-proxmox.yaml').spec).toEqual({ version: 'v0.9.0' });
    expect(byFile.get('ipamprovider-in-cluster.yaml').spec.version).toBe('v1.0.3');
    expect(byFile.get('ipamprovider-metal3.yaml').spec.version).toBe('v1.12.6');
    expect(byFile.has('addonprovider-helm.yaml')).toBe(false);
    // every provider namespace exists
    for (const ns of ['cabpt-system', 'cacppt-system', 'capa-system', 'capz-system', 'capg-system', 'capmox-system', 'capm3-system']) {
      expect(byFile.has(`namespace-${ns}.yaml`)).toBe(true);
    }
  });

  test('a provider upgrade is a version bump in the VersionSet', () => {
    const { fleet, mgmt, certManager } = setup();
    new ManagementCluster(mgmt, 'ClusterApi', { certManager, versions: VersionSet.of({ capa: 'v2.11.2' }) });
    const aws = objects(fleet, 'mgmt/releases/capi-providers/infrastructureprovider-aws.yaml')[0].object;
    expect(aws.spec.version).toBe('v2.11.2');
  });

  test('no secret value is ever emitted: credentials are Secret names only', () => {
    const { fleet, mgmt, certManager } = setup();
    new ManagementCluster(mgmt, 'ClusterApi', { certManager });
    const kinds = fleet.manifests().map((m) => (m.object as { kind: string }).kind);
    expect(kinds).not.toContain('Secret');
  });

  test('only the chosen providers; RKE2 and CAAPH by prop', () => {
    const { mgmt, certManager } = setup();
    const capi = new ManagementCluster(mgmt, 'ClusterApi', {
      certManager,
      infrastructure: [InfrastructureProviderChoice.proxmox()],
      rke2: false,
      helmAddonProvider: true,
      clusterTopology: false,
    });
    expect(capi.providers.map((p) => p.provider.toString())).toEqual([
      'CoreProvider/cluster-api', 'BootstrapProvider/talos', 'ControlPlaneProvider/talos',
      'InfrastructureProvider/proxmox', 'IPAMProvider/in-cluster', 'AddonProvider/helm',
    ]);
    expect(capi.provider(CapiProvider.CORE)!.resource.toJson().spec.manager).toBeUndefined();
  });

  test('escape hatch: the CoreProvider is reachable and patchable', () => {
    const { mgmt, certManager } = setup();
    const capi = new ManagementCluster(mgmt, 'ClusterApi', { certManager });
    expect(capi.coreProvider.node.id).toBe('Resource');
    capi.coreProvider.addJsonPatch(JsonPatch.add('/spec/manager/featureGates/MachinePool', true));
    expect(capi.coreProvider.toJson().spec.manager.featureGates).toEqual({ ClusterTopology: true, MachinePool: true });
  });

  test('fails on an unsupported VersionSet, naming the construct path', () => {
    const { mgmt, certManager } = setup();
    expect(() => new ManagementCluster(mgmt, 'ClusterApi', { certManager, versions: VersionSet.of({ talos: 'v1.13.9' }) })).toThrow(
      /\[mgmt\/ClusterApi\] unsupported version set: talos "v1\.13\.9" is not supported by CACPPT v0\.5\.12/,
    );
  });

  test('fails on a provider config secret outside the provider namespace', () => {
    const { mgmt, certManager } = setup();
    expect(
      () =>
        new ManagementCluster(mgmt, 'ClusterApi', {
          certManager,
          infrastructure: [InfrastructureProviderChoice.aws(ProviderConfigSecret.fromName('aws-creds', 'default'))],
        }),
    ).toThrow(/\[mgmt\/ClusterApi\] InfrastructureProvider\/aws config secret "default\/aws-creds" is in namespace "default"; .* "capa-system"/);
  });

  test('fails on a provider listed twice', () => {
    const { mgmt, certManager } = setup();
    expect(() => new ManagementCluster(mgmt, 'ClusterApi', { certManager, infrastructure: [InfrastructureProviderChoice.metal3(), InfrastructureProviderChoice.metal3()] })).toThrow(
      /\[mgmt\/ClusterApi\] infrastructure provider "metal3" is listed twice/,
    );
  });

  test('fails on a config secret name that is not a DNS-1123 subdomain', () => {
    const { mgmt, certManager } = setup();
    expect(() => new ManagementCluster(mgmt, 'ClusterApi', { certManager, infrastructure: [InfrastructureProviderChoice.gcp(ProviderConfigSecret.fromName('GCP_Creds'))] })).toThrow(
      /\[mgmt\/ClusterApi\] InfrastructureProvider\/gcp config secret name "GCP_Creds" is not a DNS-1123 subdomain/,
    );
  });

  test('capi-providers waits for every provider CR to report Ready (healthCheckExprs, not kstatus alone)', () => {
    // GIVEN a management cluster
    const { fleet, mgmt, certManager } = setup();
    new ManagementCluster(mgmt, 'ClusterApi', { certManager, helmAddonProvider: true });
    // WHEN the providers app's Kustomization is emitted
    const ks = objects(fleet, 'mgmt/configs/kustomization-capi-providers.yaml')[0].object;
    // THEN it waits and has a CEL check on the Ready condition of each operator kind it applies
    expect(ks.spec.wait).toBe(true);
    const ready = "has(status.conditions) && status.conditions.exists(e, e.type == 'Ready' && e.status == 'True')";
    const emittedKinds = new Set(objects(fleet, 'mgmt/releases/capi-providers/').map((m) => m.object.kind).filter((k: string) => k.endsWith('Provider')));
    expect(emittedKinds.size).toBe(6);
    for (const kind of emittedKinds) {
      expect(ks.spec.healthCheckExprs).toContainEqual({ apiVersion: 'operator.cluster.x-k8s.io/v1alpha2', kind, current: ready });
    }
  });

  test('with Metal3, installs baremetal-operator from the pinned upstream tag, health-checked, after cert-manager', () => {
    // GIVEN a management cluster with Metal3
    const { fleet, mgmt, certManager } = setup();
    const capi = new ManagementCluster(mgmt, 'ClusterApi', { certManager, infrastructure: [InfrastructureProviderChoice.metal3()] });
    fleet.validateAll();
    // THEN a GitRepository on metal3-io/baremetal-operator at VersionSet.baremetalOperator
    expect(capi.baremetalOperator).toBeDefined();
    const repo = objects(fleet, 'mgmt/configs/gitrepository-baremetal-operator.yaml')[0].object;
    expect(repo.spec.url).toBe('https://github.com/metal3-io/baremetal-operator');
    expect(repo.spec.ref).toEqual({ tag: VersionSet.pinned().baremetalOperator });
    // AND a Kustomization on config/base (the path of the pinned CRDs), the image pinned, never pruned
    const ks = objects(fleet, 'mgmt/configs/kustomization-baremetal-operator.yaml')[0].object;
    expect(ks.spec.path).toBe('./config/base');
    expect(ks.spec.sourceRef).toEqual({ kind: 'GitRepository', name: 'baremetal-operator', namespace: 'flux-system' });
    expect(ks.spec.prune).toBe(false);
    expect(ks.spec.images).toEqual([{ name: 'quay.io/metal3-io/baremetal-operator', newTag: 'v0.12.6' }]);
    expect(ks.spec.healthChecks).toContainEqual({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: 'baremetalhosts.metal3.io' });
    expect(ks.spec.healthChecks).toContainEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'baremetal-operator-controller-manager', namespace: 'baremetal-operator-system' });
    // (cert-manager is in an earlier layer: the configs layer waits for the controllers layer)
    const configsKs = objects(fleet, 'mgmt/flux-system/kustomization-configs.yaml')[0].object;
    expect(configsKs.spec.dependsOn).toEqual(expect.arrayContaining([{ name: 'controllers', namespace: 'flux-system' }]));
    expect(objects(fleet, 'mgmt/configs/namespace-baremetal-operator-system.yaml')).toHaveLength(1);
  });

  test('every BMO CRD pinned in upstream.lock.json is health-checked', () => {
    const { UpstreamCache } = require('../../lib/upstream/lock');
    const { BAREMETAL_OPERATOR_CRDS } = require('../../lib/management');
    const pinned = (UpstreamCache.default().files((f: { path: string }) => f.path.startsWith('capi-metal3/baremetal-operator/crds/')) as Array<{ path: string; url: string }>);
    expect(pinned.length).toBeGreaterThan(0);
    for (const f of pinned) expect(f.url).toContain(`/baremetal-operator/${VersionSet.pinned().baremetalOperator}/config/base/crds/bases/`);
    const names = pinned.map((f) => f.path.split('/').pop()!.replace(/^metal3\.io_(.*)\.yaml$/, '$1.metal3.io')).sort();
    expect([...BAREMETAL_OPERATOR_CRDS].sort()).toEqual(names);
  });

  test('without Metal3, no baremetal-operator', () => {
    const { fleet, mgmt, certManager } = setup();
    const capi = new ManagementCluster(mgmt, 'ClusterApi', { certManager, infrastructure: [InfrastructureProviderChoice.aws()] });
    expect(capi.baremetalOperator).toBeUndefined();
    expect(objects(fleet, 'mgmt/configs/kustomization-baremetal-operator.yaml')).toHaveLength(0);
  });
});

describe('CapiProvider.versionField (ProviderVersionField)', () => {
  const providers = Object.values(CapiProvider).filter((p): p is CapiProvider => p instanceof CapiProvider);
  const fields = Object.values(ProviderVersionField).filter((f): f is ProviderVersionField => f instanceof ProviderVersionField);

  test('every provider names a VersionSet field, and version() reads that field', () => {
    // GIVEN a VersionSet with one provider bumped
    const versions = VersionSet.of({ capa: 'v2.11.2' });
    const byField = new Map(versions.entries().map((e) => [e.field, e.version]));
    // THEN each provider's field is one of the VersionSet's entries and version() returns its value
    expect(providers).toHaveLength(13);
    for (const p of providers) {
      expect(p.versionField).toBeInstanceOf(ProviderVersionField);
      expect(byField.has(p.versionField.name)).toBe(true);
      expect(p.version(versions)).toBe(byField.get(p.versionField.name));
    }
    expect(CapiProvider.AWS.version(versions)).toBe('v2.11.2');
    // AND both RKE2 providers share one release
    expect(CapiProvider.RKE2_BOOTSTRAP.versionField).toBe(CapiProvider.RKE2_CONTROL_PLANE.versionField);
  });

  test('the fields are distinct static instances named after the VersionSet field', () => {
    expect(fields.map((f) => f.name).sort()).toEqual(['caaph', 'cabpt', 'cacppt', 'capa', 'capg', 'capiCore', 'capm3', 'capmox', 'caprke2', 'capz', 'ipamInCluster', 'ipamMetal3']);
    expect(String(ProviderVersionField.IPAM_METAL3)).toBe('ipamMetal3');
    expect(ProviderVersionField.CAPZ.versionIn(VersionSet.pinned())).toBe(VersionSet.pinned().capz);
    // every field is used by a provider
    expect(new Set(providers.map((p) => p.versionField))).toEqual(new Set(fields));
  });

  test('each provider of capi-core/compatibility.json is a CapiProvider whose version field is the same repository', () => {
    // GIVEN the spec pack's provider list (name, operator kind(s), repository)
    const compat = JSON.parse(UpstreamCache.default().read('capi-core/compatibility.json')) as {
      providers: Array<{ name: string; type: string; repo: string; version: string }>;
    };
    const repoOf = new Map(VersionSet.pinned().entries().map((e) => [e.field, e.repository]));
    for (const entry of compat.providers) {
      // "BootstrapProvider+ControlPlaneProvider" (RKE2) is one release installed as two CRs
      for (const kind of entry.type.split('+')) {
        const p = providers.find((x) => x.type.kind === kind && x.name === entry.name);
        expect({ entry: `${kind}/${entry.name}`, found: p !== undefined }).toEqual({ entry: `${kind}/${entry.name}`, found: true });
        expect({ entry: `${kind}/${entry.name}`, repo: repoOf.get(p!.versionField.name), version: p!.version(VersionSet.pinned()) }).toEqual({
          entry: `${kind}/${entry.name}`,
          repo: entry.repo,
          version: entry.version,
        });
      }
    }
  });
});
