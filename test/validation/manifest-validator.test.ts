import { formatIssue, validateObject, type ValidationIssue } from '../../lib/validation';

const lines = (issues: ValidationIssue[]): string[] => issues.map(formatIssue);

function namespace(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'platform' }, ...extra };
}

function kustomization(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'apps', namespace: 'flux-system', ...metadata },
    spec,
  };
}

const validKustomizationSpec = { interval: '10m', prune: true, sourceRef: { kind: 'GitRepository', name: 'fleet' } };

describe('validateObject: core kinds', () => {
  test('accepts a valid Namespace', () => {
    // GIVEN a Namespace with labels WHEN validated THEN there is no issue
    expect(validateObject(namespace({ metadata: { name: 'platform', labels: { team: 'infra' } } }), 'dist/ns.yaml')).toEqual([]);
  });

  test('accepts a valid ConfigMap', () => {
    // GIVEN a ConfigMap with data and binaryData WHEN validated THEN there is no issue
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data: { a: 'b' }, binaryData: { bin: 'AAEC' } };
    expect(validateObject(cm)).toEqual([]);
  });

  test('fails a Namespace with an unknown field, naming the object, the path and the key', () => {
    // GIVEN a Namespace with spec.foo
    const issues = validateObject(namespace({ spec: { foo: 'bar' } }), 'dist/mgmt/ns.yaml');
    // WHEN validated THEN one issue names the object (with its source), the path and the key
    expect(issues).toEqual([{ object: 'Namespace platform (dist/mgmt/ns.yaml)', path: '/spec/foo', message: expect.stringContaining('unknown field "foo"') }]);
  });

  test('fails a wrong type', () => {
    // GIVEN a Namespace whose spec.finalizers is a string instead of a list
    const issues = validateObject(namespace({ spec: { finalizers: 'kubernetes' } }));
    // THEN the path and the expected type are named
    expect(lines(issues)).toEqual(['Namespace platform: /spec/finalizers: must be array, got string "kubernetes"']);
  });

  test('fails a missing required field, naming the property', () => {
    // GIVEN a ClusterRoleBinding without roleRef
    const crb = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'x' } };
    // THEN the missing property is the path and named in the message
    expect(lines(validateObject(crb))).toEqual(['ClusterRoleBinding x: /roleRef: missing required field "roleRef"']);
  });

  test('fails an unknown metadata field', () => {
    // GIVEN metadata.labelz (typo)
    const issues = validateObject(namespace({ metadata: { name: 'platform', labelz: { a: 'b' } } }));
    expect(lines(issues)).toEqual([expect.stringContaining('Namespace platform: /metadata/labelz: unknown field "labelz"')]);
  });

  test('fails an object without metadata.name', () => {
    // GIVEN a ConfigMap without a name WHEN validated THEN metadata.name is reported missing
    const issues = validateObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'n' } });
    expect(lines(issues)).toEqual(['ConfigMap n/<no name>: /metadata/name: missing required field "name"']);
  });

  test('accepts int-or-string and quantities written as numbers or strings', () => {
    // GIVEN a Service targetPort by name and by number, and a LimitRange with number and string quantities
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 8081 }] } };
    const lr = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'l' }, spec: { limits: [{ type: 'Container', max: { cpu: 2, memory: '1Gi' }, min: { cpu: '100m' } }] } };
    expect([...validateObject(svc), ...validateObject(lr)]).toEqual([]);
  });

  test('fails an invalid quantity and a non-integer int-or-string', () => {
    // GIVEN memory "1 GB" and targetPort true
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: true }] } };
    const lr = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'l' }, spec: { limits: [{ type: 'Container', max: { memory: '1 GB' } }] } };
    expect(lines([...validateObject(svc), ...validateObject(lr)])).toEqual([
      'Service s: /spec/ports/0/targetPort: must be integer or string, got boolean true',
      'LimitRange l: /spec/limits/0/max/memory: "1 GB" is not a valid quantity (e.g. 512Mi, 2Gi, 500m, 1.5)',
    ]);
  });

  test('fails an unknown top-level field of a ControllerRevision but accepts any RawExtension content', () => {
    // GIVEN a ControllerRevision (data is runtime.RawExtension: anything goes) with an unknown top-level field
    const rev = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r' }, revision: 1, data: { any: { thing: [1] } }, extra: 1 };
    // THEN only the unknown top-level field is reported
    expect(lines(validateObject(rev))).toEqual([expect.stringContaining('ControllerRevision r: /extra: unknown field "extra"')]);
  });
});

describe('validateObject: custom resources', () => {
  test('accepts a valid Flux Kustomization', () => {
    expect(validateObject(kustomization(validKustomizationSpec))).toEqual([]);
  });

  test('fails a Kustomization with spec.intervall', () => {
    // GIVEN the typo next to the right field
    const issues = validateObject(kustomization({ ...validKustomizationSpec, intervall: '5m' }), 'dist/flux.yaml');
    // THEN the issue names the object, the path and the unknown key
    expect(issues).toEqual([
      { object: 'Kustomization flux-system/apps (dist/flux.yaml)', path: '/spec/intervall', message: expect.stringContaining('unknown field "intervall"') },
    ]);
  });

  test('fails an unknown metadata field on a custom resource (metadata is ObjectMeta)', () => {
    const issues = validateObject(kustomization(validKustomizationSpec, { labelz: {} }));
    expect(lines(issues)).toEqual([expect.stringContaining('Kustomization flux-system/apps: /metadata/labelz: unknown field "labelz"')]);
  });

  test('fails a Kustomization without the required spec.prune, naming it', () => {
    const { prune: _prune, ...spec } = validKustomizationSpec;
    expect(lines(validateObject(kustomization(spec)))).toEqual(['Kustomization flux-system/apps: /spec/prune: missing required field "prune"']);
  });

  test('fails a wrong type in a CRD kind', () => {
    const issues = validateObject(kustomization({ ...validKustomizationSpec, prune: 'yes' }));
    expect(lines(issues)).toEqual(['Kustomization flux-system/apps: /spec/prune: must be boolean, got string "yes"']);
  });

  test('accepts a cert-manager ClusterIssuer with arbitrary keys under an x-kubernetes-preserve-unknown-fields field', () => {
    // GIVEN a webhook solver whose config (preserve-unknown-fields) holds arbitrary data
    const issuer = {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: 'letsencrypt' },
      spec: {
        acme: {
          server: 'https://acme-v02.api.letsencrypt.org/directory',
          privateKeySecretRef: { name: 'acme-key' },
          solvers: [{ dns01: { webhook: { groupName: 'acme.example.com', solverName: 'x', config: { whatever: { deep: [1, 'a'] } } } } }],
        },
      },
    };
    // WHEN validated THEN there is no issue
    expect(validateObject(issuer)).toEqual([]);
  });

  test('fails an unknown field next to the preserve-unknown-fields field (pruning resumes there)', () => {
    // GIVEN the same webhook solver with a typo beside config
    const issuer = {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: 'letsencrypt' },
      spec: { acme: { server: 'https://x', privateKeySecretRef: { name: 'k' }, solvers: [{ dns01: { webhook: { groupName: 'g', solverName: 's', confg: {} } } }] } },
    };
    expect(lines(validateObject(issuer))).toEqual([
      expect.stringContaining('ClusterIssuer letsencrypt: /spec/acme/solvers/0/dns01/webhook/confg: unknown field "confg"'),
    ]);
  });

  test('fails apiVersion/kind without a pinned schema instead of skipping it', () => {
    // GIVEN an unknown group and a removed Flux version
    const unknown = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    const removed = { apiVersion: 'source.toolkit.fluxcd.io/v1beta1', kind: 'GitRepository', metadata: { name: 'g', namespace: 'flux-system' } };
    expect(lines([...validateObject(unknown), ...validateObject(removed)])).toEqual([
      'Widget w: /: no pinned schema for example.com/v1 Widget',
      'GitRepository flux-system/g: /: no pinned schema for source.toolkit.fluxcd.io/v1beta1 GitRepository (pinned versions of GitRepository: source.toolkit.fluxcd.io/v1)',
    ]);
  });

  test('validates x-kubernetes-embedded-resource objects: apiVersion and kind required, metadata is ObjectMeta', () => {
    // GIVEN a Crossplane Composition whose pipeline step input is an embedded resource
    const composition = (input: unknown): Record<string, unknown> => ({
      apiVersion: 'apiextensions.crossplane.io/v1',
      kind: 'Composition',
      metadata: { name: 'db' },
      spec: {
        compositeTypeRef: { apiVersion: 'example.org/v1', kind: 'XDatabase' },
        mode: 'Pipeline',
        pipeline: [{ step: 'render', functionRef: { name: 'function-patch-and-transform' }, input }],
      },
    });
    // THEN arbitrary content is kept (preserve-unknown-fields) ...
    expect(validateObject(composition({ apiVersion: 'pt.fn.crossplane.io/v1beta1', kind: 'Resources', resources: [] }))).toEqual([]);
    // ... but a missing kind and an unknown metadata field fail
    expect(lines(validateObject(composition({ apiVersion: 'pt.fn.crossplane.io/v1beta1', metadata: { labelz: {} } })))).toEqual([
      'Composition db: /spec/pipeline/0/input/kind: missing required field "kind"',
      'Composition db: /spec/pipeline/0/input/metadata/labelz: unknown field "labelz" (not in the pinned schema)',
    ]);
  });

  test('fails objects without apiVersion or kind, and non-objects', () => {
    expect(lines(validateObject({ kind: 'ConfigMap', metadata: { name: 'a' } }))).toEqual(['ConfigMap a: /apiVersion: missing required field "apiVersion"']);
    expect(lines(validateObject('text', 's.yaml'))).toEqual(['<no kind> <no name> (s.yaml): /: not a JSON object']);
  });

  test('accepts a minimal OCIRepository', () => {
    // GIVEN an OCIRepository with only its required fields WHEN validated THEN there is no issue
    const oci = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'OCIRepository', metadata: { name: 'o', namespace: 'f' }, spec: { interval: '1h', url: 'oci://x/y' } };
    expect(validateObject(oci)).toEqual([]);
  });
});
