/**
 * Flux controller sharding (decision 0114): the Flux Operator's FluxInstance `spec.sharding` runs
 * one extra source/kustomize/helm controller set per shard, each watching the objects labelled
 * `sharding.fluxcd.io/key: <shard>`; the main set watches the objects without the label.
 * @see https://fluxcd.control-plane.io/operator/fluxinstance/#sharding
 * @see https://fluxcd.io/flux/installation/configuration/sharding/
 */
import { createHash } from 'node:crypto';
import { ErrorCode, InfraFluxError } from '../core/errors';

/** The label key the Flux controllers shard by (the FluxInstance default). */
export const SHARD_LABEL = 'sharding.fluxcd.io/key';

/**
 * The Flux benchmark: about 4 minutes to reconcile 1,000 HelmReleases at `--concurrent=10`, i.e.
 * ~250 HelmReleases per minute per controller set.
 * @see https://github.com/fluxcd/flux-benchmark
 */
export const HELM_RELEASES_PER_MINUTE_AT_CONCURRENCY_10 = 250;

/** How many Flux objects one cluster reconciles. */
export interface FluxLoad {
  readonly kustomizations: number;
  readonly helmReleases: number;
}

/** Controller settings sized from a {@link FluxLoad}. */
export interface FluxSizing {
  /** Shard names (`shard1`..); empty when one controller set suffices. */
  readonly shards: readonly string[];
  /** `--concurrent` of kustomize- and helm-controller (every shard). */
  readonly concurrent: number;
  /** Minutes one controller set needs for a full HelmRelease pass at that concurrency. */
  readonly fullPassMinutes: number;
  /** Smallest sensible HelmRelease/Kustomization `interval`: twice the full pass, at least 10. */
  readonly minIntervalMinutes: number;
}

/**
 * Sizes the controllers: one shard per started 1,000 HelmReleases beyond the first 1,000 (the main
 * set keeps the platform's own layers); `--concurrent=20` when a set has more than 500; the
 * interval at least twice a full pass so reconciles never queue behind each other.
 */
export function sizeFlux(load: FluxLoad): FluxSizing {
  for (const [k, v] of Object.entries(load)) {
    if (!Number.isInteger(v) || v < 0) throw new InfraFluxError(ErrorCode.INVALID_PROP, 'sizeFlux', `${k} ${v} is not a count; use a whole number >= 0`);
  }
  const sets = Math.max(1, Math.ceil(load.helmReleases / 1000));
  const perSet = Math.ceil(load.helmReleases / sets);
  const concurrent = perSet > 500 ? 20 : 10;
  const perMinute = HELM_RELEASES_PER_MINUTE_AT_CONCURRENCY_10 * (concurrent / 10);
  // Kustomizations cost about as much as a HelmRelease each (a build, a dry run, an apply).
  const fullPassMinutes = Math.ceil((perSet + Math.ceil(load.kustomizations / sets)) / perMinute);
  return {
    shards: sets > 1 ? Array.from({ length: sets - 1 }, (_, i) => `shard${i + 1}`) : [],
    concurrent,
    fullPassMinutes,
    minIntervalMinutes: Math.max(10, 2 * fullPassMinutes),
  };
}

/** Whether and how a cluster's Flux controllers are sharded. */
export class FluxSharding {
  /** One controller set (the default; the reference fleet). */
  public static none(): FluxSharding {
    return new FluxSharding([], 10);
  }

  /** `shards` extra controller sets, `--concurrent=concurrent`. */
  public static byLabel(shards: number, concurrent = 10): FluxSharding {
    if (!Number.isInteger(shards) || shards < 1 || shards > 32) throw new InfraFluxError(ErrorCode.INVALID_PROP, 'FluxSharding.byLabel', `shards ${shards} is out of range; use 1-32`);
    if (!Number.isInteger(concurrent) || concurrent < 1 || concurrent > 100) throw new InfraFluxError(ErrorCode.INVALID_PROP, 'FluxSharding.byLabel', `concurrent ${concurrent} is out of range; use 1-100`);
    return new FluxSharding(Array.from({ length: shards }, (_, i) => `shard${i + 1}`), concurrent);
  }

  /** Sized from the load with {@link sizeFlux}. */
  public static sizedFor(load: FluxLoad): FluxSharding {
    const s = sizeFlux(load);
    return new FluxSharding([...s.shards], s.concurrent);
  }

  private constructor(
    public readonly shards: readonly string[],
    public readonly concurrent: number,
  ) {}

  public get enabled(): boolean {
    return this.shards.length > 0;
  }

  /**
   * The shard of an app (its Kustomization and HelmRelease share it, so a health check never
   * waits on another shard): a stable hash of the name over the main set and the shards;
   * `undefined` means the main set (no label).
   */
  public shardOf(name: string): string | undefined {
    if (!this.enabled) return undefined;
    const n = createHash('sha256').update(name).digest().readUInt32BE(0) % (this.shards.length + 1);
    return n === 0 ? undefined : this.shards[n - 1];
  }

  /** The FluxInstance `spec` fields: `sharding` and the `--concurrent` patch; `{}` unsharded at the default concurrency. */
  public instanceSpec(): { sharding?: { key: string; shards: string[] }; kustomize?: { patches: { target: { kind: string; name: string }; patch: string }[] } } {
    return {
      ...(this.enabled ? { sharding: { key: SHARD_LABEL, shards: [...this.shards] } } : {}),
      ...(this.concurrent !== 10 || this.enabled
        ? {
            kustomize: {
              patches: [
                {
                  target: { kind: 'Deployment', name: '(kustomize-controller|helm-controller)(-shard[0-9]+)?' },
                  patch: `- op: add\n  path: /spec/template/spec/containers/0/args/-\n  value: --concurrent=${this.concurrent}\n`,
                },
              ],
            },
          }
        : {}),
    };
  }
}
