/**
 * HelmRepository name of `https://grafana-community.github.io/helm-charts` (Loki, Tempo, Grafana):
 * the URL-derived name `helm-charts` is Velero's (vmware-tanzu) already. @internal
 */
export const GRAFANA_COMMUNITY_REPOSITORY = 'grafana-community';
