import { ErrorCode, InfraFluxError } from '../core/errors';
import { cmd, Exec } from './command';
import { absent, BOOTSTRAP_MARKER, clusterctlInitStep, kubectl } from './plan';
import { BootstrapVia } from './provider';
import { BootstrapStep, Probe } from './step';
import { BootstrapTarget } from './target';

const CLUSTER = 'clusters.cluster.x-k8s.io';

/**
 * The ordered teardown (decision 0103), the reverse of the bootstrap: suspend the management
 * cluster's Flux (or it would recreate what is deleted) → delete the workload clusters through
 * Cluster API and wait until their Cluster objects are gone (Cluster API removes the Cluster only
 * after its infrastructure is deleted) → for a self-hosted management cluster, a new kind cluster,
 * `clusterctl init` and `clusterctl move` back → delete the management cluster's Cluster from
 * kind and wait → delete kind; with `--via terraform`, `terraform destroy` of the stack instead of
 * the move. Every step detects its effect, so a second run changes nothing.
 */
export function planDestroy(target: BootstrapTarget): BootstrapStep[] {
  const K = target.kindKubeconfig;
  const M = target.managementKubeconfig;
  const m = target.managementCluster;
  const ns = target.managementNamespace;
  const capi = target.via === BootstrapVia.CLUSTER_API;
  // The management cluster no longer holds its Cluster object (moved back, deleted, unreachable).
  const mgmtGone: Probe = capi ? absent(M, CLUSTER, m, ns) : { command: kubectl(M, ['get', '--raw', '/readyz']), fails: true };
  const steps: BootstrapStep[] = [];
  steps.push({
    id: 'flux-suspend',
    description: `suspend every Flux Kustomization of ${m}, so Flux does not recreate what is deleted`,
    commands: [cmd('flux', ['suspend', 'kustomization', '--all', '-n', 'flux-system', '--kubeconfig', M])],
    waitsFor: 'nothing',
    detect: [[{ command: kubectl(M, ['get', 'kustomizations.kustomize.toolkit.fluxcd.io', 'flux-system', '-n', 'flux-system', '-o', 'jsonpath={.spec.suspend}']), stdoutIncludes: ['true'] }], [mgmtGone]],
    timeoutSeconds: 120,
    retries: 2,
    sideEffects: true,
  });
  const names = target.workloadClusters.map((w) => w.name);
  if (names.length > 0) {
    steps.push({
      id: 'workload-clusters-delete',
      description: `delete the workload clusters ${names.join(', ')} through Cluster API and wait until their infrastructure is gone`,
      commands: [
        ...target.workloadClusters.map((w) => kubectl(M, ['delete', CLUSTER, w.name, '-n', w.namespace, '--ignore-not-found', '--wait=false'])),
        ...target.workloadClusters.map((w) => kubectl(M, ['wait', '--for=delete', `${CLUSTER}/${w.name}`, '-n', w.namespace, '--timeout=3600s'])),
      ],
      waitsFor: 'each Cluster object deleted (Cluster API removes it after the machines and the infrastructure cluster)',
      detect: [
        [{ command: kubectl(M, ['get', CLUSTER, '-A', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}']), linesExclude: names }],
        [mgmtGone],
      ],
      timeoutSeconds: 3700,
      retries: 1,
      sideEffects: true,
    });
  }
  const kindExists: Probe = { command: cmd('kind', ['get', 'clusters']), stdoutIncludes: [target.kindClusterName] };
  if (capi) {
    steps.push({
      id: 'kind-create',
      description: `create a kind cluster ${target.kindClusterName} to take ${m}'s Cluster API objects back`,
      commands: [cmd('kind', ['create', 'cluster', '--name', target.kindClusterName, '--kubeconfig', K, '--wait', '120s'])],
      waitsFor: 'the kind control plane Ready',
      detect: [[kindExists], [mgmtGone]],
      timeoutSeconds: 300,
      retries: 1,
      sideEffects: true,
    });
    steps.push({
      id: 'kind-kubeconfig',
      description: `write the kind cluster's kubeconfig to ${K}`,
      commands: [cmd('kind', ['get', 'kubeconfig', '--name', target.kindClusterName], { stdoutTo: K })],
      waitsFor: 'nothing (a local file)',
      detect: [[{ file: K }, { command: kubectl(K, ['get', '--raw', '/readyz']) }], [mgmtGone]],
      timeoutSeconds: 60,
      retries: 1,
      sideEffects: false,
    });
    const init = clusterctlInitStep('clusterctl-init', target, K, 'the kind cluster');
    steps.push({ ...init, detect: [...init.detect, [mgmtGone]] });
    steps.push({
      id: 'clusterctl-move-back',
      description: `move ${m}'s Cluster API objects back to kind (a cluster cannot delete itself)`,
      commands: [cmd('clusterctl', ['move', '--kubeconfig', M, '--to-kubeconfig', K, '--namespace', ns])],
      waitsFor: 'clusterctl: objects paused, copied, resumed on kind',
      detect: [[mgmtGone]],
      timeoutSeconds: 900,
      retries: 1,
      sideEffects: true,
    });
    steps.push({
      id: 'management-delete',
      description: `delete the management cluster ${m} through Cluster API and wait until its infrastructure is gone`,
      commands: [
        kubectl(K, ['delete', CLUSTER, m, '-n', ns, '--ignore-not-found', '--wait=false']),
        kubectl(K, ['wait', '--for=delete', `${CLUSTER}/${m}`, '-n', ns, '--timeout=3600s']),
      ],
      waitsFor: `Cluster ${ns}/${m} deleted on kind`,
      detect: [[absent(K, CLUSTER, m, ns), mgmtGone]],
      timeoutSeconds: 3700,
      retries: 1,
      sideEffects: true,
    });
  } else if (target.terraformStack) {
    const dir = target.terraformStack.dir;
    steps.push({
      id: 'terraform-destroy',
      description: `destroy the Terraform stack ${dir} (the management cluster's VMs)`,
      commands: [cmd('terraform', [`-chdir=${dir}`, 'init', '-input=false']), cmd('terraform', [`-chdir=${dir}`, 'destroy', '-auto-approve', '-input=false'])],
      waitsFor: 'Terraform: every resource of the stack destroyed',
      detect: [[{ command: cmd('terraform', [`-chdir=${dir}`, 'state', 'list']), stdoutEmpty: true }]],
      timeoutSeconds: 1800,
      retries: 1,
      sideEffects: true,
    });
  }
  steps.push({
    id: 'kind-delete',
    description: `delete the kind cluster ${target.kindClusterName}`,
    commands: [cmd('kind', ['delete', 'cluster', '--name', target.kindClusterName])],
    waitsFor: 'the kind node container removed',
    detect: [[{ command: cmd('kind', ['get', 'clusters']), linesExclude: [target.kindClusterName] }]],
    timeoutSeconds: 300,
    retries: 1,
    sideEffects: true,
  });
  return steps;
}

/**
 * Refuses to destroy clusters this tool did not create: each reachable cluster (the management
 * cluster through its kubeconfig, the kind cluster) must carry the bootstrap marker ConfigMap.
 * Unreachable clusters are not refused: there is nothing to delete through them.
 * @throws InfraFluxError BOOTSTRAP_NOT_CREATED_HERE naming each unmarked cluster, unless `force`
 */
export async function assertCreatedByBootstrap(target: BootstrapTarget, exec: Exec, force = false): Promise<void> {
  const problems: string[] = [];
  const clusters: Array<{ what: string; kubeconfig: string; reachable: () => Promise<boolean> }> = [
    { what: `management cluster ${target.managementCluster} (${target.managementKubeconfig})`, kubeconfig: target.managementKubeconfig, reachable: async () => true },
    {
      what: `kind cluster ${target.kindClusterName}`,
      kubeconfig: target.kindKubeconfig,
      reachable: async () => {
        const r = await exec.run(cmd('kind', ['get', 'clusters']));
        return r.code === 0 && r.stdout.split('\n').map((l) => l.trim()).includes(target.kindClusterName);
      },
    },
  ];
  for (const c of clusters) {
    if (!(await c.reachable())) continue;
    const up = await exec.run(kubectl(c.kubeconfig, ['get', '--raw', '/readyz']));
    if (up.code !== 0) continue;
    const marker = await exec.run(kubectl(c.kubeconfig, ['get', 'configmap', BOOTSTRAP_MARKER.name, '-n', BOOTSTRAP_MARKER.namespace, '-o', 'jsonpath={.data.created-by}']));
    if (marker.code !== 0 || !marker.stdout.includes(BOOTSTRAP_MARKER.createdBy)) {
      problems.push(`${c.what} has no ConfigMap ${BOOTSTRAP_MARKER.namespace}/${BOOTSTRAP_MARKER.name} with created-by=${BOOTSTRAP_MARKER.createdBy}: hack/bootstrap.sh did not create it`);
    }
  }
  if (problems.length > 0 && !force) {
    throw new InfraFluxError(ErrorCode.BOOTSTRAP_NOT_CREATED_HERE, 'hack/destroy.sh', `${problems.join('; ')}. Refusing to delete it; pass --force to delete it anyway`);
  }
}

