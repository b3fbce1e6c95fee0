import { IConstruct } from 'constructs';
import { ErrorCode, InfraFluxError, invalidProp } from './errors';

/** IP family of an address or prefix. */
export enum IpFamily {
  IPV4 = 'ipv4',
  IPV6 = 'ipv6',
}

/** @internal A parsed CIDR: address family, network address as a number, prefix length. */
interface ParsedCidr {
  readonly family: 4 | 6;
  readonly network: bigint;
  readonly prefix: number;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(text) || (text.match(/::/g) ?? []).length > 1) return undefined;
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? left.length !== 8 : missing < 1) return undefined;
  const all = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
  let value = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  return value;
}

function formatAddress(family: 4 | 6, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => ((value >> s) & 255n).toString()).join('.');
  }
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((value >> BigInt(i * 16)) & 0xffffn).toString(16));
  // compress the longest run of zero groups (RFC 5952)
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/**
 * An IP network in CIDR notation (`10.244.0.0/16`, `fd00:10:244::/56`). The address must be the
 * network address (no host bits set), as Cilium's CRDs, Cluster API and Talos expect. `Cidr.of()`
 * only records the text; the construct that uses it checks it (`_parse(this, 'podCidr')`), so the
 * error names the construct path, the prop and the canonical form. Using a set operation on an
 * invalid CIDR throws the same message without a path.
 */
export class Cidr {
  /** A CIDR from its text form. */
  public static of(text: string): Cidr {
    return new Cidr(text);
  }

  /** The canonical text (network address / prefix). @internal */
  public static _canonical(parsed: ParsedCidr): string {
    return `${formatAddress(parsed.family, parsed.network)}/${parsed.prefix}`;
  }

  /** Whether two parsed CIDRs share any address. @internal */
  public static _overlaps(a: ParsedCidr, b: ParsedCidr): boolean {
    if (a.family !== b.family) return false;
    const bits = a.family === 4 ? 32 : 128;
    const shift = BigInt(bits - Math.min(a.prefix, b.prefix));
    return a.network >> shift === b.network >> shift;
  }

  /** Whether `inner` lies entirely inside `outer`. @internal */
  public static _contains(outer: ParsedCidr, inner: ParsedCidr): boolean {
    return outer.family === inner.family && outer.prefix <= inner.prefix && Cidr._overlaps(outer, inner);
  }

  /** Parses an IP address (no prefix); undefined when it is not one. @internal */
  public static _address(text: string): { family: 4 | 6; value: bigint } | undefined {
    const v4 = parseIpv4(text);
    if (v4 !== undefined) return { family: 4, value: v4 };
    const v6 = text.includes(':') ? parseIpv6(text) : undefined;
    return v6 === undefined ? undefined : { family: 6, value: v6 };
  }

  private constructor(
    /** The prefix as written. */
    public readonly text: string,
  ) {}

  /**
   * Parses and checks this CIDR: syntax, prefix range, no host bits set. With `scope`, the error
   * names the construct path and `what` (the prop).
   * @internal
   */
  public _parse(scope?: IConstruct, what: string = 'CIDR'): ParsedCidr {
    const fail = (message: string): never => {
      if (scope) invalidProp(scope, message);
      throw new InfraFluxError(ErrorCode.INVALID_PROP, 'Cidr.of', message);
    };
    const match = /^([^/]+)\/(\d{1,3})$/.exec(this.text);
    const family: 4 | 6 | undefined = match ? (match[1].includes(':') ? 6 : 4) : undefined;
    const address = match && family ? (family === 4 ? parseIpv4(match[1]) : parseIpv6(match[1])) : undefined;
    const bits = family === 6 ? 128 : 32;
    const prefix = match ? Number(match[2]) : NaN;
    if (!match || !family || address === undefined || prefix > bits) {
      return fail(`${what} "${this.text}" is not a CIDR; use an IPv4 or IPv6 network such as 10.244.0.0/16 or fd00:10:244::/56`);
    }
    const hostMask = (1n << BigInt(bits - prefix)) - 1n;
    const network = address & ~hostMask;
    if (network !== address) {
      return fail(`${what} "${this.text}" has host bits set; use the network address "${formatAddress(family, network)}/${prefix}"`);
    }
    return { family, network, prefix };
  }

  public get family(): IpFamily {
    return this._parse().family === 4 ? IpFamily.IPV4 : IpFamily.IPV6;
  }

  public get prefixLength(): number {
    return this._parse().prefix;
  }

  /** First address (numeric). */
  public get first(): bigint {
    return this._parse().network;
  }

  /** Last address (numeric). */
  public get last(): bigint {
    const p = this._parse();
    return p.network + (1n << BigInt((p.family === 4 ? 32 : 128) - p.prefix)) - 1n;
  }

  /** Whether the two prefixes share at least one address. */
  public overlaps(other: Cidr): boolean {
    return Cidr._overlaps(this._parse(), other._parse());
  }

  /** Whether `other` lies entirely inside this prefix. */
  public contains(other: Cidr): boolean {
    return Cidr._contains(this._parse(), other._parse());
  }

  public toString(): string {
    return this.text;
  }
}

/** The family of an IP address (no prefix); undefined when it is not one. */
export function ipFamilyOf(address: string): IpFamily | undefined {
  const parsed = Cidr._address(address);
  if (!parsed) return undefined;
  return parsed.family === 4 ? IpFamily.IPV4 : IpFamily.IPV6;
}

/** @internal */
export type { ParsedCidr };
