/**
 * The CDKTF app of the reference fleet. `cdktf synth|deploy` runs this file (cdktf.json);
 * `npm run synth` calls {@link synthTerraform} too. Output: the git-ignored cdktf.out/.
 *
 * Stacks:
 * - `cloudflare-dns`: the fleet's Cloudflare zone, Zone:Read + DNS:Edit tokens for ExternalDNS and
 *   cert-manager DNS-01 (sensitive outputs), apex + wildcard records to the public ingress address.
 * - `proxmox-mgmt`: the management cluster of the Proxmox path, three Talos control planes on
 *   Proxmox VE with static addresses and no workers (so they take workloads), the Kubernetes API on
 *   their shared VIP {@link MGMT_CONTROL_PLANE_VIP}, bootstrapped by Terraform (kubeconfig/talosconfig outputs).
 * - `aws-platform`, `gcp-platform`, `azure-platform` (stacks/backup-storage.ts): one hardened
 *   bucket per cluster of the reference fleet for Velero (Velero FAQ: a bucket per cluster) — S3
 *   for `prod-aws` and the on-premises clusters `mgmt`, `dev-proxmox`, `edge-metal3`, GCS for
 *   `dev-gcp`, Azure Blob for `prod-azure` — each with a credentials file as a sensitive output.
 *   No stack needs a cluster's OIDC issuer (which cannot exist before the cluster does):
 *   decision 0072.
 *
 * Every secret enters as a sensitive variable (`TF_VAR_cloudflare_api_token`,
 * `TF_VAR_proxmox_api_token`) and leaves only as a sensitive output. Backends are local with
 * relative paths, so the JSON is identical on every machine.
 */
import { App, TerraformVariable } from 'cdktf';
import { CloudflareZoneStack } from '../lib/terraform/cloudflare-zone-stack';
import { DnsTarget } from '../lib/terraform/cloudflare-dns';
import { NodeAddressing } from '../lib/terraform/proxmox-talos-cluster';
import { ProxmoxTalosStack } from '../lib/terraform/proxmox-talos-stack';
import { CiliumNetworking } from '../lib/networking/cilium-networking';
import { addFleetBackupStorage, VELERO_AWS_REGION } from './backup-storage';
import { addFleetLogStorage } from './telemetry-storage';
import { buildReferenceFleet, FLEET_DNS_ZONE, MANAGEMENT_CLUSTER } from './fleet';
import { ErrorCode, InfraFluxError } from '../lib/core/errors';

/** The apex domain of the fleet's Cloudflare zone (the reference fleet's FLEET_DNS_ZONE). */
export const FLEET_ZONE = FLEET_DNS_ZONE;

/**
 * The management cluster's control-plane VIP (Kubernetes API `https://192.168.10.20:6443`): a free
 * address of its node network 192.168.10.0/24, next to the nodes .21-.23, away from the gateway
 * (.1, .2), dev-proxmox's endpoint (.10) and its node pool (.100-.150).
 */
export const MGMT_CONTROL_PLANE_VIP = '192.168.10.20';

/** Region of the fleet's S3 Velero buckets (stacks/backup-storage.ts). */
export { VELERO_AWS_REGION };

export function buildTerraformApp(outdir = 'cdktf.out'): App {
  const app = new App({ outdir, skipValidation: false });

  const dns = new CloudflareZoneStack(app, 'cloudflare-dns', { zoneName: FLEET_ZONE });
  dns.addExternalDnsToken();
  dns.addCertManagerToken();
  const ingress = new TerraformVariable(dns, 'ingress_ipv4', {
    type: 'string',
    description: `Public IPv4 address of the fleet's ingress (apex and *.${FLEET_ZONE})`,
  });
  dns.addRecords('apex', { target: DnsTarget.ipv4(ingress.stringValue), wildcard: true, proxied: false });

  // The management cluster's Talos settings and pod/service networks come from its CiliumNetworking
  // in the reference fleet: one source for the Cilium values and the machine config.
  const mgmtCilium = managementCilium();
  new ProxmoxTalosStack(app, 'proxmox-mgmt', {
    proxmoxEndpoint: 'https://pve1.example.com:8006/',
    proxmoxNode: 'pve1',
    clusterName: MANAGEMENT_CLUSTER,
    cni: mgmtCilium.talosCniSettings,
    podCidrs: [mgmtCilium.podCidr],
    serviceCidrs: [mgmtCilium.serviceCidr],
    controlPlane: { count: 3, firstVmId: 1101 },
    controlPlaneVip: MGMT_CONTROL_PLANE_VIP,
    addressing: NodeAddressing.static({
      controlPlane: ['192.168.10.21/24', '192.168.10.22/24', '192.168.10.23/24'],
      gateway: '192.168.10.1',
    }),
  });

  // Velero buckets of every cluster; stacks/backup.ts reads the same constructs' storage targets.
  addFleetBackupStorage(app);
  addFleetLogStorage(app); // Loki buckets of the production clusters (stacks/telemetry-storage.ts)
  return app;
}

/** The management cluster's CiliumNetworking of the reference fleet. */
export function managementCilium(): CiliumNetworking {
  const found = buildReferenceFleet()
    .node.findAll()
    .find((c): c is CiliumNetworking => c instanceof CiliumNetworking && c.clusterName === MANAGEMENT_CLUSTER);
  if (!found) throw new InfraFluxError(ErrorCode.REFERENCE_FLEET_INCOMPLETE, 'stacks/terraform', `the reference fleet has no CiliumNetworking for ${MANAGEMENT_CLUSTER}; addNetworking() must run for it in buildReferenceFleet()`);
  return found;
}

export function synthTerraform(outdir = 'cdktf.out'): void {
  buildTerraformApp(outdir).synth();
}

// `cdktf synth --output <dir>` passes its output folder as CDKTF_OUTDIR.
if (require.main === module) synthTerraform(process.env.CDKTF_OUTDIR ?? 'cdktf.out');
