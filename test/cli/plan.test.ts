/**
 * `infraflux plan`: two small dist/ trees, the diff per cluster in reconcile order, and the
 * dangerous changes that exit 1 unless acknowledged.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { captureIo, runCli } from '../../lib/cli';
import { cleanTree, ksz, writeTree, type Tree } from './_trees';

/** The clean tree plus a PVC `data` in the app's namespace `ns`, the app's files named after it. */
function appTree(ns: string): Tree {
  const t = cleanTree();
  delete t['c/apps/namespace-web.yaml'];
  delete t['c/apps/configmap-settings.yaml'];
  return {
    ...t,
    [`c/apps/namespace-${ns}.yaml`]: `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}\n`,
    [`c/apps/persistentvolumeclaim-data.yaml`]: `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data, namespace: ${ns}}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n`,
  };
}

async function plan(base: Tree, head: Tree, ...flags: string[]) {
  const b = writeTree(base);
  const h = writeTree(head);
  const io = captureIo('/');
  const code = await runCli(['plan', '--base-dir', b, '--head-dir', h, ...flags], io);
  return { code, out: io.stdout.join('\n').split(b).join('BASE').split(h).join('HEAD') };
}

describe('infraflux plan', () => {
  test('fails (exit 1) on a renamed Namespace-bearing app, listing the changes by Kustomization in reconcile order', async () => {
    // GIVEN an app whose id (and so Namespace) changes from web to webapp
    const { code, out } = await plan(appTree('web'), appTree('webapp'));
    // THEN the Namespace and PVC renames are dangerous, grouped under the apps Kustomization with its gate
    expect(code).toBe(1);
    expect(out).toMatchSnapshot();
    expect(out).toContain('  wave 2  Kustomization flux-system/apps  [gate: wait: all 2 object(s) Ready]');
    expect(out).toContain('! c: [identity-renamed] Namespace web is renamed to Namespace webapp');
    expect(out).toContain('! c: [identity-renamed] PersistentVolumeClaim web/data is renamed to PersistentVolumeClaim webapp/data');
    expect(out).toMatch(/2 to add, 0 to change, 2 to delete; 2 dangerous: exit 1 \(review, then pass --acknowledge\)\.$/);
  });

  test('--acknowledge exits 0 with the same findings; --markdown gives a pull-request comment', async () => {
    const { code, out } = await plan(appTree('web'), appTree('webapp'), '--acknowledge', '--markdown');
    expect(code).toBe(0);
    expect(out).toContain('> [!CAUTION]\n> 2 dangerous change(s) (acknowledged):');
    expect(out).toContain('| 2 | `flux-system/apps` | wait: all 2 object(s) Ready | - delete | `Namespace web` | `c/apps/namespace-web.yaml` |');
    expect(out).toContain('### Cluster `c`');
  });

  test('a change that keeps every identity passes, with the changed paths', async () => {
    // GIVEN a ConfigMap value change only
    const base = cleanTree();
    const head = { ...base, 'c/apps/configmap-settings.yaml': base['c/apps/configmap-settings.yaml'].replace('a: b', 'a: c') };
    const { code, out } = await plan(base, head);
    expect(code).toBe(0);
    expect(out).toContain('    ~ ConfigMap web/settings  (c/apps/configmap-settings.yaml) /data/a');
    expect(out).toMatch(/0 to add, 1 to change, 0 to delete; 0 dangerous\.$/);
  });

  test('fails when a Ready Kustomization gains a dependency', async () => {
    // GIVEN apps, Ready on the base, now depending on a new Kustomization `db`
    const base = cleanTree();
    const head = {
      ...base,
      'c/flux-system/kustomization-db.yaml': ksz('db', './dist/c/db'),
      'c/db/namespace-db.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: db}\n',
      'c/flux-system/kustomization-apps.yaml': ksz('apps', './dist/c/apps', 'wait: true, dependsOn: [{name: db}]'),
    };
    const { code, out } = await plan(base, head);
    expect(code).toBe(1);
    expect(out).toContain('! c: [new-dependency] Kustomization flux-system/apps is Ready on the base and now depends on flux-system/db');
  });

  test('--base <git-ref> reads the dist/ committed at that ref', async () => {
    // GIVEN a repository whose second commit renames the app
    const repo = mkdtempSync(join(tmpdir(), 'plan-git-'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: repo, stdio: 'pipe' });
    const write = (tree: Tree) => {
      execFileSync('rm', ['-rf', join(repo, 'dist')]);
      for (const [f, text] of Object.entries(tree)) {
        mkdirSync(dirname(join(repo, 'dist', f)), { recursive: true });
        writeFileSync(join(repo, 'dist', f), text);
      }
    };
    git('init', '-q');
    write(appTree('web'));
    git('add', '-A');
    git('commit', '-qm', 'base');
    write(appTree('webapp'));
    git('add', '-A');
    git('commit', '-qm', 'rename');
    // WHEN planned against HEAD~1
    const io = captureIo(repo);
    const code = await runCli(['plan', '--base', 'HEAD~1'], io);
    // THEN the rename is flagged
    expect(io.stdout.join('\n')).toContain('infraflux plan: HEAD~1 -> dist');
    expect(io.stdout.join('\n')).toContain('[identity-renamed] Namespace web is renamed to Namespace webapp');
    expect(code).toBe(1);
    // WHEN the base is synthesized in a temporary git worktree instead (here the "synth" keeps the checked-out dist/)
    const io2 = captureIo(repo);
    expect(await runCli(['plan', '--base', 'HEAD~1', '--synth-cmd', 'true'], io2)).toBe(1);
    // THEN the same plan, and the worktree is gone
    expect(io2.stdout).toEqual(io.stdout);
    expect(git('worktree', 'list').toString().trim().split('\n')).toHaveLength(1);
  });

  test('pairs each lost name with at most one new name', async () => {
    // GIVEN two Namespaces renamed at once
    const base = { ...cleanTree(), 'c/apps/namespace-api.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: api}\n' };
    const head = { ...cleanTree(), 'c/apps/namespace-api2.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: api2}\n', 'c/apps/namespace-web2.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: web2}\n' };
    delete (head as Tree)['c/apps/namespace-web.yaml'];
    const { out } = await plan(base, head, '--acknowledge');
    // THEN each old name is paired once
    expect(out).toContain('Namespace api is renamed to Namespace api2');
    expect(out).toContain('Namespace web is renamed to Namespace web2');
  });

  test('fails with usage exit 2 without a base', async () => {
    const io = captureIo('/');
    expect(await runCli(['plan'], io)).toBe(2);
    expect(io.stderr.join('')).toMatch(/give exactly one of --base <git-ref> or --base-dir DIR/);
  });
});
