/**
 * Multi-tenancy in the reference fleet (issue 15, decisions 0093-0094): which clusters run Flux
 * with the lockdown, and one sample tenant.
 */
import { Tenant } from '../lib/tenancy';
import { MANAGEMENT_CLUSTER, type Baseline } from './config';

/** The cluster the sample tenant runs on. */
export const SAMPLE_TENANT_CLUSTER = 'dev-gcp';

/**
 * Whether a reference cluster's Flux runs with the multi-tenancy lockdown. Every workload cluster
 * does. The management cluster does not yet: its workload bootstraps (decision 0030) are
 * Kustomizations and HelmReleases in each Cluster's namespace that read the fleet's GitRepository
 * and HelmRepositories in flux-system (their kubeConfig Secret must be in their own namespace), and
 * the Git credentials have no copy in those namespaces to give them local sources (decision 0094,
 * "What is left").
 */
export function fluxLockdownFor(clusterName: string): boolean {
  return clusterName !== MANAGEMENT_CLUSTER;
}

/**
 * The sample tenant `storefront` on dev-gcp: two namespaces, its own Git repository (the team's
 * deploy repository, public) and one Kustomization that reconciles it as the tenant.
 */
export function addTenants(baselines: readonly Baseline[]): Tenant[] {
  const b = baselines.find((x) => x.cluster.name === SAMPLE_TENANT_CLUSTER);
  if (!b) return [];
  const storefront = new Tenant(b.cluster.apps, 'Storefront', {
    name: 'storefront',
    contact: 'storefront-oncall@infraflux.example.com',
    namespaces: ['storefront', 'storefront-jobs'],
    gitSource: { url: 'https://github.com/infraflux/tenant-storefront.git', branch: 'main' },
  });
  storefront.addKustomization('Apps', { name: 'storefront', path: `./deploy/${SAMPLE_TENANT_CLUSTER}` });
  return [storefront];
}
