import { ErrorCode } from '../../lib/core/errors';
import { Asn, Cidr } from '../../lib/networking/addresses';
import { Cidr as CoreCidr } from '../../lib/core/cidr';
import { thrownBy } from '../support/errors';

describe('Asn', () => {
  test.each([1, 65001, 64512, 4200000000, 4294967295])('of(%s) keeps the value', (value) => {
    // GIVEN a valid ASN WHEN made THEN its value and text
    const asn = Asn.of(value);
    expect(asn.value).toBe(value);
    expect(asn.toString()).toBe(String(value));
  });

  test('parse: plain and asdot notation', () => {
    // THEN
    expect(Asn.parse('65001').value).toBe(65001);
    expect(Asn.parse('1.10').value).toBe(65546);
    expect(Asn.parse('65535.65535').value).toBe(4294967295);
  });

  test('re-exports the one core Cidr', () => {
    // THEN
    expect(Cidr).toBe(CoreCidr);
  });

  test.each([1.5, Number.NaN])('fails on %s: not a whole number', (value) => {
    // WHEN
    const err = thrownBy(() => Asn.of(value));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain('is not a whole number; use 1-4294967295');
  });

  test('fails on the reserved ASN 0 (RFC 7607)', () => {
    // WHEN
    const err = thrownBy(() => Asn.of(0));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toBe('[Asn.of] ASN 0 is reserved (RFC 7607); use 1-4294967295 except 23456');
  });

  test('fails on AS_TRANS 23456', () => {
    // WHEN
    const err = thrownBy(() => Asn.of(23456));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain('ASN 23456 is reserved (AS_TRANS, RFC 6793)');
  });

  test.each([-1, 4294967296])('fails on %s: out of range', (value) => {
    // WHEN
    const err = thrownBy(() => Asn.of(value));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain(`ASN ${value} is out of range`);
  });

  test('fails on asdot parts above 65535', () => {
    // WHEN
    const err = thrownBy(() => Asn.parse('65536.1'));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain('ASN "65536.1" is not valid asdot notation');
    expect(err.constructPath).toBe('Asn.parse');
  });

  test.each(['AS65001', '', '-5', '1e5'])('fails on the non-numeric text %j', (text) => {
    // WHEN
    const err = thrownBy(() => Asn.parse(text));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain(`ASN "${text}" is not numeric`);
  });

  test('fails on parse("0") through the reserved rule', () => {
    // THEN
    expect(thrownBy(() => Asn.parse('0')).message).toContain('ASN 0 is reserved');
  });
});
