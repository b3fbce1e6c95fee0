import { AcmeIssuer, AcmeServer, AcmeSolver } from '../../lib/certs/acme-issuer';
import { CertManager, FluxManifestApp } from '../../lib';
import { SecretReference } from '../../lib/dns';
import { validateFleetManifests } from '../../lib/validation';
import { manifest, manifestsByFile, testCluster } from '../support/fleet';

const TOKEN = SecretReference.fromSealedSecret('cloudflare-api-token', 'cert-manager').key('api-token');

function setup() {
  const { fleet, cluster } = testCluster();
  const certManager = new CertManager(cluster.controllers, 'CM');
  return { fleet, cluster, certManager };
}

describe('AcmeIssuer', () => {
  test('HTTP-01 through the Gateway: solver routes attach to the http listener', () => {
    const { fleet, cluster, certManager } = setup();
    new AcmeIssuer(cluster.configs, 'Acme', { certManager, server: AcmeServer.LETSENCRYPT_STAGING, email: 'ops@infraflux.dev', solvers: [AcmeSolver.http01Gateway({ name: 'gateway', namespace: 'gateway' })] });
    expect(manifest(fleet, 'test/configs/clusterissuer-letsencrypt-staging.yaml').spec.acme).toEqual({
      server: 'https://acme-staging-v02.api.letsencrypt.org/directory',
      email: 'ops@infraflux.dev',
      privateKeySecretRef: { name: 'letsencrypt-staging-account-key' },
      solvers: [{ http01: { gatewayHTTPRoute: { parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gateway', namespace: 'gateway', sectionName: 'http' }] } } }],
    });
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('DNS-01 with Cloudflare: token by Secret reference, limited to zones', () => {
    const { fleet, cluster, certManager } = setup();
    new AcmeIssuer(cluster.configs, 'Acme', { certManager, server: AcmeServer.LETSENCRYPT_PRODUCTION, email: 'ops@infraflux.dev', solvers: [AcmeSolver.dns01Cloudflare({ apiToken: TOKEN, dnsZones: ['infraflux.dev'] })] });
    const acme = manifest(fleet, 'test/configs/clusterissuer-letsencrypt-production.yaml').spec.acme;
    expect(acme.server).toBe('https://acme-v02.api.letsencrypt.org/directory');
    expect(acme.solvers).toEqual([{ dns01: { cloudflare: { apiTokenSecretRef: { name: 'cloudflare-api-token', key: 'api-token' } } }, selector: { dnsZones: ['infraflux.dev'] } }]);
    expect(manifest(fleet, 'test/flux-system/kustomization-configs.yaml').spec.dependsOn).toEqual([{ name: 'controllers', namespace: 'flux-system' }]);
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });

  test('staging and production are one switch', () => {
    const server = (s: AcmeServer) => {
      const { fleet, cluster, certManager } = setup();
      new AcmeIssuer(cluster.configs, 'Acme', { certManager, server: s, name: 'acme', email: 'ops@infraflux.dev', solvers: [AcmeSolver.dns01Cloudflare({ apiToken: TOKEN })] });
      return manifest(fleet, 'test/configs/clusterissuer-acme.yaml').spec.acme.server;
    };
    expect(server(AcmeServer.LETSENCRYPT_STAGING)).toContain('acme-staging-v02');
    expect(server(AcmeServer.LETSENCRYPT_PRODUCTION)).toBe('https://acme-v02.api.letsencrypt.org/directory');
  });

  test('issues wildcard certificates with DNS-01 and per-service certificates with HTTP-01', () => {
    const { fleet, cluster, certManager } = setup();
    const dns = new AcmeIssuer(cluster.configs, 'Dns', { certManager, name: 'dns', server: AcmeServer.LETSENCRYPT_STAGING, email: 'ops@infraflux.dev', solvers: [AcmeSolver.dns01Cloudflare({ apiToken: TOKEN })] });
    const http = new AcmeIssuer(cluster.configs, 'Http', { certManager, name: 'http', server: AcmeServer.LETSENCRYPT_STAGING, email: 'ops@infraflux.dev', solvers: [AcmeSolver.http01Gateway({ name: 'gateway', namespace: 'gateway' })] });
    const app = new FluxManifestApp(cluster.apps, 'web');
    dns.issueCertificate(app.content, 'wild', { namespace: 'web', dnsNames: ['*.infraflux.dev'] });
    http.issueCertificate(app.content, 'one', { namespace: 'web', dnsNames: ['web.infraflux.dev'] });
    expect(manifest(fleet, 'test/releases/web/certificate-wild.yaml').spec.issuerRef.name).toBe('dns');
    expect(manifest(fleet, 'test/releases/web/certificate-one.yaml').spec.issuerRef.name).toBe('http');
  });

  test('fails on a wildcard certificate from an HTTP-01-only issuer', () => {
    const { cluster, certManager } = setup();
    const http = new AcmeIssuer(cluster.configs, 'Http', { certManager, server: AcmeServer.LETSENCRYPT_STAGING, email: 'ops@infraflux.dev', solvers: [AcmeSolver.http01Gateway({ name: 'gateway', namespace: 'gateway' })] });
    const app = new FluxManifestApp(cluster.apps, 'web');
    expect(() => http.issueCertificate(app.content, 'wild', { namespace: 'web', dnsNames: ['*.infraflux.dev'] })).toThrow(/is a wildcard, which ACME validates only with DNS-01/);
  });

  test('fails without solvers', () => {
    const { cluster, certManager } = setup();
    expect(() => new AcmeIssuer(cluster.configs, 'Acme', { certManager, server: AcmeServer.LETSENCRYPT_STAGING, email: 'ops@infraflux.dev', solvers: [] })).toThrow(/\[test\/configs\/Acme\] solvers is empty/);
  });

  test('fails on a reserved example e-mail with production', () => {
    const { cluster, certManager } = setup();
    expect(() => new AcmeIssuer(cluster.configs, 'Acme', { certManager, server: AcmeServer.LETSENCRYPT_PRODUCTION, email: 'ops@example.com', solvers: [AcmeSolver.dns01Cloudflare({ apiToken: TOKEN })] })).toThrow(/reserved example domain/);
  });

  test('fails on an invalid e-mail', () => {
    const { cluster, certManager } = setup();
    expect(() => new AcmeIssuer(cluster.configs, 'Acme', { certManager, server: AcmeServer.LETSENCRYPT_STAGING, email: 'ops', solvers: [AcmeSolver.dns01Cloudflare({ apiToken: TOKEN })] })).toThrow(/email "ops" is not an e-mail address/);
  });
});
