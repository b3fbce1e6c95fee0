// The one Cidr of InfraFlux lives in lib/core/cidr.ts (shared with lib/networking).
export { Cidr, IpFamily, ipFamilyOf } from '../core/cidr';
export type { ParsedCidr } from '../core/cidr';
