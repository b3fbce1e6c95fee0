/**
 * Policy in the reference fleet (issue 15; decisions 0090-0092): Kyverno and the baseline
 * policies on every cluster, the privileged/baseline namespaces exempted from the Pod Security
 * Standards with their reasons, and the break-glass exemptions the fleet still needs, each with
 * who, why and an expiry. `npm run policy` runs the same rules offline over dist/.
 *
 * buildReferenceFleet calls {@link addPolicy} last, once every Namespace of the fleet exists.
 */
import { ApiObject } from 'cdk8s';
import { ErrorCode, InfraFluxError } from '../lib/core/errors';
import { PodSecurityLevel } from '../lib/flux/pod-security';
import { PolicyAction, PolicyBaseline } from '../lib/policy';
import type { Baseline } from './config';

/**
 * Staged rollout (decision 0091): production enforces; every other cluster audits. A change
 * reaches prod-* only after it ran on the dev clusters, whose PolicyReports show what would be
 * refused, and after the offline check (`npm run policy`) passed on the pull request.
 */
export function rolloutFor(cluster: string): PolicyAction {
  return cluster.startsWith('prod-') ? PolicyAction.ENFORCE : PolicyAction.AUDIT;
}

/** Where the fleet's images come from (every registry of dist/ and of the charts' pinned values). */
export const FLEET_REGISTRIES: readonly string[] = ['docker.io', 'gcr.io', 'ghcr.io', 'mcr.microsoft.com', 'public.ecr.aws', 'quay.io', 'reg.kyverno.io', 'registry.k8s.io'];

/** Why a namespace's workloads need more than Pod Security restricted. */
const NAMESPACE_REASONS: Readonly<Record<string, string>> = {
  velero: 'Velero node-agent DaemonSet reads pod volumes from the node (hostPath /var/lib/kubelet/pods, privileged) for file-system backups',
  'rook-ceph': 'Rook Ceph OSDs and the Ceph CSI node plugins: privileged, hostPath /dev and /var/lib/rook, hostNetwork',
  'longhorn-system': 'Longhorn manager and CSI node plugin: privileged, hostPath /dev and /var/lib/longhorn',
  'proxmox-csi': 'Proxmox CSI node plugin: privileged, hostPath /dev and the kubelet directory',
  'metallb-system': 'MetalLB speaker: hostNetwork and NET_RAW for ARP/BGP',
  monitoring: 'kube-prometheus-stack node-exporter DaemonSet: hostNetwork, hostPID and read-only hostPath /proc, /sys and / for node metrics',
  otel: 'OpenTelemetry node log collector DaemonSet: hostPath /var/log (pod and audit logs) and hostNetwork for the Talos json_lines receiver on the node loopback',
  falco: 'Falco (when enabled): privileged modern eBPF probe and hostPath /proc, /etc and the containerd socket',
};
const CAPI_REASON = 'Cluster API / Metal3 provider controllers: the pinned upstream manifests set neither seccomp nor runAsNonRoot (PSA baseline, lib/management)';

/** Where a HelmRelease installs: its `targetNamespace` (platform releases live in flux-system under the Flux lockdown, decision 0094), else its own namespace. */
function releaseNamespace(o: ApiObject): string {
  const j = o.toJson() as { metadata: { namespace?: string }; spec: { targetNamespace?: string } };
  return j.spec.targetNamespace ?? j.metadata.namespace ?? '';
}

/** The last day the fleet's break-glass exemptions hold; renew only with the reason still true. */
export const FLEET_EXEMPTIONS_EXPIRE = '2027-03-31';

/** Adds the engine and baselines to every cluster of the reference fleet. */
export function addPolicy(baselines: readonly Baseline[]): Record<string, PolicyBaseline> {
  const out: Record<string, PolicyBaseline> = {};
  for (const { cluster } of baselines) {
    const policy = new PolicyBaseline(cluster, 'Policy', { action: rolloutFor(cluster.name), allowedRegistries: FLEET_REGISTRIES });
    // Explicit: every Namespace below restricted, with its reason (a new one fails synth until listed).
    for (const ns of cluster.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && c.kind === 'Namespace')) {
      const meta = (ns.toJson() as { metadata: { name: string; labels?: Record<string, string> } }).metadata;
      const level = meta.labels?.['pod-security.kubernetes.io/enforce'];
      if (level !== 'privileged' && level !== 'baseline') continue;
      const reason = NAMESPACE_REASONS[meta.name] ?? (level === 'baseline' && /-system$/.test(meta.name) ? CAPI_REASON : undefined);
      if (!reason) throw new InfraFluxError(ErrorCode.REFERENCE_FLEET_INCOMPLETE, ns, `stacks/policy has no reason for Namespace "${meta.name}" (PSA ${level}); add it to NAMESPACE_REASONS`);
      policy.exemptNamespace({ namespace: meta.name, level: level === 'privileged' ? PodSecurityLevel.PRIVILEGED : PodSecurityLevel.BASELINE, reason });
    }
    // Break-glass, each with who, why and until when (listed in the cluster README).
    const objects = cluster.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    const nsOf = (o: ApiObject) => (o.toJson() as { metadata: { namespace?: string; name: string } }).metadata;
    const withPolicy = new Set(objects.filter((o) => o.kind === 'NetworkPolicy' || o.kind === 'CiliumNetworkPolicy').map((o) => nsOf(o).namespace));
    const excluded = new Set(policy.engine.excludedNamespaces);
    const uncovered = objects.filter((o) => o.kind === 'Namespace').map((o) => nsOf(o).name).filter((n) => !withPolicy.has(n) && !excluded.has(n));
    if (uncovered.length > 0) {
      policy.addExemption('network-policy-rollout', {
        policies: ['require-network-policy'],
        namespaces: uncovered,
        requestedBy: 'platform',
        reason: 'default-deny network policies per namespace arrive with the Tenant construct and per-app Cilium policies (issue 15 point 3); until then these namespaces run without one, audited',
        expires: FLEET_EXEMPTIONS_EXPIRE,
      });
    }
    const oauth2 = objects.filter((o) => o.kind === 'HelmRelease' && (o.toJson() as { spec: { chart?: { spec?: { chart?: string } } } }).spec.chart?.spec?.chart === 'oauth2-proxy').map(releaseNamespace);
    if (oauth2.length > 0) {
      policy.addExemption('oauth2-proxy-wait-for-redis', {
        policies: ['require-image-tag-or-digest'],
        namespaces: oauth2,
        requestedBy: 'platform',
        reason: 'the oauth2-proxy chart values pin initContainers.waitForRedis.image alpine:latest, rendered only with Redis session storage, which the fleet does not use (cookie sessions); pin it or switch it off in the edge constructs',
        expires: FLEET_EXEMPTIONS_EXPIRE,
      });
    }
    const chartLatest = objects.filter((o) => o.kind === 'HelmRelease' && ['grafana', 'loki'].includes((o.toJson() as { spec: { chart?: { spec?: { chart?: string } } } }).spec.chart?.spec?.chart ?? '')).map(releaseNamespace);
    if (chartLatest.length > 0) {
      policy.addExemption('switched-off-chart-parts-latest', {
        policies: ['require-image-tag-or-digest'],
        namespaces: [...new Set(chartLatest)].sort(),
        requestedBy: 'platform',
        reason: 'the grafana chart values tag imageRenderer.image latest and the loki chart values tag test.image (loki-helm-test) latest; both parts are off in the fleet (imageRenderer.enabled false, test.enabled false), so nothing runs them; pin their tags in lib/telemetry before switching them on',
        expires: FLEET_EXEMPTIONS_EXPIRE,
      });
    }
    out[cluster.name] = policy;
  }
  return out;
}
