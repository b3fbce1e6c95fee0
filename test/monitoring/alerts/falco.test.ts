import { parse } from 'yaml';
import { AlertReceiver, AlertRouting } from '../../../lib/monitoring/alerts';
import { Falco, FALCO_TUNED_RULES } from '../../../lib/monitoring/falco';
import { manifest, testCluster } from '../../support/fleet';
import { referenceFleet } from '../../support/reference-fleet';
import { monitoredCluster, receiverSecret } from './_support';

/** A monitored cluster with routing; `falco` switches Falco on, as stacks/alerts.ts does. */
function cluster(falco: boolean) {
  const { fleet, cluster: c } = monitoredCluster();
  const secret = receiverSecret(c);
  const f = falco ? new Falco(c.apps, 'Falco', { owner: { team: 'security' } }) : undefined;
  new AlertRouting(c.configs, 'Routing', { platformReceivers: [AlertReceiver.webhook({ url: secret.key('url') })] });
  return { fleet, falco: f, files: fleet.manifests().map((m) => m.file) };
}

/** Built once: the same cluster with Falco on. */
let cached: ReturnType<typeof cluster> | undefined;
const withFalco = () => (cached ??= cluster(true));

describe('Falco', () => {
  test('off by default: the reference fleet has no Falco release and no Falco route', () => {
    const files = referenceFleet().manifests.map((m) => m.file);
    expect(files.filter((f) => /falco/.test(f))).toEqual([]);
  });

  test('switching it on adds the release, its PrometheusRule and its alert route', () => {
    // GIVEN the same cluster without and with Falco
    const off = cluster(false);
    const on = withFalco();
    // THEN Falco adds exactly its release, its rules and the route of its events
    const added = on.files.filter((f) => !off.files.includes(f));
    expect(added).toEqual(
      expect.arrayContaining([
        'test/releases/falco/helmrelease-falco.yaml',
        'test/apps/prometheusrule-infraflux-falco.yaml',
        'test/configs/alertmanagerconfig-infraflux-security.yaml',
      ]),
    );
    // THEN its detections carry its owner, and that owner's route matches them
    const rules = manifest(on.fleet, 'test/apps/prometheusrule-infraflux-falco.yaml').spec.groups[0].rules;
    expect(rules.map((r: { alert: string }) => r.alert)).toEqual(['FalcoCriticalEvent', 'FalcoWarningEvent', 'FalcoNotRunning', 'FalcoEventsDropped']);
    expect(rules[0]).toMatchObject({ expr: 'sum by (rule_name, priority) (increase(falcosecurity_falco_rules_matches_total{priority=~"0|1|2"}[5m])) > 0', labels: { 'infraflux.io/owner': 'security', severity: 'critical' } });
    expect(rules[1].expr).toContain('priority=~"3|4"');
    const route = manifest(on.fleet, 'test/configs/alertmanagerconfig-infraflux-security.yaml');
    expect(route.spec.route).toMatchObject({ receiver: 'security', matchers: [{ name: 'infraflux.io/owner', value: 'security', matchType: '=' }] });
    expect(on.falco!.node.defaultChild).toBe(on.falco!.helmRelease);
  });

  test('modern eBPF on Talos, containerd only, metrics with rule counters, tuned rules, monitors on', () => {
    const on = withFalco();
    const values = parse(manifest(on.fleet, 'test/releases/falco/configmap-falco-values.yaml').data['values.yaml']);
    expect(values.driver).toEqual({ kind: 'modern_ebpf', modernEbpf: { leastPrivileged: true } });
    expect(values.collectors.containerEngine.engines.cri).toEqual({ enabled: true, sockets: ['/run/containerd/containerd.sock'] });
    expect(values.collectors.containerEngine.engines.docker).toEqual({ enabled: false });
    expect(values.metrics).toEqual({ enabled: true, rulesCountersEnabled: true });
    expect(values).not.toHaveProperty('falcosidekick');
    // the cluster has a monitoring stack: the chart's monitor is on
    expect(values.serviceMonitor).toEqual({ create: true });
    // the allowlist is appended as exceptions to the tuned default rules
    const rules = parse(values.customRules['infraflux-talos-allowlist.yaml']);
    expect(rules.map((r: { rule: string }) => r.rule)).toEqual([...FALCO_TUNED_RULES]);
    expect(rules[0].override).toEqual({ exceptions: 'append' });
    expect(rules[0].exceptions[0].values).toContainEqual(['kube-system', 'quay.io/cilium/']);
    // privileged namespace (eBPF, host /proc)
    expect(manifest(on.fleet, 'test/apps/namespace-falco.yaml').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  test('fails in the crds layer', () => {
    const { cluster: c } = monitoredCluster();
    expect(() => new Falco(c.crds, 'Falco')).toThrow(expect.objectContaining({ code: 'INFRAFLUX_WRONG_LAYER' }));
  });

  test('fails without a monitoring stack (its rules need the monitoring CRDs)', () => {
    const { cluster: c } = testCluster();
    expect(() => new Falco(c.apps, 'Falco')).toThrow(expect.objectContaining({ code: 'INFRAFLUX_NOT_IN_CLUSTER' }));
  });

  test('fails for an allowlist entry without a reason', () => {
    const { cluster: c } = monitoredCluster();
    expect(() => new Falco(c.apps, 'Falco', { allowlist: [{ imagePrefix: 'quay.io/x/', reason: ' ' }] })).toThrow(/has no reason/);
  });
});
