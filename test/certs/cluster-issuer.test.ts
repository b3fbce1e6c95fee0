import { ErrorCode } from '../../lib/core/errors';
import { thrownBy } from '../support/errors';
import { Duration } from 'cdk8s';
import { CertManager, FluxManifestApp, InternalCaIssuer, issueCertificate } from '../../lib';
import { manifest, manifestsByFile, testCluster } from '../support/fleet';

function setup() {
  const { fleet, cluster } = testCluster();
  const certManager = new CertManager(cluster.controllers, 'CM');
  return { fleet, cluster, certManager };
}

describe('InternalCaIssuer', () => {
  test('bootstraps a root CA from a self-signed issuer and signs with a CA issuer', () => {
    // GIVEN an internal CA in configs
    const { fleet, cluster, certManager } = setup();
    new InternalCaIssuer(cluster.configs, 'CA', { certManager });
    // THEN the three objects chain together
    expect(manifest(fleet, 'test/configs/clusterissuer-internal-ca-selfsigned.yaml').spec).toEqual({ selfSigned: {} });
    expect(manifest(fleet, 'test/configs/certificate-internal-ca-root.yaml')).toMatchObject({
      metadata: { namespace: 'cert-manager' },
      spec: { isCA: true, secretName: 'internal-ca-root', duration: '87600h', issuerRef: { kind: 'ClusterIssuer', name: 'internal-ca-selfsigned' } },
    });
    expect(manifest(fleet, 'test/configs/clusterissuer-internal-ca.yaml').spec).toEqual({ ca: { secretName: 'internal-ca-root' } });
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('makes its layer depend on the layer that installs cert-manager', () => {
    const { fleet, cluster, certManager } = setup();
    new InternalCaIssuer(cluster.configs, 'CA', { certManager });
    expect(manifest(fleet, 'test/flux-system/kustomization-configs.yaml').spec.dependsOn).toEqual([{ name: 'controllers', namespace: 'flux-system' }]);
  });

  test('issues certificates whose app depends on the issuer', () => {
    const { fleet, cluster, certManager } = setup();
    const issuer = new InternalCaIssuer(cluster.configs, 'CA', { certManager, name: 'corp-ca' });
    const app = new FluxManifestApp(cluster.apps, 'web');
    issueCertificate(issuer, app.content, 'web-tls', { namespace: 'web', dnsNames: ['web.example.com', '*.web.example.com'] });
    expect(manifest(fleet, 'test/releases/web/certificate-web-tls.yaml').spec).toMatchObject({
      secretName: 'web-tls',
      dnsNames: ['web.example.com', '*.web.example.com'],
      issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'corp-ca' },
      privateKey: { algorithm: 'ECDSA', size: 256 },
      duration: '2160h',
    });
    expect(manifest(fleet, 'test/flux-system/kustomization-apps.yaml').spec.dependsOn).toEqual([{ name: 'configs', namespace: 'flux-system' }]);
  });

  test('fails on a root CA lifetime under 60 days', () => {
    const { cluster, certManager } = setup();
    expect(() => new InternalCaIssuer(cluster.configs, 'CA', { certManager, rootDuration: Duration.days(30) })).toThrow(
      /\[test\/configs\/CA\] rootDuration 30 days is too short for a root CA; use at least 60 days/,
    );
  });

  test('fails on a root CA lifetime under 60 days with INVALID_DURATION', () => {
    // GIVEN a 59-day root WHEN the issuer is built THEN the duration family code
    const { cluster, certManager } = setup();
    expect(thrownBy(() => new InternalCaIssuer(cluster.configs, 'CA', { certManager, rootDuration: Duration.days(59) })).code).toBe(ErrorCode.INVALID_DURATION);
  });

  test('fails on an invalid issuer name', () => {
    const { cluster, certManager } = setup();
    expect(() => new InternalCaIssuer(cluster.configs, 'CA', { certManager, name: 'Corp CA' })).toThrow(/name "Corp CA" is not a DNS-1123 subdomain/);
  });

  test('fails on a certificate without DNS names', () => {
    const { cluster, certManager } = setup();
    const issuer = new InternalCaIssuer(cluster.configs, 'CA', { certManager });
    const app = new FluxManifestApp(cluster.apps, 'web');
    expect(() => issuer.issueCertificate(app.content, 'tls', { namespace: 'web', dnsNames: [] })).toThrow(/certificate tls has no dnsNames/);
  });

  test('fails on an invalid DNS name', () => {
    const { cluster, certManager } = setup();
    const issuer = new InternalCaIssuer(cluster.configs, 'CA', { certManager });
    const app = new FluxManifestApp(cluster.apps, 'web');
    expect(() => issuer.issueCertificate(app.content, 'tls', { namespace: 'web', dnsNames: ['bad_name.example.com'] })).toThrow(
      /dnsName "bad_name.example.com" is not a DNS-1123 subdomain/,
    );
  });
});
