/**
 * Example: the golden path for a tenant app, the 5-file pattern. A team's Helm chart becomes one
 * `FluxApp` in the apps layer, which writes exactly five files:
 *
 *   <cluster>/apps/namespace-shop.yaml           the tenant's Namespace (Pod Security: restricted)
 *   <cluster>/apps/kustomization-shop.yaml       its Flux Kustomization, health-checking the release
 *   <cluster>/flux-system/helmrepository-*.yaml  the chart's source (shared by the charts of a repository)
 *   <cluster>/releases/shop/configmap-shop-values.yaml  the values, validated against the chart
 *   <cluster>/releases/shop/helmrelease-shop.yaml       the HelmRelease reading them
 *
 * The chart is not pinned in the spec pack, so its default values are registered with the fleet:
 * synth then rejects a values typo as it does for the platform's own charts.
 *
 *   npx tsx examples/tenant-app.ts   writes examples/out/tenant/
 */
import { Fleet, FluxApp } from '../lib';

/** The team's chart (exact version) and its default values, as `helm show values` prints them. */
export const SHOP_CHART = { name: 'shop', version: '2.4.1', repository: 'https://charts.example.com/shop' };
const SHOP_DEFAULT_VALUES = 'replicaCount: 1\nimage:\n  repository: ghcr.io/example/shop\n  tag: 2.4.1\n';

export function buildTenantApp(outdir = 'examples/out/tenant'): Fleet {
  const fleet = new Fleet({ outdir, source: { url: 'https://github.com/example/fleet.git', branch: 'main' }, validation: { charts: [{ ...SHOP_CHART, values: SHOP_DEFAULT_VALUES }] } });
  const cluster = fleet.addCluster('prod', { name: 'prod' });
  new FluxApp(cluster.apps, 'Shop', { chart: SHOP_CHART, name: 'shop', values: { replicaCount: 3 } });
  return fleet;
}

if (require.main === module) console.log(`tenant: ${buildTenantApp().synthesize().files} manifests`);
