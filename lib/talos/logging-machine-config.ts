/**
 * What Talos must do so its node logs reach the cluster's log pipeline: the single source of truth
 * shared by the Talos cluster constructs (a machine-config patch) and the node log collector
 * (lib/telemetry, its receiver). Talos v1.12/v1.13 `v1alpha1.LoggingConfig.destinations[]`
 * (`endpoint` tcp:// or udp://, `format: json_lines`, `extraTags`) sends the service logs of
 * machined, apid, etcd, kubelet, containerd … as one JSON object per line; fields `msg`,
 * `talos-level`, `talos-service` and `talos-time` are always present.
 * @see https://docs.siderolabs.com/talos/v1.13/configure-your-talos-cluster/logging-and-telemetry/logging
 */
import { ErrorCode, InfraFluxError } from '../core/errors';
import type { TalosConfigPatch } from './cilium-machine-config';

/** TCP port on the node's loopback where the node log collector (host network) listens for Talos' json_lines. */
export const TALOS_LOG_RECEIVER_PORT = 6051;

/**
 * Where Talos writes the kube-apiserver audit log on control-plane nodes (Talos' default audit
 * policy, `cluster.apiServer.auditPolicy`, level Metadata for everything): the API server runs with
 * `--audit-log-path=/var/log/audit/kube/kube-apiserver.log` and rotates it in that folder.
 * @see https://docs.siderolabs.com/talos/v1.13/reference/configuration/v1alpha1/config#Config.cluster.apiServer
 */
export const TALOS_AUDIT_LOG_DIR = '/var/log/audit/kube';

/** Settings of {@link talosLoggingPatch}. */
export interface TalosLoggingSettings {
  /**
   * Loopback TCP port of the node log collector.
   * @default TALOS_LOG_RECEIVER_PORT (6051)
   */
  readonly port?: number;
  /**
   * Tags added to every message (`extraTags`), e.g. `{ cluster: 'dev-gcp' }`.
   * @default {}
   */
  readonly extraTags?: Readonly<Record<string, string>>;
}

/**
 * The Talos machine-config patch (strategic merge, v1alpha1) that sends every node's service logs
 * as json_lines over TCP to the node log collector on `127.0.0.1:<port>` (the collector runs with
 * host networking, so the loopback is the node's). Messages are buffered and dropped by Talos while
 * no collector listens: the patch is safe before the collector is installed.
 */
export function talosLoggingPatch(settings: TalosLoggingSettings = {}): TalosConfigPatch {
  const port = settings.port ?? TALOS_LOG_RECEIVER_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InfraFluxError(ErrorCode.INVALID_PORT, 'TalosLoggingSettings.port', `port ${port} is not a TCP port; use 1-65535 (default ${TALOS_LOG_RECEIVER_PORT})`);
  }
  const tags = settings.extraTags ?? {};
  for (const k of Object.keys(tags)) {
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(k)) throw new InfraFluxError(ErrorCode.INVALID_PROP, 'TalosLoggingSettings.extraTags', `tag "${k}" must be a plain key (letters, digits, _ . -)`);
  }
  const sorted = Object.fromEntries(Object.entries(tags).sort(([a], [b]) => a.localeCompare(b)));
  return {
    machine: {
      logging: {
        destinations: [{ endpoint: `tcp://127.0.0.1:${port}/`, format: 'json_lines', ...(Object.keys(sorted).length ? { extraTags: sorted } : {}) }],
      },
    },
  };
}
