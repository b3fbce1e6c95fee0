/**
 * Synth-time validation (Fleet.manifests/render/synthesize): one rule per test, each asserting its
 * stable code. One broken fleet is synthesized once and shared (each synth validates everything).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiObject } from 'cdk8s';
import { parse } from 'yaml';
import { SEALED_SECRETS_CHART } from '../../imports/helm/charts';
import { CertManager, CrdSource, ErrorCode, FluxApp, FluxKustomization, GatewayApiCrds, InfraFluxError, InfraFluxProblem, Validation } from '../../lib';
import { CiliumNetworking } from '../../lib/networking';
import { testCluster } from '../support/fleet';

const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { kind: Widget, plural: widgets, singular: widget, listKind: WidgetList }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: { type: integer }
`;

function synthError(run: () => unknown): InfraFluxError {
  try {
    run();
  } catch (error) {
    return error as InfraFluxError;
  }
  throw new Error('synth did not fail');
}

describe('synth-time validation of a broken fleet (one synth, every problem reported at once)', () => {
  // GIVEN one fleet with one problem per rule, plus a valid registered kind and an exempt object
  const { fleet, cluster } = testCluster('test', { crds: [CrdSource.fromYaml(WIDGET_CRD)] });
  new ApiObject(cluster.configs, 'Bogus', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bogus', namespace: 'default' }, spec: { bogus: true } } as never);
  new ApiObject(cluster.configs, 'Unknown', { apiVersion: 'example.com/v1', kind: 'Bogus', metadata: { name: 'b', namespace: 'default' } });
  new ApiObject(cluster.configs, 'Plain', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'default' }, stringData: { password: 'hunter2' } } as never);
  new ApiObject(cluster.configs, 'Widget', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'ok', namespace: 'default' }, spec: { size: 1 } });
  new ApiObject(cluster.configs, 'BadWidget', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'bad', namespace: 'default' }, spec: { sizee: 1 } });
  Validation.exempt(new ApiObject(cluster.configs, 'Vendor', { apiVersion: 'vendor.example.com/v1', kind: 'Thing', metadata: { name: 't', namespace: 'default' } }), 'vendor CRD is not published anywhere we can pin');
  const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi');
  new CiliumNetworking(cluster.controllers, 'Cilium', { gatewayApi, clusterId: 1, values: { hubble: { releay: { enabled: true } } } as never });
  new CertManager(cluster.controllers, 'CertManager', { values: { crds: { enabledd: true } } as never });
  new FluxApp(cluster.apps, 'sealed', { chart: SEALED_SECRETS_CHART, values: { replicaCountt: 2 } });
  const out = join(mkdtempSync(join(tmpdir(), 'synth-validation-')), 'dist');
  // WHEN synthesized
  const error = synthError(() => fleet.synthesize(out));
  const problem = (code: ErrorCode, match: RegExp): InfraFluxProblem | undefined => error.problems.find((p) => p.code === code && match.test(p.message));

  test('fails once, with code SYNTH_FAILED, writing nothing', () => {
    expect(error).toBeInstanceOf(InfraFluxError);
    expect(error.code).toBe(ErrorCode.SYNTH_FAILED);
    expect(error.message).toMatch(/nothing was written/);
    expect(existsSync(out)).toBe(false);
    // THEN every problem below is in the one error, and nothing else
    expect(error.problems.map((p) => p.code).sort()).toEqual(
      [ErrorCode.INVALID_HELM_VALUES, ErrorCode.INVALID_HELM_VALUES, ErrorCode.INVALID_HELM_VALUES, ErrorCode.PLAINTEXT_SECRET, ErrorCode.SCHEMA_VIOLATION, ErrorCode.SCHEMA_VIOLATION, ErrorCode.UNKNOWN_KIND].sort(),
    );
  });

  test('fails an unknown field, naming construct path, file and field', () => {
    expect(problem(ErrorCode.SCHEMA_VIOLATION, /ConfigMap/)?.message).toBe(
      '[test/configs/Bogus] test/configs/configmap-bogus.yaml: ConfigMap default/bogus: /spec: unknown field "spec" (not in the pinned schema); allowed here: apiVersion, binaryData, data, immutable, kind, metadata',
    );
  });

  test('fails an object of an unknown kind, saying how to register or exempt it', () => {
    expect(problem(ErrorCode.UNKNOWN_KIND, /Bogus/)?.message).toMatch(
      /^\[test\/configs\/Unknown\] test\/configs\/bogus-b\.yaml: Bogus default\/b: \/: no pinned schema for example\.com\/v1 Bogus; register its CRD .*registerCrd\(\).* or exempt the object with Validation\.exempt/,
    );
  });

  test('fails a Secret with plaintext data, pointing at the secret-reference constructs', () => {
    expect(problem(ErrorCode.PLAINTEXT_SECRET, /Secret default\/db/)?.message).toMatch(
      /^\[test\/configs\/Plain\] test\/configs\/secret-db\.yaml: .*stringData \(keys: password\) in plain text; .*SealedSecret.*SecretReference\.fromSealedSecret/,
    );
  });

  test('fails Helm value typos in CiliumNetworking, CertManager and a plain FluxApp, naming the key', () => {
    expect(problem(ErrorCode.INVALID_HELM_VALUES, /releay/)?.message).toMatch(/^\[test\/controllers\/Cilium\/Release\/Resource\] test\/releases\/cilium\/helmrelease-cilium\.yaml: .*\/hubble\/releay: chart cilium 1\.20\.0: unknown/);
    expect(problem(ErrorCode.INVALID_HELM_VALUES, /enabledd/)?.message).toMatch(/^\[test\/controllers\/CertManager\/Release\/Resource\] .*\/crds\/enabledd: chart cert-manager v1\.21\.1: unknown/);
    expect(problem(ErrorCode.INVALID_HELM_VALUES, /replicaCountt/)?.message).toMatch(/^\[test\/apps\/sealed\/Release\/Resource\] test\/releases\/sealed\/helmrelease-sealed\.yaml: .*\/replicaCountt: chart sealed-secrets 2\.18\.5: unknown value key "replicaCountt"/);
  });

  test('says what is allowed next to an unknown value key, with the closest match', () => {
    expect(problem(ErrorCode.INVALID_HELM_VALUES, /releay/)?.message).toMatch(/; did you mean "relay"\? allowed here: .*\brelay\b/);
    expect(problem(ErrorCode.INVALID_HELM_VALUES, /enabledd/)?.message).toMatch(/; did you mean "enabled"\? allowed here: .*\benabled\b/);
    expect(problem(ErrorCode.INVALID_HELM_VALUES, /replicaCountt/)?.message).toMatch(/\(set in ConfigMap flux-system\/sealed-values key values.yaml\); allowed here: additionalNamespaces, .*\(59 keys\)$/);
  });

  test('validates objects of a registered CRD, and fails their unknown fields', () => {
    expect(error.problems.some((p) => p.constructPath === 'test/configs/Widget')).toBe(false);
    expect(problem(ErrorCode.SCHEMA_VIOLATION, /Widget/)?.message).toBe(
      '[test/configs/BadWidget] test/configs/widget-bad.yaml: Widget default/bad: /spec/sizee: unknown field "sizee" (not in the pinned schema)',
    );
  });

  test('does not report an exempt object', () => {
    expect(error.problems.some((p) => p.constructPath === 'test/configs/Vendor')).toBe(false);
  });
});

describe('exemptions and registrations', () => {
  test('an exempt object is written with its reason in the header and listed by synthesize()', () => {
    // GIVEN an object of a kind no schema serves, exempt with a reason
    const { fleet, cluster } = testCluster();
    const thing = new ApiObject(cluster.configs, 'Vendor', { apiVersion: 'vendor.example.com/v1', kind: 'Thing', metadata: { name: 't', namespace: 'default' } });
    Validation.exempt(thing, 'vendor CRD is not published anywhere we can pin');
    // (the exemption covers the schema check only: the reconcile check still needs the kind served first)
    const crd = new ApiObject(cluster.crds, 'VendorCrd', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'things.vendor.example.com' },
      spec: {
        group: 'vendor.example.com',
        names: { kind: 'Thing', plural: 'things' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    });
    cluster.addDependency(thing, crd);
    const out = join(mkdtempSync(join(tmpdir(), 'synth-exempt-')), 'dist');
    // WHEN synthesized
    const result = fleet.synthesize(out);
    // THEN the file says why it was not validated
    expect(result.exempted).toEqual([{ file: 'test/configs/thing-t.yaml', constructPath: 'test/configs/Vendor', reason: 'vendor CRD is not published anywhere we can pin' }]);
    expect(readFileSync(join(out, 'test/configs/thing-t.yaml'), 'utf8').split('\n').slice(0, 2)).toEqual([
      '# Generated by InfraFlux from test/configs/Vendor. Do not edit: change the program that defines it and synthesize again.',
      '# Not validated at synth: vendor CRD is not published anywhere we can pin',
    ]);
  });

  test('fails an exemption without a real reason', () => {
    const { cluster } = testCluster();
    const thing = new ApiObject(cluster.configs, 'Vendor', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 't' } });
    expect(() => Validation.exempt(thing, ' ')).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_PROP, message: expect.stringMatching(/\[test\/configs\/Vendor\] Validation\.exempt\(\) reason " " is too short/) }));
  });

  test('fails a Secret with data even when exempt', () => {
    const { fleet, cluster } = testCluster();
    Validation.exempt(new ApiObject(cluster.configs, 'S', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, data: { k: 'dg==' } } as never), 'trying to sneak a secret in');
    expect(synthError(() => fleet.manifests()).problems.map((p) => p.code)).toEqual([ErrorCode.PLAINTEXT_SECRET]);
  });

  test('a registered chart validates a FluxApp of your own chart, and fails its typos', () => {
    // GIVEN a chart of your own registered with its values.yaml
    const { fleet, cluster } = testCluster();
    fleet.validation.registerChart({ name: 'mine', version: '1.0.0', repository: 'https://charts.example.com', values: 'replicaCount: 1\n' });
    new FluxApp(cluster.apps, 'mine', { chart: { name: 'mine', version: '1.0.0', repository: 'https://charts.example.com' }, values: { replicaCount: 2, replicas: 3 } });
    // THEN only the key not in its values.yaml is refused
    expect(synthError(() => fleet.manifests()).problems.map((p) => [p.code, p.message.replace(/^.*: \//, '/')])).toEqual([
      [ErrorCode.INVALID_HELM_VALUES, expect.stringMatching(/^\/replicas: chart mine 1\.0\.0: unknown value key "replicas"/)],
    ]);
    expect(fleet.validation.registeredCharts).toEqual(['mine']);
  });

  test('registers a CRD given as an object (e.g. the JSON of a CRD the program also emits)', () => {
    const { fleet, cluster } = testCluster();
    const crd = new ApiObject(cluster.crds, 'WidgetCrd', parse(WIDGET_CRD));
    expect(fleet.validation.registerCrd(CrdSource.fromObject(crd.toJson()))).toEqual(['example.com/v1 Widget']);
    expect(fleet.validation.registeredKinds).toEqual(['example.com/v1 Widget']);
  });

  test('fails registering a CRD or chart the pins already serve, or a document that is not a CRD', () => {
    const { fleet } = testCluster();
    const code = expect.objectContaining({ code: ErrorCode.INVALID_SCHEMA_REGISTRATION });
    expect(() => fleet.validation.registerCrd(CrdSource.fromYaml(WIDGET_CRD.replace('group: example.com', 'group: cert-manager.io').replace('kind: Widget,', 'kind: Certificate,')))).toThrow(code);
    expect(() => fleet.validation.registerCrd(CrdSource.fromObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }))).toThrow(code);
    expect(() => fleet.validation.registerChart({ ...SEALED_SECRETS_CHART, values: '' })).toThrow(code);
    expect(() => fleet.validation.registerChart({ name: 'mine', version: '^1.0.0', repository: 'https://charts.example.com', values: '' })).toThrow(code);
  });

  test('keeps the codes of construct validations when they are aggregated', () => {
    const { fleet, cluster } = testCluster();
    new FluxKustomization(cluster.apps, 'Blind', { name: 'blind', path: './x' });
    expect(synthError(() => fleet.manifests()).problems).toEqual([expect.objectContaining({ code: ErrorCode.NO_HEALTH_CHECKS, constructPath: 'test/apps/Blind' })]);
  });

  test('cdk8s app.synth() validates too', () => {
    const { fleet, cluster } = testCluster();
    new ApiObject(cluster.configs, 'Unknown', { apiVersion: 'example.com/v1', kind: 'Bogus', metadata: { name: 'b' } });
    expect(synthError(() => fleet.synth()).problems.map((p) => p.code)).toEqual([ErrorCode.UNKNOWN_KIND]);
  });
});
