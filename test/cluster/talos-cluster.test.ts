import { JsonPatch } from 'cdk8s';
import {
  AwsIdentity,
  AzureIdentity,
  Cidr,
  CiliumDatapath,
  CiliumEncryption,
  CiliumTunnel,
  ClassPatch,
  ClusterProvider,
  Distribution,
  InfrastructureInputs,
  MachineSize,
  NodeRole,
  SecretReference,
  TalosCluster,
  TalosClusterClass,
  TalosClusterProps,
  talosConfigSchemaPath,
  validateTalosDocument,
  validateTalosPatchesInManifests,
} from '../../lib/cluster';
import { ErrorCode, InfraFluxError } from '../../lib/core/errors';
import { FluxLayer } from '../../lib/flux/gitops-cluster';
import { validateFleetManifests } from '../../lib/validation';
import { VersionSet } from '../../lib/versions/version-set';
import { manifestsByFile, testCluster } from '../support/fleet';

const proxmoxInputs = (over: Partial<Parameters<typeof InfrastructureInputs.proxmox>[0]> = {}) =>
  InfrastructureInputs.proxmox({
    nodes: ['pve1'],
    templateId: 9000,
    controlPlaneEndpoint: '192.168.10.10',
    nodeAddresses: ['192.168.10.100-192.168.10.120'],
    gateway: '192.168.10.1',
    dnsServers: ['192.168.10.1'],
    credentials: SecretReference.fromSealedSecret('pve', 'lab'),
    ...over,
  });

const awsInputs = (over: Partial<Parameters<typeof InfrastructureInputs.aws>[0]> = {}) =>
  InfrastructureInputs.aws({ region: 'eu-central-1', amiId: 'ami-0123456789abcdef0', ...over });

function proxmoxProps(over: Partial<TalosClusterProps> = {}): TalosClusterProps {
  return {
    name: 'lab',
    clusterClass: TalosClusterClass.dev(ClusterProvider.PROXMOX),
    infrastructure: proxmoxInputs(),
    network: { nodes: Cidr.of('192.168.10.0/24') },
    ...over,
  };
}

function awsProps(over: Partial<TalosClusterProps> = {}): TalosClusterProps {
  return {
    name: 'prod',
    clusterClass: TalosClusterClass.prod(ClusterProvider.AWS),
    infrastructure: awsInputs(),
    network: { pods: [Cidr.of('10.16.0.0/16')], services: [Cidr.of('10.17.0.0/20')], nodes: Cidr.of('10.18.0.0/16') },
    ...over,
  };
}

function build(props: TalosClusterProps) {
  const { fleet, cluster } = testCluster('mgmt');
  const tc = new TalosCluster(cluster.apps, 'Workload', props);
  return { fleet, cluster, tc, manifests: fleet.manifests() };
}

const byKind = (manifests: { object: Record<string, any> }[], kind: string) => manifests.filter((m) => m.object.kind === kind).map((m) => m.object as Record<string, any>);

describe('TalosCluster on Proxmox (dev)', () => {
  const { fleet, tc, manifests } = build(proxmoxProps({ infrastructure: proxmoxInputs({ secondaryNetwork: { bridge: 'vmbr1', addresses: ['10.20.0.10-10.20.0.50'], prefix: 24 } }) }));

  test('matches the snapshot', () => {
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('emits Cluster v1beta2 without topology, referencing ProxmoxCluster and TalosControlPlane', () => {
    const [cluster] = byKind(manifests, 'Cluster');
    expect(cluster.apiVersion).toBe('cluster.x-k8s.io/v1beta2');
    expect(cluster.spec.topology).toBeUndefined();
    expect(cluster.spec.infrastructureRef).toEqual({ apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'ProxmoxCluster', name: 'lab' });
    expect(cluster.spec.controlPlaneRef).toEqual({ apiGroup: 'controlplane.cluster.x-k8s.io', kind: 'TalosControlPlane', name: 'lab-control-plane' });
    expect(tc.node.tryFindChild('Content')!.node.tryFindChild('Resource')).toBe(tc.resource);
  });

  test('the control-plane endpoint is the VIP: on ProxmoxCluster and as a Talos Layer2VIPConfig', () => {
    const [pc] = byKind(manifests, 'ProxmoxCluster');
    expect(pc.spec.controlPlaneEndpoint).toEqual({ host: '192.168.10.10', port: 6443 });
    expect(pc.spec.ipv4Config).toEqual({ addresses: ['192.168.10.100-192.168.10.120'], prefix: 24, gateway: '192.168.10.1' });
    expect(pc.spec.credentialsRef).toEqual({ name: 'pve', namespace: 'lab' });
    const [tcp] = byKind(manifests, 'TalosControlPlane');
    expect(tcp.spec.controlPlaneConfig.controlplane.strategicPatches).toContain('apiVersion: v1alpha1\nkind: Layer2VIPConfig\nname: 192.168.10.10\nlink: ens18\n');
  });

  test('every node gets the Cilium patch (CNI none, no kube-proxy, KubePrism) as a strategic patch', () => {
    const [tcp] = byKind(manifests, 'TalosControlPlane');
    const [tct] = byKind(manifests, 'TalosConfigTemplate');
    for (const patches of [tcp.spec.controlPlaneConfig.controlplane.strategicPatches, tct.spec.template.spec.strategicPatches]) {
      expect(patches[0]).toContain('name: none');
      expect(patches[0]).toContain('disabled: true');
      expect(patches[0]).toContain('port: 7445');
    }
    expect(tcp.spec.controlPlaneConfig.controlplane.configPatches).toBeUndefined();
  });

  test('emits an InClusterIPPool for the secondary network and references it from net1', () => {
    const [pool] = byKind(manifests, 'InClusterIPPool');
    expect(pool.apiVersion).toBe('ipam.cluster.x-k8s.io/v1alpha2');
    const templates = byKind(manifests, 'ProxmoxMachineTemplate');
    for (const t of templates) expect(t.spec.template.spec.network.networkDevices[1].ipPoolRef).toEqual([{ apiGroup: 'ipam.cluster.x-k8s.io', kind: 'InClusterIPPool', name: pool.metadata.name }]);
  });

  test('dev: 1 control-plane node, no control-plane health check, one worker pool with a health check', () => {
    expect(byKind(manifests, 'TalosControlPlane')[0].spec.replicas).toBe(1);
    const mhcs = byKind(manifests, 'MachineHealthCheck');
    expect(mhcs.map((m) => m.metadata.name)).toEqual(['lab-workers']);
    expect(byKind(manifests, 'MachineDeployment')[0].spec.replicas).toBe(1);
  });

  test('lives in its own Kustomization in mgmt apps and validates against the pinned schemas', () => {
    expect(manifests.map((m) => m.file)).toContain('mgmt/apps/kustomization-cluster-lab.yaml');
    expect(validateFleetManifests(manifests).issues).toEqual([]);
    expect(validateTalosPatchesInManifests(manifests).issues).toEqual([]);
  });
});

describe('TalosCluster on AWS (prod)', () => {
  const { fleet, manifests } = build(awsProps({ infrastructure: awsInputs({ identity: AwsIdentity.staticCredentials(SecretReference.fromExternalSecret('aws-creds', 'capa-system')) }) }));

  test('matches the snapshot', () => {
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('prod: 3 control-plane nodes, a control-plane health check remediating one machine at a time, autoscaled workers', () => {
    expect(byKind(manifests, 'TalosControlPlane')[0].spec.replicas).toBe(3);
    const cpMhc = byKind(manifests, 'MachineHealthCheck').find((m) => m.metadata.name === 'prod-control-plane')!;
    expect(cpMhc.spec.remediation.triggerIf.unhealthyLessThanOrEqualTo).toBe(1);
    const [md] = byKind(manifests, 'MachineDeployment');
    expect(md.spec.replicas).toBeUndefined();
    expect(md.metadata.annotations).toEqual({
      'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size': '3',
      'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size': '10',
    });
  });

  test('credentials by reference: an AWSClusterStaticIdentity naming the secret, no Secret object', () => {
    const [identity] = byKind(manifests, 'AWSClusterStaticIdentity');
    expect(identity.spec.secretRef).toBe('aws-creds');
    const [cluster] = byKind(manifests, 'AWSCluster');
    expect(cluster.spec.identityRef).toEqual({ kind: 'AWSClusterStaticIdentity', name: identity.metadata.name });
    expect(byKind(manifests, 'Secret')).toEqual([]);
  });

  test('the endpoint is CAPA\'s NLB; Talos machines read plain user data', () => {
    const [cluster] = byKind(manifests, 'AWSCluster');
    expect(cluster.spec.controlPlaneLoadBalancer.loadBalancerType).toBe('nlb');
    expect(cluster.spec.controlPlaneEndpoint).toBeUndefined();
    for (const t of byKind(manifests, 'AWSMachineTemplate')) {
      expect(t.spec.template.spec.cloudInit).toEqual({ insecureSkipSecretsManager: true });
      expect(t.spec.template.spec.ami).toEqual({ id: 'ami-0123456789abcdef0' });
    }
  });

  test('defaults to the controller identity when none is given', () => {
    const m = build(awsProps()).manifests;
    expect(byKind(m, 'AWSCluster')[0].spec.identityRef).toEqual({ kind: 'AWSClusterControllerIdentity', name: 'default' });
    expect(byKind(m, 'AWSClusterStaticIdentity')).toEqual([]);
  });

  test('validates against the pinned schemas and the Talos schema', () => {
    expect(validateFleetManifests(manifests).issues).toEqual([]);
    expect(validateTalosPatchesInManifests(manifests).issues).toEqual([]);
  });
});

describe('class patches, template rotation, escape hatch', () => {
  test('a Talos class patch reaches the nodes of its role only', () => {
    const cls = TalosClusterClass.dev(ClusterProvider.PROXMOX, { patches: [ClassPatch.talos({ machine: { sysctls: { 'vm.max_map_count': '262144' } } }, NodeRole.WORKER)] });
    const m = build(proxmoxProps({ clusterClass: cls })).manifests;
    expect(byKind(m, 'TalosConfigTemplate')[0].spec.template.spec.strategicPatches.join()).toContain('vm.max_map_count');
    expect(byKind(m, 'TalosControlPlane')[0].spec.controlPlaneConfig.controlplane.strategicPatches.join()).not.toContain('vm.max_map_count');
  });

  test('an object class patch is applied at synth and renames (rotates) the template it changes', () => {
    const plain = build(proxmoxProps()).manifests;
    const cls = TalosClusterClass.dev(ClusterProvider.PROXMOX, { patches: [ClassPatch.object('ProxmoxMachineTemplate', JsonPatch.add('/spec/template/spec/tags', ['talos']))] });
    const patched = build(proxmoxProps({ clusterClass: cls })).manifests;
    const before = byKind(plain, 'ProxmoxMachineTemplate').map((t) => t.metadata.name);
    const after = byKind(patched, 'ProxmoxMachineTemplate');
    expect(after.every((t) => JSON.stringify(t.spec.template.spec.tags) === '["talos"]')).toBe(true);
    expect(after.map((t) => t.metadata.name)).not.toEqual(before);
    expect(byKind(patched, 'MachineDeployment')[0].spec.template.spec.infrastructureRef.name).toBe(after.find((t) => t.metadata.name.startsWith('lab-workers'))!.metadata.name);
  });

  test('changing the worker size rotates only the worker machine template', () => {
    const a = build(proxmoxProps()).manifests;
    const b = build(proxmoxProps({ workers: [{ name: 'workers', replicas: 1, machine: MachineSize.virtual({ cores: 4, memoryMiB: 8192, diskGiB: 40 }) }] })).manifests;
    const names = (m: typeof a) => byKind(m, 'ProxmoxMachineTemplate').map((t) => t.metadata.name).sort();
    expect(names(a)[0]).toBe(names(b)[0]); // control plane unchanged
    expect(names(a)[1]).not.toBe(names(b)[1]);
  });

  test('the raw Cluster object is reachable through ApiObject.addJsonPatch', () => {
    const { fleet, tc } = build(proxmoxProps());
    tc.resource.addJsonPatch(JsonPatch.add('/spec/paused', true));
    expect(byKind(fleet.manifests(), 'Cluster')[0].spec.paused).toBe(true);
  });

  test('a version bump changes the Kubernetes version of the control plane and every MachineDeployment', () => {
    const m = build(proxmoxProps({ versions: VersionSet.of({ kubernetes: 'v1.34.6' }) })).manifests;
    expect(byKind(m, 'TalosControlPlane')[0].spec.version).toBe('v1.34.6');
    expect(byKind(m, 'MachineDeployment')[0].spec.template.spec.version).toBe('v1.34.6');
  });
});

describe('switching Talos → RKE2', () => {
  test('changes only the control-plane and bootstrap objects and the references to them', () => {
    // GIVEN the same cluster with each distribution
    const talos = build(awsProps()).manifests;
    const rke2 = build(awsProps({ distribution: Distribution.rke2() })).manifests;
    const isCpOrBootstrap = (o: Record<string, any>) => /^(controlplane|bootstrap)\.cluster\.x-k8s\.io\//.test(o.apiVersion);
    const key = (o: Record<string, any>) => `${o.kind}/${o.metadata.name}`;
    const others = (m: typeof talos) => new Map(m.filter((x) => !isCpOrBootstrap(x.object)).map((x) => [key(x.object), x.object]));
    const a = others(talos);
    const b = others(rke2);
    // THEN the same non-control-plane, non-bootstrap objects exist
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    // AND they are identical except Cluster.spec.controlPlaneRef and the MachineDeployment's bootstrap
    // ref and version (part of the bootstrap switch: CAPRKE2 takes an RKE2 release, CABPT a Kubernetes version)
    const strip = (o: Record<string, any>) => {
      const c = JSON.parse(JSON.stringify(o));
      if (c.kind === 'Cluster') delete c.spec.controlPlaneRef;
      if (c.kind === 'MachineDeployment') {
        delete c.spec.template.spec.bootstrap;
        delete c.spec.template.spec.version;
      }
      return c;
    };
    for (const [k, o] of a) expect(strip(b.get(k)!)).toEqual(strip(o));
    const mdVersions = (m: typeof talos) => byKind(m, 'MachineDeployment').map((o) => o.spec.template.spec.version);
    expect(mdVersions(talos).length).toBeGreaterThan(0);
    expect(new Set(mdVersions(talos))).toEqual(new Set([VersionSet.pinned().kubernetes]));
    expect(new Set(mdVersions(rke2))).toEqual(new Set([VersionSet.pinned().rke2]));
    // AND the control-plane and bootstrap kinds are swapped
    expect(rke2.filter((x) => isCpOrBootstrap(x.object)).map((x) => x.object.kind).sort()).toEqual(['RKE2ConfigTemplate', 'RKE2ControlPlane']);
    expect(talos.filter((x) => isCpOrBootstrap(x.object)).map((x) => x.object.kind).sort()).toEqual(['TalosConfigTemplate', 'TalosControlPlane']);
    expect(validateFleetManifests(rke2).issues).toEqual([]);
  });

  test('RKE2 brings no CNI and no kube-proxy (Cilium replaces both)', () => {
    const [cp] = byKind(build(awsProps({ distribution: Distribution.rke2() })).manifests, 'RKE2ControlPlane');
    expect(cp.spec.serverConfig.cni).toBe('none');
    expect(cp.spec.serverConfig.disableComponents).toEqual({ kubernetesComponents: ['kubeProxy'] });
    expect(cp.spec.version).toMatch(/^v1\.\d+\.\d+\+rke2r\d+$/);
  });
});

describe('AWS security-group rules follow the Cilium datapath', () => {
  const rules = (datapath?: CiliumDatapath) => {
    const [c] = byKind(build(awsProps(datapath ? { ciliumDatapath: datapath } : {})).manifests, 'AWSCluster');
    return c.spec.network.cni.cniIngressRules as Array<{ description: string; protocol: string; fromPort: number; toPort: number }>;
  };
  const ports = (r: ReturnType<typeof rules>) => r.map((x) => `${x.fromPort}/${x.protocol}`).sort();

  test('default (CiliumNetworking defaults: native routing, WireGuard): no tunnel port, WireGuard 51871/udp', () => {
    expect(ports(rules())).toEqual(['4240/tcp', '4244/tcp', '51871/udp']);
  });

  test('VXLAN tunnel without encryption: 8472/udp, no WireGuard', () => {
    expect(ports(rules(CiliumDatapath.of({ tunnel: CiliumTunnel.VXLAN, encryption: CiliumEncryption.NONE })))).toEqual(['4240/tcp', '4244/tcp', '8472/udp']);
  });

  test('Geneve tunnel with WireGuard: 6081/udp and 51871/udp', () => {
    expect(ports(rules(CiliumDatapath.of({ tunnel: CiliumTunnel.GENEVE, encryption: CiliumEncryption.WIREGUARD })))).toEqual(['4240/tcp', '4244/tcp', '51871/udp', '6081/udp']);
  });

  test('native routing with IPsec: ESP (IP protocol 50), no tunnel port', () => {
    const r = rules(CiliumDatapath.of({ tunnel: CiliumTunnel.NATIVE, encryption: CiliumEncryption.IPSEC }));
    expect(r).toContainEqual({ description: 'cilium ipsec (esp)', protocol: '50', fromPort: -1, toPort: -1 });
    expect(ports(r)).toEqual(['-1/50', '4240/tcp', '4244/tcp']);
  });

  test('the control plane accepts Talos apid (50000) and trustd (50001, used by workers) from the node CIDR only', () => {
    const [c] = byKind(build(awsProps()).manifests, 'AWSCluster');
    const cp = c.spec.network.additionalControlPlaneIngressRules as Array<Record<string, unknown>>;
    expect(cp.map((r) => [r.description, r.fromPort, r.protocol, r.cidrBlocks])).toEqual([
      ['talos apid', 50000, 'tcp', ['10.18.0.0/16']],
      ['talos trustd', 50001, 'tcp', ['10.18.0.0/16']],
    ]);
  });
});

describe('Talos config schema', () => {
  test('the schema path follows the Talos version of the VersionSet', () => {
    expect(talosConfigSchemaPath()).toBe(`talos/v${VersionSet.pinned().talos.replace(/^v(\d+\.\d+)\..*$/, '$1')}/config.schema.json`);
    expect(talosConfigSchemaPath('v1.13.2')).toBe('talos/v1.13/config.schema.json');
  });

  test('fails on a Talos version that is not exact', () => {
    expect(() => talosConfigSchemaPath('1.12')).toThrow('[talos-schema] Talos version "1.12" is not an exact version; use e.g. v1.12.11');
  });

  test('accepts the Cilium patch and rejects an unknown field', () => {
    expect(validateTalosDocument({ cluster: { network: { cni: { name: 'none' } } } })).toEqual([]);
    expect(validateTalosDocument({ cluster: { network: { cnii: { name: 'none' } } } }).join()).toContain('cnii');
  });

  test('fails when a class patch does not match the Talos schema', () => {
    const cls = TalosClusterClass.dev(ClusterProvider.PROXMOX, { patches: [ClassPatch.talos({ machine: { kubeletx: {} } })] });
    const { issues } = validateTalosPatchesInManifests(build(proxmoxProps({ clusterClass: cls })).manifests);
    expect(issues.length).toBe(2); // control plane + worker
    expect(issues[0].problems.join()).toContain('kubeletx');
  });
});

describe('failing inputs', () => {
  const path = /\[mgmt\/apps\/Workload\]/;

  test('fails on an even control-plane count for an HA class', () => {
    expect(() => build(awsProps({ controlPlaneCount: 4 }))).toThrow(path);
    expect(() => build(awsProps({ controlPlaneCount: 4 }))).toThrow(/controlPlaneCount 4 is not allowed for the HA class "aws-prod"; etcd needs an odd count of at least 3/);
  });

  test('fails on overlapping pod and service CIDRs', () => {
    expect(() => build(awsProps({ network: { pods: [Cidr.of('10.16.0.0/12')], services: [Cidr.of('10.17.0.0/20')], nodes: Cidr.of('10.64.0.0/16') } }))).toThrow(
      /\[mgmt\/apps\/Workload\] network.services\[0\] 10.17.0.0\/20 overlaps network.pods\[0\] 10.16.0.0\/12/,
    );
  });

  test('fails on a node CIDR overlapping the pod CIDR', () => {
    expect(() => build(awsProps({ network: { pods: [Cidr.of('10.16.0.0/16')], services: [Cidr.of('10.17.0.0/20')], nodes: Cidr.of('10.16.128.0/20') } }))).toThrow(
      /network.nodes 10.16.128.0\/20 overlaps network.pods\[0\] 10.16.0.0\/16/,
    );
  });

  test('fails on a CIDR with host bits set and suggests the canonical form', () => {
    expect(() => build(awsProps({ network: { pods: [Cidr.of('10.16.1.0/16')], nodes: Cidr.of('10.18.0.0/16') } }))).toThrow(
      /\[mgmt\/apps\/Workload\] network.pods\[0\] "10.16.1.0\/16" has host bits set; use the network address "10.16.0.0\/16"/,
    );
  });

  test('fails on an IPv6 CIDR with host bits set', () => {
    expect(() => build(awsProps({ network: { pods: [Cidr.of('fd00:10:244::1/56')], nodes: Cidr.of('10.18.0.0/16') } }))).toThrow(/use the network address "fd00:10:244::\/56"/);
  });

  test('fails on a text that is not a CIDR', () => {
    expect(() => build(awsProps({ network: { nodes: Cidr.of('10.18.0.0') } }))).toThrow(/network.nodes "10.18.0.0" is not a CIDR/);
  });

  test('fails on a cluster name that is not DNS-1123', () => {
    expect(() => build(awsProps({ name: 'Prod_AWS' }))).toThrow(/\[mgmt\/apps\/Workload\] cluster name "Prod_AWS" is not a DNS-1123 label/);
  });

  test('fails on a cluster name too long for the provider', () => {
    const name = 'a'.repeat(45);
    expect(() => build(awsProps({ name }))).toThrow(new RegExp(`cluster name "${name}" \\(45 characters\\) is too long for aws`));
  });

  test('fails on a pool name that makes machine names too long', () => {
    expect(() => build(awsProps({ name: 'a'.repeat(30), workers: [{ name: 'b'.repeat(25), replicas: 1 }] }))).toThrow(/with pool "b+" is too long for aws/);
  });

  test('fails on a GCP cluster name starting with a digit', () => {
    const props: TalosClusterProps = {
      name: '1dev',
      clusterClass: TalosClusterClass.dev(ClusterProvider.GCP),
      network: { nodes: Cidr.of('10.50.0.0/20') },
      infrastructure: InfrastructureInputs.gcp({ project: 'p', region: 'europe-west4', image: 'img', credentials: SecretReference.fromExternalSecret('g', 'x') }),
    };
    expect(() => build(props)).toThrow(/cluster name "1dev" is not valid on GCP/);
  });

  test('fails when the AWS region is missing', () => {
    expect(() => build(awsProps({ infrastructure: awsInputs({ region: '' }) }))).toThrow(/\[mgmt\/apps\/Workload\] AWS input "region" is missing/);
  });

  test('fails when the Proxmox nodes are missing', () => {
    expect(() => build(proxmoxProps({ infrastructure: proxmoxInputs({ nodes: [] }) }))).toThrow(/Proxmox input "nodes" is missing/);
  });

  test('fails when the Proxmox template is missing', () => {
    expect(() => build(proxmoxProps({ infrastructure: proxmoxInputs({ templateId: undefined as unknown as number }) }))).toThrow(/Proxmox input "templateId" undefined is missing or invalid/);
  });

  test('fails when the Proxmox VIP is outside the node CIDR', () => {
    expect(() => build(proxmoxProps({ infrastructure: proxmoxInputs({ controlPlaneEndpoint: '10.0.0.1' }) }))).toThrow(/controlPlaneEndpoint "10.0.0.1" is outside the node CIDR 192.168.10.0\/24/);
  });

  test('fails when inputs are for another provider than the class', () => {
    expect(() => build(awsProps({ infrastructure: proxmoxInputs() }))).toThrow(/infrastructure is for provider "proxmox" but class "aws-prod" is for "aws"/);
  });

  test('fails on a machine size the provider cannot use', () => {
    expect(() => build(awsProps({ workers: [{ name: 'w', machine: MachineSize.virtual({ cores: 2, memoryMiB: 4096, diskGiB: 20 }) }] }))).toThrow(/worker pool "w" machine is a VM .* which AWS cannot use/);
  });

  test('fails on an AWS static identity secret outside capa-system', () => {
    expect(() => build(awsProps({ infrastructure: awsInputs({ identity: AwsIdentity.staticCredentials(SecretReference.fromSealedSecret('s', 'default')) }) }))).toThrow(
      /must be "capa-system"/,
    );
  });

  test('fails on an unsupported Kubernetes version (VersionSet)', () => {
    expect(() => build(awsProps({ versions: VersionSet.of({ kubernetes: 'v1.30.0' }) }))).toThrow(
      '[mgmt/apps/Workload] unsupported version set: kubernetes "v1.30.0" is outside 1.33–1.35, the Kubernetes range every component of this set supports',
    );
  });

  test('fails on a class object patch for a kind the cluster does not emit', () => {
    const cls = TalosClusterClass.prod(ClusterProvider.AWS, { patches: [ClassPatch.object('GCPMachineTemplate', JsonPatch.add('/x', 1))] });
    expect(() => build(awsProps({ clusterClass: cls }))).toThrow(/class patch targets kind "GCPMachineTemplate", which this cluster does not emit/);
  });

  test('fails on duplicate cluster names in a fleet, naming both', () => {
    const { fleet } = testCluster('mgmt');
    const other = fleet.addCluster('mgmt2', { name: 'mgmt2' });
    const first = fleet.clusters[0];
    new TalosCluster(first.apps, 'A', proxmoxProps());
    new TalosCluster(other.apps as FluxLayer, 'B', proxmoxProps());
    expect(() => fleet.manifests()).toThrow(/\[mgmt2\/apps\/B\] cluster name "lab" is already used by mgmt\/apps\/A/);
  });

  test('fails when the Metal3 inventory lacks hosts for the control plane', () => {
    const props: TalosClusterProps = {
      name: 'edge',
      clusterClass: TalosClusterClass.edge(ClusterProvider.METAL3),
      network: { nodes: Cidr.of('192.168.30.0/24') },
      infrastructure: InfrastructureInputs.metal3({
        hosts: [],
        image: { url: 'https://example.com/metal.raw', checksum: 'https://example.com/metal.raw.sha256' },
        controlPlaneEndpoint: '192.168.30.10',
        vipLink: 'eno1',
      }),
    };
    expect(() => build(props)).toThrow(/\[mgmt\/apps\/Workload\] Metal3 input "hosts" is missing/);
    const oneWorker = { ...props, infrastructure: InfrastructureInputs.metal3({ hosts: [{ name: 'h1', role: NodeRole.WORKER, bmcAddress: 'ipmi://10.0.0.1', bootMacAddress: '52:54:00:00:00:01', bmcCredentials: SecretReference.fromSealedSecret('b', 'edge') }], image: { url: 'u', checksum: 'c' }, controlPlaneEndpoint: '192.168.30.10', vipLink: 'eno1' }) };
    expect(() => build(oneWorker)).toThrow(/Metal3 inventory has 0 control-plane host\(s\) but the cluster needs 1/);
  });

  test('fails when the Azure identity is missing its tenant', () => {
    const props: TalosClusterProps = {
      name: 'az',
      clusterClass: TalosClusterClass.dev(ClusterProvider.AZURE),
      network: { nodes: Cidr.of('10.34.0.0/16') },
      infrastructure: InfrastructureInputs.azure({ location: 'westeurope', subscriptionId: 's', imageId: 'i', identity: AzureIdentity.workloadIdentity({ clientId: 'c', tenantId: '' }) }),
    };
    expect(() => build(props)).toThrow(/Azure input "identity.tenantId" is missing/);
  });

  test('fails on duplicate worker pool names', () => {
    expect(() => build(awsProps({ workers: [{ name: 'w' }, { name: 'w' }] }))).toThrow(/worker pool name "w" is used twice/);
  });
});

describe('failing inputs: TalosCluster rules', () => {
  test('fails on an empty pods CIDR list', () => {
    // GIVEN network.pods = [] WHEN the cluster is built THEN the error names the path and the rule
    expect(() => build(awsProps({ network: { pods: [], services: [Cidr.of('10.17.0.0/20')], nodes: Cidr.of('10.18.0.0/16') } }))).toThrow(
      /\[mgmt\/apps\/Workload\] network.pods and network.services need at least one CIDR each/,
    );
  });

  test('fails on an empty services CIDR list', () => {
    expect(() => build(awsProps({ network: { pods: [Cidr.of('10.16.0.0/16')], services: [], nodes: Cidr.of('10.18.0.0/16') } }))).toThrow(
      /\[mgmt\/apps\/Workload\] network.pods and network.services need at least one CIDR each/,
    );
  });

  test('fails on a control-plane count below 1', () => {
    expect(() => build(proxmoxProps({ controlPlaneCount: 0 }))).toThrow(/\[mgmt\/apps\/Workload\] controlPlaneCount 0 is invalid; use 1 or more/);
  });

  test('fails on a control-plane count that is not a whole number', () => {
    expect(() => build(proxmoxProps({ controlPlaneCount: 1.5 }))).toThrow(/\[mgmt\/apps\/Workload\] controlPlaneCount 1.5 is invalid; use 1 or more/);
  });

  test('fails on autoscaling with minReplicas above maxReplicas', () => {
    expect(() => build(awsProps({ workers: [{ name: 'w', autoscaling: { minReplicas: 5, maxReplicas: 3 } }] }))).toThrow(
      /\[mgmt\/apps\/Workload\] worker pool "w" autoscaling 5-3 is invalid; use 0 <= minReplicas <= maxReplicas, maxReplicas >= 1/,
    );
  });

  test('fails on autoscaling with maxReplicas 0', () => {
    expect(() => build(awsProps({ workers: [{ name: 'w', autoscaling: { minReplicas: 0, maxReplicas: 0 } }] }))).toThrow(
      /\[mgmt\/apps\/Workload\] worker pool "w" autoscaling 0-0 is invalid/,
    );
  });

  test('fails on autoscaling with a negative minReplicas', () => {
    expect(() => build(awsProps({ workers: [{ name: 'w', autoscaling: { minReplicas: -1, maxReplicas: 3 } }] }))).toThrow(
      /\[mgmt\/apps\/Workload\] worker pool "w" autoscaling -1-3 is invalid/,
    );
  });

  test('fails on a negative worker replica count', () => {
    expect(() => build(awsProps({ workers: [{ name: 'w', replicas: -1 }] }))).toThrow(/\[mgmt\/apps\/Workload\] worker pool "w" replicas -1 is invalid; use 0 or more/);
  });

  test('fails on a worker replica count that is not a whole number', () => {
    expect(() => build(awsProps({ workers: [{ name: 'w', replicas: 2.5 }] }))).toThrow(/\[mgmt\/apps\/Workload\] worker pool "w" replicas 2.5 is invalid/);
  });

  test('fails on a pool name that is not a DNS-1123 label', () => {
    expect(() => build(awsProps({ workers: [{ name: 'Big_Pool', replicas: 1 }] }))).toThrow(/\[mgmt\/apps\/Workload\] worker pool name "Big_Pool" is not a DNS-1123 label/);
  });

  test('fails with no worker pools when the class does not schedule on control planes', () => {
    expect(() => build(awsProps({ workers: [] }))).toThrow(
      /\[mgmt\/apps\/Workload\] class "aws-prod" has no worker pools and does not schedule on control planes; add a worker pool/,
    );
  });

  test('accepts no worker pools when the class schedules on control planes (edge)', () => {
    // the counterpart of the rule above: the edge variant runs workloads on its control plane
    const props: TalosClusterProps = {
      name: 'edge',
      clusterClass: TalosClusterClass.edge(ClusterProvider.PROXMOX),
      infrastructure: proxmoxInputs(),
      network: { nodes: Cidr.of('192.168.10.0/24') },
      workers: [],
    };
    expect(() => new TalosCluster(testCluster('mgmt').cluster.apps, 'Workload', props)).not.toThrow();
  });
});

describe('failing inputs: provider rules (lib/cluster/providers.ts)', () => {
  const azureInputs = (over: Partial<Parameters<typeof InfrastructureInputs.azure>[0]> = {}) =>
    InfrastructureInputs.azure({ location: 'westeurope', subscriptionId: 's', imageId: 'i', identity: AzureIdentity.workloadIdentity({ clientId: 'c', tenantId: 't' }), ...over });
  const azureProps = (over: Partial<TalosClusterProps> = {}): TalosClusterProps => ({
    name: 'az',
    clusterClass: TalosClusterClass.dev(ClusterProvider.AZURE),
    network: { nodes: Cidr.of('10.34.0.0/16') },
    infrastructure: azureInputs(),
    ...over,
  });
  const gcpInputs = (over: Partial<Parameters<typeof InfrastructureInputs.gcp>[0]> = {}) =>
    InfrastructureInputs.gcp({ project: 'p', region: 'europe-west4', image: 'img', credentials: SecretReference.fromExternalSecret('g', 'x'), ...over });
  const gcpProps = (over: Partial<TalosClusterProps> = {}): TalosClusterProps => ({
    name: 'gcp',
    clusterClass: TalosClusterClass.dev(ClusterProvider.GCP),
    network: { nodes: Cidr.of('10.50.0.0/20') },
    infrastructure: gcpInputs(),
    ...over,
  });
  type HostProps = Parameters<typeof InfrastructureInputs.metal3>[0]['hosts'][number];
  const host = (name: string, role: NodeRole, over: Partial<HostProps> = {}): HostProps => ({
    name,
    role,
    bmcAddress: 'redfish-virtualmedia://10.0.0.10/redfish/v1/Systems/1',
    bootMacAddress: '52:54:00:00:00:01',
    bmcCredentials: SecretReference.fromSealedSecret(`${name}-bmc`, 'edge'),
    ...over,
  });
  const metal3Inputs = (over: Partial<Parameters<typeof InfrastructureInputs.metal3>[0]> = {}) =>
    InfrastructureInputs.metal3({
      hosts: [host('cp1', NodeRole.CONTROL_PLANE), host('w1', NodeRole.WORKER, { bootMacAddress: '52:54:00:00:00:02' })],
      image: { url: 'https://example.com/metal.raw', checksum: 'https://example.com/metal.raw.sha256' },
      controlPlaneEndpoint: '192.168.30.10',
      vipLink: 'eno1',
      ...over,
    });
  const metal3Props = (over: Partial<TalosClusterProps> = {}): TalosClusterProps => ({
    name: 'edge',
    clusterClass: TalosClusterClass.edge(ClusterProvider.METAL3),
    network: { nodes: Cidr.of('192.168.30.0/24') },
    infrastructure: metal3Inputs(),
    ...over,
  });

  test('the valid inputs used below pass (so each failure below is caused by its one bad value)', () => {
    expect(() => build(awsProps())).not.toThrow();
    expect(() => build(azureProps())).not.toThrow();
    expect(() => build(gcpProps())).not.toThrow();
    expect(() => build(proxmoxProps())).not.toThrow();
    expect(() => build(metal3Props())).not.toThrow();
  });

  // --- AWS
  test('fails on an AWS region that is not a region name', () => {
    expect(() => build(awsProps({ infrastructure: awsInputs({ region: 'Frankfurt' }) }))).toThrow(
      /\[mgmt\/apps\/Workload\] AWS region "Frankfurt" is not an AWS region name; use e.g. eu-central-1/,
    );
  });

  test('fails when the AWS AMI id is missing', () => {
    expect(() => build(awsProps({ infrastructure: awsInputs({ amiId: '' }) }))).toThrow(/\[mgmt\/apps\/Workload\] AWS input "amiId" is missing/);
  });

  test('fails on an AWS AMI id that is not ami-<hex>', () => {
    expect(() => build(awsProps({ infrastructure: awsInputs({ amiId: 'ami-TALOS' }) }))).toThrow(/\[mgmt\/apps\/Workload\] AWS amiId "ami-TALOS" is not an AMI id; use ami-<hex>/);
  });

  test('fails on an AWS availability-zone count of 0', () => {
    expect(() => build(awsProps({ infrastructure: awsInputs({ availabilityZoneCount: 0 }) }))).toThrow(
      /\[mgmt\/apps\/Workload\] AWS availabilityZoneCount 0 is out of range; use 1-6/,
    );
  });

  test('fails on an AWS availability-zone count above 6', () => {
    expect(() => build(awsProps({ infrastructure: awsInputs({ availabilityZoneCount: 7 }) }))).toThrow(
      /\[mgmt\/apps\/Workload\] AWS availabilityZoneCount 7 is out of range; use 1-6/,
    );
  });

  // --- Azure
  test('fails on an Azure node CIDR smaller than /28', () => {
    expect(() => build(azureProps({ network: { nodes: Cidr.of('10.34.0.0/29') } }))).toThrow(
      /\[mgmt\/apps\/Workload\] Azure node CIDR 10.34.0.0\/29 is too small to split into control-plane and node subnets; use \/28 or larger/,
    );
  });

  test('accepts an Azure node CIDR of exactly /28', () => {
    expect(() => build(azureProps({ network: { nodes: Cidr.of('10.34.0.0/28') } }))).not.toThrow();
  });

  test.each([
    ['location', { location: '' }],
    ['subscriptionId', { subscriptionId: ' ' }],
    ['imageId', { imageId: '' }],
    ['identity.clientId', { identity: AzureIdentity.workloadIdentity({ clientId: '', tenantId: 't' }) }],
  ] as const)('fails when the Azure input %s is missing', (what, over) => {
    expect(() => build(azureProps({ infrastructure: azureInputs(over) }))).toThrow(new RegExp(`\\[mgmt/apps/Workload\\] Azure input "${what.replace('.', '\\.')}" is missing`));
  });

  // --- GCP
  test.each([
    ['project', { project: '' }],
    ['region', { region: '' }],
    ['image', { image: '' }],
  ] as const)('fails when the GCP input %s is missing', (what, over) => {
    expect(() => build(gcpProps({ infrastructure: gcpInputs(over) }))).toThrow(new RegExp(`\\[mgmt/apps/Workload\\] GCP input "${what}" is missing`));
  });

  test('fails when the GCP credentials are missing', () => {
    expect(() => build(gcpProps({ infrastructure: gcpInputs({ credentials: undefined as unknown as SecretReference }) }))).toThrow(
      /\[mgmt\/apps\/Workload\] GCP input "credentials" is missing; the GCP provider needs a service-account Secret reference/,
    );
  });

  // --- Proxmox
  test('fails on a Proxmox template id below 100', () => {
    expect(() => build(proxmoxProps({ infrastructure: proxmoxInputs({ templateId: 99 }) }))).toThrow(/\[mgmt\/apps\/Workload\] Proxmox input "templateId" 99 is missing or invalid/);
  });

  test('fails when the Proxmox control-plane endpoint is missing', () => {
    expect(() => build(proxmoxProps({ infrastructure: proxmoxInputs({ controlPlaneEndpoint: '' }) }))).toThrow(/\[mgmt\/apps\/Workload\] Proxmox input "controlPlaneEndpoint" is missing/);
  });

  test('fails on a Proxmox gateway that is not an IP address', () => {
    expect(() => build(proxmoxProps({ infrastructure: proxmoxInputs({ gateway: 'router.lan' }) }))).toThrow(/\[mgmt\/apps\/Workload\] Proxmox gateway "router.lan" is not an IP address/);
  });

  test('fails on a Proxmox gateway outside the node CIDR', () => {
    expect(() => build(proxmoxProps({ infrastructure: proxmoxInputs({ gateway: '192.168.11.1' }) }))).toThrow(
      /\[mgmt\/apps\/Workload\] Proxmox gateway "192.168.11.1" is outside the node CIDR 192.168.10.0\/24/,
    );
  });

  test('fails when the Proxmox node addresses are missing', () => {
    expect(() => build(proxmoxProps({ infrastructure: proxmoxInputs({ nodeAddresses: [] }) }))).toThrow(/\[mgmt\/apps\/Workload\] Proxmox input "nodeAddresses" is missing/);
  });

  test('fails on a Proxmox node address range that leaves the node CIDR', () => {
    expect(() => build(proxmoxProps({ infrastructure: proxmoxInputs({ nodeAddresses: ['192.168.10.100-192.168.11.20'] }) }))).toThrow(
      /\[mgmt\/apps\/Workload\] Proxmox nodeAddresses entry "192.168.11.20" is outside the node CIDR 192.168.10.0\/24/,
    );
  });

  test('fails when the Proxmox DNS servers are missing', () => {
    expect(() => build(proxmoxProps({ infrastructure: proxmoxInputs({ dnsServers: [] }) }))).toThrow(/\[mgmt\/apps\/Workload\] Proxmox input "dnsServers" is missing/);
  });

  test('fails when the Proxmox credentials are missing', () => {
    expect(() => build(proxmoxProps({ infrastructure: proxmoxInputs({ credentials: undefined as unknown as SecretReference }) }))).toThrow(
      /\[mgmt\/apps\/Workload\] Proxmox input "credentials" is missing; give a SealedSecret or ExternalSecret reference/,
    );
  });

  test('fails on a Proxmox VM with 0 cores', () => {
    expect(() => build(proxmoxProps({ workers: [{ name: 'w', machine: MachineSize.virtual({ cores: 0, memoryMiB: 4096, diskGiB: 20 }) }] }))).toThrow(
      /\[mgmt\/apps\/Workload\] worker pool "w" machine cores 0 is invalid; use 1 or more/,
    );
  });

  test('fails on a Proxmox VM below the Talos memory minimum', () => {
    expect(() => build(proxmoxProps({ workers: [{ name: 'w', machine: MachineSize.virtual({ cores: 2, memoryMiB: 1024, diskGiB: 20 }) }] }))).toThrow(
      /\[mgmt\/apps\/Workload\] worker pool "w" machine memoryMiB 1024 is below the Talos minimum; use 2048 or more/,
    );
  });

  test('fails on a Proxmox VM below the Talos disk minimum', () => {
    expect(() => build(proxmoxProps({ workers: [{ name: 'w', machine: MachineSize.virtual({ cores: 2, memoryMiB: 4096, diskGiB: 8 }) }] }))).toThrow(
      /\[mgmt\/apps\/Workload\] worker pool "w" machine diskGiB 8 is below the Talos minimum; use 10 or more/,
    );
  });

  // --- Metal3
  test('fails when the Metal3 inventory has fewer worker hosts than the worker pools need', () => {
    expect(() => build(metal3Props({ workers: [{ name: 'w', replicas: 2 }] }))).toThrow(
      /\[mgmt\/apps\/Workload\] Metal3 inventory has 1 worker host\(s\) but the worker pools need 2; add hosts with role NodeRole.WORKER/,
    );
  });

  test('fails on a Metal3 host name used twice', () => {
    const hosts = [host('cp1', NodeRole.CONTROL_PLANE), host('cp1', NodeRole.WORKER, { bootMacAddress: '52:54:00:00:00:02' })];
    expect(() => build(metal3Props({ infrastructure: metal3Inputs({ hosts }) }))).toThrow(/\[mgmt\/apps\/Workload\] Metal3 host name "cp1" is used twice; host names must be unique/);
  });

  test('fails on a Metal3 boot MAC address that is not a MAC address', () => {
    const hosts = [host('cp1', NodeRole.CONTROL_PLANE, { bootMacAddress: '52-54-00-00-00-01' })];
    expect(() => build(metal3Props({ infrastructure: metal3Inputs({ hosts }) }))).toThrow(
      /\[mgmt\/apps\/Workload\] Metal3 host "cp1" bootMacAddress "52-54-00-00-00-01" is not a MAC address/,
    );
  });

  test('fails when a Metal3 host has no BMC address', () => {
    const hosts = [host('cp1', NodeRole.CONTROL_PLANE, { bmcAddress: '' })];
    expect(() => build(metal3Props({ infrastructure: metal3Inputs({ hosts }) }))).toThrow(/\[mgmt\/apps\/Workload\] Metal3 input "hosts\[cp1\].bmcAddress" is missing/);
  });

  test('fails on a Metal3 BMC secret outside the cluster namespace', () => {
    const hosts = [host('cp1', NodeRole.CONTROL_PLANE, { bmcCredentials: SecretReference.fromSealedSecret('bmc', 'metal3') })];
    expect(() => build(metal3Props({ infrastructure: metal3Inputs({ hosts }) }))).toThrow(
      /\[mgmt\/apps\/Workload\] Metal3 host "cp1" BMC secret namespace "metal3" must be the cluster namespace "edge"/,
    );
  });

  test.each([
    ['image.url', { image: { url: '', checksum: 'c' } }],
    ['image.checksum', { image: { url: 'u', checksum: '' } }],
    ['vipLink', { vipLink: '' }],
    ['controlPlaneEndpoint', { controlPlaneEndpoint: '' }],
  ] as const)('fails when the Metal3 input %s is missing', (what, over) => {
    expect(() => build(metal3Props({ infrastructure: metal3Inputs(over) }))).toThrow(new RegExp(`\\[mgmt/apps/Workload\\] Metal3 input "${what.replace('.', '\\.')}" is missing`));
  });

  test('fails on a Metal3 control-plane endpoint outside the node CIDR', () => {
    expect(() => build(metal3Props({ infrastructure: metal3Inputs({ controlPlaneEndpoint: '10.0.0.10' }) }))).toThrow(
      /\[mgmt\/apps\/Workload\] Metal3 controlPlaneEndpoint "10.0.0.10" is outside the node CIDR 192.168.30.0\/24/,
    );
  });

  test('fails on a Metal3 machine that is not a bare-metal host selector', () => {
    expect(() => build(metal3Props({ workers: [{ name: 'w', replicas: 1, machine: MachineSize.instanceType('m6i.large') }] }))).toThrow(
      /\[mgmt\/apps\/Workload\] worker pool "w" machine is a .* which Metal3 cannot use/,
    );
  });
});

/** The InfraFluxError `fn` throws (fails the test when it throws nothing or something else). */
function codeOf(fn: () => unknown): ErrorCode {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InfraFluxError);
    return (e as InfraFluxError).code;
  }
  throw new Error('expected an InfraFluxError');
}

describe('TalosCluster error codes (one per rule family)', () => {
  test.each<[string, Partial<TalosClusterProps>]>([
    ['pods and services', { network: { pods: [Cidr.of('10.16.0.0/12')], services: [Cidr.of('10.17.0.0/20')], nodes: Cidr.of('10.64.0.0/16') } }],
    ['nodes and pods', { network: { pods: [Cidr.of('10.16.0.0/16')], services: [Cidr.of('10.17.0.0/20')], nodes: Cidr.of('10.16.128.0/20') } }],
  ])('fails on overlapping %s CIDRs with CIDR_OVERLAP', (_what, over) => {
    // GIVEN overlapping networks WHEN built THEN CIDR_OVERLAP
    expect(codeOf(() => build(awsProps(over)))).toBe(ErrorCode.CIDR_OVERLAP);
  });

  test.each<[string, Partial<TalosClusterProps>]>([
    ['an even HA control-plane count', { controlPlaneCount: 4 }],
    ['a control-plane count below 1', { controlPlaneCount: 0 }],
    ['a fractional control-plane count', { controlPlaneCount: 1.5 }],
    ['autoscaling with min above max', { workers: [{ name: 'w', autoscaling: { minReplicas: 5, maxReplicas: 3 } }] }],
    ['autoscaling with max 0', { workers: [{ name: 'w', autoscaling: { minReplicas: 0, maxReplicas: 0 } }] }],
    ['a negative replica count', { workers: [{ name: 'w', replicas: -1 }] }],
  ])('fails on %s with INVALID_NODE_COUNT', (_what, over) => {
    // GIVEN a node count outside what is allowed WHEN built THEN INVALID_NODE_COUNT
    expect(codeOf(() => build(awsProps(over)))).toBe(ErrorCode.INVALID_NODE_COUNT);
  });

  test('fails on a cluster name too long for the provider with NAME_TOO_LONG', () => {
    // GIVEN a 45-character name on AWS WHEN built THEN NAME_TOO_LONG
    expect(codeOf(() => build(awsProps({ name: 'a'.repeat(45) })))).toBe(ErrorCode.NAME_TOO_LONG);
  });

  test('fails on a pool name that makes machine names too long with NAME_TOO_LONG', () => {
    // GIVEN a long cluster and pool name WHEN built THEN NAME_TOO_LONG
    expect(codeOf(() => build(awsProps({ name: 'a'.repeat(30), workers: [{ name: 'b'.repeat(25), replicas: 1 }] })))).toBe(ErrorCode.NAME_TOO_LONG);
  });

  test('fails on an unsupported version set with UNSUPPORTED_VERSION', () => {
    // GIVEN a Talos version that is not exact WHEN built THEN UNSUPPORTED_VERSION
    expect(codeOf(() => build(awsProps({ versions: VersionSet.of({ talos: 'v1.13' }) })))).toBe(ErrorCode.UNSUPPORTED_VERSION);
  });
});

describe('TalosCluster external cloud provider (decision 0070)', () => {
  const docsOf = (c: TalosCluster, role: string): Array<Record<string, any>> => [...(c.talosDocuments().get(role) ?? [])] as Array<Record<string, any>>;
  const metal3 = (over: Partial<TalosClusterProps> = {}): TalosClusterProps => ({
    name: 'edge',
    clusterClass: TalosClusterClass.edge(ClusterProvider.METAL3),
    network: { nodes: Cidr.of('192.168.30.0/24') },
    infrastructure: InfrastructureInputs.metal3({
      hosts: [{ name: 'cp1', role: NodeRole.CONTROL_PLANE, bmcAddress: 'redfish://192.168.31.11/redfish/v1/Systems/1', bootMacAddress: '52:54:00:00:00:01', bmcCredentials: SecretReference.fromSealedSecret('cp1-bmc', 'edge') }],
      image: { url: 'https://example.com/metal.raw', checksum: 'https://example.com/metal.raw.sha256' },
      controlPlaneEndpoint: '192.168.30.10',
      vipLink: 'eno1',
    }),
    ...over,
  });

  test('AWS: every node runs with the external cloud provider and registers with its FQDN; the documents are schema-valid', () => {
    // GIVEN an AWS cluster with the defaults
    const { tc: cluster } = build(awsProps());
    // THEN control plane and workers carry the switch, and kubelet registers with the FQDN
    expect(cluster.externalCloudProvider).toBe(true);
    for (const role of cluster.talosDocuments().keys()) {
      const doc = docsOf(cluster, role).find((d) => d.cluster?.externalCloudProvider);
      expect({ role, doc }).toEqual({ role, doc: { cluster: { externalCloudProvider: { enabled: true } }, machine: { kubelet: { registerWithFQDN: true } } } });
      for (const d of docsOf(cluster, role)) expect(validateTalosDocument(d)).toEqual([]);
    }
  });

  test('Proxmox: the external cloud provider without registerWithFQDN (the Proxmox CCM keys on the VM)', () => {
    const { tc: cluster } = build(proxmoxProps());
    const doc = docsOf(cluster, 'control-plane').find((d) => d.cluster?.externalCloudProvider);
    expect(doc).toEqual({ cluster: { externalCloudProvider: { enabled: true } } });
  });

  test('Metal3 and an explicit opt-out: no external cloud provider', () => {
    const { tc: edge } = build(metal3());
    expect(edge.externalCloudProvider).toBe(false);
    const { tc: aws } = build(awsProps({ externalCloudProvider: false }));
    for (const role of aws.talosDocuments().keys()) expect(docsOf(aws, role).some((d) => d.cluster?.externalCloudProvider)).toBe(false);
  });

  test('RKE2: no external cloud provider by default; fails when asked for one', () => {
    const { tc } = build(awsProps({ distribution: Distribution.rke2() }));
    expect(tc.externalCloudProvider).toBe(false);
    expect(() => build(awsProps({ distribution: Distribution.rke2(), externalCloudProvider: true }))).toThrow(/externalCloudProvider true with Distribution\.rke2\(\)/);
  });

  test('fails on the external cloud provider on Metal3 (CAPM3 sets the provider IDs)', () => {
    expect(() => build(metal3({ externalCloudProvider: true }))).toThrow(/\[mgmt\/apps\/Workload\] externalCloudProvider true on Metal3/);
  });
});
