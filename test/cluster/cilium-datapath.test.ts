import { CiliumDatapath, CiliumEncryption, CiliumTunnel } from '../../lib/cluster';

const summary = (d: CiliumDatapath) => d.nodeRules().map((r) => `${r.protocol}/${r.fromPort}-${r.toPort} ${r.description}`);

describe('CiliumDatapath', () => {
  test('defaults to CiliumNetworking’s: native routing and WireGuard', () => {
    // GIVEN / WHEN
    const d = CiliumDatapath.of();
    // THEN
    expect(d.tunnel).toBe(CiliumTunnel.NATIVE);
    expect(d.encryption).toBe(CiliumEncryption.WIREGUARD);
    expect(summary(d)).toEqual(['tcp/4240-4240 cilium health', 'tcp/4244-4244 hubble peer', 'udp/51871-51871 cilium wireguard']);
  });

  test('VXLAN opens UDP 8472, Geneve UDP 6081', () => {
    // THEN
    expect(summary(CiliumDatapath.of({ tunnel: CiliumTunnel.VXLAN, encryption: CiliumEncryption.NONE }))).toEqual([
      'tcp/4240-4240 cilium health',
      'tcp/4244-4244 hubble peer',
      'udp/8472-8472 cilium vxlan',
    ]);
    expect(summary(CiliumDatapath.of({ tunnel: CiliumTunnel.GENEVE }))).toContain('udp/6081-6081 cilium geneve');
  });

  test('IPsec opens ESP (IP protocol 50, no ports) and not WireGuard', () => {
    // GIVEN
    const rules = CiliumDatapath.of({ encryption: CiliumEncryption.IPSEC }).nodeRules();
    // THEN
    expect(rules[rules.length - 1]).toEqual({ description: 'cilium ipsec (esp)', protocol: '50', fromPort: -1, toPort: -1 });
    expect(rules.some((r) => r.fromPort === 51871)).toBe(false);
  });

  test('native routing without encryption needs only health and Hubble', () => {
    // THEN
    expect(CiliumDatapath.of({ encryption: CiliumEncryption.NONE }).nodeRules()).toHaveLength(2);
  });

  test('tunnel ports and names', () => {
    // THEN
    expect([CiliumTunnel.NATIVE.udpPort, CiliumTunnel.VXLAN.udpPort, CiliumTunnel.GENEVE.udpPort]).toEqual([undefined, 8472, 6081]);
    expect([CiliumEncryption.WIREGUARD.name, CiliumEncryption.IPSEC.name, CiliumEncryption.NONE.name]).toEqual(['wireguard', 'ipsec', 'none']);
  });
});
