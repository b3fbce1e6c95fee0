import { parse } from 'yaml';
import { validateFleetManifests } from '../../lib/validation';
import { buildReferenceFleetWithBaselines, FLEET_DOMAIN } from '../../stacks/fleet';
import { Cidr, SecretReference, type IFluxApp } from '../../lib';

/** The edge alone (no External Secrets): each SSO proxy's credentials as a declared-elsewhere sealed Secret. */
const SSO_CREDENTIALS = (app: IFluxApp): SecretReference => SecretReference.fromSealedSecret('oauth2-proxy-credentials', app.namespace);
import { addEdge } from '../../stacks/edge';
import { testCluster } from '../support/fleet';
import { addBaseline, REFERENCE_CLUSTERS } from '../../stacks/fleet';

describe('edge on the reference fleet', () => {
  // GIVEN the reference fleet with the edge added to every cluster
  const { fleet, baselines } = buildReferenceFleetWithBaselines();
  // the lead passes each cluster's pod and node CIDRs (CiliumNetworking podCidr + nodeCidrs)
  const TRUSTED = [Cidr.of('10.244.0.0/16'), Cidr.of('192.168.10.0/24')];
  const stacks = baselines.map((b) => addEdge(b, { zone: FLEET_DOMAIN, dnsZone: 'example.com', trustedProxyCidrs: TRUSTED, ssoCredentials: SSO_CREDENTIALS }));
  const manifests = fleet.manifests();

  test('every object and HelmRelease validates against its pinned schema', () => {
    const report = validateFleetManifests(manifests);
    expect(report.issues).toEqual([]);
    expect(report.helmReleasesValidated).toBe(manifests.filter((m) => m.object.kind === 'HelmRelease').length);
  });

  test('podinfo and Hubble UI are routed on every cluster with DNS and TLS', () => {
    for (const [i, b] of baselines.entries()) {
      const name = b.cluster.name;
      expect(stacks[i].hostnames).toEqual([`podinfo.${name}.${FLEET_DOMAIN}`, `hubble.${name}.${FLEET_DOMAIN}`]);
      const files = manifests.filter((m) => m.file.startsWith(`${name}/`));
      const podinfo = files.find((m) => m.file === `${name}/releases/gateway-routes/httproute-podinfo.yaml`)!.object as Record<string, any>;
      expect(podinfo.metadata.annotations).toEqual({
        'external-dns.alpha.kubernetes.io/hostname': `podinfo.${name}.${FLEET_DOMAIN}`,
        'external-dns.alpha.kubernetes.io/ttl': '300',
        // DNS-only: podinfo.<cluster>.infraflux.example.com is beyond Universal SSL's *.example.com
        'external-dns.alpha.kubernetes.io/cloudflare-proxied': 'false',
      });
      const hubble = files.find((m) => m.file === `${name}/releases/gateway-routes/httproute-hubbleui.yaml`)!.object as Record<string, any>;
      // Hubble UI is reached through its oauth2-proxy, never directly
      expect(hubble.spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'oauth2-proxy-hubbleui', namespace: 'oauth2-proxy-hubbleui', port: 80 }]);
      const cert = files.find((m) => m.file === `${name}/releases/gateway/certificate-gateway-wildcard-tls.yaml`)!.object as Record<string, any>;
      expect(cert.spec.dnsNames).toEqual([`*.${name}.${FLEET_DOMAIN}`]);
      expect(cert.spec.issuerRef.name).toBe('letsencrypt-staging');
      const values = (files.find((m) => m.file === `${name}/releases/external-dns/configmap-external-dns-values.yaml`)!.object as Record<string, any>).data['values.yaml'];
      expect(values).toContain(`txtOwnerId: ${name}`);
      const parsed = parse(values) as Record<string, any>;
      // the Cloudflare zone apex: a filter on <cluster>.infraflux.example.com would publish nothing (external-dns#4796)
      expect(parsed.domainFilters).toEqual(['example.com']);
      expect(parsed.extraArgs).not.toContain('--cloudflare-proxied');
      const sso = parse((files.find((m) => m.file === `${name}/releases/oauth2-proxy-hubbleui/configmap-oauth2-proxy-hubbleui-values.yaml`)!.object as Record<string, any>).data['values.yaml']);
      expect(sso.extraArgs).toMatchObject({ 'trusted-proxy-ip': '10.244.0.0/16,192.168.10.0/24', 'allowed-group': 'platform-admins' });
      const issuer = files.find((m) => m.object.kind === 'ClusterIssuer' && (m.object as any).metadata.name === 'letsencrypt-staging')!.object as Record<string, any>;
      expect(issuer.spec.acme.solvers[1].http01.gatewayHTTPRoute.parentRefs[0]).toMatchObject({ name: stacks[i].name, namespace: stacks[i].namespace, sectionName: 'http' });
      expect(values).toContain('policy: sync');
      expect(values).not.toMatch(/api-token:\s*[A-Za-z0-9]{20,}/);
    }
  });

  test('fails when the fleet zone does not lie in the Cloudflare zone', () => {
    const { fleet: f } = testCluster('x');
    const spec = REFERENCE_CLUSTERS[0];
    const b = addBaseline(f.addCluster(spec.name, { name: spec.name }), spec);
    expect(() => addEdge(b, { zone: FLEET_DOMAIN, dnsZone: 'example.org', trustedProxyCidrs: TRUSTED, ssoCredentials: SSO_CREDENTIALS })).toThrow(/\[mgmt\] edge zone "infraflux.example.com" does not lie in the Cloudflare zone dnsZone "example.org"/);
  });

  test('the apps layer waits for configs, and the routes wait for the gateway and podinfo', () => {
    const routes = manifests.find((m) => m.file === 'mgmt/apps/kustomization-gateway-routes.yaml')!.object as Record<string, any>;
    expect(routes.spec.dependsOn.map((d: { name: string }) => d.name)).toEqual(['gateway', 'oauth2-proxy-hubbleui', 'podinfo']);
  });
});
