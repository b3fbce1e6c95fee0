/**
 * The model runs on a dist/ tree alone: the committed dist/ reconciles cleanly with the external
 * inputs its READMEs carry.
 */
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { externalInputsFromReadme, readDistTree, reconcileFleet, ReconcileCode } from '../../lib/reconcile';

const DIST = join(__dirname, '..', '..', 'dist');

describe('readDistTree', () => {
  test('the committed dist/ reconciles with no violations, declarations read from the READMEs', () => {
    // GIVEN the committed tree
    const clusters = readDistTree(DIST);
    // THEN every cluster and its declarations are read, and the model is clean
    expect(clusters.map((c) => c.name)).toEqual(['dev-gcp', 'dev-proxmox', 'edge-metal3', 'mgmt', 'prod-aws', 'prod-azure']);
    expect(clusters.find((c) => c.name === 'mgmt')!.externalInputs!.map((i) => `${i.namespace}/${i.name}`)).toContain('baremetal-operator-system/ironic');
    expect(reconcileFleet(clusters).violations).toEqual([]);
  });

  test('fails on a tree whose README lost a declaration', () => {
    // GIVEN a one-cluster tree whose GitRepository needs a Secret, and a README without inputs
    const dir = mkdtempSync(join(tmpdir(), 'dist-'));
    mkdirSync(join(dir, 'c', 'flux-system'), { recursive: true });
    writeFileSync(
      join(dir, 'c', 'flux-system', 'kustomization-flux-system.yaml'),
      'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: flux-system, namespace: flux-system}\nspec: {path: ./dist/c/flux-system, sourceRef: {kind: GitRepository, name: flux-system, namespace: flux-system}, wait: true}\n',
    );
    writeFileSync(
      join(dir, 'c', 'flux-system', 'gitrepository-flux-system.yaml'),
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: flux-system, namespace: flux-system}\nspec: {url: ssh://git@example.com/f.git, secretRef: {name: flux-system}}\n',
    );
    writeFileSync(join(dir, 'c', 'README.md'), '# c\n');
    // THEN the Secret is a dangling reference
    expect(reconcileFleet(readDistTree(dir)).violations.map((v) => v.code)).toEqual([ReconcileCode.UNRESOLVED_REFERENCE]);
    expect(externalInputsFromReadme('# c\n')).toEqual([]);
  });
});
