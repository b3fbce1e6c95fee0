import { Cidr, ClusterProvider, Distribution, InfrastructureInputs, MachineSize, SecretReference, TalosClusterClass, TalosClusterProps } from '../../../lib/cluster';
import { ErrorCode } from '../../../lib/core/errors';
import { thrownBy } from '../../support/errors';
import { build, byKind, providerObjects } from './_build';

type GcpProps = Parameters<typeof InfrastructureInputs.gcp>[0];

function props(inputs: Partial<GcpProps> = {}, over: Partial<TalosClusterProps> = {}): TalosClusterProps {
  return {
    name: 'gke',
    clusterClass: TalosClusterClass.dev(ClusterProvider.GCP),
    network: { nodes: Cidr.of('10.40.0.0/20') },
    infrastructure: InfrastructureInputs.gcp({ project: 'proj-1', region: 'europe-west4', image: 'projects/p/global/images/talos', credentials: SecretReference.fromExternalSecret('gcp-sa', 'gke'), ...inputs }),
    ...over,
  };
}

describe('GCP provider strategy (CAPG)', () => {
  // GIVEN a dev GCP cluster
  const { manifests } = build(props());

  test('matches the snapshot', () => {
    // THEN
    expect(providerObjects(manifests)).toMatchSnapshot();
  });

  test('GCPCluster: project, region, credentials by reference, a custom-mode network with one private subnet', () => {
    // GIVEN
    const [c] = byKind(manifests, 'GCPCluster');
    // THEN
    expect(c.spec).toEqual({
      project: 'proj-1',
      region: 'europe-west4',
      credentialsRef: { name: 'gcp-sa', namespace: 'gke' },
      network: {
        name: 'gke',
        autoCreateSubnetworks: false,
        subnets: [{ name: 'gke-nodes', cidrBlock: '10.40.0.0/20', region: 'europe-west4', privateGoogleAccess: true }],
      },
    });
  });

  test('zones become failure domains', () => {
    // GIVEN
    const m = build(props({ zones: ['europe-west4-a', 'europe-west4-b'] })).manifests;
    // THEN
    expect(byKind(m, 'GCPCluster')[0].spec.failureDomains).toEqual(['europe-west4-a', 'europe-west4-b']);
  });

  test('machine templates: dev size, Talos image, pd-ssd, no public IP', () => {
    // GIVEN
    const sizes = byKind(manifests, 'GCPMachineTemplate').map((t) => t.spec.template.spec);
    // THEN
    expect(sizes).toHaveLength(2);
    for (const s of sizes) expect(s).toMatchObject({ instanceType: 'e2-standard-4', image: 'projects/p/global/images/talos', rootDeviceType: 'pd-ssd', publicIP: false });
    expect(sizes.map((s) => s.rootDeviceSize).sort()).toEqual([100, 50]);
  });

  test('prod and edge default sizes', () => {
    // GIVEN
    const types = (cls: TalosClusterClass, workers?: []) => byKind(build(props({}, { clusterClass: cls, workers })).manifests, 'GCPMachineTemplate').map((t) => t.spec.template.spec.instanceType).sort();
    // THEN
    expect(types(TalosClusterClass.prod(ClusterProvider.GCP))).toEqual(['n2-standard-4', 'n2-standard-8']);
    expect(types(TalosClusterClass.edge(ClusterProvider.GCP), [])).toEqual(['e2-standard-2']);
  });

  test('with a ClusterClass: a GCPClusterTemplate whose subnet CIDR is the nodeCidr variable', () => {
    // GIVEN
    const m = build(props({}, { distribution: Distribution.rke2({ clusterClass: true }) })).manifests;
    // THEN
    expect(byKind(m, 'GCPClusterTemplate')[0].spec.template.spec.network.subnets[0].cidrBlock).toBe('10.40.0.0/20');
    expect(JSON.stringify(byKind(m, 'ClusterClass')[0].spec.patches)).toContain('/spec/template/spec/network/subnets/0/cidrBlock');
  });
});

describe('GCP provider strategy: failing inputs', () => {
  test.each<[string, Partial<GcpProps>, RegExp]>([
    ['fails when the project is missing', { project: '' }, /GCP input "project" is missing/],
    ['fails when the region is missing', { region: ' ' }, /GCP input "region" is missing/],
    ['fails when the image is missing', { image: '' }, /GCP input "image" is missing/],
    ['fails when the credentials are missing', { credentials: undefined as unknown as SecretReference }, /GCP input "credentials" is missing/],
  ])('%s', (_name, inputs, message) => {
    // WHEN
    const err = thrownBy(() => build(props(inputs)));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toMatch(message);
  });

  test('fails on a cluster name starting with a digit (GCE names start with a letter)', () => {
    // GIVEN a name valid for Kubernetes but not for GCE
    const err = thrownBy(() => build(props({}, { name: '1gke' })));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain('cluster name "1gke" is not valid on GCP: GCE resource names start with a lowercase letter');
  });

  test('fails on a VM machine size', () => {
    // WHEN
    const err = thrownBy(() => build(props({}, { workers: [{ name: 'w', machine: MachineSize.virtual({ cores: 2, memoryMiB: 4096, diskGiB: 20 }) }] })));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain("which GCP cannot use; use MachineSize.instanceType('n2-standard-4')");
  });
});
