// The one Cidr of InfraFlux lives in lib/core/cidr.ts (shared with lib/networking).
export { Cidr, IpFamily, ipFamilyOf } from '../core/cidr';
/** @internal */
export type { ParsedCidr } from '../core/cidr';
