import { Chart, Testing } from 'cdk8s';
import { Cidr, IpFamily, ipFamilyOf } from '../../lib/core/cidr';
import { ErrorCode, InfraFluxError } from '../../lib/core/errors';

function thrown(fn: () => unknown): InfraFluxError {
  try {
    fn();
  } catch (e) {
    return e as InfraFluxError;
  }
  throw new Error('expected a throw');
}

describe('Cidr', () => {
  test('records the text as written', () => {
    // GIVEN / WHEN
    const c = Cidr.of('10.244.0.0/16');
    // THEN
    expect(c.text).toBe('10.244.0.0/16');
    expect(c.toString()).toBe('10.244.0.0/16');
  });

  test('IPv4: family, prefix, first and last address', () => {
    // GIVEN a /16
    const c = Cidr.of('10.244.0.0/16');
    // THEN
    expect(c.family).toBe(IpFamily.IPV4);
    expect(c.prefixLength).toBe(16);
    expect(c.first).toBe(0x0af40000n);
    expect(c.last).toBe(0x0af4ffffn);
  });

  test('IPv6 with :: compression: family, prefix, first and last', () => {
    // GIVEN a /56
    const c = Cidr.of('fd00:10:244::/56');
    // THEN
    expect(c.family).toBe(IpFamily.IPV6);
    expect(c.prefixLength).toBe(56);
    expect(c.first).toBe(0xfd000010024400000000000000000000n);
    expect(c.last).toBe(0xfd0000100244_00ff_ffff_ffff_ffff_ffffn);
  });

  test('a /32 and a /0 are valid', () => {
    // THEN
    expect(Cidr.of('192.168.1.7/32').last).toBe(Cidr.of('192.168.1.7/32').first);
    expect(Cidr.of('0.0.0.0/0').last).toBe(0xffffffffn);
    expect(Cidr.of('::/0').prefixLength).toBe(0);
  });

  test('overlaps: same family sharing addresses', () => {
    // GIVEN nested, adjacent and cross-family prefixes
    const outer = Cidr.of('10.0.0.0/8');
    // THEN
    expect(outer.overlaps(Cidr.of('10.20.0.0/16'))).toBe(true);
    expect(Cidr.of('10.20.0.0/16').overlaps(outer)).toBe(true);
    expect(Cidr.of('10.0.0.0/16').overlaps(Cidr.of('10.1.0.0/16'))).toBe(false);
    expect(Cidr.of('0.0.0.0/0').overlaps(Cidr.of('::/0'))).toBe(false);
  });

  test('contains: only inner prefixes of the same family', () => {
    // GIVEN
    const outer = Cidr.of('10.0.0.0/8');
    // THEN
    expect(outer.contains(Cidr.of('10.255.255.0/24'))).toBe(true);
    expect(outer.contains(outer)).toBe(true);
    expect(Cidr.of('10.20.0.0/16').contains(outer)).toBe(false);
    expect(outer.contains(Cidr.of('11.0.0.0/24'))).toBe(false);
    expect(Cidr.of('fd00::/8').contains(Cidr.of('fd00:10::/32'))).toBe(true);
  });

  test('_canonical formats IPv6 with the longest zero run compressed (RFC 5952)', () => {
    // GIVEN parsed prefixes WHEN formatted back
    expect(Cidr._canonical(Cidr.of('fd00:0:0:1:0:0:0:0/64')._parse())).toBe('fd00:0:0:1::/64');
    expect(Cidr._canonical(Cidr.of('2001:db8:1:2:3:4:5:6/128')._parse())).toBe('2001:db8:1:2:3:4:5:6/128');
    expect(Cidr._canonical(Cidr.of('10.1.2.0/24')._parse())).toBe('10.1.2.0/24');
  });

  test('_address parses bare addresses of both families', () => {
    // THEN
    expect(Cidr._address('192.168.0.1')).toEqual({ family: 4, value: 0xc0a80001n });
    expect(Cidr._address('::1')).toEqual({ family: 6, value: 1n });
    expect(Cidr._address('192.168.0.256')).toBeUndefined();
    expect(Cidr._address('not-an-ip')).toBeUndefined();
  });

  test('ipFamilyOf tells the family of an address', () => {
    // THEN
    expect(ipFamilyOf('10.0.0.1')).toBe(IpFamily.IPV4);
    expect(ipFamilyOf('fd00::1')).toBe(IpFamily.IPV6);
    expect(ipFamilyOf('010.0.0.1')).toBeUndefined();
    expect(ipFamilyOf('fd00::1::2')).toBeUndefined();
  });

  test.each(['10.0.0.0', '10.0.0.0/33', '10.0.0/8', '10.0.0.01/8', 'fd00::/129', 'fd00:::1/64', '1:2:3:4:5:6:7/64', 'g::/8', 'x/8'])(
    'fails on the syntax of %j with INVALID_PROP naming the construct and prop',
    (text) => {
      // GIVEN a construct and an invalid CIDR
      const chart = new Chart(Testing.app(), 'net');
      // WHEN it is parsed for a prop
      const err = thrown(() => Cidr.of(text)._parse(chart, 'podCidr'));
      // THEN
      expect(err.code).toBe(ErrorCode.INVALID_PROP);
      expect(err.message).toBe(`[net] podCidr "${text}" is not a CIDR; use an IPv4 or IPv6 network such as 10.244.0.0/16 or fd00:10:244::/56`);
    },
  );

  test('fails on host bits with INVALID_PROP and suggests the network address', () => {
    // GIVEN a CIDR with host bits set
    const chart = new Chart(Testing.app(), 'net');
    // WHEN parsed THEN the message gives the network address
    const err = thrown(() => Cidr.of('10.244.1.0/16')._parse(chart, 'podCidr'));
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain('has host bits set; use the network address "10.244.0.0/16"');
    expect(thrown(() => Cidr.of('fd00::1/64')._parse(chart)).message).toContain('"fd00::/64"');
  });

  test('fails on a set operation with an invalid CIDR with the Cidr.of path', () => {
    // GIVEN an invalid CIDR used without a construct
    const err = thrown(() => Cidr.of('10.0.0.0/8').overlaps(Cidr.of('nope')));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.constructPath).toBe('Cidr.of');
  });
});
