/**
 * @internal Minimal exact-version parsing for the VersionSet. Only exact versions are accepted:
 * no ranges, no wildcards, no `latest`.
 */
export interface ParsedVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Pre-release part after `-`, or '' for a release. */
  readonly pre: string;
}

const SEMVER = /^(v?)(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?$/;

/** Parses `v1.12.11` / `1.20.0` / `v0.7.0-alpha.2`; undefined when the text is not one exact version. */
export function parseVersion(text: string): ParsedVersion | undefined {
  const m = SEMVER.exec(text);
  if (!m) return undefined;
  return { major: Number(m[2]), minor: Number(m[3]), patch: Number(m[4]), pre: m[5] ?? '' };
}

/** True when the text starts with `v` (Go module / git tag style). */
export function hasVPrefix(text: string): boolean {
  return text.startsWith('v');
}

/** Compares major.minor.patch (pre-releases sort before their release). */
export function compareVersions(a: ParsedVersion, b: ParsedVersion): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  if (a.pre === b.pre) return 0;
  if (a.pre === '') return 1;
  if (b.pre === '') return -1;
  return a.pre < b.pre ? -1 : 1;
}

/** `major.minor` as a comparable number pair. */
export interface Minor {
  readonly major: number;
  readonly minor: number;
}

export function minorOf(v: ParsedVersion): Minor {
  return { major: v.major, minor: v.minor };
}

export function compareMinor(a: Minor, b: Minor): number {
  return a.major !== b.major ? a.major - b.major : a.minor - b.minor;
}

export function minorText(m: Minor): string {
  return `${m.major}.${m.minor}`;
}

/** Parses `1.12` into a Minor. */
export function minor(text: string): Minor {
  const [major, min] = text.split('.').map(Number);
  return { major, minor: min };
}

export function inMinorRange(v: Minor, min: Minor, max: Minor): boolean {
  return compareMinor(v, min) >= 0 && compareMinor(v, max) <= 0;
}
