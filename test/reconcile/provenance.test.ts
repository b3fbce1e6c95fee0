/**
 * RECONCILE_SECRET_PROVENANCE: a construct's secret reference says where the Secret comes from;
 * the check proves the cluster really delivers it that way.
 */
import { Chart } from 'cdk8s';
import { Fleet } from '../../lib';
import { InfraFluxError } from '../../lib/core/errors';
import { SecretProvenanceName, type SecretUse } from '../../lib/core/external-input';
import { checkSecretProvenance, ReconcileCode, type ReconcileClusterInput } from '../../lib/reconcile';
import { SecretReference } from '../../lib/secrets/secret-reference';

const use = (provenance: SecretProvenanceName, name = 'token', namespace = 'web'): SecretUse => ({ name, namespace, provenance, consumer: 'c/apps/Web (token)' });
const sealed = (name: string, namespace: string, templateName?: string) => ({
  file: `c/configs/sealedsecret-${name}.yaml`,
  object: { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name, namespace }, spec: { encryptedData: {}, ...(templateName ? { template: { metadata: { name: templateName } } } : {}) } },
});
const external = (name: string, namespace: string, target?: string) => ({
  file: `c/configs/externalsecret-${name}.yaml`,
  object: { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name, namespace }, spec: { ...(target ? { target: { name: target } } : {}) } },
});
const cluster = (secretUses: SecretUse[], manifests: ReconcileClusterInput['manifests'] = [], externalInputs: ReconcileClusterInput['externalInputs'] = []): ReconcileClusterInput => ({ name: 'c', manifests, externalInputs, secretUses });
const INPUT = { kind: 'Secret', namespace: 'web', name: 'token', consumer: 'Deployment web', providedBy: 'the operator', command: 'kubectl -n web create secret generic token' };

describe('checkSecretProvenance', () => {
  test('passes each provenance backed by its producer (template and target names included)', () => {
    // GIVEN a sealed, an external, a declared and a generated Secret, each delivered as claimed
    const input = cluster(
      [use(SecretProvenanceName.SEALED, 'db'), use(SecretProvenanceName.EXTERNAL, 'sso'), use(SecretProvenanceName.EXTERNAL_INPUT), use(SecretProvenanceName.GENERATED, 'kubeconfig')],
      [sealed('db-sealed', 'web', 'db'), external('sso-sync', 'web', 'sso')],
      [INPUT],
    );
    // THEN nothing is reported
    expect(checkSecretProvenance([input])).toEqual([]);
  });

  test('fails a sealed claim that nothing seals', () => {
    // GIVEN a use claiming a SealedSecret, with none in the cluster
    const [v, ...rest] = checkSecretProvenance([cluster([use(SecretProvenanceName.SEALED)])]);
    // THEN one violation names the consumer, the Secret and the fix
    expect(rest).toEqual([]);
    expect(v?.code).toBe(ReconcileCode.SECRET_PROVENANCE);
    expect(v?.message).toBe('c/apps/Web (token) reads Secret web/token as sealed, but nothing in cluster c provides it; add a SealedSecret for it (SealedSecret construct, `npm run seal`), or give a reference that says where it comes from');
  });

  test('fails a claim that another route backs, saying which', () => {
    // GIVEN an "external" claim for a Secret that is in fact sealed, and a sealed one in another namespace
    const violations = checkSecretProvenance([cluster([use(SecretProvenanceName.EXTERNAL), use(SecretProvenanceName.SEALED, 'db', 'other')], [sealed('token', 'web'), sealed('db', 'web')])]);
    // THEN both are reported
    expect(violations.map((v) => v.message.replace(/;.*/, ''))).toEqual([
      'c/apps/Web (token) reads Secret web/token as external, but it comes from a SealedSecret instead',
      'c/apps/Web (token) reads Secret other/db as sealed, but nothing in cluster c provides it',
    ]);
  });

  test('fails an external-input claim that is not declared', () => {
    const [v] = checkSecretProvenance([cluster([use(SecretProvenanceName.EXTERNAL_INPUT)], [external('token', 'web')])]);
    expect(v?.code).toBe(ReconcileCode.SECRET_PROVENANCE);
    expect(v?.message).toContain('as external-input, but it comes from an ExternalSecret instead; declare it with GitOpsCluster.declareExternalInput()');
  });
});

describe('the check at synth', () => {
  test('fails synth when a construct claims a sealed Secret the fleet does not seal', () => {
    // GIVEN a cluster whose construct reads a "sealed" Secret that no SealedSecret makes
    const f = new Fleet({ source: { url: 'https://example.com/fleet.git' } });
    const c = f.addCluster('c', { name: 'c' });
    SecretReference.fromSealedSecret('token', 'web').use(new Chart(c.apps, 'Web'), 'token');
    // WHEN it renders THEN the aggregated error carries the rule's code and writes nothing
    let error: unknown;
    try {
      f.render();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InfraFluxError);
    expect((error as InfraFluxError).problems.map((p) => p.code)).toEqual([ReconcileCode.SECRET_PROVENANCE]);
    expect((error as InfraFluxError).message).toContain('c/apps/Web (token) reads Secret web/token as sealed');
  });
});
