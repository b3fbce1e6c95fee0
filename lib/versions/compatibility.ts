/**
 * The compatibility evidence of the pinned spec pack, as data. `VersionSet.validate()` enforces it
 * and `scripts/docs-versions.ts` renders it into docs/versions.md, so the rules and their
 * documentation cannot drift apart.
 *
 * Every entry cites where the spec pack read it (`owner/repo@tag:path`, see
 * ../shared/upstream/capi-core/COMPATIBILITY.md, `capi-core/compatibility.json` and
 * `cilium/NOTES.md`). A component minor with no entry here has no evidence in the pack and is
 * rejected: bumping to a new minor means adding its evidence here first (a patch bump within a
 * known minor needs nothing).
 */

/** An inclusive `major.minor` range, e.g. Kubernetes 1.33–1.35. */
export interface MinorRange {
  /** Lowest supported `major.minor`, e.g. `1.33`. */
  readonly min: string;
  /** Highest supported `major.minor`; absent = no upper bound stated upstream. */
  readonly max?: string;
}

/** The Cluster API contract a provider release series implements (its metadata.yaml). */
export enum CapiContract {
  V1BETA1 = 'v1beta1',
  V1BETA2 = 'v1beta2',
}

/** What the spec pack knows about one release series (`major.minor`) of one component. */
export interface SeriesEvidence {
  /** `major.minor` of the component, e.g. `0.5` for CACPPT v0.5.x. */
  readonly series: string;
  /** Kubernetes versions the series supports (workload clusters). */
  readonly kubernetes?: MinorRange;
  /** Talos versions the series supports (Talos providers only). */
  readonly talos?: MinorRange;
  /** Cluster API core minors the series is built for / tested with (CAPI providers only). */
  readonly capiCore?: MinorRange;
  /** Cluster API contract of the series (CAPI providers only). */
  readonly contract?: CapiContract;
  /** Where the evidence comes from. */
  readonly source: string;
}

/** Evidence per VersionSet field. Keys are VersionSet field names. */
export const COMPATIBILITY: Readonly<Record<string, readonly SeriesEvidence[]>> = {
  talos: [
    { series: '1.12', kubernetes: { min: '1.30', max: '1.35' }, source: 'siderolabs/talos@v1.12.11:pkg/machinery/compatibility/talos112/talos112.go' },
    { series: '1.13', kubernetes: { min: '1.31', max: '1.36' }, source: 'siderolabs/talos@v1.13.9:pkg/machinery/compatibility/talos113/talos113.go' },
  ],
  capiCore: [
    { series: '1.12', kubernetes: { min: '1.29', max: '1.35' }, contract: CapiContract.V1BETA2, source: 'kubernetes-sigs/cluster-api@v1.12.11:docs/book/src/reference/versions.md (1.36 only from v1.12.8, per the v1.14.0 doc; not needed by this set)' },
  ],
  cabpt: [
    { series: '0.6', kubernetes: { min: '1.26', max: '1.36' }, talos: { min: '1.2', max: '1.13' }, capiCore: { min: '1.11', max: '1.15' }, contract: CapiContract.V1BETA1, source: 'siderolabs/cluster-api-bootstrap-provider-talos@v0.6.12:README.md, CHANGELOG.md, config/metadata/metadata.yaml' },
  ],
  cacppt: [
    { series: '0.5', kubernetes: { min: '1.26', max: '1.35' }, talos: { min: '1.3', max: '1.12' }, capiCore: { min: '1.11', max: '1.15' }, contract: CapiContract.V1BETA1, source: 'siderolabs/cluster-api-control-plane-provider-talos@v0.5.12:README.md, config/metadata/metadata.yaml' },
  ],
  capa: [
    { series: '2.11', capiCore: { min: '1.11', max: '1.12' }, contract: CapiContract.V1BETA1, source: 'kubernetes-sigs/cluster-api-provider-aws@v2.11.1:go.mod (CAPI v1.11.1), metadata.yaml; runs under core 1.12 through the v1beta1 contract (COMPATIBILITY.md §4)' },
  ],
  capz: [
    { series: '1.24', capiCore: { min: '1.13', max: '1.13' }, contract: CapiContract.V1BETA1, source: 'capi-core/COMPATIBILITY.md §4: "releases v1.24.0 and later build against CAPI v1.13.x (go.mod)"' },
    { series: '1.23', capiCore: { min: '1.12', max: '1.12' }, contract: CapiContract.V1BETA1, source: 'kubernetes-sigs/cluster-api-provider-azure@v1.23.3:go.mod (CAPI v1.12.9), test/e2e/config/azure-dev.yaml' },
  ],
  capg: [
    { series: '1.12', capiCore: { min: '1.12', max: '1.12' }, contract: CapiContract.V1BETA1, source: 'kubernetes-sigs/cluster-api-provider-gcp@v1.12.0:test/e2e/config/gcp-ci.yaml (core v1.12.8)' },
  ],
  capmox: [
    { series: '0.9', capiCore: { min: '1.11', max: '1.12' }, contract: CapiContract.V1BETA2, source: 'ionos-cloud/cluster-api-provider-proxmox@v0.9.0:README.md "Compatibility"' },
  ],
  capm3: [
    { series: '1.13', capiCore: { min: '1.13', max: '1.13' }, contract: CapiContract.V1BETA1, source: 'metal3-io/cluster-api-provider-metal3@v1.13.2:README.md ("v1.13.X ↔ CAPI v1.13.X")' },
    { series: '1.12', capiCore: { min: '1.12', max: '1.12' }, contract: CapiContract.V1BETA1, source: 'metal3-io/cluster-api-provider-metal3@v1.13.2:README.md ("v1.12.X ↔ CAPI v1.12.X")' },
  ],
  ipamMetal3: [
    { series: '1.13', capiCore: { min: '1.13', max: '1.13' }, contract: CapiContract.V1BETA1, source: 'pairs with CAPM3 v1.13.x (capi-core/COMPATIBILITY.md §2)' },
    { series: '1.12', capiCore: { min: '1.12', max: '1.12' }, contract: CapiContract.V1BETA1, source: 'metal3-io/cluster-api-provider-metal3@v1.12.7:go.mod (pairs with ip-address-manager v1.12.6)' },
  ],
  ipamInCluster: [
    { series: '1.0', capiCore: { min: '1.11', max: '1.15' }, contract: CapiContract.V1BETA1, source: 'kubernetes-sigs/cluster-api-ipam-provider-in-cluster@v1.0.3:metadata.yaml (v1beta1 contract, accepted by core 1.11–1.15)' },
  ],
  caaph: [
    { series: '0.6', capiCore: { min: '1.11', max: '1.12' }, contract: CapiContract.V1BETA2, source: 'kubernetes-sigs/cluster-api-addon-provider-helm@v0.6.4:test/e2e/config/helm.yaml (core v1.12.4, v1.11.7)' },
  ],
  caprke2: [
    { series: '0.25', capiCore: { min: '1.12', max: '1.13' }, contract: CapiContract.V1BETA2, source: 'rancher/cluster-api-provider-rke2@v0.25.0:test/e2e/e2e_suite_test.go (core v1.12.8), e2e_upgrade_test.go (v1.13.2)' },
  ],
  capiOperator: [
    { series: '0.28', source: 'kubernetes-sigs/cluster-api-operator@v0.28.0 (chart cluster-api-operator 0.28.0)' },
  ],
  cilium: [
    { series: '1.20', kubernetes: { min: '1.33', max: '1.36' }, source: 'cilium/cilium@v1.20.0:Documentation/network/kubernetes/requirements.rst (e2e-tested 1.33–1.36)' },
  ],
  flux: [
    { series: '2.9', kubernetes: { min: '1.33' }, source: 'fluxcd/flux2@v2.9.4:cmd/flux/check.go (kubernetesConstraints >= 1.33.0)' },
  ],
};

/** The Cluster API core patch releases that misread v1beta1 control planes (`status.ready` for `status.initialized`). */
export const CAPI_V1BETA1_CONTROL_PLANE_BUG = {
  /** Affected ranges, inclusive: v1.11.0–v1.11.4 and v1.12.0–v1.12.1. */
  affected: [
    { from: 'v1.11.0', to: 'v1.11.4' },
    { from: 'v1.12.0', to: 'v1.12.1' },
  ],
  source: 'kubernetes-sigs/cluster-api#13184, #13258; fixed in v1.11.5 and v1.12.2 (internal/contract/controlplane.go)',
} as const;

/** Format of an RKE2 release: `v<kubernetes>+rke2r<n>`, e.g. `v1.35.4+rke2r1`. */
export const RKE2_VERSION_FORMAT = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)\+rke2r([1-9]\d*)$/;

/** One rule `VersionSet.validate()` enforces, for docs/versions.md. */
export interface CompatibilityRule {
  readonly id: string;
  readonly description: string;
  readonly source: string;
}

/** The rules, in the order `validate()` checks them. */
export const COMPATIBILITY_RULES: readonly CompatibilityRule[] = [
  { id: 'exact-version', description: 'Every version is one exact release (`v1.2.3`, or `1.2.3` for Cilium and charts that publish without `v`): no ranges, wildcards, `latest` or missing `v`.', source: 'STYLE.md "Exact versions everywhere"' },
  { id: 'known-series', description: 'Every component release series (major.minor) has compatibility evidence in the spec pack (the tables below); a new minor needs its evidence added to lib/versions/compatibility.ts first.', source: 'capi-core/COMPATIBILITY.md' },
  { id: 'kubernetes-range', description: 'Kubernetes lies in the range every component of the set supports (1.33–1.35 for the pinned set).', source: 'capi-core/COMPATIBILITY.md §3' },
  { id: 'talos-providers', description: 'Talos lies in the Talos range of both Talos providers (CACPPT v0.5.x: Talos 1.3–1.12, so Talos 1.13 is rejected).', source: 'capi-core/COMPATIBILITY.md §4' },
  { id: 'talos-kubernetes', description: 'Kubernetes lies in the range the Talos minor supports.', source: 'capi-core/COMPATIBILITY.md §3' },
  { id: 'capi-core-providers', description: 'Cluster API core\'s minor is one every provider release series is built for or tested with.', source: 'capi-core/COMPATIBILITY.md §4' },
  { id: 'capi-v1beta1-control-plane', description: 'With a v1beta1-contract control plane (CACPPT v0.5.x), Cluster API core is not v1.11.0–v1.11.4 nor v1.12.0–v1.12.1 (use ≥ v1.12.2).', source: CAPI_V1BETA1_CONTROL_PLANE_BUG.source },
  { id: 'metal3-pairing', description: 'CAPM3 and Metal3 IPAM share the release minor (v1.12.x ↔ v1.12.x).', source: 'metal3-io/cluster-api-provider-metal3@v1.12.7:go.mod' },
  { id: 'rke2-version', description: 'RKE2 is `v<kubernetes>+rke2r<n>` and its Kubernetes part equals `kubernetes`.', source: 'rancher/rke2 release naming; rancher/cluster-api-provider-rke2 RKE2ControlPlane.spec.version' },
  { id: 'chart-app-pairing', description: 'The Cilium chart version equals `cilium`; the cluster-api-operator chart version equals `capiOperator` without `v`.', source: 'imports/helm/charts.ts' },
];
