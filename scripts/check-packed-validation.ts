/**
 * `npm run check:pack` (after `npm run build`): validation as an installed package sees it.
 *
 * Copies package.json, build/lib and build/schemas into a temporary folder, laid out like
 * `node_modules/infraflux` with only the package's runtime dependencies next to it, and runs
 * `node_modules/infraflux/build/lib/validation` there in a fresh node process without any
 * INFRAFLUX_* variable: no upstream.lock.json, no .upstream-cache, no repository. It validates a
 * valid and an invalid object and HelmRelease and fails unless the verdicts are the expected ones.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectRoot } from '../lib/upstream/lock';

const root = projectRoot();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const lock = JSON.parse(readFileSync(join(root, 'upstream.lock.json'), 'utf8')) as { charts: Record<string, { version: string; repository: string }> };
if (!existsSync(join(root, 'build/schemas/pack.json.gz'))) throw new Error('run `npm run build` first');

const consumer = mkdtempSync(join(tmpdir(), 'infraflux-consumer-'));
const installed = join(consumer, 'node_modules', 'infraflux');
mkdirSync(join(installed, 'build'), { recursive: true });
cpSync(join(root, 'package.json'), join(installed, 'package.json'));
for (const dir of ['lib', 'schemas']) cpSync(join(root, 'build', dir), join(installed, 'build', dir), { recursive: true });

/** Runtime dependencies (and theirs), linked from this repository's node_modules. */
function link(name: string, seen = new Set<string>()): void {
  if (seen.has(name)) return;
  seen.add(name);
  const source = join(root, 'node_modules', name);
  const target = join(consumer, 'node_modules', name);
  mkdirSync(dirname(target), { recursive: true });
  if (!existsSync(target)) symlinkSync(source, target);
  const deps = (JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {};
  for (const dep of Object.keys(deps)) link(dep, seen);
}
const seen = new Set<string>();
for (const dep of Object.keys(pkg.dependencies)) link(dep, seen);

const certManager = lock.charts['cert-manager'];
const program = `
// By path: the package's "exports" decide which subpaths consumers import; this checks the files.
const { validateObjects, formatIssue, SchemaRegistry } = require(require('node:path').resolve('node_modules/infraflux/build/lib/validation'));
const release = (values) => ({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'cert-manager', namespace: 'flux-system' },
  spec: { interval: '1h', chart: { spec: { chart: 'cert-manager', version: ${JSON.stringify(certManager?.version)}, sourceRef: { kind: 'HelmRepository', name: 'jetstack' } } }, values } });
const repository = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'jetstack', namespace: 'flux-system' }, spec: { interval: '1h', url: ${JSON.stringify(certManager?.repository)} } };
const set = (objects) => objects.map((object, i) => ({ source: 'consumer/' + i, object }));
const valid = validateObjects(set([
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'x' }, data: { a: 'b' } },
  release({ crds: { enabled: true } }), repository,
]));
const invalid = validateObjects(set([
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'x' }, data: { a: 1 }, extra: true },
  release({ crds: { enabled: 'yes' }, notAKey: 1 }), repository,
]));
console.log('registry source:', SchemaRegistry.default().cache.file);
console.log('valid set:', valid.objectsValidated, 'objects,', valid.helmReleasesValidated, 'HelmRelease,', valid.issues.length, 'issues');
console.log('invalid set:', invalid.issues.length, 'issues');
for (const issue of invalid.issues) console.log('  ' + formatIssue(issue));
const ok = valid.issues.length === 0 && valid.helmReleasesValidated === 1
  && invalid.issues.some((i) => i.object.startsWith('ConfigMap') && i.path === '/extra')
  && invalid.issues.some((i) => i.object.startsWith('ConfigMap') && i.path === '/data/a')
  && invalid.issues.some((i) => i.object.startsWith('HelmRelease') && i.path === '/crds/enabled')
  && invalid.issues.some((i) => i.object.startsWith('HelmRelease') && i.path === '/notAKey');
process.exit(ok ? 0 : 1);
`;
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('INFRAFLUX_') && k !== 'NODE_PATH'));
const result = spawnSync(process.execPath, ['-e', program], { cwd: consumer, env, stdio: 'inherit' });
console.log(`check:pack: ${result.status === 0 ? 'ok' : 'FAILED'} (installed copy in ${consumer})`);
process.exit(result.status ?? 1);
