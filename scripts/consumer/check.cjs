// Run by scripts/consumer-test.sh inside the consumer project, after `tsc` compiled fleet.ts.
// Exits non-zero on the first expectation that does not hold.
'use strict';
const assert = require('node:assert/strict');
const { mkdtempSync, existsSync, readdirSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

function step(name, fn) {
  fn();
  console.log(`consumer: ok - ${name}`);
}

// 1. The root import loads no CDKTF module.
const infraflux = require('infraflux');
step("require('infraflux') loads no cdktf or @cdktf/* module", () => {
  const loaded = Object.keys(require.cache).filter((p) => /[\\/]node_modules[\\/](cdktf|@cdktf)[\\/]/.test(p));
  assert.deepEqual(loaded, []);
  assert.equal(typeof infraflux.Fleet, 'function');
});

const { buildFleet } = require('./out/fleet.js');
const { ApiObject } = require('cdk8s');
const { SEALED_SECRETS_CHART } = require('infraflux/imports/helm/charts');
const { ErrorCode, FluxApp, CiliumNetworking, CertManager, GatewayApiCrds } = infraflux;

// 2. A one-cluster fleet synthesizes.
step('synthesizes a one-cluster fleet', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'consumer-')), 'dist');
  const { files } = buildFleet(out).synthesize();
  assert.ok(files > 10, `only ${files} files`);
  assert.deepEqual(readdirSync(out), ['prod']);
});

/** Synth of `mutate(fleet)`: must fail with exactly one problem of `code` matching `pattern`, writing nothing. */
function refuses(name, code, pattern, mutate) {
  step(`refuses ${name}`, () => {
    const out = join(mkdtempSync(join(tmpdir(), 'consumer-bad-')), 'dist');
    const fleet = buildFleet(out);
    mutate(fleet, fleet.clusters[0]);
    let error;
    try {
      fleet.synthesize();
    } catch (e) {
      error = e;
    }
    assert.ok(error, 'synth did not fail');
    assert.equal(error.code, ErrorCode.SYNTH_FAILED);
    assert.deepEqual(error.problems.map((p) => p.code), [code], error.message);
    assert.match(error.problems[0].message, pattern);
    assert.equal(existsSync(out), false, 'something was written');
    console.log(`consumer:      ${error.problems[0].message}`);
  });
}

refuses('an unknown field', ErrorCode.SCHEMA_VIOLATION, /^\[prod\/configs\/Cm\] prod\/configs\/configmap-settings\.yaml: .*\/spec\/bogus: unknown field "bogus"|^\[prod\/configs\/Cm\] .*\/spec: unknown field "spec"/, (_f, c) => {
  new ApiObject(c.configs, 'Cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, spec: { bogus: true } });
});
refuses('an unknown kind', ErrorCode.UNKNOWN_KIND, /^\[prod\/configs\/Bogus\] prod\/configs\/bogus-b\.yaml: .*no pinned schema for example\.com\/v1 Bogus; register its CRD/, (_f, c) => {
  new ApiObject(c.configs, 'Bogus', { apiVersion: 'example.com/v1', kind: 'Bogus', metadata: { name: 'b', namespace: 'default' } });
});
refuses('a plaintext Secret', ErrorCode.PLAINTEXT_SECRET, /^\[prod\/configs\/Db\] prod\/configs\/secret-db\.yaml: .*stringData \(keys: password\) in plain text; .*SecretReference/, (_f, c) => {
  new ApiObject(c.configs, 'Db', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'default' }, stringData: { password: 'hunter2' } });
});
// Helm value typos: a second cluster of the same fleet gets the construct with the typo.
function withSecondCluster(add) {
  return (fleet) => {
    const c = fleet.addCluster('dev', { name: 'dev' });
    add(c);
  };
}
refuses('a Helm value typo in CiliumNetworking (hubble.releay)', ErrorCode.INVALID_HELM_VALUES, /^\[dev\/controllers\/Cilium\/Release\/Resource\] dev\/releases\/cilium\/helmrelease-cilium\.yaml: .*\/hubble\/releay: chart cilium [0-9.]+: unknown/, withSecondCluster((c) => {
  const gatewayApi = new GatewayApiCrds(c.crds, 'GatewayApi');
  new CiliumNetworking(c.controllers, 'Cilium', { gatewayApi, clusterId: 2, values: { hubble: { releay: { enabled: true } } } });
}));
refuses('a Helm value typo in CertManager (crds.enabledd)', ErrorCode.INVALID_HELM_VALUES, /^\[dev\/controllers\/CertManager\/Release\/Resource\] .*\/crds\/enabledd: chart cert-manager v[0-9.]+: unknown/, withSecondCluster((c) => {
  new CertManager(c.controllers, 'CertManager', { values: { crds: { enabledd: true } } });
}));
refuses('a Helm value typo in a plain FluxApp (replicaCountt)', ErrorCode.INVALID_HELM_VALUES, /^\[prod\/apps\/sealed\/Release\/Resource\] prod\/releases\/sealed\/helmrelease-sealed\.yaml: .*\/replicaCountt: chart sealed-secrets [0-9.]+: unknown value key "replicaCountt"/, (_f, c) => {
  new FluxApp(c.apps, 'sealed', { chart: SEALED_SECRETS_CHART, values: { replicaCountt: 2 } });
});

// 3. infraflux/validation validates a dist/ tree from node_modules (the repository's own dist/).
const distDir = process.env.CONSUMER_DIST_DIR;
if (distDir) {
  step(`infraflux/validation validates ${distDir}`, () => {
    const { validateDirectory } = require('infraflux/validation');
    const report = validateDirectory(distDir);
    assert.deepEqual(report.issues, []);
    assert.ok(report.objectsValidated > 100, `only ${report.objectsValidated} objects`);
    console.log(`consumer:      ${report.objectsValidated} objects, ${report.helmReleasesValidated} HelmReleases in ${report.clusters.length} clusters, no issue`);
  });
}
