import { Chart, Testing } from 'cdk8s';
import { Cidr } from '../../../lib/cluster';
import { ErrorCode } from '../../../lib/core/errors';
import { addressInside, halves, rotatingName } from '../../../lib/cluster/providers/_strategy';
import { thrownBy } from '../../support/errors';

describe('rotatingName', () => {
  test('is <base>-<first 8 hex of sha256(JSON spec)>, stable for the same spec', () => {
    // GIVEN a spec WHEN named twice THEN the same name (sha256 of {"a":1} starts with 015abd7f)
    expect(rotatingName('lab-workers', { a: 1 })).toBe('lab-workers-015abd7f');
    expect(rotatingName('lab-workers', { a: 1 })).toBe(rotatingName('lab-workers', { a: 1 }));
  });

  test('changes when the spec changes', () => {
    // THEN
    expect(rotatingName('t', { a: 1 })).not.toBe(rotatingName('t', { a: 2 }));
  });
});

describe('halves', () => {
  test('splits a prefix into its two halves', () => {
    // THEN
    expect(halves(Cidr.of('10.34.0.0/16')._parse())).toEqual(['10.34.0.0/17', '10.34.128.0/17']);
    expect(halves(Cidr.of('192.168.0.0/28')._parse())).toEqual(['192.168.0.0/29', '192.168.0.8/29']);
    expect(halves(Cidr.of('fd00::/48')._parse())).toEqual(['fd00::/49', 'fd00:0:0:8000::/49']);
  });
});

describe('addressInside', () => {
  const scope = () => new Chart(Testing.app(), 'c');
  const cidr = Cidr.of('192.168.10.0/24');

  test('accepts an address inside the node CIDR', () => {
    // THEN
    expect(() => addressInside(scope(), 'gateway', '192.168.10.1', cidr._parse(), cidr.text)).not.toThrow();
  });

  test('fails on a text that is not an IP address', () => {
    // WHEN
    const err = thrownBy(() => addressInside(scope(), 'gateway', 'gw.lab', cidr._parse(), cidr.text));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toBe('[c] gateway "gw.lab" is not an IP address');
  });

  test('fails on an address outside the node CIDR (also of the other family)', () => {
    // THEN
    expect(thrownBy(() => addressInside(scope(), 'gateway', '192.168.11.1', cidr._parse(), cidr.text)).message).toBe(
      '[c] gateway "192.168.11.1" is outside the node CIDR 192.168.10.0/24; use an address inside it',
    );
    expect(thrownBy(() => addressInside(scope(), 'gateway', 'fd00::1', cidr._parse(), cidr.text)).code).toBe(ErrorCode.INVALID_PROP);
  });
});
