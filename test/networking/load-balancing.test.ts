import { Asn, BgpPeer, Cidr, CiliumBgp, LoadBalancerPool } from '../../lib/networking';
import { validateFleetManifests } from '../../lib/validation';
import { manifest, manifestsByFile } from '../support/fleet';
import { withCilium } from './_build';

const router: BgpPeer = { name: 'gw1', address: '192.168.3.1', asn: Asn.of(65000), timers: { connectRetryTimeSeconds: 120, holdTimeSeconds: 90, keepAliveTimeSeconds: 30 } };

describe('Asn', () => {
  test('accepts 2- and 4-byte ASNs and asdot notation', () => {
    expect(Asn.of(65001).value).toBe(65001);
    expect(Asn.of(4200000000).value).toBe(4200000000);
    expect(Asn.parse('65001').value).toBe(65001);
    expect(Asn.parse('1.10').value).toBe(65546);
  });
  test('fails on ASN 0', () => {
    expect(() => Asn.of(0)).toThrow(/ASN 0 is reserved/);
  });
  test('fails on an ASN out of range', () => {
    expect(() => Asn.of(4294967296)).toThrow(/ASN 4294967296 is out of range; use 1-4294967295/);
    expect(() => Asn.of(-1)).toThrow(/out of range/);
  });
  test('fails on a non-numeric ASN', () => {
    expect(() => Asn.parse('as65001')).toThrow(/ASN "as65001" is not numeric/);
    expect(() => Asn.of(Number('abc'))).toThrow(/ASN NaN is not a whole number/);
  });
  test('fails on AS_TRANS', () => {
    expect(() => Asn.of(23456)).toThrow(/AS_TRANS/);
  });
});

describe('Cidr', () => {
  test('parses IPv4 and IPv6 and detects overlaps', () => {
    expect(Cidr.of('10.0.0.0/8').overlaps(Cidr.of('10.1.0.0/16'))).toBe(true);
    expect(Cidr.of('10.0.0.0/16').overlaps(Cidr.of('10.1.0.0/16'))).toBe(false);
    expect(Cidr.of('fd00::/64').overlaps(Cidr.of('fd00::1:0/112'))).toBe(true);
    expect(Cidr.of('fd00::/64').overlaps(Cidr.of('10.0.0.0/8'))).toBe(false);
  });
  test('fails on host bits and garbage', () => {
    expect(() => Cidr.of('10.0.0.1/24').family).toThrow(/has host bits set; use the network address "10.0.0.0\/24"/);
    expect(() => Cidr.of('10.0.0.0').family).toThrow(/CIDR "10.0.0.0" is not a CIDR; use an IPv4 or IPv6 network/);
    expect(() => Cidr.of('300.0.0.0/8').overlaps(Cidr.of('10.0.0.0/8'))).toThrow(/CIDR "300.0.0.0\/8" is not a CIDR/);
  });
});

describe('CiliumBgp', () => {
  test('renders the v2 cluster config, a peer config per router and the advertisement in the configs layer', () => {
    // GIVEN
    const { fleet, cilium } = withCilium();
    // WHEN
    cilium.addBgp({ localAsn: Asn.of(65001), peers: [router, { name: 'gw2', address: '192.168.3.2', asn: Asn.of(65000) }] });
    // THEN
    const config = manifest(fleet, 'test/configs/ciliumbgpclusterconfig-infraflux.yaml');
    expect(config.apiVersion).toBe('cilium.io/v2');
    expect(config.spec.bgpInstances).toEqual([
      {
        name: 'infraflux-65001',
        localASN: 65001,
        peers: [
          { name: 'gw1', peerASN: 65000, peerAddress: '192.168.3.1', peerConfigRef: { name: 'infraflux-gw1' } },
          { name: 'gw2', peerASN: 65000, peerAddress: '192.168.3.2', peerConfigRef: { name: 'infraflux-gw2' } },
        ],
      },
    ]);
    expect(manifest(fleet, 'test/configs/ciliumbgppeerconfig-infraflux-gw1.yaml').spec.timers).toEqual({ holdTimeSeconds: 90, keepAliveTimeSeconds: 30, connectRetryTimeSeconds: 120 });
    expect(manifest(fleet, 'test/configs/ciliumbgpadvertisement-infraflux.yaml').spec.advertisements.map((a: any) => a.advertisementType)).toEqual(['PodCIDR', 'Service']);
    expect(manifest(fleet, 'test/flux-system/kustomization-configs.yaml').spec.dependsOn).toEqual([{ name: 'controllers', namespace: 'flux-system' }]);
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
    expect(Object.fromEntries(Object.entries(manifestsByFile(fleet)).filter(([f]) => f.includes('/configs/')))).toMatchSnapshot();
  });
  test('fails on a BGP peer without ASN', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addBgp({ localAsn: Asn.of(65001), peers: [{ name: 'gw1', address: '192.168.3.1' } as unknown as BgpPeer] })).toThrow(/peer "gw1" has no ASN/);
  });
  test('fails on a BGP peer without address', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addBgp({ localAsn: Asn.of(65001), peers: [{ name: 'gw1', asn: Asn.of(65000) } as unknown as BgpPeer] })).toThrow(/peer "gw1" has no address/);
  });
  test('fails on a BGP peer address that is not an IP', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addBgp({ localAsn: Asn.of(65001), peers: [{ ...router, address: 'router.lan' }] })).toThrow(/address "router.lan" is not an IPv4 or IPv6 address/);
  });
  test('fails on a keepalive not below the hold time', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addBgp({ localAsn: Asn.of(65001), peers: [{ ...router, timers: { holdTimeSeconds: 30, keepAliveTimeSeconds: 30 } }] })).toThrow(/keepAliveTimeSeconds 30 must be 1 to less than holdTimeSeconds 30/);
  });
  test('fails on a BGP peer without a name', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addBgp({ localAsn: Asn.of(65001), peers: [{ address: '192.168.3.1', asn: Asn.of(65000) } as unknown as BgpPeer] })).toThrow(/a BGP peer has no name/);
  });
  test('fails on duplicate BGP peer names', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addBgp({ localAsn: Asn.of(65001), peers: [router, { ...router, address: '192.168.3.2' }] })).toThrow(/peer "gw1" is given twice/);
  });
  test('fails on a hold time out of range', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addBgp({ localAsn: Asn.of(65001), peers: [{ ...router, timers: { holdTimeSeconds: 2, keepAliveTimeSeconds: 1 } }] })).toThrow(/holdTimeSeconds 2 is invalid; use 3-65535/);
  });
  test('fails on a connect retry time out of range', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addBgp({ localAsn: Asn.of(65001), peers: [{ ...router, timers: { connectRetryTimeSeconds: 0 } }] })).toThrow(/connectRetryTimeSeconds 0 is invalid; use 1-65535/);
  });
  test('fails on an eBGP multihop TTL out of range', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addBgp({ localAsn: Asn.of(65001), peers: [{ ...router, ebgpMultihop: 256 }] })).toThrow(/ebgpMultihop 256 is invalid; use 1-255/);
  });
  test('fails when it advertises nothing', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addBgp({ localAsn: Asn.of(65001), peers: [router], advertiseLoadBalancerIps: false, advertisePodCidrs: false })).toThrow(/advertises nothing/);
  });
  test('fails without peers', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addBgp({ localAsn: Asn.of(65001), peers: [] })).toThrow(/no BGP peers given/);
  });
  test('fails when the BGP control plane is off', () => {
    const { cilium } = withCilium({ bgpControlPlane: false });
    expect(() => cilium.addBgp({ localAsn: Asn.of(65001), peers: [router] })).toThrow(/the BGP control plane is off/);
  });
  test('fails outside the configs/apps layers', () => {
    const { cluster, cilium } = withCilium();
    expect(() => new CiliumBgp(cluster.controllers, 'Bgp', { cilium, localAsn: Asn.of(65001), peers: [router] })).toThrow(/must be created in the configs or apps layer/);
  });
});

describe('LoadBalancerPool', () => {
  test('the design\'s main and critical pools (v2, blocks, service selectors)', () => {
    const { fleet, cilium } = withCilium({ nodeCidrs: [Cidr.of('192.168.3.0/25')] });
    cilium.addDefaultPools([Cidr.of('192.168.3.128/28')], [Cidr.of('192.168.3.144/28')]);
    const main = manifest(fleet, 'test/configs/ciliumloadbalancerippool-main-pool.yaml');
    expect(main.apiVersion).toBe('cilium.io/v2');
    expect(main.spec).toEqual({
      blocks: [{ cidr: '192.168.3.128/28' }],
      serviceSelector: { matchExpressions: [{ key: 'priority', operator: 'NotIn', values: ['critical'] }] },
      allowFirstLastIPs: 'No',
    });
    expect(manifest(fleet, 'test/configs/ciliumloadbalancerippool-critical-pool.yaml').spec.serviceSelector).toEqual({ matchLabels: { priority: 'critical' } });
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });
  test('fails on a pool overlapping the node CIDR', () => {
    const { cilium } = withCilium({ nodeCidrs: [Cidr.of('192.168.3.0/24')] });
    expect(() => cilium.addLoadBalancerPool('p', { blocks: [Cidr.of('192.168.3.80/28')] })).toThrow(/block 192.168.3.80\/28 overlaps the cluster's node CIDR 192.168.3.0\/24/);
  });
  test('fails on a pool overlapping the pod CIDR', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addLoadBalancerPool('p', { blocks: [Cidr.of('10.244.10.0/24')] })).toThrow(/overlaps the cluster's pod CIDR 10.244.0.0\/16/);
  });
  test('fails on a pool overlapping the service CIDR', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addLoadBalancerPool('p', { blocks: [Cidr.of('10.100.0.0/24')] })).toThrow(/overlaps the cluster's service CIDR 10.96.0.0\/12/);
  });
  test('fails on a pool overlapping another pool', () => {
    const { cilium } = withCilium();
    cilium.addLoadBalancerPool('a', { name: 'a', blocks: [Cidr.of('192.168.3.80/28')] });
    expect(() => cilium.addLoadBalancerPool('b', { name: 'b', blocks: [Cidr.of('192.168.3.88/29')] })).toThrow(/overlaps block 192.168.3.80\/28 of pool a/);
  });
  test('fails on overlapping blocks in one pool', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addLoadBalancerPool('p', { name: 'p', blocks: [Cidr.of('192.168.3.80/28'), Cidr.of('192.168.3.84/30')] })).toThrow(/blocks 192.168.3.80\/28 and 192.168.3.84\/30 of pool p overlap/);
  });
  test('fails on a pool without blocks', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addLoadBalancerPool('p', { blocks: [] })).toThrow(/has no blocks/);
  });
  test('fails when LB IPAM is off', () => {
    const { cluster, cilium } = withCilium({ loadBalancerIpam: false });
    expect(() => new LoadBalancerPool(cluster.configs, 'P', { cilium, name: 'p', blocks: [Cidr.of('192.168.3.80/28')] })).toThrow(/LB IPAM is off/);
  });
});

describe('L2Announcement', () => {
  test('announces LoadBalancer IPs on the given interfaces (v2alpha1)', () => {
    const { fleet, cilium } = withCilium({ l2Announcements: true, devices: ['eth0'] });
    cilium.addL2Announcement('lan', { name: 'lan', interfaces: ['^eth0$'] });
    const policy = manifest(fleet, 'test/configs/ciliuml2announcementpolicy-lan.yaml');
    expect(policy.apiVersion).toBe('cilium.io/v2alpha1');
    expect(policy.spec).toEqual({ loadBalancerIPs: true, externalIPs: false, interfaces: ['^eth0$'] });
    expect(parseValues(fleet)).toMatchObject({ l2announcements: { enabled: true }, k8sClientRateLimit: { qps: 50, burst: 100 }, devices: 'eth0' });
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });
  test('fails on an interface pattern that is not a regular expression', () => {
    const { cilium } = withCilium({ l2Announcements: true });
    expect(() => cilium.addL2Announcement('lan', { interfaces: ['eth[0'] })).toThrow(/interface pattern "eth\[0" is not a valid regular expression/);
  });
  test('fails when L2 announcements are off', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addL2Announcement('lan')).toThrow(/L2 announcements are off/);
  });
});

function parseValues(fleet: Parameters<typeof manifest>[0]): Record<string, any> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require('yaml').parse(manifest(fleet, 'test/releases/cilium/configmap-cilium-values.yaml').data['values.yaml']);
}
