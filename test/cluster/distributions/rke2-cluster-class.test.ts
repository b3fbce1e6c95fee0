import { JsonPatch } from 'cdk8s';
import {
  AzureIdentity,
  Cidr,
  ClassPatch,
  ClusterProvider,
  Distribution,
  InfrastructureInputs,
  NodeRole,
  SecretReference,
  TalosCluster,
  TalosClusterClass,
  TalosClusterProps,
} from '../../../lib/cluster';
import { validateFleetManifests } from '../../../lib/validation';
import { manifestsByFile, testCluster } from '../../support/fleet';

// GIVEN clusters of every provider built from a real Cluster API ClusterClass with RKE2

const rke2Class = Distribution.rke2({ clusterClass: true });

const awsInputs = () => InfrastructureInputs.aws({ region: 'eu-central-1', amiId: 'ami-0123456789abcdef0' });

function awsProps(over: Partial<TalosClusterProps> = {}): TalosClusterProps {
  return {
    name: 'prod',
    clusterClass: TalosClusterClass.prod(ClusterProvider.AWS),
    infrastructure: awsInputs(),
    network: { pods: [Cidr.of('10.16.0.0/16')], services: [Cidr.of('10.17.0.0/20')], nodes: Cidr.of('10.18.0.0/16') },
    distribution: rke2Class,
    ...over,
  };
}

const perProvider: Record<string, TalosClusterProps> = {
  aws: awsProps(),
  azure: {
    name: 'az',
    clusterClass: TalosClusterClass.dev(ClusterProvider.AZURE),
    network: { nodes: Cidr.of('10.34.0.0/16') },
    infrastructure: InfrastructureInputs.azure({ location: 'westeurope', subscriptionId: 's', imageId: 'i', identity: AzureIdentity.workloadIdentity({ clientId: 'c', tenantId: 't' }) }),
    distribution: rke2Class,
  },
  gcp: {
    name: 'gke',
    clusterClass: TalosClusterClass.dev(ClusterProvider.GCP),
    network: { nodes: Cidr.of('10.40.0.0/16') },
    infrastructure: InfrastructureInputs.gcp({ project: 'p', region: 'europe-west4', image: 'img', credentials: SecretReference.fromExternalSecret('gcp-creds', 'gke') }),
    distribution: rke2Class,
  },
  proxmox: {
    name: 'lab',
    clusterClass: TalosClusterClass.dev(ClusterProvider.PROXMOX),
    network: { nodes: Cidr.of('192.168.10.0/24') },
    infrastructure: InfrastructureInputs.proxmox({
      nodes: ['pve1'],
      templateId: 9000,
      controlPlaneEndpoint: '192.168.10.10',
      nodeAddresses: ['192.168.10.100-192.168.10.120'],
      gateway: '192.168.10.1',
      dnsServers: ['192.168.10.1'],
      credentials: SecretReference.fromSealedSecret('pve', 'lab'),
    }),
    distribution: rke2Class,
  },
  metal3: {
    name: 'edge',
    clusterClass: TalosClusterClass.edge(ClusterProvider.METAL3),
    network: { nodes: Cidr.of('192.168.30.0/24') },
    infrastructure: InfrastructureInputs.metal3({
      hosts: [{ name: 'h1', role: NodeRole.CONTROL_PLANE, bmcAddress: 'ipmi://10.0.0.1', bootMacAddress: '52:54:00:00:00:01', bmcCredentials: SecretReference.fromSealedSecret('bmc', 'edge') }],
      image: { url: 'https://example.com/rke2.raw', checksum: 'https://example.com/rke2.raw.sha256' },
      controlPlaneEndpoint: '192.168.30.10',
      vipLink: 'eno1',
    }),
    distribution: rke2Class,
  },
};

function build(props: TalosClusterProps) {
  const { fleet, cluster } = testCluster('mgmt');
  const tc = new TalosCluster(cluster.apps, 'Workload', props);
  return { fleet, tc, manifests: fleet.manifests() };
}

const byKind = (manifests: { object: Record<string, any> }[], kind: string) => manifests.filter((m) => m.object.kind === kind).map((m) => m.object as Record<string, any>);

describe('RKE2 with a Cluster API ClusterClass (opt-in)', () => {
  const { fleet, tc, manifests } = build(awsProps());

  test('matches the snapshot', () => {
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('emits a v1beta2 ClusterClass with an RKE2ControlPlaneTemplate, the AWSClusterTemplate and one worker class', () => {
    // WHEN the AWS prod cluster is built with Distribution.rke2({ clusterClass: true })
    const [cc] = byKind(manifests, 'ClusterClass');
    const [cpt] = byKind(manifests, 'RKE2ControlPlaneTemplate');
    const [infra] = byKind(manifests, 'AWSClusterTemplate');
    const [boot] = byKind(manifests, 'RKE2ConfigTemplate');
    // THEN the class references the templates by apiVersion/kind/name
    expect(cc.apiVersion).toBe('cluster.x-k8s.io/v1beta2');
    expect(cc.metadata).toMatchObject({ name: 'aws-prod-rke2', namespace: 'prod' });
    expect(cpt.apiVersion).toBe('controlplane.cluster.x-k8s.io/v1beta2');
    expect(cc.spec.controlPlane.templateRef).toEqual({ apiVersion: cpt.apiVersion, kind: 'RKE2ControlPlaneTemplate', name: cpt.metadata.name });
    expect(cc.spec.infrastructure.templateRef).toEqual({ apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2', kind: 'AWSClusterTemplate', name: infra.metadata.name });
    expect(cc.spec.controlPlane.machineInfrastructure.templateRef.kind).toBe('AWSMachineTemplate');
    expect(cc.spec.workers.machineDeployments.map((m: any) => m.class)).toEqual(['workers']);
    expect(cc.spec.workers.machineDeployments[0].bootstrap.templateRef).toEqual({ apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta2', kind: 'RKE2ConfigTemplate', name: boot.metadata.name });
    // AND the HA control plane gets a health check remediating one machine at a time
    expect(cc.spec.controlPlane.healthCheck.remediation.triggerIf.unhealthyLessThanOrEqualTo).toBe(1);
    expect(tc.clusterClassObject?.name).toBe('aws-prod-rke2');
  });

  test('the Cluster has spec.topology instead of explicit refs, and no explicit control plane or MachineDeployments are emitted', () => {
    const [cluster] = byKind(manifests, 'Cluster');
    expect(cluster.spec.controlPlaneRef).toBeUndefined();
    expect(cluster.spec.infrastructureRef).toBeUndefined();
    expect(cluster.spec.clusterNetwork).toEqual({ pods: { cidrBlocks: ['10.16.0.0/16'] }, services: { cidrBlocks: ['10.17.0.0/20'] }, serviceDomain: 'cluster.local' });
    expect(cluster.spec.topology.classRef).toEqual({ name: 'aws-prod-rke2', namespace: 'prod' });
    expect(cluster.spec.topology.version).toMatch(/^v1\.\d+\.\d+\+rke2r\d+$/);
    expect(cluster.spec.topology.controlPlane).toEqual({ replicas: 3 });
    // prod workers are autoscaled: annotations on the topology, no replicas
    expect(cluster.spec.topology.workers.machineDeployments).toEqual([
      {
        class: 'workers',
        name: 'workers',
        metadata: {
          labels: { 'infraflux.io/pool': 'workers' },
          annotations: {
            'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size': '3',
            'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size': '10',
          },
        },
      },
    ]);
    for (const kind of ['RKE2ControlPlane', 'MachineDeployment', 'MachineHealthCheck', 'AWSCluster', 'TalosControlPlane', 'TalosConfigTemplate']) expect(byKind(manifests, kind)).toEqual([]);
    expect(tc.machineDeployments.size).toBe(0);
  });

  test('RKE2 brings no CNI (Cilium is the CNI); kube-proxy and the cluster domain come from variables through patches', () => {
    const [cpt] = byKind(manifests, 'RKE2ControlPlaneTemplate');
    expect(cpt.spec.template.spec.serverConfig).toEqual({ cni: 'none' });
    const [cc] = byKind(manifests, 'ClusterClass');
    expect(cc.spec.variables.map((v: any) => v.name)).toEqual(['clusterDomain', 'kubeProxyDisabled', 'nodeCidr']);
    const kubeProxy = cc.spec.patches.find((p: any) => p.name === 'disable-kube-proxy');
    expect(kubeProxy.enabledIf).toBe('{{ .kubeProxyDisabled }}');
    expect(kubeProxy.definitions[0].jsonPatches).toEqual([{ op: 'add', path: '/spec/template/spec/serverConfig/disableComponents', value: { kubernetesComponents: ['kubeProxy'] } }]);
    expect(cc.spec.patches.find((p: any) => p.name === 'node-cidr').definitions[0].jsonPatches).toEqual([
      { op: 'replace', path: '/spec/template/spec/network/vpc/cidrBlock', valueFrom: { variable: 'nodeCidr' } },
    ]);
    const [cluster] = byKind(manifests, 'Cluster');
    expect(cluster.spec.topology.variables).toEqual([
      { name: 'clusterDomain', value: 'cluster.local' },
      { name: 'kubeProxyDisabled', value: true },
      { name: 'nodeCidr', value: '10.18.0.0/16' },
    ]);
  });

  test('every patch path exists in the template it selects (so Cluster API can apply it)', () => {
    const [cc] = byKind(manifests, 'ClusterClass');
    const byKindName = (kind: string) => byKind(manifests, kind)[0];
    for (const patch of cc.spec.patches) {
      for (const def of patch.definitions) {
        const target = byKindName(def.selector.kind);
        expect(target).toBeDefined();
        for (const jp of def.jsonPatches) {
          // the parent of the patched field exists; `replace` also needs the field itself
          const parts = jp.path.split('/').slice(1);
          const parent = parts.slice(0, -1).reduce((o: any, k: string) => (o === undefined ? undefined : o[k]), target);
          expect(parent).toBeDefined();
          if (jp.op === 'replace') expect(parent[parts[parts.length - 1]]).toBeDefined();
        }
      }
    }
  });

  test('validates against the pinned schemas', () => {
    expect(validateFleetManifests(manifests).issues).toEqual([]);
  });

  test.each(Object.keys(perProvider))('%s: emits the provider cluster template and validates', (provider) => {
    // WHEN each provider's cluster is built from a ClusterClass
    const m = build(perProvider[provider]).manifests;
    const [cc] = byKind(m, 'ClusterClass');
    // THEN the infrastructure template is the provider's *ClusterTemplate and everything validates
    expect(cc.spec.infrastructure.templateRef.kind).toMatch(/^(AWS|Azure|GCP|Proxmox|Metal3)ClusterTemplate$/);
    expect(byKind(m, cc.spec.infrastructure.templateRef.kind)).toHaveLength(1);
    expect(validateFleetManifests(m).issues).toEqual([]);
  });

  test('edge (no worker pools): the class and the topology have no workers', () => {
    const m = build(perProvider.metal3).manifests;
    expect(byKind(m, 'ClusterClass')[0].spec.workers).toBeUndefined();
    expect(byKind(m, 'Cluster')[0].spec.topology.workers).toBeUndefined();
    expect(byKind(m, 'Cluster')[0].spec.topology.controlPlane).toEqual({ replicas: 1 });
    // the VIP host is still the Metal3 cluster template's endpoint
    expect(byKind(m, 'Metal3ClusterTemplate')[0].spec.template.spec.controlPlaneEndpoint).toEqual({ host: '192.168.30.10', port: 6443 });
  });

  test('fixed-size pools get replicas and their failure domain in the topology', () => {
    const m = build(awsProps({ workers: [{ name: 'general', replicas: 2, failureDomain: 'eu-central-1a', nodeLabels: { tier: 'general' } }] })).manifests;
    expect(byKind(m, 'Cluster')[0].spec.topology.workers.machineDeployments[0]).toMatchObject({ class: 'general', name: 'general', replicas: 2, failureDomain: 'eu-central-1a' });
    expect(byKind(m, 'RKE2ConfigTemplate')[0].spec.template.spec.agentConfig).toEqual({ nodeLabels: ['tier=general'] });
  });

  test('a class object patch renames (rotates) the template it changes and the ClusterClass follows', () => {
    const plain = build(awsProps()).manifests;
    const cls = TalosClusterClass.prod(ClusterProvider.AWS, { patches: [ClassPatch.object('RKE2ControlPlaneTemplate', JsonPatch.add('/spec/template/spec/serverConfig/tlsSan', ['api.example.com']))] });
    const patched = build(awsProps({ clusterClass: cls })).manifests;
    const before = byKind(plain, 'RKE2ControlPlaneTemplate')[0];
    const after = byKind(patched, 'RKE2ControlPlaneTemplate')[0];
    expect(after.spec.template.spec.serverConfig.tlsSan).toEqual(['api.example.com']);
    expect(after.metadata.name).not.toBe(before.metadata.name);
    expect(byKind(patched, 'ClusterClass')[0].spec.controlPlane.templateRef.name).toBe(after.metadata.name);
    expect(validateFleetManifests(patched).issues).toEqual([]);
  });

  test('without the opt-in, Distribution.rke2() stays explicit (no ClusterClass, no topology)', () => {
    const m = build(awsProps({ distribution: Distribution.rke2() })).manifests;
    expect(byKind(m, 'ClusterClass')).toEqual([]);
    expect(byKind(m, 'Cluster')[0].spec.topology).toBeUndefined();
    expect(byKind(m, 'RKE2ControlPlane')).toHaveLength(1);
    expect(Distribution.rke2().clusterClass).toBe(false);
    expect(Distribution.talos().clusterClass).toBe(false);
  });
});

describe('RKE2 ClusterClass: failing inputs', () => {
  test('fails when the class name does not make a DNS-1123 ClusterClass name', () => {
    const cls = TalosClusterClass.prod(ClusterProvider.AWS, { name: 'Prod_AWS' });
    expect(() => build(awsProps({ clusterClass: cls }))).toThrow(
      /\[mgmt\/apps\/Workload\] ClusterClass name \(class name \+ distribution\) "Prod_AWS-rke2" is not a DNS-1123 label/,
    );
  });

  test('fails when an Azure resourceGroup other than the cluster name is given (AzureClusterTemplate has no resourceGroup)', () => {
    const azure = perProvider.azure;
    const props: TalosClusterProps = {
      ...azure,
      infrastructure: InfrastructureInputs.azure({ location: 'westeurope', subscriptionId: 's', imageId: 'i', resourceGroup: 'rg-shared', identity: AzureIdentity.workloadIdentity({ clientId: 'c', tenantId: 't' }) }),
    };
    expect(() => build(props)).toThrow(/\[mgmt\/apps\/Workload\] Azure resourceGroup "rg-shared" cannot be used with a ClusterClass/);
    // the explicit path still accepts it
    expect(() => build({ ...props, distribution: Distribution.rke2() })).not.toThrow();
  });

  test('fails when an object patch targets MachineDeployment, which a topology cluster does not emit', () => {
    const cls = TalosClusterClass.prod(ClusterProvider.AWS, { patches: [ClassPatch.object('MachineDeployment', JsonPatch.add('/spec/paused', true))] });
    expect(() => build(awsProps({ clusterClass: cls }))).toThrow(/class patch targets kind "MachineDeployment", which this cluster does not emit; emitted kinds: .*ClusterClass/);
  });
});
