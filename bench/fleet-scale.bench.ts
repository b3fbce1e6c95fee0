/**
 * `npm run bench` (second part): fleets of 1, 10, 100 and 1,000 clusters, each cluster the
 * reference baseline without the per-cluster singletons that cap a fleet's size (Cilium cluster
 * ids are 1-255 per mesh): Gateway API CRDs, cert-manager, an internal CA and podinfo. For each
 * size: build (constructs), render + schema harness (`fleet.manifests()`), reconcile model
 * (`fleet.checkReconcile()`), write (YAML text + files into a temporary folder); time per cluster
 * and heap. Timings are measured here, never asserted in tests (README, "Scale").
 *
 *   npm run bench                     all sizes
 *   npx tsx bench/fleet-scale.bench.ts 1 10 100   some sizes
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Yaml } from 'cdk8s';
import { CertManager, Fleet, FluxSharding, GatewayApiCrds, InternalCaIssuer, Podinfo } from '../lib';

/** `clusters` baseline clusters; `sharding` on each (the 100-cluster test fleet of decision 0114). */
export function scaleFleet(clusters: number, sharding?: FluxSharding): Fleet {
  const fleet = new Fleet({ source: { url: 'https://github.com/example/fleet.git', branch: 'main' } });
  for (let i = 0; i < clusters; i++) {
    const name = `c${String(i).padStart(4, '0')}`;
    const cluster = fleet.addCluster(name, { name, ...(sharding ? { sharding } : {}) });
    const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi');
    const certManager = new CertManager(cluster.controllers, 'CertManager', { gatewayApi });
    const issuer = new InternalCaIssuer(cluster.configs, 'InternalCa', { certManager });
    new Podinfo(cluster.apps, 'Podinfo', { issuer, hostname: `podinfo.${name}.example.com` });
  }
  return fleet;
}

function ms(t0: number): number {
  return performance.now() - t0;
}

function run(clusters: number, print = true, sharding?: FluxSharding): void {
  global.gc?.();
  let t = performance.now();
  const fleet = scaleFleet(clusters, sharding);
  const build = ms(t);
  t = performance.now();
  const manifests = fleet.manifests();
  const render = ms(t);
  t = performance.now();
  fleet.checkReconcile(manifests);
  const reconcile = ms(t);
  t = performance.now();
  const out = mkdtempSync(join(tmpdir(), 'bench-scale-'));
  for (const m of manifests) {
    mkdirSync(dirname(join(out, m.file)), { recursive: true });
    writeFileSync(join(out, m.file), Yaml.stringify(m.object));
  }
  const write = ms(t);
  rmSync(out, { recursive: true, force: true });
  const total = build + render + reconcile + write;
  const heap = process.memoryUsage().heapUsed / 1024 / 1024;
  const cell = (v: number) => `${(v / clusters).toFixed(1).padStart(7)}`;
  if (!print) return;
  console.log(
    `| ${`${clusters}${sharding ? ' sharded' : ''}`.padStart(5)} | ${String(manifests.length).padStart(6)} | ${cell(build)} | ${cell(render)} | ${cell(reconcile)} | ${cell(write)} | ${cell(total)} | ${(total / 1000).toFixed(1).padStart(7)} | ${heap.toFixed(0).padStart(6)} |`,
  );
}

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
console.log('| clusters | objects | build ms/cluster | render + schema ms/cluster | reconcile ms/cluster | write ms/cluster | total ms/cluster | total s | heap MB |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
run(1, false); // warm-up, not printed: the schema registry and chart values load once per process
for (const n of sizes.length > 0 ? sizes : [1, 10, 100, 1000]) run(n);
// The sharding option on a 100-cluster test fleet (two shards per cluster); the reference fleet stays unsharded.
if (sizes.length === 0) run(100, true, FluxSharding.byLabel(2));
