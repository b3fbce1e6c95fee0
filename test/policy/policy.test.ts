import { ErrorCode, InfraFluxError } from '../../lib/core/errors';
import { PodSecurityLevel } from '../../lib/flux/pod-security';
import { declaredOwners, GitOpsCluster } from '../../lib';
import { Gatekeeper, Kyverno, PolicyAction, PolicyBaseline, PolicyEngine, PSS_BASELINE, PSS_RESTRICTED_ONLY } from '../../lib/policy';
import { checkFleetPolicies, desugarOptionals, evaluatePolicy, hostAccessInValues, imagesInValues, OfflinePolicy, offlinePolicy, upstreamPssPolicies } from '../../lib/policy/offline-check';
import { UpstreamCache } from '../../lib/upstream/lock';
import * as kplus from 'cdk8s-plus-33';
import { ValidatingPolicy } from '../../imports/kyverno-policies.kyverno.io';
import { ReconcileCode } from '../../lib/reconcile/types';
import { manifest, testCluster } from '../support/fleet';
import { thrownBy } from '../support/errors';
import { referenceFleet } from '../support/reference-fleet';

const FUTURE = '2099-12-31';
const NOW = new Date(Date.UTC(2026, 11, 1));

function baseline(props: Partial<ConstructorParameters<typeof PolicyBaseline>[2]> = {}) {
  const { fleet, cluster } = testCluster();
  const policy = new PolicyBaseline(cluster, 'Policy', { allowedRegistries: ['ghcr.io', 'registry.k8s.io'], now: NOW, ...props });
  return { fleet, cluster, policy };
}

function thrown(fn: () => unknown): InfraFluxError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InfraFluxError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

/** Validation errors of a cluster (coded), as cdk8s reports them at synth. */
function validationMessages(cluster: GitOpsCluster): string[] {
  return cluster.node.findAll().flatMap((c) => c.node.validate());
}

describe('Kyverno', () => {
  test('platform namespaces never reach its webhooks; HA shape when asked', () => {
    // GIVEN a cluster WHEN Kyverno is installed with HA
    const { fleet, cluster } = testCluster();
    const k = new Kyverno(cluster.controllers, 'Kyverno', { highAvailability: true });
    // THEN the webhook namespaceSelector excludes kube-system, flux-system and kyverno, 3 admission replicas with a PDB
    const v = k.values as Record<string, any>;
    expect(v.config.webhooks.namespaceSelector.matchExpressions[0]).toEqual({ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['flux-system', 'kube-system', 'kyverno'] });
    expect(v.admissionController.replicas).toBe(3);
    expect(v.admissionController.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
    expect(k.node.defaultChild).toBe(k.helmRelease);
    expect(manifest(fleet, 'test/releases/kyverno/helmrelease-kyverno.yaml').spec.chart.spec).toMatchObject({ chart: 'kyverno', version: '3.9.0' });
  });

  test('fails outside the controllers layer', () => {
    const { cluster } = testCluster();
    const e = thrown(() => new Kyverno(cluster.configs, 'Kyverno'));
    expect(e.code).toBe(ErrorCode.WRONG_LAYER);
    expect(e.constructPath).toBe('test/configs/Kyverno');
  });

  test('fails when values override the webhook exclusions', () => {
    const { cluster } = testCluster();
    expect(thrown(() => new Kyverno(cluster.controllers, 'Kyverno', { values: { config: { webhooks: {} } } })).code).toBe(ErrorCode.INVALID_CHART_VALUES);
  });
});

describe('PolicyBaseline', () => {
  test('Audit by default: every rule audits, PSS restricted from the kyverno-policies chart', () => {
    // GIVEN a baseline with default props WHEN synthesized
    const { fleet } = baseline();
    const rules = fleet.manifests().filter((m) => m.object.kind === 'ValidatingPolicy');
    // THEN one ValidatingPolicy per design rule, all Audit, platform namespaces excluded
    expect(rules.map((r) => (r.object.metadata as { name: string }).name).sort()).toEqual([
      'require-image-tag-or-digest',
      'require-network-policy',
      'require-owner-label',
      'require-tls-gateway-listeners',
      'require-tls-ingress',
      'restrict-image-registries',
    ]);
    for (const r of rules) expect((r.object.spec as { validationActions: string[] }).validationActions).toEqual(['Audit']);
    const pss = manifest(fleet, 'test/releases/pod-security-standards/configmap-pod-security-standards-values.yaml');
    expect(pss.data['values.yaml']).toContain('podSecurityStandard: restricted');
    expect(pss.data['values.yaml']).toContain('validationFailureAction: Audit');
    expect(manifest(fleet, 'test/releases/policies/validatingpolicy-require-owner-label.yaml')).toMatchSnapshot();
  });

  test('the owner the app Namespaces name is declared on the cluster (alert routes, exemption requests)', () => {
    const { cluster } = baseline();
    expect(declaredOwners(cluster)).toEqual([{ team: 'platform' }]);
  });

  test('Enforce denies, except the network-policy rule, which admission cannot decide', () => {
    const { fleet, policy } = baseline({ action: PolicyAction.ENFORCE });
    expect((policy.engine as Kyverno).highAvailability).toBe(true);
    expect(manifest(fleet, 'test/releases/policies/validatingpolicy-restrict-image-registries.yaml').spec.validationActions).toEqual(['Deny']);
    expect(manifest(fleet, 'test/releases/policies/validatingpolicy-require-network-policy.yaml').spec.validationActions).toEqual(['Audit']);
  });

  test('exempted namespaces: privileged skip every PSS policy, baseline only the restricted ones', () => {
    const { fleet, policy } = baseline();
    policy.exemptNamespace({ namespace: 'velero', level: PodSecurityLevel.PRIVILEGED, reason: 'node-agent hostPath' });
    policy.exemptNamespace({ namespace: 'capi-system', level: PodSecurityLevel.BASELINE, reason: 'upstream manifests' });
    const text = manifest(fleet, 'test/releases/pod-security-standards/configmap-pod-security-standards-values.yaml').data['values.yaml'] as string;
    expect(text).toMatch(/vpolExclude:\n\s+excludeNamespaces:\n\s+- flux-system\n\s+- kube-system\n\s+- kyverno\n\s+- velero\n/);
    expect(text).toMatch(/disallow-privilege-escalation:\n\s+excludeNamespaces:\n\s+- capi-system\n/);
  });

  test('a break-glass exemption records who, why and until when', () => {
    const { fleet, policy } = baseline();
    policy.addExemption('legacy-app', { policies: ['disallow-host-path'], namespaces: ['legacy'], requestedBy: 'team-a', reason: 'migrating off hostPath', expires: FUTURE });
    const e = manifest(fleet, 'test/releases/policies/policyexception-legacy-app.yaml');
    expect(e.spec).toEqual({
      expiresAt: '2100-01-01T00:00:00Z',
      matchConditions: [{ name: 'exempted-namespaces', expression: "(has(object.metadata.namespace) ? object.metadata.namespace : object.metadata.name) in ['legacy']" }],
      policyRefs: [{ kind: 'ValidatingPolicy', name: 'disallow-host-path' }],
      properties: { expires: FUTURE, reason: 'migrating off hostPath', 'requested-by': 'team-a' },
    });
  });

  test('the reconcile model proves Kyverno is Ready before any policy object', () => {
    // GIVEN the baseline as built: engine in controllers, policies in configs
    const ok = baseline();
    // THEN the replay from an empty cluster passes
    expect(() => ok.fleet.checkReconcile()).not.toThrow();
    // WHEN a policy object is applied by the same Kustomization layer as the engine (no Kyverno Ready yet)
    const { fleet, cluster } = testCluster();
    new Kyverno(cluster.controllers, 'Kyverno');
    new ValidatingPolicy(cluster.controllers, 'Early', { metadata: { name: 'early' }, spec: { validations: [{ expression: 'true' }] } });
    // THEN the model refuses it: the policies.kyverno.io kinds are not served when it is applied
    const e = thrownBy(() => fleet.checkReconcile());
    expect(e.problems.map((p) => p.code)).toContain(ReconcileCode.CRD_MISSING);
    expect(e.message).toMatch(/ValidatingPolicy/);
  });

  test('the cluster README lists every exemption with who, why and until when', () => {
    // GIVEN a baseline with one break-glass exemption WHEN the fleet is rendered
    const { fleet, policy } = baseline();
    policy.addExemption('legacy-app', { policies: ['disallow-host-path'], namespaces: ['legacy'], requestedBy: 'team-a', reason: 'migrating off hostPath', expires: FUTURE });
    const readme = fleet.render().get('test/README.md') ?? '';
    // THEN its row is in the "Policy exemptions" table
    expect(readme).toContain('## Policy exemptions');
    expect(readme).toContain(`| \`legacy-app\` | disallow-host-path | legacy | team-a | migrating off hostPath | ${FUTURE} |`);
  });

  test('fails on an empty or malformed registry list', () => {
    const { cluster } = testCluster();
    expect(thrown(() => new PolicyBaseline(cluster, 'Policy', { allowedRegistries: [] })).code).toBe(ErrorCode.INVALID_PROP);
    const other = testCluster();
    const e = thrown(() => new PolicyBaseline(other.cluster, 'Policy', { allowedRegistries: ['https://ghcr.io'] }));
    expect(e.message).toMatch(/"https:\/\/ghcr.io" is not a registry host/);
  });

  test('fails when a namespace is exempted at level restricted or without a reason', () => {
    const { policy } = baseline();
    expect(thrown(() => policy.exemptNamespace({ namespace: 'a', level: PodSecurityLevel.RESTRICTED, reason: 'r' })).code).toBe(ErrorCode.INVALID_PROP);
    expect(thrown(() => policy.exemptNamespace({ namespace: 'a', level: PodSecurityLevel.PRIVILEGED, reason: ' ' })).code).toBe(ErrorCode.INVALID_PROP);
  });

  test('fails on an expired exemption', () => {
    const { policy } = baseline();
    const e = thrown(() => policy.addExemption('old', { policies: ['disallow-host-path'], namespaces: ['legacy'], requestedBy: 'team-a', reason: 'r', expires: '2026-11-30' }));
    expect(e.code).toBe(ErrorCode.POLICY_EXEMPTION_EXPIRED);
    expect(e.constructPath).toBe('test/configs/Policies/Content/old');
  });

  test('fails on an exemption from a policy the cluster does not have', () => {
    const { policy } = baseline();
    expect(thrown(() => policy.addExemption('x', { policies: ['no-such-policy'], namespaces: ['a'], requestedBy: 'a', reason: 'r', expires: FUTURE })).code).toBe(ErrorCode.INVALID_PROP);
  });

  test('fails on an exemption date that is not a date', () => {
    const { policy } = baseline();
    expect(thrown(() => policy.addExemption('x', { policies: ['disallow-host-path'], namespaces: ['a'], requestedBy: 'a', reason: 'r', expires: '2027-02-30' })).code).toBe(ErrorCode.INVALID_PROP);
  });

  test('fails when a privileged Namespace is not exempted explicitly', () => {
    const { cluster } = baseline();
    // A privileged app namespace appears (e.g. a CSI driver) and nobody exempts it
    new kplus.Namespace(cluster.controllers, 'Csi', { metadata: { name: 'csi', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } });
    expect(validationMessages(cluster).join('\n')).toMatch(/Namespace "csi" enforces Pod Security "privileged"/);
  });

  test('fails when Kyverno and Gatekeeper both enforce', () => {
    // GIVEN an enforcing Kyverno baseline WHEN Gatekeeper is installed beside it
    const { cluster } = baseline({ action: PolicyAction.ENFORCE });
    new Gatekeeper(cluster.controllers, 'Gatekeeper');
    // THEN synth refuses it
    expect(validationMessages(cluster).join('\n')).toMatch(/runs Kyverno and Gatekeeper beside an enforcing baseline/);
  });

  test('Gatekeeper engine: the same CEL as K8sNativeValidation ConstraintTemplates, exemptions as excludedNamespaces', () => {
    const { fleet, policy } = baseline({ engine: PolicyEngine.GATEKEEPER });
    policy.addExemption('legacy', { policies: ['require-owner-label'], namespaces: ['legacy'], requestedBy: 'team-a', reason: 'r', expires: FUTURE });
    const t = manifest(fleet, 'test/releases/policies/constrainttemplate-infrafluxrequireownerlabel.yaml');
    expect(t.spec.targets[0].code[0].engine).toBe('K8sNativeValidation');
    const c = fleet.manifests().find((m) => m.object.kind === 'InfrafluxRequireOwnerLabel')!;
    expect((c.object.spec as any).match.excludedNamespaces).toEqual(['flux-system', 'gatekeeper-system', 'kube-system', 'legacy']);
    expect((c.object.spec as any).enforcementAction).toBe('dryrun');
  });
});

describe('the rules offline (same CEL as the cluster)', () => {
  const { fleet } = baseline();
  const ours = fleet.manifests().filter((m) => m.object.kind === 'ValidatingPolicy').map((m) => offlinePolicy(m.object, m.file));
  const pss = upstreamPssPolicies(UpstreamCache.default(), 'restricted').map((u) => offlinePolicy(u.object, u.path));
  const byName = new Map<string, OfflinePolicy>([...ours, ...pss].map((p) => [p.name, p]));
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps', labels: { 'infraflux.io/owner': 'team-a' } } };
  const container = { name: 'app', image: 'ghcr.io/org/app:1.2.3', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, readOnlyRootFilesystem: true } };
  const pod = (spec: Record<string, unknown> = {}, c: Record<string, unknown> = {}, labels: Record<string, string> = { 'infraflux.io/owner': 'team-a' }) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'apps', labels },
    spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ ...container, ...c }], ...spec },
  });
  const gateway = (listeners: unknown[]) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'apps' }, spec: { gatewayClassName: 'x', listeners } });
  const https = { name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'c' }] } };
  const ingress = (tls: unknown) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i', namespace: 'apps' }, spec: { rules: [{ host: 'a.example.com' }], ...(tls ? { tls } : {}) } });

  // rule → [a failing fixture, a passing fixture]
  const fixtures: Record<string, [object, object]> = {
    'require-image-tag-or-digest': [pod({}, { image: 'ghcr.io/org/app:latest' }), pod({}, { image: 'ghcr.io/org/app@sha256:' + 'a'.repeat(64) })],
    'restrict-image-registries': [pod({}, { image: 'evil.example.com/app:1' }), pod({}, { image: 'registry.k8s.io/pause:3.10' })],
    'require-owner-label': [pod({}, {}, {}), pod()],
    'require-tls-gateway-listeners': [gateway([https, { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }]), gateway([https, { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }])],
    'require-tls-ingress': [ingress(undefined), ingress([{ hosts: ['a.example.com'], secretName: 's' }])],
    'disallow-privileged-containers': [pod({}, { securityContext: { ...container.securityContext, privileged: true } }), pod()],
    'disallow-host-path': [pod({ volumes: [{ name: 'h', hostPath: { path: '/var' } }] }), pod({ volumes: [{ name: 'e', emptyDir: {} }] })],
    'disallow-host-namespaces': [pod({ hostNetwork: true }), pod()],
    'disallow-host-ports': [pod({}, { ports: [{ containerPort: 80, hostPort: 80 }] }), pod({}, { ports: [{ containerPort: 80 }] })],
    'disallow-capabilities': [pod({}, { securityContext: { ...container.securityContext, capabilities: { add: ['SYS_ADMIN'], drop: ['ALL'] } } }), pod()],
    'disallow-capabilities-strict': [pod({}, { securityContext: { ...container.securityContext, capabilities: {} } }), pod()],
    'disallow-privilege-escalation': [pod({}, { securityContext: { ...container.securityContext, allowPrivilegeEscalation: true } }), pod()],
    'require-run-as-nonroot': [pod({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }, { securityContext: { ...container.securityContext, runAsNonRoot: false } }), pod()],
    'require-run-as-non-root-user': [pod({}, { securityContext: { ...container.securityContext, runAsUser: 0 } }), pod()],
    'restrict-seccomp-strict': [pod({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Unconfined' } } }), pod()],
    'restrict-seccomp': [pod({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Unconfined' } } }), pod()],
    'restrict-volume-types': [pod({ volumes: [{ name: 'n', nfs: { server: 's', path: '/' } }] }), pod()],
    'disallow-proc-mount': [pod({}, { securityContext: { ...container.securityContext, procMount: 'Unmasked' } }), pod()],
    'disallow-selinux': [pod({}, { securityContext: { ...container.securityContext, seLinuxOptions: { type: 'spc_t' } } }), pod()],
    'disallow-host-process': [pod({}, { securityContext: { ...container.securityContext, windowsOptions: { hostProcess: true } } }), pod()],
    'restrict-sysctls': [pod({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'kernel.msgmax', value: '1' }] } }), pod()],
  };

  test('every evaluable rule has a failing and a passing fixture', () => {
    const evaluable = [...byName.keys()].filter((n) => n !== 'require-network-policy').sort();
    expect(Object.keys(fixtures).sort()).toEqual(evaluable);
    expect(evaluable).toEqual(expect.arrayContaining([...PSS_BASELINE, ...PSS_RESTRICTED_ONLY]));
  });

  test.each(Object.keys(fixtures).sort())('fails the failing fixture and passes the passing one: %s', (name) => {
    // GIVEN the rule's CEL (ours from dist, PSS from the pinned upstream file) WHEN evaluated offline
    const [bad, good] = fixtures[name];
    // THEN the failing fixture violates it and the passing one does not
    const unlabelled = { ...ns, metadata: { name: 'apps' } };
    expect(evaluatePolicy(byName.get(name)!, bad as Record<string, unknown>, name === 'require-owner-label' ? unlabelled : ns).length).toBeGreaterThan(0);
    expect(evaluatePolicy(byName.get(name)!, good as Record<string, unknown>, ns)).toEqual([]);
  });

  test('the owner label may come from the Namespace', () => {
    expect(evaluatePolicy(byName.get('require-owner-label')!, pod({}, {}, {}), ns)).toEqual([]);
    expect(evaluatePolicy(byName.get('require-owner-label')!, pod({}, {}, {}), { ...ns, metadata: { name: 'apps' } }).length).toBe(1);
  });

  test('platform namespaces are never checked', () => {
    const bad = { ...pod({}, { image: 'nginx:latest' }), metadata: { name: 'p', namespace: 'kube-system' } };
    expect(evaluatePolicy(byName.get('require-image-tag-or-digest')!, bad, null)).toEqual([]);
  });

  test('reads images and host access from chart values', () => {
    const values = { image: { registry: 'quay.io', repository: 'cilium/cilium', tag: 'v1.2.3' }, sidecar: { image: 'busybox:latest' }, agent: { hostNetwork: true, securityContext: { privileged: true }, volumes: [{ hostPath: { path: '/sys' } }] }, off: { hostNetwork: false } };
    expect(imagesInValues(values)).toEqual([{ path: 'image', image: 'quay.io/cilium/cilium:v1.2.3' }, { path: 'sidecar.image', image: 'busybox:latest' }]);
    expect(hostAccessInValues(values).map((h) => `${h.what} ${h.path}`)).toEqual(['hostNetwork agent.hostNetwork', 'privileged agent.securityContext.privileged', 'hostPath agent.volumes[0].hostPath']);
  });

  test('desugars the optional-field syntax of the upstream policies', () => {
    expect(desugarOptionals('object.spec.?hostNetwork.orValue(false)')).toBe('((has(object.spec.hostNetwork)) ? object.spec.hostNetwork : (false))');
    expect(desugarOptionals("c.?securityContext.?seccompProfile.?type.orValue('') == 'x'")).toBe(
      "((has(c.securityContext) && has(c.securityContext.seccompProfile) && has(c.securityContext.seccompProfile.type)) ? c.securityContext.seccompProfile.type : ('')) == 'x'",
    );
  });

  test('fails each rule of the acceptance list when a workload breaks it, in the whole-cluster check', () => {
    // GIVEN a rendered baseline cluster plus one bad workload per rule, each in its own namespace with a network policy
    const objects: Array<{ file: string; object: Record<string, unknown> }> = fleet.manifests().map((m) => ({ file: m.file, object: m.object }));
    const add = (name: string, o: Record<string, unknown>, netpol = true) => {
      const n = { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'infraflux.io/owner': 'team-a' } } };
      const np = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: name }, spec: { podSelector: {} } };
      for (const x of [n, ...(netpol ? [np] : []), { ...o, metadata: { ...(o.metadata as object), namespace: name } }]) objects.push({ file: `test/apps/${name}.yaml`, object: x as Record<string, unknown> });
    };
    const deploy = (spec: Record<string, unknown>, labels: Record<string, string> = {}) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', labels }, spec: { template: { metadata: { labels: {} }, spec } } });
    const good = pod().spec as Record<string, unknown>;
    add('latest-tag', deploy({ ...good, containers: [{ ...container, image: 'ghcr.io/org/app:latest' }] }));
    add('unknown-registry', deploy({ ...good, containers: [{ ...container, image: 'evil.example.com/app:1' }] }));
    add('privileged', deploy({ ...good, containers: [{ ...container, securityContext: { ...container.securityContext, privileged: true } }] }));
    add('host-path', deploy({ ...good, volumes: [{ name: 'h', hostPath: { path: '/' } }] }));
    objects.push({ file: 'test/apps/no-owner.yaml', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'no-owner' } } });
    objects.push({ file: 'test/apps/no-owner.yaml', object: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'no-owner' }, spec: { podSelector: {} } } });
    objects.push({ file: 'test/apps/no-owner.yaml', object: { ...deploy(good), metadata: { name: 'd', namespace: 'no-owner' } } });
    add('no-network-policy', deploy(good), false);
    add('plain-http', gateway([https, { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }]));
    add('http-route', gateway([https, { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }]));
    objects.push({ file: 'test/apps/http-route.yaml', object: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'http-route' }, spec: { parentRefs: [{ name: 'g', sectionName: 'http' }], rules: [{ backendRefs: [{ name: 's', port: 80 }] }] } } });
    // WHEN the offline check runs
    const found = new Set(checkFleetPolicies(objects).violations.map((v) => `${v.policy} ${v.object.split(' ')[1].split('/')[0]}`));
    // THEN every bad workload fails its rule
    for (const expected of [
      'require-image-tag-or-digest latest-tag',
      'restrict-image-registries unknown-registry',
      'disallow-privileged-containers privileged',
      'disallow-host-path host-path',
      'require-owner-label no-owner',
      'require-network-policy no-network-policy',
      'require-tls-gateway-listeners plain-http',
      'require-tls-gateway-listeners http-route',
    ]) {
      expect(found).toContain(expected);
    }
  });
});

describe('the reference fleet', () => {
  test('every cluster runs Kyverno and the baselines; every rule over every rendered workload passes with the exemptions listed', () => {
    // GIVEN the shared reference fleet WHEN the offline policy check runs over all of it
    const { manifests } = referenceFleet();
    const result = checkFleetPolicies(manifests.map((m) => ({ file: m.file, object: m.object })));
    // THEN every cluster evaluates all 22 policies, nothing fails, and what is exempted is listed with its exemption
    const clusters = [...new Set(manifests.map((m) => m.file.split('/')[0]))].sort();
    expect([...result.policies.keys()]).toEqual(clusters);
    for (const c of clusters) {
      expect(result.policies.get(c)).toHaveLength(PSS_BASELINE.length + PSS_RESTRICTED_ONLY.length + 6);
      expect(manifests.some((m) => m.file === `${c}/releases/kyverno/helmrelease-kyverno.yaml`)).toBe(true);
    }
    expect(result.violations).toEqual([]);
    expect(result.objectsChecked).toBeGreaterThan(200);
    expect([...new Set(result.exempted.map((e) => e.exemptedBy))].sort()).toEqual(['network-policy-rollout', 'oauth2-proxy-wait-for-redis', 'switched-off-chart-parts-latest']);
  });

  test('prod enforces, the other clusters audit', () => {
    const { manifests } = referenceFleet();
    const actions = Object.fromEntries(manifests.filter((m) => m.file.endsWith('/validatingpolicy-restrict-image-registries.yaml')).map((m) => [m.file.split('/')[0], (m.object.spec as { validationActions: string[] }).validationActions[0]]));
    expect(actions).toEqual({ 'dev-gcp': 'Audit', 'dev-proxmox': 'Audit', 'edge-metal3': 'Audit', mgmt: 'Audit', 'prod-aws': 'Deny', 'prod-azure': 'Deny' });
  });
});
