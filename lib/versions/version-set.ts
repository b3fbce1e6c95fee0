import { IConstruct } from 'constructs';
import { PINNED_CHARTS, PinnedChartName } from '../../imports/helm/charts';
import { ErrorCode, InfraFluxError } from '../core/errors';
import {
  CAPI_V1BETA1_CONTROL_PLANE_BUG,
  CapiContract,
  COMPATIBILITY,
  MinorRange,
  RKE2_VERSION_FORMAT,
  SeriesEvidence,
} from './compatibility';
import {
  compareMinor,
  compareVersions,
  inMinorRange,
  Minor,
  minor,
  minorOf,
  minorText,
  parseVersion,
  ParsedVersion,
} from './_semver';

/**
 * Overrides of the pinned versions. Every field is optional; what is not given stays pinned.
 * Values must be exact versions (`v1.12.11`, not `1.12`, `~1.12` or `latest`).
 */
export interface VersionSetProps {
  /**
   * Talos Linux release.
   * @default 'v1.12.11'
   * @see https://github.com/siderolabs/talos/releases
   */
  readonly talos?: string;
  /**
   * Kubernetes version of the clusters (`v` prefix, as Cluster API and Talos take it).
   * @default 'v1.35.4' (the Talos v1.12 default Kubernetes)
   * @see https://www.talos.dev/v1.12/introduction/support-matrix/
   */
  readonly kubernetes?: string;
  /**
   * Cluster API core.
   * @default 'v1.12.11'
   * @see https://cluster-api.sigs.k8s.io/reference/versions
   */
  readonly capiCore?: string;
  /**
   * Cluster API bootstrap provider Talos (CABPT).
   * @default 'v0.6.12'
   * @see https://github.com/siderolabs/cluster-api-bootstrap-provider-talos
   */
  readonly cabpt?: string;
  /**
   * Cluster API control-plane provider Talos (CACPPT).
   * @default 'v0.5.12'
   * @see https://github.com/siderolabs/cluster-api-control-plane-provider-talos
   */
  readonly cacppt?: string;
  /**
   * Cluster API provider AWS (CAPA).
   * @default 'v2.11.1'
   * @see https://github.com/kubernetes-sigs/cluster-api-provider-aws
   */
  readonly capa?: string;
  /**
   * Cluster API provider Azure (CAPZ).
   * @default 'v1.23.3'
   * @see https://github.com/kubernetes-sigs/cluster-api-provider-azure
   */
  readonly capz?: string;
  /**
   * Cluster API provider GCP (CAPG).
   * @default 'v1.12.0'
   * @see https://github.com/kubernetes-sigs/cluster-api-provider-gcp
   */
  readonly capg?: string;
  /**
   * Cluster API provider Proxmox (CAPMOX).
   * @default 'v0.9.0'
   * @see https://github.com/ionos-cloud/cluster-api-provider-proxmox
   */
  readonly capmox?: string;
  /**
   * Cluster API provider Metal3 (CAPM3).
   * @default 'v1.12.7'
   * @see https://github.com/metal3-io/cluster-api-provider-metal3
   */
  readonly capm3?: string;
  /**
   * Metal3 IP address manager (IPAM provider `metal3`).
   * @default 'v1.12.6'
   * @see https://github.com/metal3-io/ip-address-manager
   */
  readonly ipamMetal3?: string;
  /**
   * Metal3 baremetal-operator (not a clusterctl provider; listed for the matrix).
   * @default 'v0.12.6'
   * @see https://github.com/metal3-io/baremetal-operator
   */
  readonly baremetalOperator?: string;
  /**
   * Cluster API IPAM provider in-cluster (used by CAPMOX).
   * @default 'v1.0.3'
   * @see https://github.com/kubernetes-sigs/cluster-api-ipam-provider-in-cluster
   */
  readonly ipamInCluster?: string;
  /**
   * Cluster API provider RKE2 (bootstrap + control plane, CAPRKE2).
   * @default 'v0.25.0'
   * @see https://github.com/rancher/cluster-api-provider-rke2
   */
  readonly caprke2?: string;
  /**
   * RKE2 release (`v<kubernetes>+rke2r<n>`).
   * @default - `<kubernetes>+rke2r1` (the spec pack pins no RKE2 release; see docs/versions.md)
   * @see https://github.com/rancher/rke2/releases
   */
  readonly rke2?: string;
  /**
   * Cluster API add-on provider Helm (CAAPH).
   * @default 'v0.6.4'
   * @see https://github.com/kubernetes-sigs/cluster-api-addon-provider-helm
   */
  readonly caaph?: string;
  /**
   * cluster-api-operator.
   * @default 'v0.28.0'
   * @see https://github.com/kubernetes-sigs/cluster-api-operator
   */
  readonly capiOperator?: string;
  /**
   * Cilium (no `v`, like its chart).
   * @default '1.20.0'
   * @see https://docs.cilium.io/en/v1.20/
   */
  readonly cilium?: string;
  /**
   * Flux distribution (fluxcd/flux2 release).
   * @default 'v2.9.4'
   * @see https://github.com/fluxcd/flux2/releases
   */
  readonly flux?: string;
  /**
   * Helm chart version overrides by chart name (a chart of imports/helm/charts.ts).
   * @default - every chart at its pin from imports/helm/charts.ts
   */
  readonly charts?: Readonly<Partial<Record<PinnedChartName, string>>>;
}

/** The pinned versions (they equal upstream.lock.json; test/versions/version-set.test.ts checks it). */
const PINNED = {
  talos: 'v1.12.11',
  kubernetes: 'v1.35.4',
  capiCore: 'v1.12.11',
  cabpt: 'v0.6.12',
  cacppt: 'v0.5.12',
  capa: 'v2.11.1',
  capz: 'v1.23.3',
  capg: 'v1.12.0',
  capmox: 'v0.9.0',
  capm3: 'v1.12.7',
  ipamMetal3: 'v1.12.6',
  baremetalOperator: 'v0.12.6',
  ipamInCluster: 'v1.0.3',
  caprke2: 'v0.25.0',
  caaph: 'v0.6.4',
  capiOperator: 'v0.28.0',
  cilium: '1.20.0',
  flux: 'v2.9.4',
} as const;

/** Names of the single-version fields of a VersionSet (everything but `rke2` and `charts`). */
export type ComponentName = keyof typeof PINNED;

/** One row of the version matrix. */
export interface VersionEntry {
  /** VersionSet field name, e.g. `cacppt`. */
  readonly field: string;
  /** Human name, e.g. `Cluster API control-plane provider Talos (CACPPT)`. */
  readonly component: string;
  /** Upstream repository `owner/name`. */
  readonly repository: string;
  readonly version: string;
}

const DESCRIPTIONS: Readonly<Record<ComponentName | 'rke2', { component: string; repository: string }>> = {
  talos: { component: 'Talos Linux', repository: 'siderolabs/talos' },
  kubernetes: { component: 'Kubernetes (clusters)', repository: 'kubernetes/kubernetes' },
  capiCore: { component: 'Cluster API core', repository: 'kubernetes-sigs/cluster-api' },
  cabpt: { component: 'Bootstrap provider Talos (CABPT)', repository: 'siderolabs/cluster-api-bootstrap-provider-talos' },
  cacppt: { component: 'Control-plane provider Talos (CACPPT)', repository: 'siderolabs/cluster-api-control-plane-provider-talos' },
  capa: { component: 'Infrastructure provider AWS (CAPA)', repository: 'kubernetes-sigs/cluster-api-provider-aws' },
  capz: { component: 'Infrastructure provider Azure (CAPZ)', repository: 'kubernetes-sigs/cluster-api-provider-azure' },
  capg: { component: 'Infrastructure provider GCP (CAPG)', repository: 'kubernetes-sigs/cluster-api-provider-gcp' },
  capmox: { component: 'Infrastructure provider Proxmox (CAPMOX)', repository: 'ionos-cloud/cluster-api-provider-proxmox' },
  capm3: { component: 'Infrastructure provider Metal3 (CAPM3)', repository: 'metal3-io/cluster-api-provider-metal3' },
  ipamMetal3: { component: 'IPAM provider Metal3', repository: 'metal3-io/ip-address-manager' },
  baremetalOperator: { component: 'Metal3 baremetal-operator', repository: 'metal3-io/baremetal-operator' },
  ipamInCluster: { component: 'IPAM provider in-cluster', repository: 'kubernetes-sigs/cluster-api-ipam-provider-in-cluster' },
  caprke2: { component: 'Bootstrap + control-plane provider RKE2 (CAPRKE2)', repository: 'rancher/cluster-api-provider-rke2' },
  rke2: { component: 'RKE2 (alternative distribution)', repository: 'rancher/rke2' },
  caaph: { component: 'Add-on provider Helm (CAAPH)', repository: 'kubernetes-sigs/cluster-api-addon-provider-helm' },
  capiOperator: { component: 'cluster-api-operator', repository: 'kubernetes-sigs/cluster-api-operator' },
  cilium: { component: 'Cilium', repository: 'cilium/cilium' },
  flux: { component: 'Flux', repository: 'fluxcd/flux2' },
};

/** Fields whose upstream tags carry no `v` (Cilium publishes `1.20.0`). */
const NO_V_PREFIX: ReadonlySet<string> = new Set(['cilium']);

/** Field → SeriesEvidence key when they differ. */
const SHORT: Readonly<Record<string, string>> = {
  cabpt: 'CABPT', cacppt: 'CACPPT', capa: 'CAPA', capz: 'CAPZ', capg: 'CAPG', capmox: 'CAPMOX',
  capm3: 'CAPM3', ipamMetal3: 'Metal3 IPAM', ipamInCluster: 'IPAM in-cluster', caaph: 'CAAPH',
  caprke2: 'CAPRKE2', capiCore: 'Cluster API core', talos: 'Talos', cilium: 'Cilium', flux: 'Flux',
  capiOperator: 'cluster-api-operator', kubernetes: 'Kubernetes', baremetalOperator: 'baremetal-operator',
};

function rangeText(r: MinorRange): string {
  return r.max ? `${r.min}–${r.max}` : `≥ ${r.min}`;
}

/**
 * Every version of the platform in one typed object: Talos, Kubernetes, Cluster API core and its
 * providers, Cilium, Flux and every pinned Helm chart. `VersionSet.pinned()` is what the spec pack
 * pins (upstream.lock.json); `VersionSet.of({...})` overrides some of them. `validate(scope)`
 * enforces the compatibility rules of the spec pack (lib/versions/compatibility.ts) and throws
 * one InfraFluxError naming the construct path and every bad value.
 *
 * A component upgrade is a version bump here: `VersionSet.of({ capa: 'v2.11.2' })`.
 *
 * @see docs/versions.md (generated from this class by `scripts/docs-versions.ts`)
 */
export class VersionSet {
  /** The versions pinned by the spec pack. */
  public static pinned(): VersionSet {
    return new VersionSet({});
  }

  /** The pinned versions with the given overrides. Nothing is checked until `validate()`. */
  public static of(props: VersionSetProps): VersionSet {
    return new VersionSet(props);
  }

  public readonly talos: string;
  public readonly kubernetes: string;
  public readonly capiCore: string;
  public readonly cabpt: string;
  public readonly cacppt: string;
  public readonly capa: string;
  public readonly capz: string;
  public readonly capg: string;
  public readonly capmox: string;
  public readonly capm3: string;
  public readonly ipamMetal3: string;
  public readonly baremetalOperator: string;
  public readonly ipamInCluster: string;
  public readonly caprke2: string;
  public readonly rke2: string;
  public readonly caaph: string;
  public readonly capiOperator: string;
  public readonly cilium: string;
  public readonly flux: string;
  /** Helm chart versions by chart name (every chart of imports/helm/charts.ts with a pinned version). */
  public readonly charts: Readonly<Record<string, string>>;
  /** Version of the `cilium` chart. */
  public readonly ciliumChart: string;
  /** Version of the `cluster-api-operator` chart. */
  public readonly capiOperatorChart: string;

  private constructor(props: VersionSetProps) {
    this.talos = props.talos ?? PINNED.talos;
    this.kubernetes = props.kubernetes ?? PINNED.kubernetes;
    this.capiCore = props.capiCore ?? PINNED.capiCore;
    this.cabpt = props.cabpt ?? PINNED.cabpt;
    this.cacppt = props.cacppt ?? PINNED.cacppt;
    this.capa = props.capa ?? PINNED.capa;
    this.capz = props.capz ?? PINNED.capz;
    this.capg = props.capg ?? PINNED.capg;
    this.capmox = props.capmox ?? PINNED.capmox;
    this.capm3 = props.capm3 ?? PINNED.capm3;
    this.ipamMetal3 = props.ipamMetal3 ?? PINNED.ipamMetal3;
    this.baremetalOperator = props.baremetalOperator ?? PINNED.baremetalOperator;
    this.ipamInCluster = props.ipamInCluster ?? PINNED.ipamInCluster;
    this.caprke2 = props.caprke2 ?? PINNED.caprke2;
    this.rke2 = props.rke2 ?? `${this.kubernetes}+rke2r1`;
    this.caaph = props.caaph ?? PINNED.caaph;
    this.capiOperator = props.capiOperator ?? PINNED.capiOperator;
    this.cilium = props.cilium ?? PINNED.cilium;
    this.flux = props.flux ?? PINNED.flux;

    const charts: Record<string, string> = {};
    for (const [name, chart] of Object.entries(PINNED_CHARTS)) {
      if (chart.version !== null) charts[name] = chart.version;
    }
    for (const [name, version] of Object.entries(props.charts ?? {})) {
      if (version !== undefined) charts[name] = version;
    }
    this.charts = Object.freeze(charts);
    this.ciliumChart = charts.cilium;
    this.capiOperatorChart = charts['cluster-api-operator'];
  }

  /** Version of a pinned chart; throws when the chart pins no version. */
  public chartVersion(name: PinnedChartName): string {
    const version = this.charts[name];
    if (version === undefined) {
      throw new InfraFluxError(ErrorCode.UNSUPPORTED_VERSION, 'VersionSet', `chart "${name}" has no pinned version in upstream.lock.json`);
    }
    return version;
  }

  /** The version matrix: one entry per component, in a fixed order. */
  public entries(): VersionEntry[] {
    const fields = [...(Object.keys(PINNED) as ComponentName[]), 'rke2' as const];
    return fields.map((field) => ({
      field,
      component: DESCRIPTIONS[field].component,
      repository: DESCRIPTIONS[field].repository,
      version: this[field],
    }));
  }

  /**
   * Every rule this set breaks, as messages (empty when the set is supported). Each message names
   * the field, the bad value and what is allowed.
   */
  public problems(): string[] {
    const out: string[] = [];
    const parsed = new Map<string, ParsedVersion>();

    // exact-version
    for (const field of Object.keys(PINNED) as ComponentName[]) {
      const value = this[field];
      const v = parseVersion(value);
      const wantsV = !NO_V_PREFIX.has(field);
      if (!v || value.startsWith('v') !== wantsV) {
        const example = wantsV ? `v${PINNED[field].replace(/^v/, '')}` : PINNED[field];
        out.push(`${field} "${value}" is not an exact version; use one release like "${example}" (no ranges, wildcards or "latest"${wantsV ? ', with the leading "v"' : ', without "v"'})`);
        continue;
      }
      parsed.set(field, v);
    }
    for (const [name, value] of Object.entries(this.charts)) {
      if (!parseVersion(value)) {
        out.push(`charts.${name} "${value}" is not an exact chart version; use one release like "${(PINNED_CHARTS as Record<string, { version: string | null }>)[name]?.version ?? '1.2.3'}"`);
      }
    }

    // known-series
    const evidence = new Map<string, SeriesEvidence>();
    for (const [field, series] of Object.entries(COMPATIBILITY)) {
      const v = parsed.get(field);
      if (!v) continue;
      const key = minorText(minorOf(v));
      const found = series.find((s) => s.series === key);
      if (!found) {
        out.push(`${field} "${this.get(field)}" is a ${SHORT[field] ?? field} ${key}.x release, for which the spec pack has no compatibility evidence; supported: ${series.map((s) => `${s.series}.x`).join(', ')} (add the evidence to lib/versions/compatibility.ts to allow it)`);
        continue;
      }
      evidence.set(field, found);
    }

    const k8s = parsed.get('kubernetes');
    const k8sMinor = k8s ? minorOf(k8s) : undefined;

    // kubernetes-range: the intersection of every component's Kubernetes range
    if (k8sMinor) {
      let low: Minor | undefined;
      let high: Minor | undefined;
      const limits: string[] = [];
      for (const [field, e] of evidence) {
        if (!e.kubernetes) continue;
        const min = minor(e.kubernetes.min);
        if (!low || compareMinor(min, low) > 0) low = min;
        if (e.kubernetes.max) {
          const max = minor(e.kubernetes.max);
          if (!high || compareMinor(max, high) < 0) high = max;
        }
        if (!inMinorRange(k8sMinor, min, e.kubernetes.max ? minor(e.kubernetes.max) : { major: 99, minor: 0 })) {
          limits.push(`${SHORT[field]} ${this.get(field)} supports ${rangeText(e.kubernetes)}`);
        }
      }
      if (limits.length > 0 && low) {
        const range = high ? `${minorText(low)}–${minorText(high)}` : `≥ ${minorText(low)}`;
        out.push(`kubernetes "${this.kubernetes}" is outside ${range}, the Kubernetes range every component of this set supports (${limits.join('; ')})`);
      }
    }

    // talos-providers
    const talos = parsed.get('talos');
    if (talos) {
      for (const field of ['cabpt', 'cacppt']) {
        const e = evidence.get(field);
        if (e?.talos && !inMinorRange(minorOf(talos), minor(e.talos.min), minor(e.talos.max ?? '99.0'))) {
          out.push(`talos "${this.talos}" is not supported by ${SHORT[field]} ${this.get(field)} (Talos ${rangeText(e.talos)}); use Talos ${e.talos.max}.x or a ${SHORT[field]} release that supports Talos ${minorText(minorOf(talos))}`);
        }
      }
    }

    // capi-core-providers
    const core = parsed.get('capiCore');
    if (core && evidence.has('capiCore')) {
      for (const [field, e] of evidence) {
        if (!e.capiCore) continue;
        if (!inMinorRange(minorOf(core), minor(e.capiCore.min), minor(e.capiCore.max ?? '99.0'))) {
          out.push(`capiCore "${this.capiCore}" is not supported by ${SHORT[field]} ${this.get(field)} (Cluster API ${rangeText(e.capiCore)}); keep Cluster API core within what every provider supports`);
        }
      }
    }

    // capi-v1beta1-control-plane
    if (core && evidence.get('cacppt')?.contract === CapiContract.V1BETA1) {
      for (const range of CAPI_V1BETA1_CONTROL_PLANE_BUG.affected) {
        const from = parseVersion(range.from) as ParsedVersion;
        const to = parseVersion(range.to) as ParsedVersion;
        if (compareVersions(core, from) >= 0 && compareVersions(core, to) <= 0) {
          out.push(`capiCore "${this.capiCore}" misreads v1beta1 control planes such as CACPPT ${this.cacppt} (status.ready instead of status.initialized, kubernetes-sigs/cluster-api#13184); use Cluster API core ≥ v1.12.2 (or v1.11.5+)`);
        }
      }
    }

    // metal3-pairing
    const capm3 = parsed.get('capm3');
    const ipamMetal3 = parsed.get('ipamMetal3');
    if (capm3 && ipamMetal3 && compareMinor(minorOf(capm3), minorOf(ipamMetal3)) !== 0) {
      out.push(`ipamMetal3 "${this.ipamMetal3}" does not pair with CAPM3 ${this.capm3}; use a Metal3 IPAM v${capm3.major}.${capm3.minor}.x release`);
    }

    // rke2-version
    const rke2 = RKE2_VERSION_FORMAT.exec(this.rke2);
    if (!rke2) {
      out.push(`rke2 "${this.rke2}" is not an RKE2 release; use "v<kubernetes>+rke2r<n>", e.g. "${this.kubernetes}+rke2r1"`);
    } else if (k8s && `v${rke2[1]}.${rke2[2]}.${rke2[3]}` !== this.kubernetes) {
      out.push(`rke2 "${this.rke2}" ships Kubernetes v${rke2[1]}.${rke2[2]}.${rke2[3]}, not kubernetes "${this.kubernetes}"; use "${this.kubernetes}+rke2r<n>"`);
    }

    // chart-app-pairing
    if (this.ciliumChart !== this.cilium) {
      out.push(`charts.cilium "${this.ciliumChart}" differs from cilium "${this.cilium}"; the Cilium chart version is the Cilium version`);
    }
    if (`v${this.capiOperatorChart}` !== this.capiOperator) {
      out.push(`charts.cluster-api-operator "${this.capiOperatorChart}" differs from capiOperator "${this.capiOperator}"; use chart "${this.capiOperator.replace(/^v/, '')}"`);
    }
    return out;
  }

  /**
   * Throws an InfraFluxError (code UNSUPPORTED_VERSION) naming `scope`'s construct path and every value
   * that breaks a compatibility rule. Call it from the constructor of anything that installs or
   * uses these versions.
   */
  public validate(scope: IConstruct): void {
    const problems = this.problems();
    if (problems.length > 0) {
      throw new InfraFluxError(ErrorCode.UNSUPPORTED_VERSION, scope, `unsupported version set: ${problems.join('; ')}`);
    }
  }

  private get(field: string): string {
    return (this as unknown as Record<string, string>)[field];
  }
}
