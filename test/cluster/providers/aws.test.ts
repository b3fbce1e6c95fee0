import {
  AwsIdentity,
  CAPA_NAMESPACE,
  Cidr,
  CiliumDatapath,
  CiliumEncryption,
  CiliumTunnel,
  ClusterProvider,
  Distribution,
  InfrastructureInputs,
  MachineSize,
  SecretReference,
  TalosClusterClass,
  TalosClusterProps,
} from '../../../lib/cluster';
import { ErrorCode } from '../../../lib/core/errors';
import { thrownBy } from '../../support/errors';
import { build, byKind, providerObjects } from './_build';

type AwsProps = Parameters<typeof InfrastructureInputs.aws>[0];

function props(inputs: Partial<AwsProps> = {}, over: Partial<TalosClusterProps> = {}): TalosClusterProps {
  return {
    name: 'prod',
    clusterClass: TalosClusterClass.prod(ClusterProvider.AWS),
    infrastructure: InfrastructureInputs.aws({ region: 'eu-central-1', amiId: 'ami-0123456789abcdef0', ...inputs }),
    network: { pods: [Cidr.of('10.16.0.0/16')], services: [Cidr.of('10.17.0.0/20')], nodes: Cidr.of('10.18.0.0/16') },
    ...over,
  };
}

describe('AWS provider strategy (CAPA)', () => {
  // GIVEN a prod AWS cluster with the default identity (CAPA's controller identity)
  const { manifests } = build(props());

  test('matches the snapshot', () => {
    // THEN
    expect(providerObjects(manifests)).toMatchSnapshot();
  });

  test('the inputs are for AWS', () => {
    // THEN
    expect(InfrastructureInputs.aws({ region: 'eu-central-1', amiId: 'ami-0123456789abcdef0' }).provider).toBe(ClusterProvider.AWS);
  });

  test('AWSCluster: region, VPC from the node CIDR, zone limit 3, controller identity, internet-facing NLB', () => {
    // THEN
    const [c] = byKind(manifests, 'AWSCluster');
    expect(c.apiVersion).toBe('infrastructure.cluster.x-k8s.io/v1beta2');
    expect(c.metadata).toMatchObject({ name: 'prod', namespace: 'prod' });
    expect(c.spec.region).toBe('eu-central-1');
    expect(c.spec.identityRef).toEqual({ kind: 'AWSClusterControllerIdentity', name: 'default' });
    expect(c.spec.network.vpc).toEqual({ cidrBlock: '10.18.0.0/16', availabilityZoneUsageLimit: 3 });
    expect(c.spec.controlPlaneLoadBalancer).toEqual({ loadBalancerType: 'nlb', scheme: 'internet-facing', healthCheckProtocol: 'TCP' });
    expect(byKind(manifests, 'AWSClusterStaticIdentity')).toEqual([]);
  });

  test('security groups: Cilium rules of the default datapath (native, WireGuard) and Talos apid/trustd from the node CIDR', () => {
    // GIVEN
    const [c] = byKind(manifests, 'AWSCluster');
    // THEN
    expect(c.spec.network.cni.cniIngressRules.map((r: any) => `${r.protocol}/${r.fromPort}`)).toEqual(['tcp/4240', 'tcp/4244', 'udp/51871']);
    expect(c.spec.network.additionalControlPlaneIngressRules.map((r: any) => [r.fromPort, r.toPort, r.cidrBlocks])).toEqual([
      [50000, 50000, ['10.18.0.0/16']],
      [50001, 50001, ['10.18.0.0/16']],
    ]);
  });

  test('security groups follow a VXLAN + IPsec datapath', () => {
    // GIVEN a VXLAN tunnel with IPsec WHEN built
    const { manifests: m } = build(props({}, { ciliumDatapath: CiliumDatapath.of({ tunnel: CiliumTunnel.VXLAN, encryption: CiliumEncryption.IPSEC }) }));
    // THEN the tunnel port and ESP are open, WireGuard is not
    const [c] = byKind(m, 'AWSCluster');
    expect(c.spec.network.cni.cniIngressRules.map((r: any) => `${r.protocol}/${r.fromPort}`)).toEqual(['tcp/4240', 'tcp/4244', 'udp/8472', '50/-1']);
  });

  test('machine templates: prod sizes, Talos AMI, IMDSv2, encrypted gp3, no public IP, role profiles', () => {
    // GIVEN
    const templates = byKind(manifests, 'AWSMachineTemplate');
    const cp = templates.find((t) => t.metadata.name.startsWith('prod-control-plane-'))!;
    const w = templates.find((t) => t.metadata.name.startsWith('prod-workers-'))!;
    // THEN
    expect(cp.spec.template.spec).toMatchObject({
      instanceType: 'm6i.xlarge',
      ami: { id: 'ami-0123456789abcdef0' },
      iamInstanceProfile: 'control-plane.cluster-api-provider-aws.sigs.k8s.io',
      cloudInit: { insecureSkipSecretsManager: true },
      uncompressedUserData: true,
      rootVolume: { size: 50, type: 'gp3', encrypted: true },
      instanceMetadataOptions: { httpTokens: 'required', httpEndpoint: 'enabled', httpPutResponseHopLimit: 2 },
      publicIP: false,
    });
    expect(w.spec.template.spec).toMatchObject({ instanceType: 'm6i.2xlarge', iamInstanceProfile: 'nodes.cluster-api-provider-aws.sigs.k8s.io', rootVolume: { size: 100 } });
  });

  test('template names rotate with the spec (<base>-<8 hex>)', () => {
    // GIVEN the same cluster with another AMI
    const other = build(props({ amiId: 'ami-0fedcba9876543210' })).manifests;
    const name = (m: typeof manifests) => byKind(m, 'AWSMachineTemplate').find((t) => t.metadata.name.startsWith('prod-control-plane-'))!.metadata.name as string;
    // THEN the name changes, so CAPI rolls the machines
    expect(name(manifests)).toMatch(/^prod-control-plane-[0-9a-f]{8}$/);
    expect(name(other)).toMatch(/^prod-control-plane-[0-9a-f]{8}$/);
    expect(name(other)).not.toBe(name(manifests));
  });

  test('default sizes per variant: dev m6i.large, edge t3.large', () => {
    // GIVEN
    const size = (cls: TalosClusterClass) =>
      byKind(build(props({}, { name: 'c1', clusterClass: cls })).manifests, 'AWSMachineTemplate')[0].spec.template.spec.instanceType;
    // THEN
    expect(size(TalosClusterClass.dev(ClusterProvider.AWS))).toBe('m6i.large');
    expect(size(TalosClusterClass.edge(ClusterProvider.AWS))).toBe('t3.large');
  });

  test('a static identity emits an AWSClusterStaticIdentity for the cluster namespace only', () => {
    // GIVEN static credentials in capa-system
    const { manifests: m } = build(props({ identity: AwsIdentity.staticCredentials(SecretReference.fromSealedSecret('aws-keys', CAPA_NAMESPACE)), internalApiServer: true, availabilityZoneCount: 2 }));
    // THEN
    const [id] = byKind(m, 'AWSClusterStaticIdentity');
    expect(id.metadata.name).toBe('prod-prod');
    expect(id.metadata.namespace).toBeUndefined();
    expect(id.spec).toEqual({ secretRef: 'aws-keys', allowedNamespaces: { list: ['prod'] } });
    const [c] = byKind(m, 'AWSCluster');
    expect(c.spec.identityRef).toEqual({ kind: 'AWSClusterStaticIdentity', name: 'prod-prod' });
    expect(c.spec.controlPlaneLoadBalancer.scheme).toBe('internal');
    expect(c.spec.network.vpc.availabilityZoneUsageLimit).toBe(2);
  });

  test('with a ClusterClass: an AWSClusterTemplate whose VPC CIDR is the nodeCidr variable', () => {
    // GIVEN RKE2 from a ClusterClass
    const { manifests: m } = build(props({}, { distribution: Distribution.rke2({ clusterClass: true }) }));
    // THEN
    const [t] = byKind(m, 'AWSClusterTemplate');
    expect(t.metadata.name).toMatch(/^prod-[0-9a-f]{8}$/);
    expect(t.spec.template.spec.network.vpc.cidrBlock).toBe('10.18.0.0/16');
    expect(byKind(m, 'AWSCluster')).toEqual([]);
    expect(JSON.stringify(byKind(m, 'ClusterClass')[0].spec.patches)).toContain('/spec/template/spec/network/vpc/cidrBlock');
  });
});

describe('AWS provider strategy: failing inputs', () => {
  test.each<[string, Partial<AwsProps>, RegExp]>([
    ['fails when the region is missing', { region: ' ' }, /AWS input "region" is missing/],
    ['fails on a region that is not an AWS region name', { region: 'europe' }, /AWS region "europe" is not an AWS region name; use e\.g\. eu-central-1/],
    ['fails when the AMI id is missing', { amiId: '' }, /AWS input "amiId" is missing/],
    ['fails on an AMI id that is not ami-<hex>', { amiId: 'ami-XYZ' }, /AWS amiId "ami-XYZ" is not an AMI id/],
    ['fails on a static identity secret outside capa-system', { identity: AwsIdentity.staticCredentials(SecretReference.fromSealedSecret('k', 'prod')) }, /namespace "prod" must be "capa-system"/],
    ['fails on 0 availability zones', { availabilityZoneCount: 0 }, /AWS availabilityZoneCount 0 is out of range; use 1-6/],
    ['fails on 7 availability zones', { availabilityZoneCount: 7 }, /availabilityZoneCount 7 is out of range/],
    ['fails on a fractional availability-zone count', { availabilityZoneCount: 2.5 }, /availabilityZoneCount 2.5 is out of range/],
  ])('%s', (_name, inputs, message) => {
    // GIVEN bad AWS inputs WHEN the cluster is built
    const err = thrownBy(() => build(props(inputs)));
    // THEN an INVALID_PROP error on the cluster's path
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.constructPath).toBe('mgmt/apps/Workload');
    expect(err.message).toMatch(message);
  });

  test('fails on a machine size of another kind (a Proxmox VM)', () => {
    // GIVEN a VM shape as the worker size
    const err = thrownBy(() => build(props({}, { workers: [{ name: 'workers', machine: MachineSize.virtual({ cores: 2, memoryMiB: 4096, diskGiB: 20 }) }] })));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain('worker pool "workers" machine is a VM 2 cores/4096 MiB/20 GiB, which AWS cannot use; use MachineSize.instanceType(\'m6i.large\')');
  });
});
