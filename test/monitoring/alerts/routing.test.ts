import { Duration } from 'cdk8s';
import { declareOwner, InfraFluxError } from '../../../lib';
import { AlertReceiver, AlertRouting, type SlackReceiverOptions } from '../../../lib/monitoring/alerts';
import { SecretReference } from '../../../lib/secrets/secret-reference';
import { manifest, manifestsByFile } from '../../support/fleet';
import { monitoredCluster, receiverSecret } from './_support';

describe('AlertRouting', () => {
  test('a declared owner gets its own AlertmanagerConfig routing its owner label', () => {
    // GIVEN a team that owns something on the cluster, with a webhook of its own
    const { fleet, cluster } = monitoredCluster();
    const secret = receiverSecret(cluster);
    declareOwner(cluster.apps, { team: 'shop', contact: 'shop@example.com' });
    // WHEN routing is added
    const routing = new AlertRouting(cluster.configs, 'Routing', {
      platformReceivers: [AlertReceiver.slack({ apiUrl: secret.key('url'), channel: '#platform' })],
      ownerReceivers: [{ owner: { team: 'shop' }, receivers: [AlertReceiver.webhook({ url: secret.key('url') })] }],
    });
    // THEN one config per team, labelled for the cluster's Alertmanager, matching infraflux.io/owner
    expect(routing.teams).toEqual(['platform', 'shop']);
    const shop = manifest(fleet, 'test/configs/alertmanagerconfig-infraflux-shop.yaml');
    expect(shop.apiVersion).toBe('monitoring.coreos.com/v1alpha1');
    expect(shop.metadata).toEqual({ name: 'infraflux-shop', namespace: 'monitoring', labels: { 'infraflux.io/alerting': 'true', 'infraflux.io/owner': 'shop' } });
    expect(shop.spec.route).toMatchObject({ receiver: 'shop', matchers: [{ name: 'infraflux.io/owner', value: 'shop', matchType: '=' }] });
    expect(shop.spec.receivers).toEqual([{ name: 'shop', webhookConfigs: [{ urlSecret: { name: 'receivers', key: 'url' }, sendResolved: true }] }]);
    expect(manifestsByFile(fleet)['test/configs/alertmanagerconfig-infraflux-platform.yaml']).toMatchSnapshot();
    // AND alerts without an owner (the stack's default rules) reach the platform, but not its Watchdog
    const unowned = manifest(fleet, 'test/configs/alertmanagerconfig-infraflux-unowned.yaml');
    expect(unowned.spec.route).toMatchObject({
      receiver: 'platform',
      matchers: [
        { name: 'infraflux.io/owner', value: '', matchType: '=' },
        { name: 'alertname', value: 'Watchdog|InfoInhibitor', matchType: '!~' },
      ],
    });
    expect(unowned.spec.receivers[0].name).toBe('platform');
  });

  test("an owner without receivers of its own gets the platform's", () => {
    // GIVEN two teams, neither with receivers, and every receiver kind for the platform
    const { fleet, cluster } = monitoredCluster();
    const secret = receiverSecret(cluster);
    declareOwner(cluster.apps, { team: 'data' });
    declareOwner(cluster.apps, { team: 'analytics' });
    new AlertRouting(cluster.configs, 'Routing', {
      platformReceivers: [
        AlertReceiver.pagerDuty({ routingKey: secret.key('key') }),
        AlertReceiver.email({ to: 'oncall@example.com', from: 'alerts@example.com', smarthost: 'smtp.example.com:587', authUsername: 'alerts', authPassword: secret.key('key') }),
      ],
    });
    // THEN each team's route uses the platform's receivers, in the team's own config
    const data = manifest(fleet, 'test/configs/alertmanagerconfig-infraflux-data.yaml');
    expect(data.spec.receivers[0]).toEqual({
      name: 'data',
      pagerdutyConfigs: [{ routingKey: { name: 'receivers', key: 'key' }, sendResolved: true }],
      emailConfigs: [{ to: 'oncall@example.com', from: 'alerts@example.com', smarthost: 'smtp.example.com:587', requireTLS: true, sendResolved: true, authUsername: 'alerts', authPassword: { name: 'receivers', key: 'key' } }],
    });
    expect(manifest(fleet, 'test/configs/alertmanagerconfig-infraflux-analytics.yaml').spec.route.matchers).toEqual([{ name: 'infraflux.io/owner', value: 'analytics', matchType: '=' }]);
  });

  test("the reconcile model checks the receivers' Secrets from dist/ alone", () => {
    // GIVEN a receiver whose Secret a controller is said to create, but nothing in the fleet does
    const { fleet, cluster } = monitoredCluster();
    const missing = SecretReference.generatedBy('nowhere', 'monitoring', undefined, ['url']);
    new AlertRouting(cluster.configs, 'Routing', { platformReceivers: [AlertReceiver.webhook({ url: missing.key('url') })] });
    // WHEN the fleet is replayed THEN the AlertmanagerConfig's reference is unresolved, naming the field
    expect(() => fleet.checkReconcile()).toThrow(
      expect.objectContaining({
        problems: expect.arrayContaining([
          expect.objectContaining({ code: 'RECONCILE_UNRESOLVED_REFERENCE', message: expect.stringMatching(/alertmanagerconfig-infraflux-platform\.yaml.*spec\.receivers\[0\]\.webhookConfigs\[0\]\.urlSecret/s) }),
        ]),
      }),
    );
  });

  test('fails for a receiver without a secret', () => {
    // GIVEN a Slack receiver whose URL is missing (a JavaScript caller, or an undefined variable)
    const { cluster } = monitoredCluster();
    const slack = AlertReceiver.slack({ channel: '#platform' } as unknown as SlackReceiverOptions);
    // WHEN routing is created THEN it fails before writing anything
    expect(() => new AlertRouting(cluster.configs, 'Routing', { platformReceivers: [slack] })).toThrow(
      expect.objectContaining({ code: 'INFRAFLUX_ALERT_RECEIVER_SECRET_MISSING', constructPath: 'test/configs/Routing', message: expect.stringMatching(/receiver platform \(slack\) has no apiUrl/) }),
    );
  });

  test('fails for a receiver Secret outside the AlertmanagerConfig namespace', () => {
    const { cluster } = monitoredCluster();
    const elsewhere = SecretReference.fromExternalInput('slack', 'default', ['url']);
    expect(() => new AlertRouting(cluster.configs, 'Routing', { platformReceivers: [AlertReceiver.slack({ apiUrl: elsewhere.key('url'), channel: '#p' })] })).toThrow(
      expect.objectContaining({ code: 'INFRAFLUX_SECRET_NAMESPACE_MISMATCH' }),
    );
  });

  test('fails without a platform receiver', () => {
    const { cluster } = monitoredCluster();
    expect(() => new AlertRouting(cluster.configs, 'Routing', { platformReceivers: [] })).toThrow(expect.objectContaining({ code: 'INFRAFLUX_ALERT_RECEIVER_SECRET_MISSING' }));
  });

  test('fails at synth for an owner declared after the routing', () => {
    // GIVEN routing created first, then a team declared
    const { fleet, cluster } = monitoredCluster();
    const secret = receiverSecret(cluster);
    new AlertRouting(cluster.configs, 'Routing', { platformReceivers: [AlertReceiver.webhook({ url: secret.key('url') })] });
    declareOwner(cluster.apps, { team: 'late' });
    // THEN synth names the team
    let error: InfraFluxError | undefined;
    try {
      fleet.validateAll();
    } catch (e) {
      error = e as InfraFluxError;
    }
    expect(error?.problems).toContainEqual(expect.objectContaining({ code: 'INFRAFLUX_INVALID_PROP', message: expect.stringMatching(/team "late" was declared after AlertRouting/) }));
  });

  test('fails for a team named like the unowned route', () => {
    const { cluster } = monitoredCluster();
    const secret = receiverSecret(cluster);
    const routing = new AlertRouting(cluster.configs, 'Routing', { platformReceivers: [AlertReceiver.webhook({ url: secret.key('url') })] });
    expect(() => routing.addOwner({ team: 'unowned' })).toThrow(/team name "unowned" is reserved/);
  });

  test('fails for a repeat interval under a second', () => {
    const { cluster } = monitoredCluster();
    const secret = receiverSecret(cluster);
    expect(() => new AlertRouting(cluster.configs, 'Routing', { platformReceivers: [AlertReceiver.webhook({ url: secret.key('url') })], repeatInterval: Duration.millis(10) })).toThrow(
      expect.objectContaining({ code: 'INFRAFLUX_INVALID_DURATION', constructPath: 'test/configs/Routing' }),
    );
  });

  test('fails for an e-mail receiver with a bad address', () => {
    const { cluster } = monitoredCluster();
    expect(() => new AlertRouting(cluster.configs, 'Routing', { platformReceivers: [AlertReceiver.email({ to: 'not-an-address', from: 'a@example.com', smarthost: 'smtp:25' })] })).toThrow(
      /e-mail recipient "not-an-address" is not an address/,
    );
  });
});
