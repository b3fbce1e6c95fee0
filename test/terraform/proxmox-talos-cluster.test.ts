import { Testing } from 'cdktf';
import { parse as parseYaml, stringify } from 'yaml';
import { DownloadFile } from '../../imports/terraform/proxmox/download-file';
import { ProxmoxProvider } from '../../imports/terraform/proxmox/provider';
import { VirtualEnvironmentVm } from '../../imports/terraform/proxmox/virtual-environment-vm';
import { ImageFactorySchematic } from '../../imports/terraform/talos/image-factory-schematic';
import { NodeAddressing, ProxmoxTalosStack, ProxmoxTalosStackProps, TalosNodeRole } from '../../lib/terraform';
import { PinnedProviderSchemas } from '../../scripts/lib/provider-schema';
import { talosCiliumPatch } from '../../lib/talos/cilium-machine-config';
import { validateTalosDocument } from '../../lib/cluster/talos-schema';
import { ErrorCode, InfraFluxError } from '../../lib/core/errors';

// Types of cdktf's jest matchers (toHaveResourceWithProperties, ...).
import 'cdktf/lib/testing/adapters/jest';

Testing.setupJest();

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const STATIC: ProxmoxTalosStackProps = {
  proxmoxEndpoint: 'https://pve1.example.com:8006/',
  proxmoxNode: 'pve1',
  clusterName: 'mgmt',
  controlPlane: { count: 3, firstVmId: 1101 },
  controlPlaneVip: '192.168.10.20',
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
const DHCP: Partial<ProxmoxTalosStackProps> = { addressing: undefined, workers: undefined, controlPlane: { count: 1 }, controlPlaneVip: undefined };
/** Control planes only, no workers: the shape of the reference management cluster. */
const NO_WORKERS: Partial<ProxmoxTalosStackProps> = {
  workers: undefined,
  addressing: NodeAddressing.static({ controlPlane: ['192.168.10.21/24', '192.168.10.22/24', '192.168.10.23/24'], gateway: '192.168.10.1' }),
};
/** The parsed config patches of the machine configuration a `talos_machine_configuration_apply` applies. */
function machineConfigOf(json: Json, apply: Json): Json {
  const id = /^\$\{data\.talos_machine_configuration\.(\S+)\.machine_configuration\}$/.exec(apply.machine_configuration_input as string)?.[1];
  expect(id).toBeDefined();
  return json.data.talos_machine_configuration[id!] as Json;
}
const patchesOf = (config: Json): Json[] => (config.config_patches as string[]).map((p) => parseYaml(p) as Json);
const applies = (json: Json): Json[] => byName(json, 'talos_machine_configuration_apply');
/** Runs `fn` and returns the InfraFluxError it throws. */
function errorOf(fn: () => unknown): InfraFluxError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InfraFluxError);
    return e as InfraFluxError;
  }
  throw new Error('expected an InfraFluxError, nothing was thrown');
}

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
    const json = parse(DHCP);
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
        expect.objectContaining({ cluster_name: 'mgmt', cluster_endpoint: 'https://192.168.10.20:6443', talos_version: 'v1.12', kubernetes_version: '1.35.4', machine_secrets: `\${${secretsRef}.machine_secrets}` }),
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
    expect(schemas.check(parse(DHCP))).toEqual([]);
    expect(schemas.check(parse(NO_WORKERS))).toEqual([]);
  });

  test('every Talos patch (machine configs and per-node applies) validates against the pinned Talos schema', () => {
    // GIVEN the stack with workers, without workers, and with DHCP
    for (const props of [{}, NO_WORKERS, DHCP]) {
      const json = parse(props);
      // WHEN every config patch is parsed as a Talos config document
      const docs = [...dataOf(json, 'talos_machine_configuration'), ...applies(json)].flatMap((c) => patchesOf(c));
      expect(docs.length).toBeGreaterThan(5);
      // THEN each one is a valid v1alpha1 patch or multi-doc document of the pinned schema
      for (const d of docs) expect({ doc: d, problems: validateTalosDocument(d) }).toEqual({ doc: d, problems: [] });
    }
  });

  test('the legacy v1alpha1 forms (machine.network.hostname, machine.network.interfaces[].vip) are not in the pinned Talos v1.12 schema', () => {
    // GIVEN the pre-1.12 single-document forms WHEN validated THEN the pinned schema rejects them, which is why
    // the construct emits HostnameConfig and Layer2VIPConfig documents instead
    expect(validateTalosDocument({ machine: { network: { hostname: 'mgmt-cp-1' } } }).join()).toContain('hostname');
    expect(validateTalosDocument({ machine: { network: { interfaces: [{ interface: 'ens18', vip: { ip: '192.168.10.20' } }] } } }).join()).toContain('interfaces');
    expect(validateTalosDocument({ apiVersion: 'v1alpha1', kind: 'Layer2VIPConfig', name: '192.168.10.20', link: 'ens18' })).toEqual([]);
  });

  test('sets each node\'s hostname with a HostnameConfig document (auto off), not the removed machine.network.hostname', () => {
    const json = parse();
    expect(applies(json).map((a) => patchesOf(a))).toEqual(
      ['mgmt-cp-1', 'mgmt-cp-2', 'mgmt-cp-3', 'mgmt-worker-1', 'mgmt-worker-2'].map((hostname) => [{ apiVersion: 'v1alpha1', kind: 'HostnameConfig', auto: 'off', hostname }]),
    );
  });

  test('allows scheduling on the control planes when the cluster has no workers', () => {
    // GIVEN three control planes and no workers
    const stack = new ProxmoxTalosStack(Testing.app(), 'proxmox', { ...STATIC, ...NO_WORKERS });
    const json = JSON.parse(Testing.synth(stack)) as Json;
    // THEN every node is a control plane whose machine config lets workloads run on it
    expect(stack.cluster.schedulableControlPlanes).toBe(true);
    expect(stack.cluster.nodes.map((n) => n.role)).toEqual([TalosNodeRole.CONTROL_PLANE, TalosNodeRole.CONTROL_PLANE, TalosNodeRole.CONTROL_PLANE]);
    for (const a of applies(json)) {
      const config = machineConfigOf(json, a);
      expect(config.machine_type).toBe('controlplane');
      expect(patchesOf(config)).toContainEqual({ cluster: { allowSchedulingOnControlPlanes: true } });
    }
  });

  test('keeps the control planes tainted when there are workers, unless asked', () => {
    // GIVEN workers WHEN allowSchedulingOnControlPlanes is not given THEN no config allows it
    const tainted = parse();
    const allowing = (json: Json): Json[] => dataOf(json, 'talos_machine_configuration').filter((c) => patchesOf(c).some((p) => p.cluster?.allowSchedulingOnControlPlanes === true));
    expect(allowing(tainted)).toEqual([]);
    // WHEN it is asked for THEN only the control-plane config carries it
    const asked = parse({ allowSchedulingOnControlPlanes: true });
    expect(allowing(asked).map((c) => c.machine_type)).toEqual(['controlplane']);
  });

  test('every control-plane node\'s machine config carries the same Layer2 VIP; workers carry none', () => {
    // GIVEN a VIP WHEN synthesized THEN each control plane applies a config with one Layer2VIPConfig for it
    for (const props of [{}, NO_WORKERS]) {
      const json = parse(props);
      const vipsOf = (a: Json): Json[] => patchesOf(machineConfigOf(json, a)).filter((p) => p.kind === 'Layer2VIPConfig');
      const cps = applies(json).filter((a) => /\.controlplane|ControlPlaneConfig/.test(a.machine_configuration_input as string));
      expect(cps).toHaveLength(3);
      for (const a of cps) expect(vipsOf(a)).toEqual([{ apiVersion: 'v1alpha1', kind: 'Layer2VIPConfig', name: '192.168.10.20', link: 'ens18' }]);
      for (const a of applies(json).filter((x) => !cps.includes(x))) expect(vipsOf(a)).toEqual([]);
    }
    // the link follows vipLink
    const json = parse({ vipLink: 'eth0' });
    expect(patchesOf(dataOf(json, 'talos_machine_configuration')[0]!)).toContainEqual(expect.objectContaining({ kind: 'Layer2VIPConfig', link: 'eth0' }));
  });

  test('the cluster and kubeconfig endpoint is the VIP, while the Talos API is reached on node addresses', () => {
    const stack = new ProxmoxTalosStack(Testing.app(), 'proxmox', STATIC);
    const json = JSON.parse(Testing.synth(stack)) as Json;
    // THEN Kubernetes: every machine config (so the kubeconfig Talos issues) and the output name the VIP
    expect(stack.cluster.clusterEndpoint).toBe('https://192.168.10.20:6443');
    expect(dataOf(json, 'talos_machine_configuration').map((c) => c.cluster_endpoint)).toEqual(['https://192.168.10.20:6443', 'https://192.168.10.20:6443']);
    expect(json.output.mgmt_endpoint.value).toBe('https://192.168.10.20:6443');
    // AND Talos API: bootstrap and kubeconfig on the first node, health and talosconfig on every control plane
    const [bootstrap] = byName(json, 'talos_machine_bootstrap');
    const [kubeconfig] = byName(json, 'talos_cluster_kubeconfig');
    expect([bootstrap!.node, bootstrap!.endpoint, kubeconfig!.node, kubeconfig!.endpoint]).toEqual(['192.168.10.21', undefined, '192.168.10.21', undefined]);
    const [health] = dataOf(json, 'talos_cluster_health');
    expect(health).toEqual(
      expect.objectContaining({
        endpoints: ['192.168.10.21', '192.168.10.22', '192.168.10.23'],
        control_plane_nodes: ['192.168.10.21', '192.168.10.22', '192.168.10.23'],
        worker_nodes: ['192.168.10.31', '192.168.10.32'],
        skip_kubernetes_checks: true,
        depends_on: [expect.stringMatching(/^talos_machine_bootstrap\./), expect.stringMatching(/^talos_machine_configuration_apply\.\S+worker-1/), expect.stringMatching(/^talos_machine_configuration_apply\.\S+worker-2/)],
      }),
    );
    expect(dataOf(json, 'talos_client_configuration')[0]!.endpoints).not.toContain('192.168.10.20');
  });

  test('an explicit clusterEndpoint (e.g. a DNS name for the VIP) wins over the VIP address, the VIP is still announced', () => {
    const json = parse({ clusterEndpoint: 'https://api.mgmt.example.com:6443' });
    const [cp] = dataOf(json, 'talos_machine_configuration');
    expect(cp!.cluster_endpoint).toBe('https://api.mgmt.example.com:6443');
    expect(patchesOf(cp!)).toContainEqual(expect.objectContaining({ kind: 'Layer2VIPConfig', name: '192.168.10.20' }));
  });

  test('one control plane needs no VIP: the endpoint is its address', () => {
    const json = parse({ ...DHCP, addressing: NodeAddressing.static({ controlPlane: ['10.0.0.2/24'], gateway: '10.0.0.1' }) });
    expect(dataOf(json, 'talos_machine_configuration').map((c) => c.cluster_endpoint)).toEqual(['https://10.0.0.2:6443', 'https://10.0.0.2:6443']);
    expect(dataOf(json, 'talos_machine_configuration').flatMap((c) => patchesOf(c)).filter((p) => p.kind === 'Layer2VIPConfig')).toEqual([]);
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

  test('fails with several control planes and no shared endpoint (API on the first node only)', () => {
    // GIVEN 3 control planes WHEN neither a VIP nor a clusterEndpoint is given THEN synth fails
    const e = errorOf(() => synth({ controlPlaneVip: undefined }));
    expect(e.code).toBe(ErrorCode.ENDPOINT_NOT_HA);
    expect(e.message).toMatch(/^\[proxmox\/cluster\] controlPlane.count 3 with the API endpoint on the first node's address 192.168.10.21: losing that node loses the API; give controlPlaneVip/);
  });

  test('fails with no workers and allowSchedulingOnControlPlanes false (nothing schedulable)', () => {
    const e = errorOf(() => synth({ ...NO_WORKERS, allowSchedulingOnControlPlanes: false }));
    expect(e.code).toBe(ErrorCode.NO_SCHEDULABLE_NODES);
    expect(e.message).toMatch(/^\[proxmox\/cluster\] allowSchedulingOnControlPlanes false with workers.count 0: Talos taints the control planes/);
  });

  test('fails with a VIP outside the control planes\' network', () => {
    const e = errorOf(() => synth({ controlPlaneVip: '192.168.11.20' }));
    expect(e.code).toBe(ErrorCode.VIP_OUTSIDE_NODE_NETWORK);
    expect(e.message).toBe(
      "[proxmox/cluster] controlPlaneVip 192.168.11.20 is outside 192.168.10.0/24, the network of addressing.controlPlane[0] 192.168.10.21/24; a layer-2 VIP must be a free address in the control planes' network",
    );
  });

  test('fails with a VIP that is the network address of the node network', () => {
    const e = errorOf(() => synth({ controlPlaneVip: '192.168.10.0' }));
    expect(e.code).toBe(ErrorCode.VIP_NOT_HOST_ADDRESS);
    expect(e.message).toBe('[proxmox/cluster] controlPlaneVip 192.168.10.0 is the network address of 192.168.10.0/24; use a host address from 192.168.10.1 to 192.168.10.254');
  });

  test('fails with a VIP that is the broadcast address of the node network', () => {
    const e = errorOf(() => synth({ controlPlaneVip: '192.168.10.255' }));
    expect(e.code).toBe(ErrorCode.VIP_NOT_HOST_ADDRESS);
    expect(e.message).toBe('[proxmox/cluster] controlPlaneVip 192.168.10.255 is the broadcast address of 192.168.10.0/24; use a host address from 192.168.10.1 to 192.168.10.254');
  });

  test('fails with a VIP that is the gateway', () => {
    const e = errorOf(() => synth({ controlPlaneVip: '192.168.10.1' }));
    expect(e.code).toBe(ErrorCode.VIP_IS_GATEWAY);
    expect(e.message).toBe("[proxmox/cluster] controlPlaneVip 192.168.10.1 is addressing.gateway; use a free address of the node network, not the router's");
  });

  test('fails with a VIP that is a node\'s address (control plane or worker)', () => {
    const cp = errorOf(() => synth({ controlPlaneVip: '192.168.10.22' }));
    expect(cp.code).toBe(ErrorCode.VIP_IS_NODE_ADDRESS);
    expect(cp.message).toBe('[proxmox/cluster] controlPlaneVip 192.168.10.22 is the address of addressing.controlPlane[1] (192.168.10.22/24); the VIP moves between control planes and must be an address no node owns');
    const worker = errorOf(() => synth({ controlPlaneVip: '192.168.10.32' }));
    expect(worker.code).toBe(ErrorCode.VIP_IS_NODE_ADDRESS);
    expect(worker.message).toMatch(/controlPlaneVip 192.168.10.32 is the address of addressing.workers\[1\] \(192.168.10.32\/24\)/);
  });

  test('fails with a VIP and DHCP addressing (the node network is unknown at synth)', () => {
    const e = errorOf(() => synth({ ...DHCP, controlPlane: { count: 3 }, controlPlaneVip: '192.168.10.20' }));
    expect(e.code).toBe(ErrorCode.VIP_NEEDS_STATIC_ADDRESSING);
    expect(e.message).toMatch(/^\[proxmox\/cluster\] controlPlaneVip 192.168.10.20 with DHCP addressing: the node network is unknown at synth/);
  });

  test('fails with a VIP that is not an IPv4 address', () => {
    const e = errorOf(() => synth({ controlPlaneVip: '192.168.10.20/24' }));
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.message).toBe('[proxmox/cluster] controlPlaneVip "192.168.10.20/24" is not an IPv4 address; use e.g. 192.168.10.21');
  });

  test('fails with a VIP link that is not an interface name', () => {
    const e = errorOf(() => synth({ vipLink: 'ens 18' }));
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.message).toMatch(/^\[proxmox\/cluster\] vipLink "ens 18" is not a Linux interface name/);
  });

  test('fails with a Talos version that is not exact', () => {
    expect(() => synth({ talosVersion: '1.12' })).toThrow(/talosVersion "1.12" is not an exact version like v1.12.11/);
    expect(errorOf(() => synth({ talosVersion: '1.12.0' })).code).toBe(ErrorCode.UNSUPPORTED_VERSION);
  });
});
