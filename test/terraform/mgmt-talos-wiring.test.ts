/**
 * The management cluster is created by Terraform (proxmox-mgmt) and then runs Cilium from its own
 * GitOps tree: its Talos machine config must say exactly what its CiliumNetworking expects.
 */
import { parse } from 'yaml';
import { talosCiliumPatch } from '../../lib/talos/cilium-machine-config';
import { buildTerraformApp, managementCilium, MGMT_CONTROL_PLANE_VIP } from '../../stacks/terraform';
import { REFERENCE_NETWORKING } from '../../stacks/networking';
import { Cidr } from '../../lib/core/cidr';
import { Testing } from 'cdktf';

describe('proxmox-mgmt Talos config vs the management cluster\'s Cilium', () => {
  const cilium = managementCilium();
  const app = buildTerraformApp(require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'tf-')));
  const stack = app.node.findChild('proxmox-mgmt');
  type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const json = JSON.parse(Testing.synth(stack as never)) as Json;
  const configs = Object.values(json.data.talos_machine_configuration ?? {}) as Array<{ config_patches?: string[] }>;
  const applies = Object.values(json.resource.talos_machine_configuration_apply) as Json[];
  /** The machine configuration (data source) a node's apply uses, with its patches parsed. */
  const configOf = (apply: Json): { machineType: string; clusterEndpoint: string; patches: Json[] } => {
    const id = /^\$\{data\.talos_machine_configuration\.(\S+)\.machine_configuration\}$/.exec(apply.machine_configuration_input as string)![1]!;
    const c = json.data.talos_machine_configuration[id] as Json;
    return { machineType: c.machine_type, clusterEndpoint: c.cluster_endpoint, patches: (c.config_patches as string[]).map((p) => parse(p) as Json) };
  };

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

  test('the control plane is schedulable: three control planes, no workers, each allowing workloads', () => {
    // GIVEN the reference proxmox-mgmt stack WHEN synthesized THEN every node is a control plane that takes workloads
    const vms = Object.values(json.resource.proxmox_virtual_environment_vm) as Json[];
    expect(vms.map((v) => v.name)).toEqual(['mgmt-cp-1', 'mgmt-cp-2', 'mgmt-cp-3']);
    expect(applies).toHaveLength(3);
    for (const a of applies) {
      const c = configOf(a);
      expect(c.machineType).toBe('controlplane');
      expect(c.patches).toContainEqual({ cluster: { allowSchedulingOnControlPlanes: true } });
    }
  });

  test('every node\'s machine config carries the same VIP, and the API endpoint is that VIP', () => {
    const vips = applies.map((a) => configOf(a).patches.filter((p) => p.kind === 'Layer2VIPConfig'));
    expect(vips).toEqual(applies.map(() => [{ apiVersion: 'v1alpha1', kind: 'Layer2VIPConfig', name: MGMT_CONTROL_PLANE_VIP, link: 'ens18' }]));
    expect(applies.map((a) => configOf(a).clusterEndpoint)).toEqual(applies.map(() => `https://${MGMT_CONTROL_PLANE_VIP}:6443`));
    expect(json.output.mgmt_endpoint.value).toBe(`https://${MGMT_CONTROL_PLANE_VIP}:6443`);
    // bootstrap still talks to a node address, not the VIP (it only comes up after etcd is bootstrapped)
    expect((Object.values(json.resource.talos_machine_bootstrap) as Json[])[0]!.node).toBe('192.168.10.21');
  });

  test('the VIP lies in the management cluster\'s node network of the reference fleet and is no router', () => {
    const mgmt = REFERENCE_NETWORKING.mgmt!;
    expect(Cidr.of(mgmt.nodeCidr).contains(Cidr.of(`${MGMT_CONTROL_PLANE_VIP}/32`))).toBe(true);
    expect(mgmt.onPrem!.routers.map((r) => r.address)).not.toContain(MGMT_CONTROL_PLANE_VIP);
  });
});
