import { validateFleetManifests } from '../../lib/validation';
import { buildReferenceFleetWithBaselines, FLEET_DOMAIN } from '../../stacks/fleet';
import { addEdge } from '../../stacks/edge';

describe('edge on the reference fleet', () => {
  // GIVEN the reference fleet with the edge added to every cluster
  const { fleet, baselines } = buildReferenceFleetWithBaselines();
  const stacks = baselines.map((b) => addEdge(b, { zone: FLEET_DOMAIN }));
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
        'external-dns.alpha.kubernetes.io/ttl': '1',
        'external-dns.alpha.kubernetes.io/cloudflare-proxied': 'true',
      });
      const hubble = files.find((m) => m.file === `${name}/releases/gateway-routes/httproute-hubbleui.yaml`)!.object as Record<string, any>;
      // Hubble UI is reached through its oauth2-proxy, never directly
      expect(hubble.spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'oauth2-proxy-hubbleui', namespace: 'oauth2-proxy-hubbleui', port: 80 }]);
      const cert = files.find((m) => m.file === `${name}/releases/gateway/certificate-gateway-wildcard-tls.yaml`)!.object as Record<string, any>;
      expect(cert.spec.dnsNames).toEqual([`*.${name}.${FLEET_DOMAIN}`]);
      expect(cert.spec.issuerRef.name).toBe('letsencrypt-staging');
      const values = (files.find((m) => m.file === `${name}/releases/external-dns/configmap-external-dns-values.yaml`)!.object as Record<string, any>).data['values.yaml'];
      expect(values).toContain(`txtOwnerId: ${name}`);
      expect(values).toContain('policy: sync');
      expect(values).not.toMatch(/api-token:\s*[A-Za-z0-9]{20,}/);
    }
  });

  test('the apps layer waits for configs, and the routes wait for the gateway and podinfo', () => {
    const routes = manifests.find((m) => m.file === 'mgmt/apps/kustomization-gateway-routes.yaml')!.object as Record<string, any>;
    expect(routes.spec.dependsOn.map((d: { name: string }) => d.name)).toEqual(['gateway', 'oauth2-proxy-hubbleui', 'podinfo']);
  });
});
