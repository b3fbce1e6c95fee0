import { ErrorCode, InfraFluxError } from '../core/errors';

// The one Cidr of InfraFlux lives in lib/core/cidr.ts (shared with lib/cluster).
export { Cidr, IpFamily, ipFamilyOf } from '../core/cidr';

/**
 * A BGP autonomous system number: 1-4294967295 (4-byte ASNs, RFC 6793). 0 is reserved
 * (RFC 7607); 23456 is AS_TRANS (RFC 6793) and cannot be a real peer's ASN.
 * @see https://docs.cilium.io/en/stable/network/bgp-control-plane/bgp-control-plane-v2/
 */
export class Asn {
  /** From a number, e.g. `Asn.of(65001)`. */
  public static of(value: number): Asn {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new InfraFluxError(ErrorCode.INVALID_PROP, 'Asn.of', `ASN ${String(value)} is not a whole number; use 1-4294967295 (private: 64512-65534, 4200000000-4294967294)`);
    }
    if (value === 0 || value === 23456) {
      throw new InfraFluxError(ErrorCode.INVALID_PROP, 'Asn.of', `ASN ${value} is reserved (${value === 0 ? 'RFC 7607' : 'AS_TRANS, RFC 6793'}); use 1-4294967295 except 23456`);
    }
    if (value < 0 || value > 4294967295) {
      throw new InfraFluxError(ErrorCode.INVALID_PROP, 'Asn.of', `ASN ${value} is out of range; use 1-4294967295`);
    }
    return new Asn(value);
  }

  /** From text: plain (`"65001"`) or asdot (`"1.10"` = 65546) notation. */
  public static parse(text: string): Asn {
    const asdot = /^(\d+)\.(\d+)$/.exec(text);
    if (asdot) {
      const high = Number(asdot[1]);
      const low = Number(asdot[2]);
      if (high > 65535 || low > 65535) {
        throw new InfraFluxError(ErrorCode.INVALID_PROP, 'Asn.parse', `ASN "${text}" is not valid asdot notation; both parts must be 0-65535`);
      }
      return Asn.of(high * 65536 + low);
    }
    if (!/^\d+$/.test(text)) {
      throw new InfraFluxError(ErrorCode.INVALID_PROP, 'Asn.parse', `ASN "${text}" is not numeric; use a number 1-4294967295 or asdot like "1.10"`);
    }
    return Asn.of(Number(text));
  }

  private constructor(public readonly value: number) {}

  public toString(): string {
    return String(this.value);
  }
}
