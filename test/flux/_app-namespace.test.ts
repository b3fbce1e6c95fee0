import { Chart, Testing } from 'cdk8s';
import { appNamespace } from '../../lib/flux/_app-namespace';
import { PodSecurityLevel } from '../../lib/flux/pod-security';

const labels = (level?: PodSecurityLevel) => {
  const chart = new Chart(Testing.app(), 'c');
  appNamespace(chart, 'web', level);
  const [ns] = Testing.synth(chart);
  return ns;
};

describe('appNamespace', () => {
  test('restricted by default: enforce, audit and warn restricted; owned by the platform team', () => {
    // GIVEN / WHEN a namespace with the default level
    const ns = labels();
    // THEN
    expect(ns.kind).toBe('Namespace');
    expect(ns.metadata.name).toBe('web');
    expect(ns.metadata.labels).toEqual({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      // the policy baseline's require-owner-label reads it for chart-rendered workloads
      'infraflux.io/owner': 'platform',
    });
  });

  test('enforces the given level and still audits and warns restricted', () => {
    // GIVEN
    const ns = labels(PodSecurityLevel.PRIVILEGED);
    // THEN
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(ns.metadata.labels['pod-security.kubernetes.io/audit']).toBe('restricted');
    expect(ns.metadata.labels['pod-security.kubernetes.io/warn']).toBe('restricted');
  });
});
