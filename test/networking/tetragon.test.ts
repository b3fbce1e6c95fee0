import { parse } from 'yaml';
import { ErrorCode } from '../../lib/core/errors';
import { TETRAGON_BASELINE_POLICIES, TetragonBaselinePolicies } from '../../lib/networking/tetragon';
import { thrownBy } from '../support/errors';
import { manifest } from '../support/fleet';
import { withCilium } from './_build';

const values = (fleet: ReturnType<typeof withCilium>['fleet']) => parse(manifest(fleet, 'test/releases/tetragon/configmap-tetragon-values.yaml').data['values.yaml']);

describe('Tetragon', () => {
  // GIVEN a cluster whose CiliumNetworking creates Tetragon (the default)
  const { fleet, cilium } = withCilium();
  const files = fleet.manifests().filter((m) => m.file.includes('tetragon'));

  test('matches the snapshot', () => {
    // THEN
    expect(Object.fromEntries(files.map((m) => [m.file, m.object]))).toMatchSnapshot();
  });

  test('installs the chart in kube-system without owning the namespace, after Cilium', () => {
    // THEN
    expect(cilium.tetragon).toBeDefined();
    const release = manifest(fleet, 'test/releases/tetragon/helmrelease-tetragon.yaml');
    // the release lives in flux-system (decision 0094) and installs into kube-system
    expect(release.metadata).toMatchObject({ name: 'tetragon', namespace: 'flux-system' });
    expect(release.spec).toMatchObject({ targetNamespace: 'kube-system', storageNamespace: 'kube-system' });
    expect(files.some((m) => m.object.kind === 'Namespace')).toBe(false);
    expect(manifest(fleet, 'test/controllers/kustomization-tetragon.yaml').spec.dependsOn).toContainEqual({ name: 'cilium', namespace: 'flux-system' });
  });

  test('values: metrics on, ServiceMonitors off, events to tetragon.log, CRDs by the operator', () => {
    // THEN
    expect(values(fleet)).toEqual({
      tetragon: { prometheus: { enabled: true, serviceMonitor: { enabled: false } }, exportFilename: 'tetragon.log' },
      tetragonOperator: { prometheus: { enabled: true, serviceMonitor: { enabled: false } } },
      crds: { installMethod: 'operator' },
    });
  });

  test('tetragon: false creates no Tetragon and refuses the baseline', () => {
    // GIVEN Tetragon switched off
    const off = withCilium({ tetragon: false });
    // THEN
    expect(off.cilium.tetragon).toBeUndefined();
    expect(off.fleet.manifests().some((m) => m.file.includes('tetragon'))).toBe(false);
    const err = thrownBy(() => off.cilium.addTetragonBaseline());
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
  });
});

describe('TetragonBaselinePolicies', () => {
  // GIVEN the baseline in observe mode
  const { fleet, cilium } = withCilium();
  const baseline = cilium.addTetragonBaseline();
  const policy = (name: string) => manifest(fleet, `test/configs/tracingpolicy-${name}.yaml`);

  test('matches the snapshot', () => {
    // THEN
    expect(TETRAGON_BASELINE_POLICIES.map(policy)).toMatchSnapshot();
  });

  test('four cluster-wide TracingPolicies, after Tetragon', () => {
    // THEN
    expect(baseline.policies.map((p) => p.name)).toEqual([...TETRAGON_BASELINE_POLICIES]);
    for (const name of TETRAGON_BASELINE_POLICIES) {
      expect(policy(name).apiVersion).toBe('cilium.io/v1alpha1');
      expect(policy(name).kind).toBe('TracingPolicy');
    }
    expect(manifest(fleet, 'test/flux-system/kustomization-configs.yaml').spec.dependsOn).toContainEqual({ name: 'controllers', namespace: 'flux-system' });
  });

  test('privilege escalation: one selector per uid/gid argument of each setuid-family syscall, equal to 0, in containers', () => {
    // GIVEN
    const kprobes = policy('infraflux-privilege-escalation').spec.kprobes;
    // THEN
    expect(kprobes.map((k: any) => [k.call, k.args.length, k.selectors.length])).toEqual([
      ['sys_setuid', 1, 1],
      ['sys_setgid', 1, 1],
      ['sys_setreuid', 2, 2],
      ['sys_setregid', 2, 2],
      ['sys_setresuid', 3, 3],
      ['sys_setresgid', 3, 3],
    ]);
    expect(kprobes[4].selectors[2]).toEqual({
      matchNamespaces: [{ namespace: 'Mnt', operator: 'NotIn', values: ['host_ns'] }],
      matchArgs: [{ index: 2, operator: 'Equal', values: ['0'] }],
      matchActions: [{ action: 'Post' }],
    });
  });

  test('observe-only by default: no Sigkill anywhere', () => {
    // THEN
    expect(JSON.stringify(TETRAGON_BASELINE_POLICIES.map(policy))).not.toContain('Sigkill');
  });

  test('enforce: kernel-module loading and setns get Sigkill, file access only Post', () => {
    // GIVEN the baseline in enforce mode
    const e = withCilium();
    e.cilium.addTetragonBaseline({ enforce: true });
    const p = (name: string) => manifest(e.fleet, `test/configs/tracingpolicy-${name}.yaml`);
    // THEN
    expect(p('infraflux-kernel-modules').spec.kprobes[0].selectors[0].matchActions).toEqual([{ action: 'Post' }, { action: 'Sigkill' }]);
    expect(p('infraflux-namespace-escape').spec.kprobes[0].selectors[0].matchActions).toEqual([{ action: 'Post' }, { action: 'Sigkill' }]);
    expect(JSON.stringify(p('infraflux-sensitive-files'))).not.toContain('Sigkill');
    expect(JSON.stringify(p('infraflux-privilege-escalation'))).not.toContain('Sigkill');
  });

  test('fails in the controllers layer (it needs the CRDs Tetragon installs)', () => {
    // GIVEN the controllers layer WHEN the baseline is created there
    const { cluster, cilium: c } = withCilium();
    const err = thrownBy(() => new TetragonBaselinePolicies(cluster.controllers, 'Baseline', { tetragon: c.tetragon! }));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain('TetragonBaselinePolicies must be created in the configs or apps layer of cluster "test"');
  });
});
