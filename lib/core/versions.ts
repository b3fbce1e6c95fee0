/**
 * Versions of upstream components that are not Helm charts (chart versions come from
 * imports/helm/charts.ts, generated from upstream.lock.json). test/core/versions.test.ts checks
 * each one against the lock, so a bump here without a bump of the spec pack fails the tests.
 */
export const UPSTREAM_VERSIONS = {
  /** kubernetes-sigs/gateway-api release tag. */
  gatewayApi: 'v1.6.1',
  /** stefanprodan/podinfo image tag (sample app; not part of the spec pack). */
  podinfo: '6.9.2',
} as const;
