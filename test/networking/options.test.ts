import { Cidr } from '../../lib/core/cidr';
import { ClusterMeshExposure, DatapathMode, Encryption, FlowLogs, RoutingMode, TunnelProtocol, XdpAcceleration } from '../../lib/networking/options';
import { SecretReference } from '../../lib/secrets/secret-reference';

describe('RoutingMode', () => {
  test('native: auto direct node routes by default, an optional native-routing CIDR', () => {
    // GIVEN / WHEN
    const r = RoutingMode.native();
    const withCidr = RoutingMode.native({ autoDirectNodeRoutes: false, nativeRoutingCidr: Cidr.of('10.0.0.0/8') });
    // THEN
    expect([r.mode, r.isNative, r.autoDirectNodeRoutes, r.tunnelProtocol, r.nativeRoutingCidr]).toEqual(['native', true, true, undefined, undefined]);
    expect(withCidr.autoDirectNodeRoutes).toBe(false);
    expect(withCidr.nativeRoutingCidr?.text).toBe('10.0.0.0/8');
  });

  test('tunnel: VXLAN by default, or Geneve; never direct routes', () => {
    // THEN
    expect([RoutingMode.tunnel().mode, RoutingMode.tunnel().isNative, RoutingMode.tunnel().tunnelProtocol]).toEqual(['tunnel', false, TunnelProtocol.VXLAN]);
    expect(RoutingMode.tunnel(TunnelProtocol.GENEVE).tunnelProtocol).toBe('geneve');
    expect(RoutingMode.tunnel().autoDirectNodeRoutes).toBe(false);
  });
});

describe('Encryption', () => {
  test('wireguard: enabled, node encryption off unless asked', () => {
    // THEN
    expect([Encryption.wireguard().type, Encryption.wireguard().enabled, Encryption.wireguard().nodeEncryption]).toEqual(['wireguard', true, false]);
    expect(Encryption.wireguard({ nodeEncryption: true }).nodeEncryption).toBe(true);
  });

  test('ipsec names its key Secret; none is disabled', () => {
    // GIVEN
    const keys = SecretReference.fromSealedSecret('cilium-ipsec-keys', 'kube-system');
    const ipsec = Encryption.ipsec({ keys });
    // THEN
    expect([ipsec.type, ipsec.enabled, ipsec.ipsecKeys, ipsec.nodeEncryption]).toEqual(['ipsec', true, keys, false]);
    expect([Encryption.none().type, Encryption.none().enabled]).toEqual(['none', false]);
  });
});

describe('enum-like options', () => {
  test('XDP acceleration values', () => {
    // THEN
    expect([XdpAcceleration.DISABLED, XdpAcceleration.NATIVE, XdpAcceleration.BEST_EFFORT].map((x) => x.value)).toEqual(['disabled', 'native', 'best-effort']);
  });

  test('datapath modes: only veth is not netkit', () => {
    // THEN
    expect([DatapathMode.VETH, DatapathMode.NETKIT, DatapathMode.NETKIT_L2].map((d) => [d.value, d.isNetkit])).toEqual([
      ['veth', false],
      ['netkit', true],
      ['netkit-l2', true],
    ]);
  });

  test('ClusterMesh exposure: LoadBalancer, or NodePort 32379 by default', () => {
    // THEN
    expect([ClusterMeshExposure.loadBalancer().serviceType, ClusterMeshExposure.loadBalancer().nodePort]).toEqual(['LoadBalancer', undefined]);
    expect([ClusterMeshExposure.nodePort().serviceType, ClusterMeshExposure.nodePort().nodePort]).toEqual(['NodePort', 32379]);
    expect(ClusterMeshExposure.nodePort(30000).nodePort).toBe(30000);
  });
});

describe('FlowLogs', () => {
  test('aggregated every 30 s by default, or another interval', () => {
    // THEN
    expect(FlowLogs.aggregated()).toMatchObject({ allowList: [], aggregationSeconds: 30, enabled: true });
    expect(FlowLogs.aggregated(10).aggregationSeconds).toBe(10);
  });

  test('dropsOnly filters on DROPPED and ERROR verdicts, unaggregated', () => {
    // THEN
    expect(FlowLogs.dropsOnly()).toMatchObject({ allowList: ['{"verdict":["DROPPED","ERROR"]}'], aggregationSeconds: 0, enabled: true });
    expect(JSON.parse(FlowLogs.dropsOnly().allowList[0])).toEqual({ verdict: ['DROPPED', 'ERROR'] });
  });

  test('all and disabled', () => {
    // THEN
    expect(FlowLogs.all()).toMatchObject({ allowList: [], aggregationSeconds: 0, enabled: true });
    expect(FlowLogs.disabled().enabled).toBe(false);
  });
});
