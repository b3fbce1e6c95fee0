/**
 * Helm value keys a chart supports but documents only in *comments* of its pinned values.yaml
 * (so they are neither keys of values.yaml nor properties of values.schema.json).
 *
 * Keyed by chart name; each entry is a JSON pointer into the values. An entry allows that key and
 * everything below it. Every entry must carry a comment naming the values.yaml line (pinned
 * version) it comes from, so the next chart bump can re-check it. Keep this list short: prefer
 * keys that values.yaml or the schema really declare.
 */
export const HELM_VALUES_ALLOWLIST: Readonly<Record<string, readonly string[]>> = {
  // oauth2-proxy 10.7.0 values.yaml line 41, under `config:`: "# existingSecret: secret" — the
  // chart's way to take the client and cookie secrets from an existing Secret (GitOps: never inline).
  'oauth2-proxy': ['/config/existingSecret'],
  // cilium 1.20.0 values.yaml, under `loadBalancer:` (line 2551), documented only as comments:
  // l.2552-2554 "# algorithm: random" (random|maglev), l.2556-2558 "# mode: snat" (snat|dsr|hybrid),
  // l.2566-2568 "# dsrDispatch: opt" (opt|ipip|geneve).
  cilium: ['/loadBalancer/algorithm', '/loadBalancer/mode', '/loadBalancer/dsrDispatch'],
  // ceph-csi-drivers 1.0.4: not in values.yaml but in Rook's required overrides for it,
  // rook-ceph/chart-ceph-csi-drivers/values.rook-recommended.yaml line 18 (`controllerPlugin:
  // priorityClassName: system-cluster-critical`); the chart passes driverSpecDefaults through to the
  // OperatorConfig, whose CRD (csi.ceph.io_operatorconfigs.yaml) has controllerPlugin.priorityClassName.
  'ceph-csi-drivers': ['/operatorConfig/driverSpecDefaults/controllerPlugin/priorityClassName'],
  // aws-cloud-controller-manager 0.0.11: templates/daemonset.yaml reads `.Values.hostNetworking`
  // (hostNetwork: true), which values.yaml never declares (spec pack ccm-aws/chart/extra-keys.json).
  'aws-cloud-controller-manager': ['/hostNetworking'],
  // cloud-provider-azure 1.36.0 values.yaml, commented keys under `cloudControllerManager:`
  // l.10 "# cloudConfigSecretName", l.15 "# enableDynamicReloading", l.19 "#imageTag", and under
  // `cloudNodeManager:` l.59 "#imageTag" (spec pack ccm-azure/chart/extra-keys.json).
  'cloud-provider-azure': ['/cloudControllerManager/cloudConfigSecretName', '/cloudControllerManager/enableDynamicReloading', '/cloudControllerManager/imageTag', '/cloudNodeManager/imageTag'],
  // opentelemetry-collector 0.170.0 values.yaml l.745-748: "podDisruptionBudget: enabled: false
  // #   minAvailable: 2 #   maxUnavailable: 1".
  'opentelemetry-collector': ['/podDisruptionBudget/minAvailable'],
};

/**
 * Values that are free-form maps rendered verbatim by the chart: values.yaml declares the key (as a
 * map with a few example entries), and anything below it is valid. Keyed by chart; JSON pointers.
 */
export const HELM_VALUES_OPEN_MAPS: Readonly<Record<string, readonly string[]>> = {
  // grafana 12.11.1 values.yaml l.959-1003: `grafana.ini:` is rendered section by section into
  // grafana.ini (templates/_config.tpl); its other sections are documented as comments there
  // ("# auth.github:", "# auth.ldap:"); every grafana.ini section and key of Grafana is valid below it.
  grafana: ['/grafana.ini'],
};

/** Whether `path` (a JSON pointer into the values) is allow-listed for `chart`, or lies below one of its open maps. */
export function isAllowlistedValuePath(chart: string, path: string): boolean {
  const entries = HELM_VALUES_ALLOWLIST[chart] ?? [];
  if (entries.some((entry) => path === entry || path.startsWith(`${entry}/`))) return true;
  return (HELM_VALUES_OPEN_MAPS[chart] ?? []).some((map) => path.startsWith(`${map}/`));
}
