import { compareVersions, parseVersion, ParsedVersion } from '../versions/_semver';
import { VersionSet } from '../versions/version-set';
import { Command, cmd } from './command';

/**
 * Which versions of a CLI are supported: the same minor as a pinned version (clusterctl must match
 * the Cluster API core it installs), a minimum, or a window of minors around a version (kubectl's
 * ±1 minor skew policy).
 */
export class VersionConstraint {
  /** Same major.minor as `version` (any patch at or above it is fine too, any patch below is not). */
  public static sameMinor(version: string): VersionConstraint {
    return new VersionConstraint(version, 'same-minor', 0);
  }
  /** At least `version`. */
  public static atLeast(version: string): VersionConstraint {
    return new VersionConstraint(version, 'at-least', 0);
  }
  /** Within `skew` minors of `version` (same major). */
  public static minorSkew(version: string, skew: number): VersionConstraint {
    return new VersionConstraint(version, 'skew', skew);
  }

  private constructor(
    public readonly version: string,
    private readonly kind: 'same-minor' | 'at-least' | 'skew',
    private readonly skew: number,
  ) {}

  /** True when `found` satisfies the constraint. */
  public allows(found: string): boolean {
    const f = parseVersion(found.replace(/^v/, ''));
    const w = parseVersion(this.version.replace(/^v/, ''));
    if (!f || !w) return false;
    switch (this.kind) {
      case 'same-minor':
        return f.major === w.major && f.minor === w.minor;
      case 'at-least':
        return compareVersions(stripPre(f), w) >= 0;
      default:
        return f.major === w.major && Math.abs(f.minor - w.minor) <= this.skew;
    }
  }

  /** Human form, e.g. `v1.12.x`, `>= v0.27.0`, `1.34-1.36`. */
  public toString(): string {
    const w = parseVersion(this.version.replace(/^v/, ''));
    const v = this.version.startsWith('v') ? 'v' : '';
    if (!w) return this.version;
    switch (this.kind) {
      case 'same-minor':
        return `${v}${w.major}.${w.minor}.x`;
      case 'at-least':
        return `>= ${this.version}`;
      default:
        return `${v}${w.major}.${Math.max(0, w.minor - this.skew)}-${w.major}.${w.minor + this.skew}`;
    }
  }
}

function stripPre(v: ParsedVersion): ParsedVersion {
  return { ...v, pre: '' };
}

/**
 * A command-line tool the bootstrap needs: how to ask it for its version, how to read the answer
 * and which versions are supported, with the upstream install page for the fix message.
 */
export interface ToolRequirement {
  /** Program name on PATH. */
  readonly name: string;
  /** The command printing its version. */
  readonly versionCommand: Command;
  /** Reads the version (`1.2.3`, with or without `v`) out of the command's stdout. */
  readonly versionPattern: RegExp;
  readonly supported: VersionConstraint;
  /** Where to get it. */
  readonly installUrl: string;
}

const SEMVER_IN_TEXT = 'v?(\\d+\\.\\d+\\.\\d+)';

/** The version a tool printed, or undefined. */
export function toolVersion(tool: ToolRequirement, stdout: string): string | undefined {
  return tool.versionPattern.exec(stdout)?.[1];
}

/**
 * The CLIs of the bootstrap and their supported versions, derived from the VersionSet: clusterctl
 * the minor of Cluster API core (clusterctl refuses other contracts), talosctl the Talos minor,
 * flux the Flux minor (`flux install` installs its own version by default), kubectl within one
 * minor of Kubernetes (the version skew policy), kind ≥ v0.27 (node images for Kubernetes 1.33+),
 * docker ≥ 24.
 *
 * @see https://cluster-api.sigs.k8s.io/clusterctl/overview (clusterctl and provider contracts)
 * @see https://kubernetes.io/releases/version-skew-policy/#kubectl
 */
export class BootstrapTools {
  public static of(versions: VersionSet): BootstrapTools {
    return new BootstrapTools(versions);
  }

  public readonly kind: ToolRequirement;
  public readonly docker: ToolRequirement;
  public readonly clusterctl: ToolRequirement;
  public readonly kubectl: ToolRequirement;
  public readonly flux: ToolRequirement;
  public readonly talosctl: ToolRequirement;
  public readonly cilium: ToolRequirement;
  public readonly terraform: ToolRequirement;

  private constructor(versions: VersionSet) {
    this.kind = {
      name: 'kind',
      versionCommand: cmd('kind', ['version']),
      versionPattern: new RegExp(`kind ${SEMVER_IN_TEXT}`),
      supported: VersionConstraint.atLeast('v0.27.0'),
      installUrl: 'https://kind.sigs.k8s.io/docs/user/quick-start/#installation',
    };
    this.docker = {
      name: 'docker',
      versionCommand: cmd('docker', ['version', '--format', '{{.Server.Version}}']),
      versionPattern: /^(\d+\.\d+\.\d+)/m,
      supported: VersionConstraint.atLeast('24.0.0'),
      installUrl: 'https://docs.docker.com/engine/install/ (and start the daemon)',
    };
    this.clusterctl = {
      name: 'clusterctl',
      versionCommand: cmd('clusterctl', ['version', '-o', 'short']),
      versionPattern: new RegExp(`^${SEMVER_IN_TEXT}`, 'm'),
      supported: VersionConstraint.sameMinor(versions.capiCore),
      installUrl: `https://github.com/kubernetes-sigs/cluster-api/releases/tag/${versions.capiCore}`,
    };
    this.kubectl = {
      name: 'kubectl',
      versionCommand: cmd('kubectl', ['version', '--client', '-o', 'json']),
      versionPattern: new RegExp(`"gitVersion":\\s*"${SEMVER_IN_TEXT}`),
      supported: VersionConstraint.minorSkew(versions.kubernetes, 1),
      installUrl: 'https://kubernetes.io/docs/tasks/tools/#kubectl',
    };
    this.flux = {
      name: 'flux',
      versionCommand: cmd('flux', ['version', '--client']),
      versionPattern: new RegExp(`flux: ${SEMVER_IN_TEXT}`),
      supported: VersionConstraint.sameMinor(versions.flux),
      installUrl: `https://github.com/fluxcd/flux2/releases/tag/${versions.flux}`,
    };
    this.talosctl = {
      name: 'talosctl',
      versionCommand: cmd('talosctl', ['version', '--client', '--short']),
      versionPattern: new RegExp(`Talos ${SEMVER_IN_TEXT}`),
      supported: VersionConstraint.sameMinor(versions.talos),
      installUrl: `https://github.com/siderolabs/talos/releases/tag/${versions.talos}`,
    };
    this.cilium = {
      name: 'cilium',
      versionCommand: cmd('cilium', ['version', '--client']),
      versionPattern: new RegExp(`cilium-cli: ${SEMVER_IN_TEXT}`),
      supported: VersionConstraint.atLeast('v0.18.0'),
      installUrl: 'https://github.com/cilium/cilium-cli/releases',
    };
    this.terraform = {
      name: 'terraform',
      versionCommand: cmd('terraform', ['version', '-json']),
      versionPattern: new RegExp(`"terraform_version":\\s*"${SEMVER_IN_TEXT}`),
      supported: VersionConstraint.atLeast('1.5.0'),
      installUrl: 'https://developer.hashicorp.com/terraform/install',
    };
  }

  /** The tools every bootstrap needs (the design's list, §9). */
  public get core(): ToolRequirement[] {
    return [this.docker, this.kind, this.clusterctl, this.kubectl, this.flux, this.talosctl];
  }
}
