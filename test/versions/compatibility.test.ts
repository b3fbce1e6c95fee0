import { UpstreamCache } from '../../lib/upstream/lock';
import { CAPI_V1BETA1_CONTROL_PLANE_BUG, COMPATIBILITY, CapiContract, MinorRange, SeriesEvidence, VersionSet } from '../../lib/versions';
import { compareVersions, minorOf, minorText, parseVersion } from '../../lib/versions/_semver';

/**
 * lib/versions/compatibility.ts restates the spec pack's evidence as data. This test reads the
 * spec pack's own summary, `capi-core/compatibility.json` (through the verified UpstreamCache),
 * and checks that both say the same wherever both say something: provider contracts, the Talos →
 * Kubernetes ranges, the minimum Cluster API core patch for v1beta1 control planes, Flux's minimum
 * Kubernetes and the Kubernetes range of the whole set. A disagreement fails with the list of
 * differing values (fix compatibility.ts or the pack, never this test).
 */

interface CompatJson {
  readonly capiCore: { readonly version: string; readonly contract: string; readonly acceptsProviderContracts: readonly string[]; readonly minimumPatchForTalosV1beta1ControlPlane: string };
  readonly providers: ReadonlyArray<{ readonly name: string; readonly type: string; readonly repo: string; readonly version: string; readonly contract: string }>;
  readonly talos: TalosJson & { readonly fallback: TalosJson };
  readonly flux: { readonly version: string; readonly minKubernetes: string };
  readonly kubernetesRange: { readonly allComponents: string };
}

interface TalosJson {
  readonly version: string;
  readonly kubernetes: { readonly min: string; readonly max: string };
}

const compat = JSON.parse(UpstreamCache.default().read('capi-core/compatibility.json')) as CompatJson;
const pinned = VersionSet.pinned();
/** Upstream repository → VersionSet field (the VersionSet matrix names each field's repository). */
const fieldOfRepo = new Map(pinned.entries().map((e) => [e.repository, e.field]));

function exact(text: string) {
  const v = parseVersion(text);
  if (!v) throw new Error(`"${text}" in capi-core/compatibility.json is not an exact version`);
  return v;
}

/** `1.31.0` / `1.36.x` / `v1.12.11` → `1.31` / `1.36` / `1.12`. */
function minorOfText(text: string): string {
  const m = /^v?(\d+)\.(\d+)(\.(\d+|x))?$/.exec(text);
  if (!m) throw new Error(`"${text}" is not a version`);
  return `${m[1]}.${m[2]}`;
}

/** The evidence of `field` for the release series of `version`, if any. */
function evidence(field: string, version: string): SeriesEvidence | undefined {
  const series = minorText(minorOf(exact(version)));
  return (COMPATIBILITY[field] ?? []).find((e) => e.series === series);
}

describe('lib/versions/compatibility.ts agrees with the spec pack (capi-core/compatibility.json)', () => {
  test('Cluster API core: its contract', () => {
    // GIVEN the core release of the pack WHEN its series evidence is looked up THEN the contract is the same
    const e = evidence('capiCore', compat.capiCore.version);
    expect({ series: compat.capiCore.version, contract: e?.contract }).toEqual({ series: compat.capiCore.version, contract: compat.capiCore.contract });
  });

  test('every provider of the pack has evidence for its release series, with the same contract', () => {
    const disagreements: string[] = [];
    for (const p of compat.providers) {
      const field = fieldOfRepo.get(p.repo);
      const e = field ? evidence(field, p.version) : undefined;
      if (!field) disagreements.push(`${p.type}/${p.name}: repository ${p.repo} is no VersionSet field`);
      else if (!e) disagreements.push(`${p.type}/${p.name} ${p.version}: no ${field} evidence for series ${minorText(minorOf(exact(p.version)))}`);
      else if (e.contract !== p.contract) disagreements.push(`${p.type}/${p.name} ${p.version}: contract ${String(e.contract)} in compatibility.ts, ${p.contract} in the pack`);
    }
    expect(disagreements).toEqual([]);
    // the comparison covered every CAPI provider field of the VersionSet except core (compared above)
    const covered = new Set(compat.providers.map((p) => fieldOfRepo.get(p.repo)));
    expect([...covered].sort()).toEqual(['caaph', 'cabpt', 'cacppt', 'capa', 'capg', 'capm3', 'capmox', 'caprke2', 'capz', 'ipamInCluster', 'ipamMetal3']);
  });

  test('every contract in compatibility.ts is one Cluster API core accepts', () => {
    const accepted = compat.capiCore.acceptsProviderContracts.map((c) => c.split(' ')[0]);
    const used = new Set(Object.values(COMPATIBILITY).flatMap((series) => series.map((e) => e.contract)).filter((c): c is CapiContract => c !== undefined));
    for (const c of used) expect({ contract: c, accepted: accepted.includes(c) }).toEqual({ contract: c, accepted: true });
  });

  test.each([
    ['primary', compat.talos],
    ['fallback', compat.talos.fallback],
  ] as const)('Talos → Kubernetes range of the %s Talos release', (_which, talos) => {
    const e = evidence('talos', talos.version);
    const range: MinorRange | undefined = e?.kubernetes;
    expect({ talos: talos.version, kubernetes: range }).toEqual({
      talos: talos.version,
      kubernetes: { min: minorOfText(talos.kubernetes.min), max: minorOfText(talos.kubernetes.max) },
    });
  });

  test('the minimum core patch for a v1beta1 (Talos) control plane is the first patch after the affected range', () => {
    // GIVEN the pack's minimum patch, e.g. v1.12.2, and the Talos control-plane provider's contract
    const minimum = exact(compat.capiCore.minimumPatchForTalosV1beta1ControlPlane);
    const cacppt = compat.providers.find((p) => p.repo === 'siderolabs/cluster-api-control-plane-provider-talos');
    expect(cacppt?.contract).toBe(CapiContract.V1BETA1);
    // WHEN the affected ranges of compatibility.ts are read for the minimum's series
    const sameSeries = CAPI_V1BETA1_CONTROL_PLANE_BUG.affected.filter((r) => minorOfText(r.to) === minorText(minorOf(minimum)));
    expect(sameSeries).toHaveLength(1);
    // THEN the affected range ends one patch below the minimum
    const to = exact(sameSeries[0].to);
    expect(`v${to.major}.${to.minor}.${to.patch + 1}`).toBe(compat.capiCore.minimumPatchForTalosV1beta1ControlPlane);
    // AND the minimum itself, and the pack's core release, are outside every affected range
    for (const v of [minimum, exact(compat.capiCore.version)]) {
      for (const r of CAPI_V1BETA1_CONTROL_PLANE_BUG.affected) {
        expect(compareVersions(v, exact(r.from)) >= 0 && compareVersions(v, exact(r.to)) <= 0).toBe(false);
      }
    }
  });

  test('Flux: the minimum Kubernetes version', () => {
    const e = evidence('flux', compat.flux.version);
    expect(e?.kubernetes?.min).toBe(minorOfText(compat.flux.minKubernetes));
  });

  test('the Kubernetes range every component supports, computed from compatibility.ts for the pinned set', () => {
    // GIVEN the Kubernetes range of every pinned component series that states one
    const ranges = pinned
      .entries()
      .map((e) => (COMPATIBILITY[e.field] ?? []).find((s) => s.series === minorOfText(e.version))?.kubernetes)
      .filter((r): r is MinorRange => r !== undefined);
    const key = (m: string) => exact(`${m}.0`);
    const lo = ranges.map((r) => r.min).reduce((a, b) => (compareVersions(key(a), key(b)) >= 0 ? a : b));
    const hi = ranges.flatMap((r) => (r.max ? [r.max] : [])).reduce((a, b) => (compareVersions(key(a), key(b)) <= 0 ? a : b));
    // THEN their intersection is the pack's range
    expect(`${lo} - ${hi}`).toBe(compat.kubernetesRange.allComponents);
  });
});
