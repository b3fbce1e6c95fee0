import { CertManager, InternalCaIssuer, Podinfo } from '../../lib';
import { manifest, manifestsByFile, testCluster } from '../support/fleet';

function setup(props: { replicas?: number; hostname?: string; certificate?: boolean; noIssuer?: boolean } = {}) {
  const { fleet, cluster } = testCluster();
  const certManager = new CertManager(cluster.controllers, 'CM');
  const issuer = props.noIssuer ? undefined : new InternalCaIssuer(cluster.configs, 'CA', { certManager });
  new Podinfo(cluster.apps, 'Podinfo', { issuer, certificate: props.certificate, hostname: props.hostname ?? 'podinfo.example.com', replicas: props.replicas });
  return fleet;
}

describe('Podinfo', () => {
  test('runs hardened for the restricted Pod Security level', () => {
    const fleet = setup();
    const pod = manifest(fleet, 'test/releases/podinfo/deployment-podinfo.yaml').spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    expect(pod.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.containers[0].image).toBe('ghcr.io/stefanprodan/podinfo:6.9.2');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(manifest(fleet, 'test/apps/namespace-podinfo.yaml').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('selects pods by stable labels, not construct paths', () => {
    const fleet = setup();
    const labels = { 'app.kubernetes.io/name': 'podinfo', 'app.kubernetes.io/part-of': 'infraflux-reference-fleet' };
    expect(manifest(fleet, 'test/releases/podinfo/deployment-podinfo.yaml').spec.selector).toEqual({ matchLabels: labels });
    expect(manifest(fleet, 'test/releases/podinfo/service-podinfo.yaml').spec.selector).toEqual(labels);
  });

  test('issues no certificate by default (the gateway terminates TLS)', () => {
    const fleet = setup({ noIssuer: true });
    expect(fleet.manifests().filter((m) => m.object.kind === 'Certificate')).toEqual([]);
    expect(fleet.manifests().some((m) => m.file === 'test/releases/podinfo/deployment-podinfo.yaml')).toBe(true);
  });

  test('fails on certificate: true without an issuer', () => {
    expect(() => setup({ certificate: true, noIssuer: true })).toThrow(/\[test\/apps\/Podinfo\] certificate: true needs an issuer/);
  });

  test('with certificate: true, gets a certificate for its hostname and so waits for the configs layer', () => {
    const fleet = setup({ hostname: 'demo.example.org', certificate: true });
    expect(manifest(fleet, 'test/releases/podinfo/certificate-podinfo-tls.yaml').spec.dnsNames).toEqual(['demo.example.org']);
    expect(manifest(fleet, 'test/flux-system/kustomization-apps.yaml').spec.dependsOn).toEqual([{ name: 'configs', namespace: 'flux-system' }]);
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('fails on zero replicas', () => {
    expect(() => setup({ replicas: 0 })).toThrow(/\[test\/apps\/Podinfo\] replicas 0 must be a whole number >= 1/);
  });

  test('fails on an invalid hostname', () => {
    expect(() => setup({ hostname: 'Not A Host' })).toThrow(/\[test\/apps\/Podinfo\] hostname "Not A Host" is not a DNS-1123 subdomain/);
  });
});
