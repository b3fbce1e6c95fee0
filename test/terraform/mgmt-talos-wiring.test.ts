/**
 * The management cluster is created by Terraform (proxmox-mgmt) and then runs Cilium from its own
 * GitOps tree: its Talos machine config must say exactly what its CiliumNetworking expects.
 */
import { parse } from 'yaml';
import { talosCiliumPatch } from '../../lib/talos/cilium-machine-config';
import { buildTerraformApp, managementCilium } from '../../stacks/terraform';
import { Testing } from 'cdktf';

describe('proxmox-mgmt Talos config vs the management cluster\'s Cilium', () => {
  const cilium = managementCilium();
  const app = buildTerraformApp(require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'tf-')));
  const stack = app.node.findChild('proxmox-mgmt');
  const json = JSON.parse(Testing.synth(stack as never)) as { data: Record<string, Record<string, { config_patches?: string[] }>> };
  const configs = Object.values(json.data.talos_machine_configuration ?? {});

  test('every machine config carries the Cilium patch derived from the management CiliumNetworking', () => {
    expect(configs.length).toBe(2);
    for (const c of configs) {
      expect(c.config_patches!.map((p) => parse(p))).toContainEqual(talosCiliumPatch(cilium.talosCniSettings));
    }
    // eBPF host routing on: Talos must not forward kube DNS to the host (siderolabs/talos#10002)
    expect(cilium.talosCniSettings.forwardKubeDNSToHost).toBe(false);
  });

  test('pod and service networks equal the CIDRs Cilium is configured with', () => {
    for (const c of configs) {
      expect(c.config_patches!.map((p) => parse(p))).toContainEqual({
        cluster: { network: { podSubnets: [cilium.podCidr.text], serviceSubnets: [cilium.serviceCidr.text] } },
      });
    }
  });
});
