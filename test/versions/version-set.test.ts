import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { ErrorCode, InfraFluxError } from '../../lib/core/errors';
import { UpstreamCache, readLock } from '../../lib/upstream/lock';
import { COMPATIBILITY_RULES, VersionSet } from '../../lib/versions';

/**
 * The tag a lock file URL carries for `repo`: `https://raw.githubusercontent.com/<owner>/<repo>/<tag>/...`.
 * The lock's per-file `version` labels cannot be used for the CAPI providers: the spec pack labels
 * every capi-talos file "CACPPT v0.5.12" (the CABPT files included, which are v0.6.12), every
 * capi-metal3 file "baremetal-operator v0.12.6" (CAPM3 is v1.12.7, its IPAM v1.12.6) and every flux
 * file "source-watcher v2.2.3" (the Flux distribution is v2.9.4). The URLs are exact.
 */
function tagOf(repo: string): string {
  const lock = readLock();
  const tags = new Set<string>();
  for (const file of lock.files) {
    const m = new RegExp(`/${repo.replace('/', '\\/')}/(v[0-9][^/]*)/`).exec(file.url ?? '');
    if (m) tags.add(m[1]);
  }
  if (tags.size !== 1) throw new Error(`expected one tag for ${repo} in the lock URLs, found ${[...tags].join(', ') || 'none'}`);
  return [...tags][0];
}

function scope(): Construct {
  return new Construct(Testing.chart(), 'versions');
}

describe('VersionSet.pinned() agrees with upstream.lock.json', () => {
  const lock = readLock();
  const v = VersionSet.pinned();

  test('components whose lock label is the plain version', () => {
    expect(v.talos).toBe(lock.components.talos);
    expect(v.capiCore).toBe(lock.components['capi-core']);
    expect(v.capa).toBe(lock.components['capi-aws']);
    expect(v.capz).toBe(lock.components['capi-azure']);
    expect(v.capg).toBe(lock.components['capi-gcp']);
    expect(v.capmox).toBe(lock.components['capi-proxmox']);
    expect(v.caprke2).toBe(lock.components['capi-rke2']);
    expect(v.caaph).toBe(lock.components['capi-helm-addon']);
    expect(v.ipamInCluster).toBe(lock.components['capi-ipam']);
    expect(v.capiOperator).toBe(lock.components['capi-operator']);
    expect(v.cilium).toBe(lock.components.cilium);
  });

  test('components whose lock label is misleading are read from the file URLs', () => {
    // the label says "CACPPT v0.5.12" for both Talos providers
    expect(lock.components['capi-talos']).toBe('CACPPT v0.5.12');
    expect(v.cabpt).toBe(tagOf('siderolabs/cluster-api-bootstrap-provider-talos'));
    expect(v.cacppt).toBe(tagOf('siderolabs/cluster-api-control-plane-provider-talos'));
    // the label says "baremetal-operator v0.12.6" for CAPM3, its IPAM and BMO
    expect(v.capm3).toBe(tagOf('metal3-io/cluster-api-provider-metal3'));
    expect(v.ipamMetal3).toBe(tagOf('metal3-io/ip-address-manager'));
    expect(v.baremetalOperator).toBe(tagOf('metal3-io/baremetal-operator'));
    // the label says "source-watcher v2.2.3"; the distribution tag is in the flux-operator data path
    const fluxTags = new Set(lock.files.map((f) => /config\/data\/flux\/(v[0-9.]+)\//.exec(f.url ?? '')?.[1]).filter((t): t is string => t !== undefined));
    expect([...fluxTags]).toEqual([v.flux]);
  });

  test('Kubernetes is the Talos default of the pinned Talos minor, inside the range every component supports', () => {
    const compat = JSON.parse(UpstreamCache.default().read('capi-core/compatibility.json')) as {
      talos: { version: string; kubernetes: { default: string }; fallback: { version: string; kubernetes: { default: string } } };
      kubernetesRange: { allComponents: string };
    };
    const talosEntry = compat.talos.version === v.talos ? compat.talos : compat.talos.fallback;
    expect(talosEntry.version).toBe(v.talos);
    expect(v.kubernetes).toBe(`v${talosEntry.kubernetes.default}`);
    expect(compat.kubernetesRange.allComponents).toBe('1.33 - 1.35');
  });

  test('chart versions equal the lock', () => {
    for (const [name, chart] of Object.entries(lock.charts)) {
      if (chart.version) expect(v.charts[name]).toBe(chart.version);
    }
    expect(v.ciliumChart).toBe(lock.charts.cilium.version);
    expect(v.capiOperatorChart).toBe(lock.charts['cluster-api-operator'].version);
  });

  test('the pinned set is valid', () => {
    expect(v.problems()).toEqual([]);
    expect(() => v.validate(scope())).not.toThrow();
  });
});

describe('VersionSet.of()', () => {
  test('overrides only what is given', () => {
    const v = VersionSet.of({ capa: 'v2.11.2', charts: { cilium: '1.20.0' } });
    expect(v.capa).toBe('v2.11.2');
    expect(v.capz).toBe(VersionSet.pinned().capz);
    expect(v.problems()).toEqual([]);
  });

  test('rke2 defaults to the Kubernetes version with +rke2r1', () => {
    expect(VersionSet.of({ kubernetes: 'v1.34.2' }).rke2).toBe('v1.34.2+rke2r1');
  });

  test('entries() lists every component once, in a fixed order', () => {
    const fields = VersionSet.pinned().entries().map((e) => e.field);
    expect(new Set(fields).size).toBe(fields.length);
    expect(fields).toContain('rke2');
    expect(fields[0]).toBe('talos');
  });
});

describe('VersionSet.validate() rules', () => {
  function expectRejected(props: Parameters<typeof VersionSet.of>[0], pattern: RegExp): void {
    const s = scope();
    let error: unknown;
    try {
      VersionSet.of(props).validate(s);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InfraFluxError);
    expect((error as InfraFluxError).code).toBe(ErrorCode.UNSUPPORTED_VERSION);
    expect((error as InfraFluxError).message).toContain(`[${s.node.path}]`);
    expect((error as InfraFluxError).message).toMatch(pattern);
  }

  test('every rule has a failing-input test below', () => {
    expect(COMPATIBILITY_RULES.map((r) => r.id)).toEqual([
      'exact-version', 'known-series', 'kubernetes-range', 'talos-providers', 'talos-kubernetes',
      'capi-core-providers', 'capi-v1beta1-control-plane', 'metal3-pairing', 'rke2-version', 'chart-app-pairing',
    ]);
  });

  test('fails on a version range (exact-version)', () => {
    expectRejected({ capa: '~2.11' }, /capa "~2\.11" is not an exact version/);
  });

  test('fails on a missing "v" (exact-version)', () => {
    expectRejected({ talos: '1.12.11' }, /talos "1\.12\.11" is not an exact version.*leading "v"/);
  });

  test('fails on a chart range (exact-version)', () => {
    expectRejected({ charts: { velero: '12.*' } }, /charts\.velero "12\.\*" is not an exact chart version/);
  });

  test('fails on a component minor without evidence (known-series)', () => {
    expectRejected({ capz: 'v1.26.0' }, /capz "v1\.26\.0" is a CAPZ 1\.26\.x release, for which the spec pack has no compatibility evidence; supported: 1\.24\.x, 1\.23\.x/);
  });

  test('fails on Kubernetes 1.36 (kubernetes-range)', () => {
    expectRejected({ kubernetes: 'v1.36.3', rke2: 'v1.36.3+rke2r1' }, /kubernetes "v1\.36\.3" is outside 1\.33–1\.35.*CACPPT v0\.5\.12 supports 1\.26–1\.35/);
  });

  test('fails on Kubernetes 1.32 (kubernetes-range)', () => {
    expectRejected({ kubernetes: 'v1.32.9', rke2: 'v1.32.9+rke2r1' }, /kubernetes "v1\.32\.9" is outside 1\.33–1\.35.*Flux v2\.9\.4 supports ≥ 1\.33/);
  });

  test('fails on Talos 1.13 with CACPPT v0.5.12 (talos-providers)', () => {
    expectRejected({ talos: 'v1.13.9' }, /talos "v1\.13\.9" is not supported by CACPPT v0\.5\.12 \(Talos 1\.3–1\.12\)/);
  });

  test('fails on Kubernetes outside the Talos range (talos-kubernetes)', () => {
    // Talos 1.12 supports Kubernetes 1.30–1.35; 1.36 is named with Talos as one limit
    expectRejected({ kubernetes: 'v1.36.0', rke2: 'v1.36.0+rke2r1' }, /Talos v1\.12\.11 supports 1\.30–1\.35/);
  });

  test('fails on a Cluster API core minor a provider does not support (capi-core-providers)', () => {
    // CAPZ v1.24+ builds against CAPI v1.13; the pinned core is v1.12
    expectRejected({ capz: 'v1.24.0' }, /capiCore "v1\.12\.11" is not supported by CAPZ v1\.24\.0 \(Cluster API 1\.13–1\.13\)/);
  });

  test('fails on Cluster API core v1.12.1 with the v1beta1 Talos control plane (capi-v1beta1-control-plane)', () => {
    expectRejected({ capiCore: 'v1.12.1' }, /capiCore "v1\.12\.1" misreads v1beta1 control planes such as CACPPT v0\.5\.12.*use Cluster API core ≥ v1\.12\.2/);
  });

  test('fails on CAPM3 and Metal3 IPAM of different minors (metal3-pairing)', () => {
    expectRejected({ ipamMetal3: 'v1.13.1' }, /ipamMetal3 "v1\.13\.1" does not pair with CAPM3 v1\.12\.7; use a Metal3 IPAM v1\.12\.x release/);
  });

  test('fails on an RKE2 version without the +rke2r suffix (rke2-version)', () => {
    expectRejected({ rke2: 'v1.35.4' }, /rke2 "v1\.35\.4" is not an RKE2 release; use "v<kubernetes>\+rke2r<n>"/);
  });

  test('fails on an RKE2 version of another Kubernetes (rke2-version)', () => {
    expectRejected({ rke2: 'v1.34.6+rke2r1' }, /rke2 "v1\.34\.6\+rke2r1" ships Kubernetes v1\.34\.6, not kubernetes "v1\.35\.4"/);
  });

  test('fails on a Cilium chart that differs from Cilium (chart-app-pairing)', () => {
    expectRejected({ charts: { cilium: '1.19.3' } }, /charts\.cilium "1\.19\.3" differs from cilium "1\.20\.0"/);
  });

  test('fails on a cluster-api-operator chart that differs from capiOperator (chart-app-pairing)', () => {
    expectRejected({ capiOperator: 'v0.28.1' }, /charts\.cluster-api-operator "0\.28\.0" differs from capiOperator "v0\.28\.1"/);
  });

  test('reports every broken rule at once', () => {
    const problems = VersionSet.of({ talos: 'v1.13.9', capiCore: 'v1.12.0' }).problems();
    expect(problems.length).toBe(2);
  });
});
