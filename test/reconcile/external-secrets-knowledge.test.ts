/**
 * The knowledge entries of the External Secrets Operator (lib/reconcile/knowledge.ts): what an
 * ExternalSecret, a store and a PushSecret name, what an ExternalSecret provides once Ready, and
 * the CRDs the chart brings.
 */
import { CHART_KNOWLEDGE, knowledgeFor, lockedCrdsUnder, type KnowledgeContext, type Reference, type Thing } from '../../lib/reconcile';
import { UpstreamCache } from '../../lib/upstream/lock';

type Obj = Record<string, any>;
const ctx = {} as KnowledgeContext;
const refs = (o: Obj): Reference[] => knowledgeFor(o).flatMap((k) => k.references?.(o, ctx) ?? []);
const provides = (o: Obj): Thing[] => knowledgeFor(o).flatMap((k) => k.providesOnceReady?.(o, ctx) ?? []);
const short = (r: Thing): string => `${r.group}/${r.kind}/${r.namespace ?? ''}/${r.name}`;

const es = (spec: Obj): Obj => ({ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'creds', namespace: 'app' }, spec });

describe('External Secrets knowledge', () => {
  test('ExternalSecret: names its store as a class and its generators; provides its target Secret once Ready', () => {
    // GIVEN an ExternalSecret of a ClusterSecretStore with a generator and no target name
    const o = es({ secretStoreRef: { kind: 'ClusterSecretStore', name: 'fleet' }, dataFrom: [{ sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', name: 'cookie' } } }] });
    // THEN
    expect(refs(o).map(short)).toEqual(['external-secrets.io/ClusterSecretStore//fleet', 'generators.external-secrets.io/Password/app/cookie']);
    expect(refs(o)[0].isClass).toBe(true);
    // the target defaults to the ExternalSecret's name
    expect(provides(o).map(short)).toEqual(['/Secret/app/creds']);
  });

  test('ExternalSecret: a SecretStore is looked up in its namespace; target.name is what it provides', () => {
    const o = es({ secretStoreRef: { name: 'local' }, target: { name: 'db' } });
    expect(refs(o).map(short)).toEqual(['external-secrets.io/SecretStore/app/local']);
    expect(provides(o).map(short)).toEqual(['/Secret/app/db']);
  });

  test('ExternalSecret with creationPolicy Merge needs the Secret before and provides nothing', () => {
    const o = es({ secretStoreRef: { kind: 'ClusterSecretStore', name: 'fleet' }, target: { name: 'db', creationPolicy: 'Merge' } });
    expect(refs(o).map(short)).toContain('/Secret/app/db');
    expect(provides(o)).toEqual([]);
  });

  test('ClusterSecretStore: credentials Secrets and ServiceAccounts in the namespaces the selectors name, the Vault role, the GCP pool provider', () => {
    const o: Obj = {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: 'fleet' },
      spec: {
        provider: {
          vault: { server: 'https://v', auth: { kubernetes: { mountPath: 'k', role: 'eso', serviceAccountRef: { name: 'login', namespace: 'external-secrets' } } } },
          azurekv: { authSecretRef: { clientId: { name: 'az', key: 'client-id', namespace: 'external-secrets' }, clientSecret: { name: 'az', key: 'client-secret', namespace: 'external-secrets' } } },
          aws: { auth: { secretRef: { accessKeyIDSecretRef: { name: 'aws', key: 'access-key-id', namespace: 'external-secrets' } } } },
          gcpsm: { auth: { workloadIdentityFederation: { audience: '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/dev-gcp' } } },
        },
      },
    };
    expect(refs(o).map(short).sort()).toEqual(
      [
        '/ServiceAccount/external-secrets/login',
        '/Secret/external-secrets/az',
        '/Secret/external-secrets/az',
        '/Secret/external-secrets/aws',
        'vault/KubernetesAuthRole//eso',
        'iam.googleapis.com/WorkloadIdentityPoolProvider//dev-gcp',
      ].sort(),
    );
  });

  test('SecretStore: selectors resolve in its own namespace, whatever they say', () => {
    const o: Obj = {
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: { name: 's', namespace: 'app' },
      spec: { provider: { vault: { server: 'https://v', auth: { appRole: { roleId: 'r', secretRef: { name: 'approle', key: 'secret-id', namespace: 'elsewhere' } } } } } },
    };
    expect(refs(o).map(short)).toEqual(['/Secret/app/approle']);
  });

  test('PushSecret: the Secret it pushes (its namespace) and its stores', () => {
    const o: Obj = {
      apiVersion: 'external-secrets.io/v1alpha1',
      kind: 'PushSecret',
      metadata: { name: 'p', namespace: 'app' },
      spec: { selector: { secret: { name: 'ca' } }, secretStoreRefs: [{ kind: 'ClusterSecretStore', name: 'fleet' }, { name: 'local' }] },
    };
    expect(refs(o).map(short)).toEqual(['/Secret/app/ca', 'external-secrets.io/ClusterSecretStore//fleet', 'external-secrets.io/SecretStore/app/local']);
  });

  test('the chart brings the ESO CRDs (ExternalSecret, stores, PushSecret, generators) unless installCRDs is false', () => {
    const entry = CHART_KNOWLEDGE.find((c) => c.chart === 'external-secrets')!;
    const kinds = lockedCrdsUnder(UpstreamCache.default(), entry.crds!).map((c) => `${c.group}/${c.kind}`);
    expect(kinds).toEqual(expect.arrayContaining(['external-secrets.io/ExternalSecret', 'external-secrets.io/ClusterSecretStore', 'external-secrets.io/SecretStore', 'external-secrets.io/PushSecret', 'generators.external-secrets.io/Password']));
    expect(entry.crdsWhen!({})).toBe(true);
    expect(entry.crdsWhen!({ installCRDs: false })).toBe(false);
  });
});
