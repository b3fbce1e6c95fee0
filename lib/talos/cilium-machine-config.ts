import { ErrorCode, InfraFluxError } from '../core/errors';
/**
 * The single source of truth shared by CiliumNetworking (Helm values) and the Talos cluster
 * constructs (machine-config patches): what Cilium needs from every Talos node, and what the
 * Cilium values must say about those nodes. Both sides derive from one `TalosCniSettings`.
 *
 * Sources: the spec pack's "Cilium on Talos" notes (../shared/upstream/README.md, cilium/NOTES.md),
 * the Talos v1.12 config schema (v1alpha1.CNIConfig, ProxyConfig, FeaturesConfig.kubePrism,
 * FeaturesConfig.hostDNS) and siderolabs/talos#10002 (forwardKubeDNSToHost vs eBPF host routing).
 */

/** What Talos must do for Cilium; produced by CiliumNetworking, consumed by TalosCluster. */
export interface TalosCniSettings {
  /**
   * KubePrism port on every node: Cilium's `k8sServiceHost: localhost` + `k8sServicePort`.
   * @default 7445
   */
  readonly kubePrismPort: number;
  /** Talos does not install kube-proxy (`cluster.proxy.disabled`): Cilium replaces it. */
  readonly kubeProxyDisabled: boolean;
  /**
   * Talos' host DNS forwards the cluster's DNS to the host resolver. Breaks under eBPF host
   * routing unless Cilium uses legacy host routing (siderolabs/talos#10002).
   */
  readonly forwardKubeDNSToHost: boolean;
}

/**
 * Talos with Cilium as CNI and kube-proxy replacement, matching CiliumNetworking's defaults:
 * Talos' DNS forwarding off, so Cilium's eBPF host routing works (decision 0010,
 * siderolabs/talos#10002). Prefer `CiliumNetworking.talosCniSettings`, which is derived from the
 * actual Cilium props.
 */
export const DEFAULT_TALOS_CNI_SETTINGS: TalosCniSettings = {
  kubePrismPort: 7445,
  kubeProxyDisabled: true,
  forwardKubeDNSToHost: false,
};

/** A Talos machine-config strategic merge patch (v1alpha1 document), as plain data. */
export type TalosConfigPatch = Record<string, unknown>;

/**
 * The Talos machine-config patch (strategic merge, v1alpha1) for Cilium: no built-in CNI, no
 * kube-proxy when Cilium replaces it, KubePrism on, host DNS as the settings say. Apply it to
 * control-plane and worker nodes alike.
 */
export function talosCiliumPatch(settings: TalosCniSettings = DEFAULT_TALOS_CNI_SETTINGS): TalosConfigPatch {
  if (!Number.isInteger(settings.kubePrismPort) || settings.kubePrismPort < 1 || settings.kubePrismPort > 65535) {
    throw new InfraFluxError(ErrorCode.INVALID_PORT, 'TalosCniSettings.kubePrismPort', `kubePrismPort ${settings.kubePrismPort} is not a TCP port; use 1-65535 (Talos default 7445)`);
  }
  return {
    machine: {
      features: {
        kubePrism: { enabled: true, port: settings.kubePrismPort },
        hostDNS: { enabled: true, forwardKubeDNSToHost: settings.forwardKubeDNSToHost },
      },
    },
    cluster: {
      network: { cni: { name: 'none' } },
      proxy: { disabled: settings.kubeProxyDisabled },
    },
  };
}
