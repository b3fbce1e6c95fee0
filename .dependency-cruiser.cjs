/**
 * The architecture of lib/ and stacks/, enforced by test/architecture.test.ts
 * (docs/architecture.md, "Folder rules"). dependency-cruiser parses with SWC: TypeScript 7 has no
 * JavaScript API.
 *
 * Layers, bottom up (a folder may import only folders listed for it):
 *   core ← upstream ← validation ← reconcile ← platform
 *   core ← flux ← {gateway-api, certs, dns, edge, networking, storage, talos, cluster, cloud, management, secrets, apps}
 *   terraform: core, talos, versions, upstream; nothing outside it imports it.
 *   secrets sits low (core, flux): certs, dns, cluster, edge, ... import its reference types.
 *   backup: core, flux, secrets. Its storage target type (lib/core/backup-storage-target.ts) is in
 *   core, so lib/terraform exports it and lib/backup consumes it without importing each other.
 *
 * Entry points (package.json `exports`) are barrels over a layer and may re-export the layers they
 * publish: lib/index.ts (`infraflux`) everything but terraform; lib/validation/index.ts
 * (`infraflux/validation`) validation plus reconcile. They are listed in ENTRY_POINTS, not exempted.
 */
const lib = (folders) => `^lib/(${folders.join('|')})/`;

/** folder → the lib folders it may import (besides itself and imports/). */
const ALLOWED = {
  core: [],
  upstream: ['core'],
  versions: ['core', 'upstream'],
  validation: ['core', 'upstream'],
  reconcile: ['core', 'upstream', 'validation'],
  flux: ['core'],
  platform: ['core', 'upstream', 'validation', 'reconcile', 'flux'],
  talos: ['core', 'versions'],
  'gateway-api': ['core', 'flux'],
  secrets: ['core', 'flux'],
  certs: ['core', 'flux', 'gateway-api', 'secrets'],
  dns: ['core', 'flux', 'gateway-api', 'secrets'],
  edge: ['core', 'flux', 'gateway-api', 'secrets', 'certs', 'dns', 'validation'],
  networking: ['core', 'flux', 'gateway-api', 'secrets', 'talos', 'versions'],
  storage: ['core', 'flux', 'secrets'],
  cluster: ['core', 'flux', 'secrets', 'talos', 'versions', 'upstream'],
  cloud: ['core', 'flux', 'secrets', 'cluster'],
  management: ['core', 'flux', 'gateway-api', 'secrets', 'certs', 'talos', 'versions', 'cluster', 'networking', 'cloud'],
  apps: ['core', 'flux', 'gateway-api', 'secrets', 'certs', 'edge', 'networking'],
  backup: ['core', 'flux', 'secrets'],
  monitoring: ['core', 'flux', 'secrets', 'certs', 'storage'],
  crossplane: ['core', 'flux', 'secrets', 'validation'],
  // bootstrap (issue 16): the typed orchestrator reads the fleet (platform, flux), versions and providers.
  bootstrap: ['core', 'versions', 'flux', 'platform', 'cluster', 'networking', 'management'],
  telemetry: ['core', 'flux', 'secrets', 'talos', 'edge'], // issue 14 (h-logs): logs, traces, Grafana
  // issue 15 (h-tenancy): tenants build on Flux; identity on Flux and the secrets constructs
  tenancy: ['core', 'flux'],
  identity: ['core', 'flux', 'secrets'],
  terraform: ['core', 'talos', 'versions', 'upstream'],
  // policy (issue 15): the engine and baselines; offline-check.ts reads the upstream cache
  policy: ['core', 'flux', 'upstream', 'validation'],
  // the `infraflux` command (issue 17): reads dist/ trees with the harness, the model and the rename guard's record
  cli: ['core', 'upstream', 'validation', 'reconcile', 'platform'],
};

/** Subpath entry points inside a folder → the lib folders they re-export (besides their own). */
const ENTRY_POINTS = {
  'lib/validation/index.ts': ['core', 'upstream', 'reconcile'],
};
const escape = (file) => file.replace(/[.]/g, '\\.');

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycle among lib/ and stacks/ files.',
      severity: 'error',
      from: { path: '^(lib|stacks)/' },
      to: { circular: true },
    },
    ...Object.entries(ALLOWED).map(([folder, allowed]) => ({
      name: `folder-${folder}`,
      comment: `lib/${folder} may import only ${allowed.length ? allowed.map((f) => `lib/${f}`).join(', ') : 'nothing else in lib/'}.`,
      severity: 'error',
      from: {
        path: `^lib/${folder}/`,
        pathNot: Object.keys(ENTRY_POINTS).filter((f) => f.startsWith(`lib/${folder}/`)).map((f) => `^${escape(f)}$`),
      },
      to: { path: '^lib/', pathNot: [`^lib/${folder}/`, ...(allowed.length ? [lib(allowed)] : [])] },
    })),
    ...Object.entries(ENTRY_POINTS).map(([file, allowed]) => {
      const folder = file.split('/')[1];
      return {
        name: `entry-point-${folder}`,
        comment: `${file} (a package entry point) may re-export only lib/${folder} and ${allowed.map((f) => `lib/${f}`).join(', ')}.`,
        severity: 'error',
        from: { path: `^${escape(file)}$` },
        to: { path: '^lib/', pathNot: [`^lib/${folder}/`, lib(allowed)] },
      };
    }),
    {
      name: 'lib-stands-alone',
      comment: 'lib/ never imports the reference fleet, tests, scripts or benchmarks.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(stacks|test|scripts|bench)/' },
    },
    {
      name: 'cdktf-only-in-terraform',
      comment: 'Only lib/terraform loads CDKTF: importing `infraflux` must not load a provider package.',
      severity: 'error',
      from: { path: '^lib/', pathNot: '^lib/terraform/' },
      to: { path: 'node_modules/(cdktf|@cdktf)/' },
    },
    {
      name: 'root-barrel-without-terraform',
      comment: 'lib/index.ts (the `infraflux` entry point) does not re-export lib/terraform.',
      severity: 'error',
      from: { path: '^lib/index\\.ts$' },
      to: { path: '^lib/terraform/' },
    },
  ],
  options: {
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(imports|node_modules|build|dist)/' },
    tsPreCompilationDeps: true,
  },
};
