/**
 * The CDKTF app of the reference fleet. `cdktf synth|deploy` runs this file (cdktf.json);
 * `npm run synth` calls {@link synthTerraform} too. Output: the git-ignored cdktf.out/.
 *
 * Stacks:
 * - `cloudflare-dns`: the fleet's Cloudflare zone, Zone:Read + DNS:Edit tokens for ExternalDNS and
 *   cert-manager DNS-01 (sensitive outputs), apex + wildcard records to the public ingress address.
 * - `proxmox-mgmt`: the management cluster of the Proxmox path, three Talos control planes on
 *   Proxmox VE with static addresses, bootstrapped by Terraform (kubeconfig/talosconfig outputs).
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
import { FLEET_DOMAIN } from './fleet';

/** The apex domain of the fleet's Cloudflare zone (FLEET_DOMAIN's last two labels). */
export const FLEET_ZONE = FLEET_DOMAIN.split('.').slice(-2).join('.');

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

  new ProxmoxTalosStack(app, 'proxmox-mgmt', {
    proxmoxEndpoint: 'https://pve1.example.com:8006/',
    proxmoxNode: 'pve1',
    clusterName: 'mgmt',
    controlPlane: { count: 3, firstVmId: 1101 },
    addressing: NodeAddressing.static({
      controlPlane: ['192.168.10.21/24', '192.168.10.22/24', '192.168.10.23/24'],
      gateway: '192.168.10.1',
    }),
  });
  return app;
}

export function synthTerraform(outdir = 'cdktf.out'): void {
  buildTerraformApp(outdir).synth();
}

if (require.main === module) synthTerraform();
