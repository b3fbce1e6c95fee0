import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App, TerraformStack, Testing } from 'cdktf';
import { addLocalStateBackend, defaultStatePath } from '../../lib/terraform/_backend';
import { AwsPlatformStack, AzurePlatformStack, CloudflareZoneStack, GcpPlatformStack, NodeAddressing, ProxmoxTalosStack } from '../../lib/terraform';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One stack of each kind, all built through the shared backend helper. */
function stacks(app: App, statePath?: string): TerraformStack[] {
  const common = statePath === undefined ? {} : { statePath };
  return [
    new CloudflareZoneStack(app, 'dns', { zoneName: 'example.com', ...common }),
    new ProxmoxTalosStack(app, 'proxmox', {
      proxmoxEndpoint: 'https://pve1.example.com:8006/',
      proxmoxNode: 'pve1',
      clusterName: 'mgmt',
      controlPlane: { count: 1 },
      addressing: NodeAddressing.static({ controlPlane: ['10.0.0.2/24'], gateway: '10.0.0.1' }),
      ...common,
    }),
    new AwsPlatformStack(app, 'aws', { region: 'eu-central-1', ...common }),
    new GcpPlatformStack(app, 'gcp', { projectId: 'infraflux-prod', region: 'europe-west3', ...common }),
    new AzurePlatformStack(app, 'azure', { ...common }),
  ];
}

const statePathOf = (stack: TerraformStack): string => (JSON.parse(Testing.synth(stack)) as Json).terraform.backend.local.path as string;

describe('local state backend', () => {
  test('every stack keeps its state in the repository root, outside the throwaway cdktf.out/', () => {
    // GIVEN one stack of each kind synthesized into <root>/cdktf.out
    const root = mkdtempSync(join(tmpdir(), 'tf-state-'));
    const app = Testing.app({ outdir: join(root, 'cdktf.out') });
    for (const stack of stacks(app)) {
      const id = stack.node.id;
      const path = statePathOf(stack);
      // THEN the path is relative (deterministic JSON) and the default of the shared helper
      expect(path).toBe(`../../../terraform.${id}.tfstate`);
      expect(path).toBe(defaultStatePath(id));
      // AND, resolved from the folder Terraform runs in (cdktf.out/stacks/<id>), it is <root>/terraform.<id>.tfstate
      expect(resolve(root, 'cdktf.out', 'stacks', id, path)).toBe(join(root, `terraform.${id}.tfstate`));
    }
  });

  test('statePath overrides the default on every stack', () => {
    // GIVEN stacks with an explicit statePath WHEN synthesized THEN the backend uses it verbatim
    for (const stack of stacks(Testing.app(), '/var/lib/infraflux/state.tfstate')) {
      expect(statePathOf(stack)).toBe('/var/lib/infraflux/state.tfstate');
    }
  });

  test('addLocalStateBackend writes one local backend: the given path, else the default of the stack id', () => {
    // GIVEN two bare stacks WHEN the helper adds their backends THEN the synthesized JSON has that path
    const app = Testing.app();
    const plain = new TerraformStack(app, 'plain');
    const custom = new TerraformStack(app, 'custom');
    addLocalStateBackend(plain, 'state-id');
    addLocalStateBackend(custom, 'ignored', 'state/custom.tfstate');
    expect((JSON.parse(Testing.synth(plain)) as Json).terraform.backend).toEqual({ local: { path: '../../../terraform.state-id.tfstate' } });
    expect(statePathOf(custom)).toBe('state/custom.tfstate');
  });
});
