/**
 * examples/ compile (tsconfig.json includes them, so `tsc --noEmit` type-checks them) and
 * synthesize in-process through the full synth checks (construct validations, schema harness,
 * reconcile model, rename guard record): the homelab into a temporary folder, the others in memory.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCloudFleet } from '../../examples/cloud-fleet';
import { buildHomelab } from '../../examples/homelab-proxmox';
import { buildTenantApp } from '../../examples/tenant-app';

const out = (name: string): string => join(mkdtempSync(join(tmpdir(), `example-${name}-`)), 'dist');

describe('examples/', () => {
  test('the Proxmox homelab synthesizes one cluster with Cilium, cert-manager, an internal CA and podinfo', () => {
    const dir = out('homelab');
    const { files } = buildHomelab(dir).synthesize(dir);
    expect(readdirSync(dir)).toEqual(['homelab']);
    expect(files).toBeGreaterThan(20);
    for (const f of ['controllers/kustomization-cilium.yaml', 'apps/kustomization-podinfo.yaml', 'README.md', '.names.json']) {
      expect({ f, exists: existsSync(join(dir, 'homelab', f)) }).toEqual({ f, exists: true });
    }
  });

  test('the cloud fleet renders three clusters (the full synth checks, in memory)', () => {
    const files = [...buildCloudFleet(out('cloud')).render().keys()];
    expect([...new Set(files.map((f) => f.split('/')[0]))].sort()).toEqual(['eu-west', 'mgmt', 'us-east']);
  });

  test('the tenant app writes exactly the 5-file pattern', () => {
    // GIVEN the golden-path app WHEN rendered THEN its five files, and nothing else of it
    const files = [...buildTenantApp(out('tenant')).render().keys()].filter((f) => /shop/.test(f) || f.includes('helmrepository-')).sort();
    expect(files).toEqual([
      'prod/apps/kustomization-shop.yaml',
      'prod/apps/namespace-shop.yaml',
      'prod/flux-system/helmrepository-example.yaml',
      'prod/releases/shop/configmap-shop-values.yaml',
      'prod/releases/shop/helmrelease-shop.yaml',
    ]);
  });
});
