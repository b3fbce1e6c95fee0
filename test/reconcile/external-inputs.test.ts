/**
 * External inputs are declared on the GitOpsCluster, reach the reconcile model beside the
 * manifests, and appear in the cluster's README.
 */
import * as kplus from 'cdk8s-plus-33';
import { Fleet } from '../../lib';

function fleet(): Fleet {
  return new Fleet({ source: { url: 'https://example.com/fleet.git' } });
}

const INPUT = { kind: 'Secret', namespace: 'web', name: 'token', consumer: 'Deployment web', providedBy: 'the operator', command: 'kubectl -n web create secret generic token' };

function webApp(f: Fleet) {
  const c = f.addCluster('c', { name: 'c' });
  new kplus.Namespace(c.apps, 'Ns', { metadata: { name: 'web' } });
  new kplus.Deployment(c.apps, 'Web', {
    metadata: { name: 'web', namespace: 'web' },
    containers: [{ image: 'nginx:1.29.1', envFrom: [kplus.Env.fromSecret(kplus.Secret.fromSecretName(c, 'Token', 'token'))], securityContext: { ensureNonRoot: false } }],
  });
  return c;
}

describe('GitOpsCluster.declareExternalInput', () => {
  test('a declared input satisfies the reference and is listed in the README', () => {
    // GIVEN a Deployment reading Secret web/token, declared as an external input
    const f = fleet();
    webApp(f).declareExternalInput(INPUT);
    // WHEN the fleet renders
    const files = f.render();
    // THEN the README lists it with kind, consumer, step and command
    expect(files.get('c/README.md')).toContain('| `web/token` | Secret | Deployment web | the operator | `kubectl -n web create secret generic token` |');
  });

  test('fails synth on an undeclared dangling reference', () => {
    const f = fleet();
    webApp(f);
    expect(() => f.render()).toThrow(/RECONCILE_UNRESOLVED_REFERENCE \[c\/apps\/Web\/Resource\] dist\/c\/apps\/deployment-web\.yaml \(Kustomization flux-system\/apps\): .*names Secret web\/token/);
  });

  test('fails when an input is declared twice or without its provider', () => {
    const c = fleet().addCluster('c', { name: 'c' });
    c.declareExternalInput(INPUT);
    expect(() => c.declareExternalInput(INPUT)).toThrow(/\[c\] external input Secret web\/token is declared twice/);
    expect(() => c.declareExternalInput({ ...INPUT, name: 'other', command: '' })).toThrow(/needs a consumer, providedBy and command/);
    expect(c.externalInputs).toEqual([INPUT]);
  });
});
