import { parseAllDocuments } from 'yaml';
import { GatewayApiChannel, GatewayApiCrds } from '../../lib';
import { UpstreamCache } from '../../lib/upstream/lock';
import { manifest, manifestsByFile, testCluster } from '../support/fleet';

/** CRD names of a channel, read from the pinned upstream files. */
function pinnedCrdNames(channel: string): string[] {
  const cache = UpstreamCache.default();
  return cache
    .files((f) => f.path.startsWith(`gateway-api/crds/${channel}/`))
    .flatMap((f) => parseAllDocuments(cache.read(f.path)).map((d) => d.toJSON() as { kind?: string; metadata?: { name: string } }))
    .filter((d) => d?.kind === 'CustomResourceDefinition')
    .map((d) => d.metadata!.name)
    .sort();
}

describe('GatewayApiCrds', () => {
  test.each([
    [GatewayApiChannel.STANDARD, 'standard'],
    [GatewayApiChannel.EXPERIMENTAL, 'experimental'],
  ])('health-checks exactly the pinned CRDs of the %s channel', (channel, name) => {
    expect(channel.crdNames).toEqual(pinnedCrdNames(name));
  });

  test('installs the CRDs from the pinned release tag through GitOps, never pruning them', () => {
    const { fleet, cluster } = testCluster();
    new GatewayApiCrds(cluster.crds, 'Gw');
    expect(manifest(fleet, 'test/crds/gitrepository-gateway-api.yaml').spec).toMatchObject({
      url: 'https://github.com/kubernetes-sigs/gateway-api',
      ref: { tag: 'v1.6.1' },
    });
    const spec = manifest(fleet, 'test/crds/kustomization-gateway-api-standard.yaml').spec;
    expect(spec).toMatchObject({ path: './config/crd/standard', prune: false, sourceRef: { kind: 'GitRepository', name: 'gateway-api' } });
    expect(spec.healthChecks).toHaveLength(10);
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('fails outside the crds layer', () => {
    const { cluster } = testCluster();
    expect(() => new GatewayApiCrds(cluster.controllers, 'Gw')).toThrow(/\[test\/controllers\/Gw\] GatewayApiCrds must be created in a cluster's crds layer/);
  });
});
