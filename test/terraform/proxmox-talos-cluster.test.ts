import { Testing } from 'cdktf';
import { stringify } from 'yaml';
import { DownloadFile } from '../../imports/terraform/proxmox/download-file';
import { ProxmoxProvider } from '../../imports/terraform/proxmox/provider';
import { VirtualEnvironmentVm } from '../../imports/terraform/proxmox/virtual-environment-vm';
import { ImageFactorySchematic } from '../../imports/terraform/talos/image-factory-schematic';
import { NodeAddressing, ProxmoxTalosStack, ProxmoxTalosStackProps, TalosNodeRole } from '../../lib/terraform';
import { PinnedProviderSchemas } from '../../scripts/lib/provider-schema';
import { talosCiliumPatch } from '../../lib/talos/cilium-machine-config';

// Types of cdktf's jest matchers (toHaveResourceWithProperties, ...).
import 'cdktf/lib/testing/adapters/jest';

Testing.setupJest();

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const STATIC: ProxmoxTalosStackProps = {
  proxmoxEndpoint: 'https://pve1.example.com:8006/',
  proxmoxNode: 'pve1',
  clusterName: 'mgmt',
  controlPlane: { count: 3, firstVmId: 1101 },
  workers: { count: 2, cpuCores: 8, memoryMiB: 16384, diskGiB: 200 },
  addressing: NodeAddressing.static({
    controlPlane: ['192.168.10.21/24', '192.168.10.22/24', '192.168.10.23/24'],
    workers: ['192.168.10.31/24', '192.168.10.32/24'],
    gateway: '192.168.10.1',
    dnsServers: ['192.168.10.53'],
  }),
};

function synth(props: Partial<ProxmoxTalosStackProps> = {}): string {
  return Testing.synth(new ProxmoxTalosStack(Testing.app(), 'proxmox', { ...STATIC, ...props }), true);
}
const parse = (props: Partial<ProxmoxTalosStackProps> = {}): Json => JSON.parse(synth(props)) as Json;
const byName = (json: Json, type: string): Json[] => Object.values(json.resource[type] ?? {}) as Json[];
const dataOf = (json: Json, type: string): Json[] => Object.values(json.data[type] ?? {}) as Json[];

describe('ProxmoxTalosCluster', () => {
  test('names each node with its role, the Talos machine type', () => {
    // GIVEN 3 control planes and 2 workers WHEN built THEN the nodes carry TalosNodeRole values in order
    const stack = new ProxmoxTalosStack(Testing.app(), 'proxmox', STATIC);
    expect(stack.cluster.nodes.map((n) => [n.name, n.role])).toEqual([
      ['mgmt-cp-1', TalosNodeRole.CONTROL_PLANE], ['mgmt-cp-2', TalosNodeRole.CONTROL_PLANE], ['mgmt-cp-3', TalosNodeRole.CONTROL_PLANE],
      ['mgmt-worker-1', TalosNodeRole.WORKER], ['mgmt-worker-2', TalosNodeRole.WORKER],
    ]);
    const json = JSON.parse(Testing.synth(stack)) as Json;
    expect(dataOf(json, 'talos_machine_configuration').map((c) => c.machine_type).sort()).toEqual(['controlplane', 'worker']);
  });

  test('creates one VM per node from the Talos ISO, with static cloud-init addresses', () => {
    const json = parse();
    const vms = byName(json, 'proxmox_virtual_environment_vm');
    expect(vms.map((v) => v.name)).toEqual(['mgmt-cp-1', 'mgmt-cp-2', 'mgmt-cp-3', 'mgmt-worker-1', 'mgmt-worker-2']);
    expect(vms.map((v) => v.vm_id)).toEqual([1101, 1102, 1103, undefined, undefined]);
    const synthed = synth();
    expect(synthed).toHaveResourceWithProperties(VirtualEnvironmentVm, {
      name: 'mgmt-cp-1',
      node_name: 'pve1',
      agent: { enabled: true },
      cpu: { cores: 2, sockets: 1, type: 'x86-64-v2-AES' },
      memory: { dedicated: 4096, floating: 0 },
      disk: [expect.objectContaining({ interface: 'scsi0', size: 32, datastore_id: 'local-lvm' })],
      cdrom: { file_id: expect.stringMatching(/^\$\{proxmox_download_file\.\S+\.id\}$/), interface: 'ide2' },
      initialization: expect.objectContaining({
        ip_config: [{ ipv4: { address: '192.168.10.21/24', gateway: '192.168.10.1' } }],
        dns: { servers: ['192.168.10.53'] },
      }),
    });
    expect(synthed).toHaveResourceWithProperties(VirtualEnvironmentVm, { name: 'mgmt-worker-2', cpu: expect.objectContaining({ cores: 8 }), memory: { dedicated: 16384, floating: 0 } });
    expect(synthed).toHaveResourceWithProperties(DownloadFile, { content_type: 'iso', datastore_id: 'local', node_name: 'pve1', url: expect.stringMatching(/urls\.iso\}$/) });
  });

  test('uses DHCP and reads the addresses back through the guest agent by default', () => {
    const json = parse({ addressing: undefined, workers: undefined, controlPlane: { count: 1 } });
    const [vm] = byName(json, 'proxmox_virtual_environment_vm');
    expect(vm!.initialization.ip_config).toEqual([{ ipv4: { address: 'dhcp' } }]);
    const [apply] = byName(json, 'talos_machine_configuration_apply');
    expect(apply!.node).toMatch(/^\$\{\[for ip in flatten\(proxmox_virtual_environment_vm\.\S+\.ipv4_addresses\) : ip if ip != "127.0.0.1"\]\[0\]\}$/);
  });

  test('bakes the storage and guest-agent extensions into the Image Factory schematic', () => {
    expect(synth()).toHaveResourceWithProperties(ImageFactorySchematic, {
      schematic: stringify({ customization: { systemExtensions: { officialExtensions: ['siderolabs/qemu-guest-agent', 'siderolabs/iscsi-tools', 'siderolabs/util-linux-tools'] } } }),
    });
  });

  test('wires Talos: secrets → machine configs (Cilium patch) → apply per node → bootstrap → kubeconfig', () => {
    const json = parse();
    const [secrets] = Object.keys(json.resource.talos_machine_secrets);
    const secretsRef = `talos_machine_secrets.${secrets}`;
    const configs = dataOf(json, 'talos_machine_configuration');
    expect(configs.map((c) => c.machine_type)).toEqual(['controlplane', 'worker']);
    for (const c of configs) {
      expect(c).toEqual(
        expect.objectContaining({ cluster_name: 'mgmt', cluster_endpoint: 'https://192.168.10.21:6443', talos_version: 'v1.12', kubernetes_version: '1.35.4', machine_secrets: `\${${secretsRef}.machine_secrets}` }),
      );
      // the same Cilium patch as the Cluster API path (one source of truth)
      expect(c.config_patches[0]).toBe(stringify(talosCiliumPatch()));
      expect(c.config_patches[1]).toMatch(/install:\n {4}disk: \/dev\/sda\n {4}image: \$\{data\.talos_image_factory_urls\.\S+\.urls\.installer\}/);
    }
    const applies = json.resource.talos_machine_configuration_apply as Record<string, Json>;
    expect(Object.values(applies).map((a) => a.node)).toEqual(['192.168.10.21', '192.168.10.22', '192.168.10.23', '192.168.10.31', '192.168.10.32']);
    for (const a of Object.values(applies)) {
      expect(a.client_configuration).toBe(`\${${secretsRef}.client_configuration}`);
      expect(a.depends_on).toEqual([expect.stringMatching(/^proxmox_virtual_environment_vm\./)]);
    }
    expect(Object.values(applies)[3]!.machine_configuration_input).toMatch(/WorkerConfig_\w+\.machine_configuration\}$/);
    const [bootstrap] = byName(json, 'talos_machine_bootstrap');
    expect(bootstrap!.node).toBe('192.168.10.21');
    const cpApplies = Object.keys(applies).filter((k) => k.includes('-cp-')).map((k) => `talos_machine_configuration_apply.${k}`);
    expect(bootstrap!.depends_on).toEqual(cpApplies);
    const [kubeconfig] = byName(json, 'talos_cluster_kubeconfig');
    expect(kubeconfig!.depends_on).toEqual([expect.stringMatching(/^talos_machine_bootstrap\./)]);
    const [client] = dataOf(json, 'talos_client_configuration');
    expect(client!.endpoints).toEqual(['192.168.10.21', '192.168.10.22', '192.168.10.23']);
    expect(client!.nodes).toHaveLength(5);
  });

  test('exposes kubeconfig and talosconfig only as sensitive outputs', () => {
    const json = parse();
    expect(json.output.mgmt_kubeconfig).toEqual(expect.objectContaining({ sensitive: true, value: expect.stringMatching(/^\$\{talos_cluster_kubeconfig\.\S+\.kubeconfig_raw\}$/) }));
    expect(json.output.mgmt_talosconfig).toEqual(expect.objectContaining({ sensitive: true, value: expect.stringMatching(/^\$\{data\.talos_client_configuration\.\S+\.talos_config\}$/) }));
    expect(json.output.mgmt_endpoint.sensitive).toBeUndefined();
  });

  test('pins both providers and authenticates Proxmox with a sensitive variable', () => {
    const json = parse();
    expect(json.terraform.required_providers).toEqual({
      proxmox: { source: 'registry.terraform.io/bpg/proxmox', version: '0.111.1' },
      talos: { source: 'registry.terraform.io/siderolabs/talos', version: '0.11.0' },
    });
    expect(json.variable.proxmox_api_token).toEqual(expect.objectContaining({ sensitive: true }));
    expect(synth()).toHaveProviderWithProperties(ProxmoxProvider, { api_token: '${var.proxmox_api_token}', endpoint: 'https://pve1.example.com:8006/', insecure: false });
    expect(json.terraform.backend.local.path).toBe('../../../terraform.proxmox.tfstate');
  });

  test('every resource and attribute matches the pinned Proxmox/Talos schemas', () => {
    const schemas = PinnedProviderSchemas.load();
    expect(schemas.check(parse())).toEqual([]);
    expect(schemas.check(parse({ addressing: undefined, workers: undefined, controlPlane: { count: 1 } }))).toEqual([]);
  });

  test('matches the snapshot', () => {
    expect(parse()).toMatchSnapshot();
  });

  test('fails with zero VMs', () => {
    expect(() => synth({ controlPlane: { count: 0 }, addressing: undefined, workers: undefined })).toThrow(
      /\[proxmox\/cluster\] controlPlane.count 0; a cluster needs at least one control-plane VM/,
    );
  });

  test('fails with an even control-plane count (no etcd quorum for HA)', () => {
    expect(() => synth({ controlPlane: { count: 2 }, addressing: undefined })).toThrow(/\[proxmox\/cluster\] controlPlane.count 2 is even; etcd needs an odd number/);
  });

  test('fails with an invalid static address', () => {
    const addressing = NodeAddressing.static({ controlPlane: ['192.168.10.21/24', '192.168.10.299/24', '192.168.10.23/24'], workers: ['192.168.10.31/24', '192.168.10.32/24'], gateway: '192.168.10.1' });
    expect(() => synth({ addressing })).toThrow(/\[proxmox\/cluster\] addressing.controlPlane\[1\] "192.168.10.299\/24" is not an IPv4 address with prefix/);
  });

  test('fails with an address without prefix (not a CIDR)', () => {
    const addressing = NodeAddressing.static({ controlPlane: ['192.168.10.21', '192.168.10.22/24', '192.168.10.23/24'], workers: ['192.168.10.31/24', '192.168.10.32/24'], gateway: '192.168.10.1' });
    expect(() => synth({ addressing })).toThrow(/addressing.controlPlane\[0\] "192.168.10.21" is not an IPv4 address with prefix/);
  });

  test('fails with an invalid gateway IP', () => {
    const addressing = NodeAddressing.static({ controlPlane: ['192.168.10.21/24', '192.168.10.22/24', '192.168.10.23/24'], workers: ['192.168.10.31/24', '192.168.10.32/24'], gateway: '192.168.10.1/24' });
    expect(() => synth({ addressing })).toThrow(/addressing.gateway "192.168.10.1\/24" is not an IPv4 address/);
  });

  test('fails with fewer static addresses than VMs', () => {
    const addressing = NodeAddressing.static({ controlPlane: ['192.168.10.21/24'], gateway: '192.168.10.1' });
    expect(() => synth({ addressing, workers: undefined })).toThrow(/addressing.controlPlane has 1 addresses for 3 control-plane VMs/);
  });

  test('fails with a malformed Proxmox node name', () => {
    expect(() => synth({ proxmoxNode: 'pve_1.example' })).toThrow(/\[proxmox\/cluster\] proxmoxNode "pve_1.example" is not a Proxmox node name/);
  });

  test('fails with a Proxmox endpoint that is not https', () => {
    expect(() => synth({ proxmoxEndpoint: 'pve1:8006' })).toThrow(/\[proxmox\] proxmoxEndpoint "pve1:8006" is not an https:\/\/ URL/);
  });

  test('fails with a Talos version that is not exact', () => {
    expect(() => synth({ talosVersion: '1.12' })).toThrow(/talosVersion "1.12" is not an exact version like v1.12.11/);
  });
});
