import { FluxApp } from '../../lib';
import { CERT_MANAGER_CHART, PROMETHEUS_OPERATOR_CRDS_CHART } from '../../imports/helm/charts';
import { Cidr, HttpMethod, ZeroTrustScope } from '../../lib/networking';
import { validateFleetManifests } from '../../lib/validation';
import { manifest, manifestsByFile } from '../support/fleet';
import { withCilium } from './_build';

describe('CiliumZeroTrust', () => {
  test('clusterwide default deny with DNS, Gateway, same-namespace and API server allows, and Flux allows', () => {
    const { fleet, cilium } = withCilium();
    cilium.addZeroTrust({ scope: ZeroTrustScope.clusterwide(['vault']) });
    const deny = manifest(fleet, 'test/configs/ciliumclusterwidenetworkpolicy-infraflux-default-deny.yaml');
    // kube-system, the explicit exclusion, then the namespaces of the platform controllers (here Cilium/Tetragon: kube-system; Gateway API CRDs: none)
    expect(deny.spec.endpointSelector.matchExpressions).toHaveLength(1);
    expect(deny.spec.endpointSelector.matchExpressions[0]).toMatchObject({ key: 'k8s:io.kubernetes.pod.namespace', operator: 'NotIn' });
    expect(deny.spec.endpointSelector.matchExpressions[0].values.slice(0, 2)).toEqual(['kube-system', 'vault']);
    expect(deny.spec.enableDefaultDeny).toEqual({ ingress: true, egress: true });
    expect(deny.spec.egress[0].toPorts[0].rules.dns).toEqual([{ matchPattern: '*' }]);
    expect(deny.spec.egress).toEqual(expect.arrayContaining([{ toEntities: ['kube-apiserver'] }]));
    const flux = manifest(fleet, 'test/configs/ciliumnetworkpolicy-infraflux-allow-flux.yaml');
    expect(flux.metadata.namespace).toBe('flux-system');
    expect(flux.spec.egress).toEqual(expect.arrayContaining([{ toEntities: ['kube-apiserver'] }]));
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
    expect(Object.fromEntries(Object.entries(manifestsByFile(fleet)).filter(([f]) => f.includes('/configs/')))).toMatchSnapshot();
  });
  test('clusterwide scope leaves out the namespaces of every platform controller (crds and controllers layers), also those added later', () => {
    // GIVEN
    const { fleet, cluster, cilium } = withCilium();
    const zt = cilium.addZeroTrust();
    // WHEN: platform controllers are added after the zero-trust baseline
    new FluxApp(cluster.controllers, 'CertManager', { chart: CERT_MANAGER_CHART, name: 'cert-manager', namespace: 'cert-manager' });
    new FluxApp(cluster.crds, 'PromCrds', { chart: PROMETHEUS_OPERATOR_CRDS_CHART, name: 'prometheus-operator-crds', namespace: 'monitoring' });
    new FluxApp(cluster.apps, 'Shop', { chart: CERT_MANAGER_CHART, name: 'shop', namespace: 'shop' });
    // THEN
    const deny = manifest(fleet, 'test/configs/ciliumclusterwidenetworkpolicy-infraflux-default-deny.yaml');
    expect(deny.spec.endpointSelector.matchExpressions[0].values).toEqual(['kube-system', 'cert-manager', 'monitoring']);
    expect(zt.excludedNamespaces).toEqual(['kube-system', 'cert-manager', 'monitoring']);
  });
  test('clusterwide scope lets the covered Pods reach the API server unless switched off', () => {
    const { fleet, cilium } = withCilium();
    cilium.addZeroTrust({ scope: ZeroTrustScope.clusterwide([]), allowApiServer: false });
    const deny = manifest(fleet, 'test/configs/ciliumclusterwidenetworkpolicy-infraflux-default-deny.yaml');
    expect(deny.spec.egress).not.toEqual(expect.arrayContaining([{ toEntities: ['kube-apiserver'] }]));
  });
  test('per-namespace default deny, one uniquely named policy per namespace', () => {
    // GIVEN / WHEN
    const { fleet, cilium } = withCilium();
    cilium.addZeroTrust({ scope: ZeroTrustScope.namespaces(['shop', 'billing']), allowFlux: false });
    // THEN
    const shop = manifest(fleet, 'test/configs/ciliumnetworkpolicy-infraflux-default-deny-shop.yaml');
    const billing = manifest(fleet, 'test/configs/ciliumnetworkpolicy-infraflux-default-deny-billing.yaml');
    expect(shop.metadata).toEqual({ name: 'infraflux-default-deny-shop', namespace: 'shop' });
    expect(billing.metadata).toEqual({ name: 'infraflux-default-deny-billing', namespace: 'billing' });
    expect(shop.spec.egress).not.toEqual(expect.arrayContaining([{ toEntities: ['kube-apiserver'] }]));
    expect(fleet.manifests().map((m) => m.file)).not.toContain('test/configs/ciliumnetworkpolicy-infraflux-allow-flux.yaml');
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });
  test('per-namespace default deny with the API server allowed', () => {
    const { fleet, cilium } = withCilium();
    cilium.addZeroTrust({ scope: ZeroTrustScope.namespaces(['shop']), allowApiServer: true, allowFlux: false });
    const deny = manifest(fleet, 'test/configs/ciliumnetworkpolicy-infraflux-default-deny-shop.yaml');
    expect(deny.metadata.namespace).toBe('shop');
    expect(deny.spec.egress).toEqual(expect.arrayContaining([{ toEntities: ['kube-apiserver'] }]));
  });
  test('fails on an empty namespace list', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addZeroTrust({ scope: ZeroTrustScope.namespaces([]) })).toThrow(/got no namespaces/);
  });
  test('fails on an invalid excluded namespace', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addZeroTrust({ scope: ZeroTrustScope.clusterwide(['Bad_NS']) })).toThrow(/excluded namespace "Bad_NS"/);
  });
  test('fails when advanced policy is off', () => {
    const { cilium } = withCilium({ advancedPolicy: false });
    expect(() => cilium.addZeroTrust()).toThrow(/CiliumZeroTrust needs advanced policy; advancedPolicy is off/);
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
  test('fails on empty podLabels', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addL7Policy('p', { namespace: 'default', podLabels: {}, fqdnEgress: [{ name: 'api.example.com' }] })).toThrow(/podLabels is empty/);
  });
  test('fails on a path that does not start with /', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addL7Policy('p', { namespace: 'default', podLabels: { app: 'a' }, httpIngress: [{ fromLabels: { app: 'b' }, port: 80, rules: [{ path: 'api/.*' }] }] })).toThrow(/path "api\/\.\*" must start with \//);
  });
  test('fails on an invalid HTTP header name', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addL7Policy('p', { namespace: 'default', podLabels: { app: 'a' }, httpIngress: [{ fromLabels: { app: 'b' }, port: 80, rules: [{ headers: { 'X Bad': '1' } }] }] })).toThrow(/header name "X Bad" is not a valid HTTP header name/);
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
  test('fails on an egress IP that is not IPv4', () => {
    const { cilium } = withCilium();
    expect(() => cilium.addEgressGatewayPolicy('e', { namespace: 'b', destinationCidrs: [Cidr.of('172.16.0.0/16')], gatewayNodeSelector: { matchLabels: { egress: 'true' } }, egressIp: 'fd00::1' })).toThrow(/egressIp "fd00::1" is not an IPv4 address/);
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
    // the release lives in flux-system (decision 0094) and installs into kube-system
    expect(release.metadata.namespace).toBe('flux-system');
    expect(release.spec.targetNamespace).toBe('kube-system');
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
  test('privilege escalation reports only setuid-family syscalls to uid/gid 0 from containers, not every credential change', () => {
    // GIVEN / WHEN
    const { fleet, cilium } = withCilium();
    cilium.addTetragonBaseline();
    // THEN
    const kprobes = manifest(fleet, 'test/configs/tracingpolicy-infraflux-privilege-escalation.yaml').spec.kprobes as Array<Record<string, any>>;
    expect(kprobes.map((k) => k.call)).toEqual(['sys_setuid', 'sys_setgid', 'sys_setreuid', 'sys_setregid', 'sys_setresuid', 'sys_setresgid']);
    expect(kprobes.map((k) => k.call)).not.toContain('commit_creds');
    for (const k of kprobes) {
      expect(k.syscall).toBe(true);
      expect(k.selectors.length).toBe(k.args.length);
      expect(k.selectors.length).toBeLessThanOrEqual(5); // Tetragon allows at most 5 selectors
      k.selectors.forEach((sel: Record<string, any>, i: number) => {
        expect(sel.matchArgs).toEqual([{ index: i, operator: 'Equal', values: ['0'] }]);
        expect(sel.matchNamespaces).toEqual([{ namespace: 'Mnt', operator: 'NotIn', values: ['host_ns'] }]);
      });
    }
    expect(kprobes.find((k) => k.call === 'sys_setresuid')?.args).toEqual([{ index: 0, type: 'int' }, { index: 1, type: 'int' }, { index: 2, type: 'int' }]);
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });
  test('enforcing mode kills on kernel module loading and setns from containers', () => {
    const { fleet, cilium } = withCilium();
    cilium.addTetragonBaseline({ enforce: true });
    expect(manifest(fleet, 'test/configs/tracingpolicy-infraflux-kernel-modules.yaml').spec.kprobes[0].selectors[0].matchActions).toEqual([{ action: 'Post' }, { action: 'Sigkill' }]);
  });
});
