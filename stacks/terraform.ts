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
 * - `aws-platform`: one hardened S3 bucket per cluster for Velero (Velero FAQ: a bucket per
 *   cluster), IRSA for `prod-aws` (its IAM OIDC provider ARN is the variable
 *   `prod_aws_oidc_provider_arn`), IAM users with access keys (sensitive outputs) for the Proxmox
 *   clusters `mgmt` and `dev-proxmox`, which have no OIDC issuer registered in IAM.
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
import { AwsPlatformStack } from '../lib/terraform/cloud-platform-stack';
import { AwsVeleroCredentials } from '../lib/terraform/velero-s3-storage';
import { CiliumNetworking } from '../lib/networking/cilium-networking';
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

/** Region of the fleet's Velero buckets. */
export const VELERO_AWS_REGION = 'eu-central-1';

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

  const aws = new AwsPlatformStack(app, 'aws-platform', { region: VELERO_AWS_REGION });
  const prodOidc = new TerraformVariable(aws, 'prod_aws_oidc_provider_arn', {
    type: 'string',
    description: 'IAM OIDC provider ARN of the prod-aws cluster\'s service-account issuer (arn:aws:iam::<account>:oidc-provider/<issuer>)',
  });
  aws.addVeleroStorage('velero-prod-aws', { bucketName: 'infraflux-velero-prod-aws', credentials: AwsVeleroCredentials.irsa(prodOidc.stringValue) });
  aws.addVeleroStorage('velero-mgmt', { bucketName: 'infraflux-velero-mgmt', credentials: AwsVeleroCredentials.accessKey() });
  aws.addVeleroStorage('velero-dev-proxmox', { bucketName: 'infraflux-velero-dev-proxmox', credentials: AwsVeleroCredentials.accessKey() });
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
