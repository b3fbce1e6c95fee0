import { Chart, Testing } from 'cdk8s';
import { appNamespace } from '../../lib/flux/_app-namespace';
import { PodSecurityLevel } from '../../lib/flux/pod-security';

describe('PodSecurityLevel', () => {
  test('each level is the Pod Security Admission label value of the same name', () => {
    // GIVEN the three levels THEN their values are the ones the API server accepts
    // (https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-levels)
    expect(PodSecurityLevel.RESTRICTED.value).toBe('restricted');
    expect(PodSecurityLevel.BASELINE.value).toBe('baseline');
    expect(PodSecurityLevel.PRIVILEGED.value).toBe('privileged');
    expect(new Set([PodSecurityLevel.RESTRICTED, PodSecurityLevel.BASELINE, PodSecurityLevel.PRIVILEGED].map((l) => l.value)).size).toBe(3);
  });

  test('the level a namespace is given is the one it enforces', () => {
    // GIVEN a namespace per level WHEN synthesized THEN its enforce label carries the level's value
    for (const level of [PodSecurityLevel.RESTRICTED, PodSecurityLevel.BASELINE, PodSecurityLevel.PRIVILEGED]) {
      const chart = new Chart(Testing.app(), 'c');
      appNamespace(chart, 'web', level);
      const [ns] = Testing.synth(chart);
      expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe(level.value);
    }
  });
});
