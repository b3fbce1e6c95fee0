/**
 * The real executable, spawned once (the other CLI tests run in-process): exit code, stdout and
 * stderr of `infraflux validate` on a tree with a defect, without a TTY (no colour codes).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cleanTree, writeTree } from './_trees';

const ROOT = join(__dirname, '..', '..');

test('bin: `infraflux validate DIR` exits 1 with the report on stdout, no colour off a TTY', () => {
  // GIVEN a tree with an object in a missing namespace
  const tree = cleanTree();
  const dir = writeTree({ ...tree, 'c/apps/configmap-settings.yaml': tree['c/apps/configmap-settings.yaml'].replace('namespace: web', 'namespace: ghost') });
  // WHEN the bin runs as a process (jest's NODE_OPTIONS loads tsx for the .ts entry point)
  const run = spawnSync(process.execPath, [join(ROOT, 'lib', 'cli', 'bin.ts'), 'validate', dir], { cwd: ROOT, encoding: 'utf8' });
  // THEN exit 1, the rule on stdout, nothing on stderr, no ANSI escapes
  expect(run.stderr).toBe('');
  expect(run.stdout).toContain('[reconcile:RECONCILE_NAMESPACE_MISSING] c/apps/configmap-settings.yaml');
  expect(run.stdout).not.toMatch(/\u001b\[/);
  expect(run.status).toBe(1);
});
