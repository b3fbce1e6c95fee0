import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { ErrorCode, InfraFluxError } from '../core/errors';
import { CapiProvider } from '../management/providers';
import { Command, cmd } from './command';
import { BootstrapVia } from './provider';
import { BootstrapStep, Probe } from './step';
import { BootstrapTarget, externalInputKey } from './target';

/** The ConfigMap the bootstrap writes on every cluster it creates; destroy refuses a cluster without it. */
export const BOOTSTRAP_MARKER = { namespace: 'kube-system', name: 'infraflux-bootstrap', createdBy: 'hack/bootstrap.sh' } as const;

/** `kubectl --kubeconfig <kc> …`. */
export function kubectl(kubeconfig: string, args: readonly string[], extra: Pick<Command, 'stdin' | 'stdoutTo' | 'stdoutBase64'> = {}): Command {
  return cmd('kubectl', ['--kubeconfig', kubeconfig, ...args], extra);
}

/** A probe: `kubectl get <resource> <name> -n <ns> -o name` succeeds (the object exists). */
export function exists(kubeconfig: string, resource: string, name: string, namespace?: string): Probe {
  return { command: kubectl(kubeconfig, ['get', resource, name, ...(namespace ? ['-n', namespace] : []), '-o', 'name']) };
}

/** A probe: the object does not exist, or its cluster is gone. */
export function absent(kubeconfig: string, resource: string, name: string, namespace?: string): Probe {
  return { ...exists(kubeconfig, resource, name, namespace), fails: true };
}

/** A probe: the object's condition `type` is `True`. */
export function conditionTrue(kubeconfig: string, resource: string, name: string, namespace: string, type: string): Probe {
  return {
    command: kubectl(kubeconfig, ['get', resource, name, '-n', namespace, '-o', `jsonpath={.status.conditions[?(@.type=="${type}")].status}`]),
    stdoutIncludes: ['True'],
  };
}

const CLUSTER = 'clusters.cluster.x-k8s.io';
const KUSTOMIZATION = 'kustomizations.kustomize.toolkit.fluxcd.io';
const HELMRELEASE = 'helmreleases.helm.toolkit.fluxcd.io';

/** The providers `clusterctl init` installs for the target, as `<flag> <name>:<version>`. */
export function clusterctlProviders(target: BootstrapTarget): Array<{ flag: string; provider: CapiProvider; version: string }> {
  const v = target.versions;
  const list: Array<{ flag: string; provider: CapiProvider }> = [
    { flag: '--core', provider: CapiProvider.CORE },
    { flag: '--bootstrap', provider: CapiProvider.TALOS_BOOTSTRAP },
    { flag: '--control-plane', provider: CapiProvider.TALOS_CONTROL_PLANE },
    { flag: '--infrastructure', provider: target.provider.infrastructure },
    ...(target.provider.ipam ? [{ flag: '--ipam', provider: target.provider.ipam }] : []),
  ];
  return list.map((p) => ({ ...p, version: p.provider.version(v) }));
}

/** The clusterctl Provider object name of a provider (`infrastructure-aws`, `bootstrap-talos`, `cluster-api`). */
function clusterctlObjectName(flag: string, provider: CapiProvider): string {
  return flag === '--core' ? provider.name : `${flag.slice(2)}-${provider.name}`;
}

/** `clusterctl init` on `kubeconfig` with the pinned providers, and its detection. */
export function clusterctlInitStep(id: string, target: BootstrapTarget, kubeconfig: string, where: string): BootstrapStep {
  const providers = clusterctlProviders(target);
  return {
    id,
    description: `install Cluster API core, Talos bootstrap/control-plane and ${target.provider.infrastructure.name} providers (pinned) on ${where}`,
    commands: [
      cmd('clusterctl', [
        'init',
        '--kubeconfig',
        kubeconfig,
        ...providers.flatMap((p) => [p.flag, `${p.provider.name}:${p.version}`]),
        '--wait-providers',
        '--wait-provider-timeout',
        '600',
      ]),
    ],
    waitsFor: 'every provider Deployment Available (--wait-providers)',
    detect: [
      [
        {
          command: kubectl(kubeconfig, ['get', 'providers.clusterctl.cluster.x-k8s.io', '-A', '-o', 'jsonpath={range .items[*]}{.metadata.name}:{.version}{" "}{end}']),
          stdoutIncludes: providers.map((p) => `${clusterctlObjectName(p.flag, p.provider)}:${p.version}`),
        },
      ],
    ],
    timeoutSeconds: 900,
    retries: 2,
    sideEffects: true,
  };
}

function kindSteps(target: BootstrapTarget): BootstrapStep[] {
  const name = target.kindClusterName;
  const config = join(target.workdir, 'kind.yaml');
  return [
    {
      id: 'kind-create',
      description: `create the ephemeral kind cluster ${name}`,
      writes: [
        {
          path: config,
          content: stringify({
            kind: 'Cluster',
            apiVersion: 'kind.x-k8s.io/v1alpha4',
            networking: { apiServerAddress: '127.0.0.1', apiServerPort: target.kindApiServerPort },
          }),
        },
      ],
      commands: [cmd('kind', ['create', 'cluster', '--name', name, '--config', config, '--kubeconfig', target.kindKubeconfig, '--wait', '120s'])],
      waitsFor: 'the kind control plane Ready (--wait 120s)',
      detect: [[{ command: cmd('kind', ['get', 'clusters']), stdoutIncludes: [name] }]],
      timeoutSeconds: 300,
      retries: 1,
      sideEffects: true,
    },
    {
      id: 'kind-kubeconfig',
      description: `write the kind cluster's kubeconfig to ${target.kindKubeconfig}`,
      commands: [cmd('kind', ['get', 'kubeconfig', '--name', name], { stdoutTo: target.kindKubeconfig })],
      waitsFor: 'nothing (a local file)',
      detect: [[{ file: target.kindKubeconfig }, { command: kubectl(target.kindKubeconfig, ['get', '--raw', '/readyz']) }]],
      timeoutSeconds: 60,
      retries: 1,
      sideEffects: false,
    },
    markerStep('kind-marker', target, target.kindKubeconfig, `the kind cluster ${name}`),
  ];
}

function markerStep(id: string, target: BootstrapTarget, kubeconfig: string, what: string): BootstrapStep {
  return {
    id,
    description: `mark ${what} as created by this bootstrap (destroy refuses clusters without the marker)`,
    commands: [
      kubectl(kubeconfig, [
        'create',
        'configmap',
        BOOTSTRAP_MARKER.name,
        '-n',
        BOOTSTRAP_MARKER.namespace,
        `--from-literal=created-by=${BOOTSTRAP_MARKER.createdBy}`,
        `--from-literal=provider=${target.provider.name}`,
        `--from-literal=via=${target.via.name}`,
        `--from-literal=cluster=${target.managementCluster}`,
      ]),
    ],
    waitsFor: 'nothing',
    detect: [[exists(kubeconfig, 'configmap', BOOTSTRAP_MARKER.name, BOOTSTRAP_MARKER.namespace)]],
    timeoutSeconds: 60,
    retries: 2,
    sideEffects: true,
  };
}

function docs(text: string, file: string): Record<string, unknown>[] {
  return parseAllDocuments(text).map((d) => {
    if (d.errors.length) throw new InfraFluxError(ErrorCode.YAML_PARSE, file, d.errors[0].message);
    return d.toJSON() as Record<string, unknown>;
  });
}

/**
 * The management cluster's Cilium, applied to the kind cluster as a remote Flux HelmRelease
 * (decision 0101): the same chart, version and values ConfigMap as dist/<mgmt>/releases/cilium,
 * with `kubeConfig.secretRef` to the management cluster's kubeconfig Secret, `targetNamespace` and
 * `storageNamespace` kube-system and the same release name, so the management cluster's own
 * helm-controller later finds and adopts the same Helm release.
 * @throws InfraFluxError BOOTSTRAP_PREFLIGHT_FAILED when dist/ lacks the files (run `npm run synth`)
 */
export function remoteCniManifest(target: BootstrapTarget, read: (file: string) => string = (f) => readFileSync(f, 'utf8')): string {
  const release = join(target.managementDist, 'releases', 'cilium', 'helmrelease-cilium.yaml');
  const values = join(target.managementDist, 'releases', 'cilium', 'configmap-cilium-values.yaml');
  const repository = join(target.managementDist, 'flux-system', 'helmrepository-cilium.yaml');
  let texts: string[];
  try {
    texts = [repository, values, release].map((f) => read(f));
  } catch (e) {
    throw new InfraFluxError(
      ErrorCode.BOOTSTRAP_PREFLIGHT_FAILED,
      target.managementDist,
      `the management cluster's Cilium release is not in dist/ (${(e as Error).message}); run \`npm run synth\` first`,
    );
  }
  const ns = target.managementNamespace;
  const [repo] = docs(texts[0], repository);
  const [cm] = docs(texts[1], values);
  const [hr] = docs(texts[2], release);
  const meta = (o: Record<string, unknown>): Record<string, unknown> => ({ ...(o.metadata as object), namespace: ns });
  const spec = hr.spec as Record<string, any>;
  const objects = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    { ...repo, metadata: meta(repo) },
    { ...cm, metadata: meta(cm) },
    {
      ...hr,
      metadata: meta(hr),
      spec: {
        ...spec,
        chart: { ...spec.chart, spec: { ...spec.chart.spec, sourceRef: { ...spec.chart.spec.sourceRef, namespace: ns } } },
        kubeConfig: { secretRef: { name: `${target.managementCluster}-kubeconfig`, key: 'value' } },
        // Under the Flux lockdown the HelmRelease lives in flux-system and names its target (decision 0094).
        targetNamespace: spec.targetNamespace ?? (hr.metadata as { namespace: string }).namespace,
        storageNamespace: spec.storageNamespace ?? spec.targetNamespace ?? (hr.metadata as { namespace: string }).namespace,
        releaseName: spec.releaseName ?? (hr.metadata as { name: string }).name,
      },
    },
  ];
  return objects.map((o) => stringify(o)).join('---\n');
}

/** Options of {@link planBootstrap}. */
export interface PlanOptions {
  /** Reads dist/ files (tests inject). @default fs.readFileSync */
  readonly read?: (file: string) => string;
}

/**
 * The ordered bootstrap plan for the target (decision 0100): kind → clusterctl init → the
 * management cluster's Cluster API objects (or the Terraform stack) → its control plane → Cilium
 * through Flux on kind → bootstrap roots → Flux against this repository → providers Ready on the
 * management cluster → `clusterctl move` → delete kind.
 */
export function planBootstrap(target: BootstrapTarget, options: PlanOptions = {}): BootstrapStep[] {
  const K = target.kindKubeconfig;
  const M = target.managementKubeconfig;
  const m = target.managementCluster;
  const ns = target.managementNamespace;
  const capi = target.via === BootstrapVia.CLUSTER_API;
  // Once the management cluster holds its own Cluster object, kind-side steps are done for good.
  const moved: Probe[] = [exists(M, CLUSTER, m, ns)];
  const pivoted = (probes: Probe[]): Probe[][] => (capi ? [probes, moved] : [probes]);
  const tf = target.terraformStack;
  const steps: BootstrapStep[] = [];

  // Kind steps are skipped once the management cluster runs Flux (the end state no longer has kind).
  const done: Probe[] = capi ? moved : [exists(M, KUSTOMIZATION, 'flux-system', 'flux-system'), { command: cmd('kind', ['get', 'clusters']), linesExclude: [target.kindClusterName] }];
  for (const s of kindSteps(target)) steps.push({ ...s, detect: [...s.detect, done] });
  if (capi) {
    const init = clusterctlInitStep('clusterctl-init', target, K, 'the kind cluster');
    steps.push({ ...init, detect: pivoted([...init.detect[0]]) });
  }
  steps.push({
    id: 'kind-flux',
    description: `install Flux ${target.versions.flux} (source and helm controllers) on kind, to install the management cluster's CNI`,
    commands: [cmd('flux', ['install', '--kubeconfig', K, '--version', target.versions.flux, '--components', 'source-controller,helm-controller', '--network-policy=false'])],
    waitsFor: 'the Flux controllers Ready (flux install waits)',
    detect: [[exists(K, 'deployment', 'helm-controller', 'flux-system')], done],
    timeoutSeconds: 600,
    retries: 2,
    sideEffects: true,
  });

  if (capi) {
    steps.push({
      id: 'management-objects',
      description: `apply the management cluster's Cluster API objects (${target.managementObjects}) to kind`,
      ...(target.managementObjectsYaml !== undefined ? { writes: [{ path: target.managementObjects, content: target.managementObjectsYaml }] } : {}),
      commands: [kubectl(K, ['apply', '--server-side', '-R', '-f', target.managementObjects])],
      waitsFor: 'the API server accepting the objects',
      detect: pivoted([exists(K, CLUSTER, m, ns)]),
      timeoutSeconds: 120,
      retries: 3,
      sideEffects: true,
    });
    steps.push({
      id: 'control-plane',
      description: `wait until the first control plane of ${m} is initialized (Talos booted, etcd and the API up)`,
      commands: [kubectl(K, ['wait', '--for=condition=ControlPlaneInitialized', `${CLUSTER}/${m}`, '-n', ns, '--timeout=1800s'])],
      waitsFor: `Cluster ${ns}/${m} condition ControlPlaneInitialized (nodes stay NotReady until the CNI runs)`,
      detect: pivoted([conditionTrue(K, CLUSTER, m, ns, 'ControlPlaneInitialized')]),
      timeoutSeconds: 1900,
      retries: 0,
      sideEffects: false,
    });
    steps.push({
      id: 'management-kubeconfig',
      description: `write ${m}'s kubeconfig (from Cluster API) to ${M}`,
      commands: [cmd('clusterctl', ['get', 'kubeconfig', m, '-n', ns, '--kubeconfig', K], { stdoutTo: M })],
      waitsFor: 'nothing (a local file)',
      detect: [[{ file: M }, { command: kubectl(M, ['get', '--raw', '/readyz']) }]],
      timeoutSeconds: 60,
      retries: 3,
      sideEffects: false,
    });
  } else if (tf) {
    steps.push({
      id: 'terraform-apply',
      description: `create the management cluster with the Terraform stack ${tf.dir}`,
      commands: [cmd('terraform', [`-chdir=${tf.dir}`, 'init', '-input=false']), cmd('terraform', [`-chdir=${tf.dir}`, 'apply', '-auto-approve', '-input=false'])],
      waitsFor: 'Terraform: the VMs, the Talos bootstrap and the Talos health check of the stack',
      detect: [[{ command: cmd('terraform', [`-chdir=${tf.dir}`, 'output', '-raw', tf.kubeconfigOutput]), stdoutIncludes: ['apiVersion'] }]],
      timeoutSeconds: 2400,
      retries: 1,
      sideEffects: true,
    });
    steps.push({
      id: 'management-kubeconfig',
      description: `write ${m}'s kubeconfig (Terraform output ${tf.kubeconfigOutput}) to ${M}`,
      commands: [cmd('terraform', [`-chdir=${tf.dir}`, 'output', '-raw', tf.kubeconfigOutput], { stdoutTo: M })],
      waitsFor: 'nothing (a local file)',
      detect: [[{ file: M }, { command: kubectl(M, ['get', '--raw', '/readyz']) }]],
      timeoutSeconds: 60,
      retries: 1,
      sideEffects: false,
    });
    steps.push({
      id: 'management-talosconfig',
      description: `write ${m}'s talosconfig (Terraform output ${tf.talosconfigOutput}) to ${target.managementTalosconfig}`,
      commands: [cmd('terraform', [`-chdir=${tf.dir}`, 'output', '-raw', tf.talosconfigOutput], { stdoutTo: target.managementTalosconfig })],
      waitsFor: 'nothing (a local file)',
      detect: [[{ file: target.managementTalosconfig }]],
      timeoutSeconds: 60,
      retries: 1,
      sideEffects: false,
    });
    steps.push({
      id: 'kind-management-kubeconfig',
      description: `give kind's helm-controller ${m}'s kubeconfig (Secret ${ns}/${m}-kubeconfig, the name Cluster API would write)`,
      commands: [
        kubectl(K, ['apply', '-f', '-'], { stdin: stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }) }),
        kubectl(K, ['create', 'secret', 'generic', `${m}-kubeconfig`, '-n', ns, `--from-file=value=${M}`]),
      ],
      waitsFor: 'nothing',
      detect: [[exists(K, 'secret', `${m}-kubeconfig`, ns)], done],
      timeoutSeconds: 60,
      retries: 2,
      sideEffects: true,
    });
  }

  steps.push(markerStep('management-marker', target, M, `the management cluster ${m}`));
  for (const supplier of target.suppliers) {
    const input = target.externalInputs.find((i) => externalInputKey(i) === supplier.input);
    if (!input || !supplier.commands) continue;
    const resource = input.group ? `${input.kind.toLowerCase()}.${input.group}` : input.kind.toLowerCase();
    steps.push({
      id: `input-${(input.namespace ?? 'cluster')}-${input.name}`,
      description: `provide the declared external input ${input.kind} ${input.namespace ? `${input.namespace}/` : ''}${input.name} (${input.consumer})`,
      commands: [
        ...(input.namespace ? [kubectl(M, ['apply', '-f', '-'], { stdin: stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: input.namespace } }) })] : []),
        ...supplier.commands(M),
      ],
      waitsFor: 'nothing',
      detect: [[exists(M, resource, input.name, input.namespace)]],
      timeoutSeconds: 60,
      retries: 2,
      sideEffects: true,
    });
  }
  steps.push({
    id: 'cni',
    description: `install Cilium ${target.versions.ciliumChart} on ${m} from kind's Flux, with the values of ${join(target.managementDist, 'releases', 'cilium')} (Flux on ${m} adopts the release)`,
    commands: [kubectl(K, ['apply', '--server-side', '-f', '-'], { stdin: remoteCniManifest(target, options.read) })],
    waitsFor: `HelmRelease ${ns}/cilium on kind applied; the agent DaemonSet on ${m}`,
    detect: [[exists(M, 'daemonset', 'cilium', 'kube-system')]],
    timeoutSeconds: 120,
    retries: 3,
    sideEffects: true,
  });
  steps.push({
    id: 'cni-ready',
    description: `wait until every node of ${m} is Ready (Cilium running)`,
    commands: [kubectl(M, ['wait', '--for=condition=Ready', 'nodes', '--all', '--timeout=900s'])],
    waitsFor: 'all nodes Ready',
    detect: [[{ command: kubectl(M, ['wait', '--for=condition=Ready', 'nodes', '--all', '--timeout=5s']) }]],
    timeoutSeconds: 960,
    retries: 1,
    sideEffects: false,
  });
  if (capi) {
    steps.push({
      id: 'management-talosconfig',
      description: `write ${m}'s talosconfig (Secret ${ns}/${m}-talosconfig of the Talos control-plane provider) to ${target.managementTalosconfig}`,
      commands: [
        kubectl(K, ['get', 'secret', `${m}-talosconfig`, '-n', ns, '-o', 'jsonpath={.data.talosconfig}'], { stdoutTo: target.managementTalosconfig, stdoutBase64: true }),
      ],
      waitsFor: 'nothing (a local file)',
      detect: [[{ file: target.managementTalosconfig }], moved],
      timeoutSeconds: 60,
      retries: 2,
      sideEffects: false,
    });
  }
  steps.push({
    id: 'flux-install',
    description: `install Flux ${target.versions.flux} on ${m}`,
    commands: [cmd('flux', ['install', '--kubeconfig', M, '--version', target.versions.flux])],
    waitsFor: 'the Flux controllers Ready (flux install waits)',
    detect: [[exists(M, 'deployment', 'kustomize-controller', 'flux-system'), exists(M, 'deployment', 'helm-controller', 'flux-system')]],
    timeoutSeconds: 600,
    retries: 2,
    sideEffects: true,
  });
  const fluxSystem = join(target.managementDist, 'flux-system');
  steps.push({
    id: 'flux-sync',
    description: `point ${m}'s Flux at ${target.repositoryUrl} (${target.branch}): apply ${fluxSystem}/ (GitRepository + Kustomizations)`,
    commands: [kubectl(M, ['apply', '--server-side', '-f', fluxSystem])],
    waitsFor: 'the API server accepting the objects',
    detect: [[exists(M, KUSTOMIZATION, 'flux-system', 'flux-system')]],
    timeoutSeconds: 120,
    retries: 3,
    sideEffects: true,
  });
  steps.push({
    id: 'providers-ready',
    description: `wait until Flux on ${m} has installed Cluster API and its providers (Kustomization capi-providers Ready)`,
    commands: [kubectl(M, ['wait', '--for=condition=Ready', `${KUSTOMIZATION}/capi-providers`, '-n', 'flux-system', '--timeout=1800s'])],
    waitsFor: 'Kustomization flux-system/capi-providers Ready (every provider CR Ready: True)',
    detect: [[conditionTrue(M, KUSTOMIZATION, 'capi-providers', 'flux-system', 'Ready')]],
    timeoutSeconds: 1900,
    retries: 0,
    sideEffects: false,
  });
  if (capi) {
    steps.push({
      id: 'kind-cni-suspend',
      description: `suspend kind's Cilium HelmRelease (its kubeconfig Secret moves to ${m} next; ${m}'s Flux owns the release)`,
      commands: [cmd('flux', ['suspend', 'helmrelease', 'cilium', '-n', ns, '--kubeconfig', K])],
      waitsFor: 'nothing',
      detect: [[{ command: kubectl(K, ['get', HELMRELEASE, 'cilium', '-n', ns, '-o', 'jsonpath={.spec.suspend}']), stdoutIncludes: ['true'] }], moved],
      timeoutSeconds: 60,
      retries: 2,
      sideEffects: true,
    });
    steps.push({
      id: 'clusterctl-move',
      description: `move ${m}'s Cluster API objects from kind to ${m} itself (self-hosted management cluster)`,
      commands: [cmd('clusterctl', ['move', '--kubeconfig', K, '--to-kubeconfig', M, '--namespace', ns])],
      waitsFor: 'clusterctl: objects paused, copied, resumed on the target',
      detect: [moved],
      timeoutSeconds: 900,
      retries: 1,
      sideEffects: true,
    });
  }
  steps.push({
    id: 'kind-delete',
    description: `delete the ephemeral kind cluster ${target.kindClusterName}`,
    commands: [cmd('kind', ['delete', 'cluster', '--name', target.kindClusterName])],
    waitsFor: 'the kind node container removed',
    detect: [[{ command: cmd('kind', ['get', 'clusters']), linesExclude: [target.kindClusterName] }]],
    timeoutSeconds: 300,
    retries: 1,
    sideEffects: true,
  });
  return steps;
}
