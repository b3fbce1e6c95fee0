import { Construct } from 'constructs';
import { addCodedValidation, ErrorCode, InfraFluxError, invalidProp } from '../core/errors';
import { GitOpsCluster } from '../flux/gitops-cluster';
import { ipFamilyOf } from './addresses';
import type { ClusterMeshPeer, ICiliumNetworkingInternals } from './_cilium-api';

/**
 * The CA every cluster of a mesh shares, delivered as a Secret by reference (Sealed Secrets or
 * External Secrets put the same CA into each cluster). Cilium's certificate generator reuses the
 * CA in `kube-system/cilium-ca` for the clustermesh-apiserver and Hubble certificates, so that is
 * the only name the chart reads.
 * @see https://docs.cilium.io/en/stable/network/clustermesh/clustermesh/#shared-certificate-authority
 */
export class ClusterMeshCa {
  /**
   * The Secret `kube-system/cilium-ca` (keys `ca.crt`, `ca.key`), present with identical content in
   * every member. The name is fixed: certgen runs with `--ca-secret-name=cilium-ca`.
   */
  public static fromSecret(): ClusterMeshCa {
    return new ClusterMeshCa(CLUSTER_MESH_CA_SECRET);
  }
  private constructor(public readonly secretName: string) {}
}

/** The only CA Secret name Cilium's certificate generator reads (kube-system). */
export const CLUSTER_MESH_CA_SECRET = 'cilium-ca';

/** The ExternalDNS annotation that publishes a Service under a DNS name. */
export const EXTERNAL_DNS_HOSTNAME_ANNOTATION = 'external-dns.alpha.kubernetes.io/hostname';

export interface ClusterMeshMemberOptions {
  /**
   * DNS name or IP address under which the other clusters reach this cluster's
   * clustermesh-apiserver (its LoadBalancer IP or a DNS record for it; a node address for NodePort).
   *
   * - An IP: the peers get `ips: [address]` and dial `<cluster name>.mesh.cilium.io` (resolved by
   *   Cilium's host alias to the IP), a name the server certificate's `*.mesh.cilium.io` covers; with
   *   LB IPAM the apiserver Service is pinned to the IP (`lbipam.cilium.io/ips`).
   * - A DNS name: the peers dial it, so it is added to this member's server certificate
   *   (`clustermesh.apiserver.tls.auto.server.extraDnsNames`) and published with ExternalDNS
   *   (`external-dns.alpha.kubernetes.io/hostname` on the apiserver Service).
   * @see https://github.com/cilium/cilium/blob/v1.20.0/install/kubernetes/cilium/templates/clustermesh-config/_helpers.tpl
   */
  readonly address: string;
  /**
   * Port of the clustermesh-apiserver as seen from the other clusters.
   * @default 2379 for LoadBalancer exposure, the NodePort (32379) for NodePort exposure
   */
  readonly port?: number;
}

export interface CiliumClusterMeshProps {
  /** The shared CA. */
  readonly ca: ClusterMeshCa;
}

interface Member {
  readonly cilium: ICiliumNetworkingInternals;
  readonly address: string;
  /** Whether `address` is an IP (else a DNS name). */
  readonly isIp: boolean;
  readonly port: number;
}

/**
 * A Cilium ClusterMesh across clusters of the fleet. Create it at fleet level
 * (`new CiliumClusterMesh(fleet, 'Mesh', {...})`) and add each cluster's CiliumNetworking; every
 * member then connects to all others (`clustermesh.config.clusters`), with the shared CA.
 *
 * Checked across the whole fleet at synth (all errors at once): every member has ClusterMesh on,
 * unique cluster names and ids (1-255), non-overlapping pod CIDRs, and a reachable apiserver address.
 * @see https://docs.cilium.io/en/stable/network/clustermesh/clustermesh/
 */
export class CiliumClusterMesh extends Construct {
  public readonly ca: ClusterMeshCa;
  private readonly members: Member[] = [];

  public constructor(scope: Construct, id: string, props: CiliumClusterMeshProps) {
    super(scope, id);
    if (!(props.ca instanceof ClusterMeshCa)) invalidProp(this, 'ca must be a ClusterMeshCa (ClusterMeshCa.fromSecret())');
    this.ca = props.ca;
    addCodedValidation(this, () => this.check());
  }

  /** Adds a cluster to the mesh; every member connects to every other one. */
  public addCluster(cilium: ICiliumNetworkingInternals, options: ClusterMeshMemberOptions): void {
    if (!cilium._profile.clusterMesh) invalidProp(this, `${cilium.node.path} has clusterMesh off; switch it on (and give a clusterId) to join the mesh`);
    if (!options.address || (!ipFamilyOf(options.address) && !isHostname(options.address))) {
      invalidProp(this, `clustermesh-apiserver address "${options.address}" of ${cilium.clusterName} is neither an IP address nor a DNS name`);
    }
    if (this.members.some((m) => m.cilium === cilium)) invalidProp(this, `${cilium.node.path} is already a member`);
    const nodePort = cilium._profile.clusterMesh ? (cilium.values as { clustermesh?: { apiserver?: { service?: { type?: string; nodePort?: number } } } }).clustermesh?.apiserver?.service : undefined;
    const port = options.port ?? (nodePort?.type === 'NodePort' ? nodePort.nodePort ?? 32379 : 2379);
    if (!Number.isInteger(port) || port < 1 || port > 65535) invalidProp(this, `port ${port} of ${cilium.clusterName} is not a TCP port`);
    this.members.push({ cilium, address: options.address, isIp: ipFamilyOf(options.address) !== undefined, port });
    // A member whose Cilium the management cluster installs gets the CA with that install
    // (WorkloadClusterBootstrap meshCa: the chart renders the Secret from tls.ca.*). A member that
    // installs its own CNI needs it before any controller can run — no Sealed Secrets or External
    // Secrets without a CNI — so there it is a bootstrap root (reconcile model, README).
    if (!cilium.installedElsewhere) {
      GitOpsCluster.of(cilium).declareExternalInput({
        kind: 'Secret',
        namespace: 'kube-system',
        name: this.ca.secretName,
        consumer: `Cilium ClusterMesh certgen of ${cilium.clusterName} (clustermesh-apiserver and remote certificates)`,
        providedBy: 'the operator, before Cilium is first installed: the one mesh CA (docs/runbooks/sealed-secrets.md, ClusterMesh CA), the same in every member',
        command: `kubectl --context ${cilium.clusterName} -n kube-system create secret generic ${this.ca.secretName} --from-file=ca.crt="$SECRETS_DIR"/mesh-ca.crt --from-file=ca.key="$SECRETS_DIR"/mesh-ca.key`,
      });
    }
    this.wire();
  }

  /** Members' cluster names, in order of addition. */
  public get clusterNames(): readonly string[] {
    return this.members.map((m) => m.cilium.clusterName);
  }

  private wire(): void {
    for (const member of this.members) {
      const peers: ClusterMeshPeer[] = this.members
        .filter((m) => m !== member)
        .map((m) => (m.isIp ? { name: m.cilium.clusterName, ips: [m.address], port: m.port } : { name: m.cilium.clusterName, address: m.address, port: m.port }));
      const annotations: Record<string, string> = member.isIp
        ? member.cilium._profile.lbIpam
          ? { 'lbipam.cilium.io/ips': member.address }
          : {}
        : { [EXTERNAL_DNS_HOSTNAME_ANNOTATION]: member.address };
      member.cilium._joinMesh(peers, { sharedCa: true, serviceAnnotations: annotations, serverDnsNames: member.isIp ? [] : [member.address] });
    }
  }

  /** Fleet-wide checks; returns every problem. */
  private check(): InfraFluxError[] {
    const errors: InfraFluxError[] = [];
    const err = (code: ErrorCode, m: string) => errors.push(new InfraFluxError(code, this, m));
    if (this.members.length < 2) err(ErrorCode.MESH_MEMBERSHIP, `a mesh needs at least two clusters; it has ${this.members.length}`);
    for (let i = 0; i < this.members.length; i++) {
      const a = this.members[i].cilium;
      for (let j = i + 1; j < this.members.length; j++) {
        const b = this.members[j].cilium;
        if (a.clusterName === b.clusterName) err(ErrorCode.DUPLICATE, `cluster name "${a.clusterName}" is used by ${a.node.path} and ${b.node.path}; mesh members need unique names`);
        if (a.clusterId === b.clusterId) err(ErrorCode.DUPLICATE, `cluster id ${a.clusterId} is used by ${a.clusterName} and ${b.clusterName}; give each member a unique clusterId 1-255`);
        if (a.podCidr.overlaps(b.podCidr)) err(ErrorCode.CIDR_OVERLAP, `pod CIDR ${a.podCidr} of ${a.clusterName} overlaps pod CIDR ${b.podCidr} of ${b.clusterName}; mesh members need disjoint pod CIDRs`);
      }
    }
    return errors;
  }
}

const HOSTNAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;

function isHostname(s: string): boolean {
  return s.length <= 253 && HOSTNAME.test(s);
}
