import { dnsZoneOf, inDnsZone, labelsBelowZone } from '../../lib/dns/zones';

describe('DNS zones', () => {
  test('inDnsZone is label-aligned', () => {
    // GIVEN hostnames and a zone THEN
    expect(inDnsZone('example.com', 'example.com')).toBe(true);
    expect(inDnsZone('a.b.example.com', 'example.com')).toBe(true);
    expect(inDnsZone('badexample.com', 'example.com')).toBe(false);
    expect(inDnsZone('example.com', 'a.example.com')).toBe(false);
  });

  test('dnsZoneOf picks the most specific zone, or none', () => {
    // GIVEN
    const zones = ['example.com', 'lab.example.com', 'other.org'];
    // THEN
    expect(dnsZoneOf(zones, 'web.lab.example.com')).toBe('lab.example.com');
    expect(dnsZoneOf(zones, 'web.example.com')).toBe('example.com');
    expect(dnsZoneOf(zones, 'other.org')).toBe('other.org');
    expect(dnsZoneOf(zones, 'example.net')).toBeUndefined();
  });

  test('labelsBelowZone counts the labels under the zone', () => {
    // THEN
    expect(labelsBelowZone('example.com', 'example.com')).toBe(0);
    expect(labelsBelowZone('web.example.com', 'example.com')).toBe(1);
    expect(labelsBelowZone('a.b.example.com', 'example.com')).toBe(2);
  });
});
