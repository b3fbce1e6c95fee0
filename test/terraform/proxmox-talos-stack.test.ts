import { Testing } from 'cdktf';
import { ErrorCode } from '../../lib/core/errors';
import { NodeAddressing, ProxmoxTalosStack, ProxmoxTalosStackProps } from '../../lib/terraform';
import { thrownBy } from '../support/errors';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PROPS: ProxmoxTalosStackProps = {
  proxmoxEndpoint: 'https://pve1.example.com:8006/',
  proxmoxNode: 'pve1',
  clusterName: 'lab',
  controlPlane: { count: 1 },
  addressing: NodeAddressing.static({ controlPlane: ['192.168.10.21/24'], gateway: '192.168.10.1', dnsServers: ['192.168.10.53'] }),
};

const synth = (props: Partial<ProxmoxTalosStackProps> = {}): Json => JSON.parse(Testing.synth(new ProxmoxTalosStack(Testing.app(), 'proxmox', { ...PROPS, ...props }))) as Json;

describe('ProxmoxTalosStack', () => {
  // GIVEN a one-node cluster stack
  const json = synth();

  test('matches the snapshot (providers, variable, backend)', () => {
    // THEN
    expect({ terraform: json.terraform, provider: json.provider, variable: json.variable }).toMatchSnapshot();
  });

  test('the Proxmox provider takes the API token from a sensitive variable, TLS verified', () => {
    // THEN
    expect(json.variable.proxmox_api_token).toMatchObject({ type: 'string', sensitive: true });
    expect(json.provider.proxmox).toEqual([{ endpoint: 'https://pve1.example.com:8006/', api_token: '${var.proxmox_api_token}', insecure: false }]);
    expect(json.provider.talos).toEqual([{}]);
  });

  test('local state outside cdktf.out with a relative path; statePath and proxmoxInsecure are props', () => {
    // THEN
    expect(json.terraform.backend.local.path).toBe('../../../terraform.proxmox.tfstate');
    const other = synth({ statePath: 'state/lab.tfstate', proxmoxInsecure: true });
    expect(other.terraform.backend.local.path).toBe('state/lab.tfstate');
    expect(other.provider.proxmox[0].insecure).toBe(true);
  });

  test('the cluster is part of the stack', () => {
    // GIVEN
    const stack = new ProxmoxTalosStack(Testing.app(), 'proxmox', PROPS);
    // THEN
    expect(stack.cluster.nodes.map((n) => n.name)).toEqual(['lab-cp-1']);
    expect(Object.keys(json.resource.proxmox_virtual_environment_vm)).toHaveLength(1);
  });

  test.each(['http://pve1.example.com:8006/', 'pve1.example.com', 'https://', 'https://pve 1/'])('fails on the endpoint %j (not an https:// URL)', (endpoint) => {
    // GIVEN a bad endpoint WHEN the stack is built THEN INVALID_PROP on the stack
    const err = thrownBy(() => new ProxmoxTalosStack(Testing.app(), 'proxmox', { ...PROPS, proxmoxEndpoint: endpoint }));
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toBe(`[proxmox] proxmoxEndpoint "${endpoint}" is not an https:// URL like https://pve1.example.com:8006/`);
  });
});
