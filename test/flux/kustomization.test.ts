import { Duration, JsonPatch } from 'cdk8s';
import { ErrorCode, FluxKustomization, InfraFluxError } from '../../lib';
import { goDuration } from '../../lib/core/duration';
import { manifest, testCluster } from '../support/fleet';

describe('FluxKustomization', () => {
  test('sets interval, retryInterval, timeout, prune and the cluster source by default', () => {
    // GIVEN a Kustomization with only the required props and one health check
    const { fleet, cluster } = testCluster();
    new FluxKustomization(cluster.crds, 'K', {
      name: 'extra',
      path: './somewhere',
      healthChecks: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', namespace: 'default' }],
    });
    // WHEN synthesized
    const spec = manifest(fleet, 'test/crds/kustomization-extra.yaml').spec;
    // THEN every field Flux needs is explicit
    expect(spec).toMatchObject({
      interval: '10m',
      retryInterval: '1m',
      timeout: '5m',
      prune: true,
      wait: false,
      dependsOn: [],
      sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' },
      healthChecks: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', namespace: 'default' }],
    });
  });

  test('dependsOn is sorted and comes only from addDependency', () => {
    const { fleet, cluster } = testCluster();
    const a = new FluxKustomization(cluster.crds, 'A', { name: 'a', path: './a', wait: true });
    const b = new FluxKustomization(cluster.crds, 'B', { name: 'b', path: './b', wait: true });
    const c = new FluxKustomization(cluster.crds, 'C', { name: 'c', path: './c', wait: true });
    c.addDependency(b);
    c.addDependency(a);
    c.addDependency(c); // self-dependencies are ignored
    expect(manifest(fleet, 'test/crds/kustomization-c.yaml').spec.dependsOn).toEqual([
      { name: 'a', namespace: 'flux-system' },
      { name: 'b', namespace: 'flux-system' },
    ]);
  });

  test('fails without wait and without health checks', () => {
    // GIVEN a Kustomization that checks nothing
    const { fleet, cluster } = testCluster();
    new FluxKustomization(cluster.crds, 'Blind', { name: 'blind', path: './blind' });
    // THEN synth names it and the rule
    expect(() => fleet.manifests()).toThrow(/\[test\/crds\/Blind\] Kustomization "blind" has neither wait: true nor healthChecks/);
    try {
      fleet.manifests();
    } catch (e) {
      expect((e as InfraFluxError).code).toBe(ErrorCode.SYNTH_FAILED);
    }
  });

  test('addHealthCheck satisfies the health rule', () => {
    const { fleet, cluster } = testCluster();
    const k = new FluxKustomization(cluster.crds, 'Late', { name: 'late', path: './late' });
    k.addHealthCheck({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', namespace: 'n' });
    expect(manifest(fleet, 'test/crds/kustomization-late.yaml').spec.healthChecks).toHaveLength(1);
  });

  test('the raw object is reachable for JSON patches', () => {
    const { fleet, cluster } = testCluster();
    const k = new FluxKustomization(cluster.crds, 'K', { name: 'k', path: './k', wait: true });
    k.resource.addJsonPatch(JsonPatch.add('/spec/force', true));
    expect(manifest(fleet, 'test/crds/kustomization-k.yaml').spec.force).toBe(true);
  });
});

describe('goDuration', () => {
  test.each([
    [Duration.minutes(5), '5m'],
    [Duration.hours(1), '1h'],
    [Duration.seconds(90), '1m30s'],
    [Duration.days(1), '24h'],
  ])('%s → %s', (d, s) => expect(goDuration(d)).toBe(s));

  test('fails on sub-second durations', () => {
    expect(() => goDuration(Duration.millis(500))).toThrow(/positive whole number of seconds/);
  });
});
