import { Cidr, HttpMethod, ZeroTrustScope } from '../../lib/networking';
import { validateFleetManifests } from '../../lib/validation';
import { manifest, manifestsByFile } from '../support/fleet';
import { withCilium } from './_build';

describe('CiliumZeroTrust', () => {
  test('clusterwide default deny with DNS, Gateway and same-namespace allows, and Flux allows', () => {
    const { fleet, cilium } = withCilium();
    cilium.addZeroTrust();
    const deny = manifest(fleet, 'test/configs/ciliumclusterwidenetworkpolicy-infraflux-default-deny.yaml');
    expect(deny.spec.endpointSelector).toEqual({ matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'NotIn', values: ['kube-system'] }] });
    expect(deny.spec.enableDefaultDeny).toEqual({ ingress: true, egress: true });
    expect(deny.spec.egress[0].toPorts[0].rules.dns).toEqual([{ matchPattern: '*' }]);
    const flux = manifest(fleet, 'test/configs/ciliumnetworkpolicy-infraflux-allow-flux.yaml');
    expect(flux.metadata.namespace).toBe('flux-system');
    expect(flux.spec.egress).toEqual(expect.arrayContaining([{ toEntities: ['kube-apiserver'] }]));
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
    expect(Object.fromEntries(Object.entries(manifestsByFile(fleet)).filter(([f]) => f.includes('/configs/')))).toMatchSnapshot();
  });
  test('per-namespace default deny with the API server allowed', () => {
    const { fleet, cilium } = withCilium();
    cilium.addZeroTrust({ scope: ZeroTrustScope.namespaces(['shop']), allowApiServer: true, allowFlux: false });
    const deny = manifest(fleet, 'test/configs/ciliumnetworkpolicy-infraflux-default-deny.yaml');
    expect(deny.metadata.namespace).toBe('shop');
    expect(deny.spec.egress).toEqual(expect.arrayContaining([{ toEntities: ['kube-apiserver'] }]));
    expect(fleet.manifests().map((m) => m.file)).not.toContain('test/configs/ciliumnetworkpolicy-infraflux-allow-flux.yaml');
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });
  test('fails on an empty namespace list', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addZeroTrust({ scope: ZeroTrustScope.namespaces([]) })).toThrow(/got no namespaces/);
  });
});

describe('CiliumL7Policy', () => {
  test('typed HTTP method/path/header rules and FQDN egress like the design\'s examples', () => {
    const { fleet, cilium } = withCilium();
    cilium.addL7Policy('api-access-control', {
      namespace: 'default',
      podLabels: { app: 'api-server' },
      httpIngress: [
        {
          fromLabels: { app: 'frontend' },
          port: 8080,
          rules: [
            { method: HttpMethod.GET, path: '/api/v1/.*' },
            { method: HttpMethod.POST, path: '/api/v1/users', headers: { 'Content-Type': 'application/json' } },
          ],
        },
      ],
      fqdnEgress: [{ name: 'allowed-api.example.com' }, { name: '*.example.org', pattern: true, ports: [443, 8443] }],
    });
    const policy = manifest(fleet, 'test/configs/ciliumnetworkpolicy-api-access-control.yaml');
    expect(policy.spec.ingress[0].toPorts[0].rules.http).toEqual([
      { method: 'GET', path: '/api/v1/.*' },
      { method: 'POST', path: '/api/v1/users', headers: ['Content-Type: application/json'] },
    ]);
    expect(policy.spec.egress[0].toPorts[0].rules.dns).toEqual([{ matchName: 'allowed-api.example.com' }, { matchPattern: '*.example.org' }]);
    expect(policy.spec.egress[2]).toEqual({ toFQDNs: [{ matchPattern: '*.example.org' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }, { port: '8443', protocol: 'TCP' }] }] });
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });
  test('fails on an invalid path regex', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addL7Policy('p', { namespace: 'default', podLabels: { app: 'a' }, httpIngress: [{ fromLabels: { app: 'b' }, port: 80, rules: [{ path: '/(' }] }] })).toThrow(/path "\/\(" is not a valid regular expression/);
  });
  test('fails on an invalid FQDN', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addL7Policy('p', { namespace: 'default', podLabels: { app: 'a' }, fqdnEgress: [{ name: 'Bad_Name' }] })).toThrow(/FQDN "Bad_Name" is not a DNS-1123 subdomain/);
  });
  test('fails without rules', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addL7Policy('p', { namespace: 'default', podLabels: { app: 'a' } })).toThrow(/no httpIngress or fqdnEgress rules/);
  });
});

describe('EgressGatewayPolicy', () => {
  test('routes a namespace through gateway nodes, restricted to the local cluster with ClusterMesh on', () => {
    const { fleet, cilium } = withCilium();
    cilium.addEgressGatewayPolicy('legacy-db', {
      namespace: 'billing',
      destinationCidrs: [Cidr.of('172.16.0.0/16')],
      gatewayNodeSelector: { matchLabels: { 'node.infraflux.dev/egress': 'true' } },
      egressIp: '192.168.3.250',
    });
    const policy = manifest(fleet, 'test/configs/ciliumegressgatewaypolicy-legacy-db.yaml');
    expect(policy.apiVersion).toBe('cilium.io/v2');
    expect(policy.spec).toEqual({
      selectors: [{ podSelector: { matchLabels: { 'io.kubernetes.pod.namespace': 'billing', 'io.cilium.k8s.policy.cluster': 'test' } } }],
      destinationCIDRs: ['172.16.0.0/16'],
      egressGateway: { nodeSelector: { matchLabels: { 'node.infraflux.dev/egress': 'true' } }, egressIP: '192.168.3.250' },
    });
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });
  test('without ClusterMesh no cluster label is added', () => {
    const { fleet, cilium } = withCilium({ clusterMesh: false, clusterId: undefined });
    cilium.addEgressGatewayPolicy('e', { namespace: 'billing', destinationCidrs: [Cidr.of('172.16.0.0/16')], gatewayNodeSelector: { matchLabels: { egress: 'true' } } });
    expect(manifest(fleet, 'test/configs/ciliumegressgatewaypolicy-e.yaml').spec.selectors[0].podSelector.matchLabels).toEqual({ 'io.kubernetes.pod.namespace': 'billing' });
  });
  test('fails when the egress gateway is off', () => {
    const { cilium } = withCilium({ egressGateway: false });
    expect(() => cilium.addEgressGatewayPolicy('e', { namespace: 'b', destinationCidrs: [Cidr.of('172.16.0.0/16')], gatewayNodeSelector: { matchLabels: { egress: 'true' } } })).toThrow(/the egress gateway is off/);
  });
  test('fails on IPv6 destinations', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addEgressGatewayPolicy('e', { namespace: 'b', destinationCidrs: [Cidr.of('fd00::/64')], gatewayNodeSelector: { matchLabels: { egress: 'true' } } })).toThrow(/is not IPv4/);
  });
  test('fails on an empty gateway node selector', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addEgressGatewayPolicy('e', { namespace: 'b', destinationCidrs: [Cidr.of('172.16.0.0/16')], gatewayNodeSelector: {} })).toThrow(/gatewayNodeSelector is empty/);
  });
});

describe('Tetragon', () => {
  test('the pinned chart in kube-system after Cilium, and the baseline TracingPolicies after Tetragon', () => {
    const { fleet, cilium } = withCilium();
    cilium.addTetragonBaseline();
    const release = manifest(fleet, 'test/releases/tetragon/helmrelease-tetragon.yaml');
    expect(release.metadata.namespace).toBe('kube-system');
    expect(manifest(fleet, 'test/controllers/kustomization-tetragon.yaml').spec.dependsOn).toEqual([{ name: 'cilium', namespace: 'flux-system' }]);
    const files = fleet.manifests().map((m) => m.file).filter((f) => f.includes('tracingpolicy'));
    expect(files).toEqual([
      'test/configs/tracingpolicy-infraflux-kernel-modules.yaml',
      'test/configs/tracingpolicy-infraflux-namespace-escape.yaml',
      'test/configs/tracingpolicy-infraflux-privilege-escalation.yaml',
      'test/configs/tracingpolicy-infraflux-sensitive-files.yaml',
    ]);
    expect(manifest(fleet, 'test/configs/tracingpolicy-infraflux-kernel-modules.yaml').spec.kprobes[0].selectors[0].matchActions).toEqual([{ action: 'Post' }]);
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });
  test('enforcing mode kills on kernel module loading and setns from containers', () => {
    const { fleet, cilium } = withCilium();
    cilium.addTetragonBaseline({ enforce: true });
    expect(manifest(fleet, 'test/configs/tracingpolicy-infraflux-kernel-modules.yaml').spec.kprobes[0].selectors[0].matchActions).toEqual([{ action: 'Post' }, { action: 'Sigkill' }]);
  });
});
