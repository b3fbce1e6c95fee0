/**
 * The recorded fake toolchain: `kind`, `clusterctl`, `kubectl`, `flux`, `talosctl`, `terraform`,
 * `cilium`, `docker`, the cloud CLIs and `curl`, answering from a small JSON state model of the
 * clusters they act on. Every call is recorded (argv, one line each). Used in-process through
 * {@link fakeExec} (fast) and as real executables on PATH by {@link installFakeBin} (a few
 * end-to-end tests of hack/cli.ts).
 *
 * The model is deliberately strict where the real tools would hurt a repeated run: `kind create`
 * of an existing cluster, `clusterctl init` of an initialized cluster and `kubectl create` of an
 * existing object fail, so a plan that repeats a side effect fails its test.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Command, Exec, ExecResult } from '../../../lib/bootstrap';

interface Obj {
  kind: string;
  namespace: string;
  name: string;
  data?: Record<string, string>;
  conditions?: Record<string, string>;
  suspend?: boolean;
  spec?: Record<string, any>;
  status?: Record<string, any>;
}

interface FakeCluster {
  objects: Record<string, Obj>;
  /** clusterctl Provider objects: `<name>:<version>`. */
  providers: string[];
  nodesReady: boolean;
}

/** The whole world the fake tools see (JSON-serializable: the executables keep it in a file). */
export interface WorldState {
  kind: string[];
  clusters: Record<string, FakeCluster>;
  terraform: Record<string, string[]>;
  /** Versions the tools report. */
  versions: Record<string, string>;
  /** Admission lets a privileged pod in (verify must then FAIL its policy check). */
  admitPrivileged?: boolean;
}

export function emptyWorld(versions: Record<string, string> = {}): WorldState {
  return {
    kind: [],
    clusters: {},
    terraform: {},
    versions: {
      kind: '0.30.0',
      docker: '27.3.1',
      clusterctl: 'v1.12.11',
      kubectl: 'v1.35.2',
      flux: 'v2.9.4',
      talosctl: 'v1.12.11',
      cilium: 'v0.18.3',
      terraform: '1.9.8',
      aws: '2.17.0',
      az: '2.64.0',
      gcloud: '500.0.0',
      curl: '8.5.0',
      ...versions,
    },
  };
}

const KIND_OF: Record<string, string> = {
  cluster: 'Cluster',
  clusters: 'Cluster',
  'clusters.cluster.x-k8s.io': 'Cluster',
  configmap: 'ConfigMap',
  secret: 'Secret',
  deployment: 'Deployment',
  daemonset: 'DaemonSet',
  ds: 'DaemonSet',
  namespace: 'Namespace',
  kustomization: 'Kustomization',
  'kustomizations.kustomize.toolkit.fluxcd.io': 'Kustomization',
  helmrelease: 'HelmRelease',
  'helmreleases.helm.toolkit.fluxcd.io': 'HelmRelease',
  services: 'Service',
  'httproutes.gateway.networking.k8s.io': 'HTTPRoute',
  'certificates.cert-manager.io': 'Certificate',
};

const ok = (stdout = ''): ExecResult => ({ code: 0, stdout, stderr: '' });
const fail = (stderr: string, code = 1): ExecResult => ({ code, stdout: '', stderr });
const key = (kind: string, ns: string, name: string): string => `${kind}/${ns}/${name}`;
export const kubeconfigFor = (id: string): string => `# fake kubeconfig\napiVersion: v1\nkind: Config\n# cluster=${id}\n`;

function flag(args: readonly string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name) return args[i + 1];
    if (args[i].startsWith(`${name}=`)) return args[i].slice(name.length + 1);
  }
  return undefined;
}

/** Positional arguments (flags and their values removed). */
function positional(args: readonly string[], valued: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    if (valued.includes(a)) i++;
    else if (!a.startsWith('-')) out.push(a);
  }
  return out;
}

function jsonpath(template: string, root: any): string {
  const get = (path: string, obj: any): any => {
    let cur = obj;
    const re = /\.([A-Za-z0-9_-]+)|\[\?\(@\.type=="([^"]+)"\)\]/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(path))) {
      if (cur === undefined) return undefined;
      cur = m[1] !== undefined ? cur[m[1]] : (cur as any[]).find((c) => c.type === m![2]);
    }
    return cur;
  };
  const range = /^\{range \.items\[\*\]\}(.*)\{end\}$/.exec(template);
  const render = (tpl: string, obj: any): string =>
    tpl.replace(/\{"([^"]*)"\}|\{([^}]+)\}/g, (_m, lit: string | undefined, path: string | undefined) =>
      lit !== undefined ? lit.replace(/\\n/g, '\n') : String(get(path!, obj) ?? ''),
    );
  if (range) return (root.items as any[]).map((i) => render(range[1], i)).join('');
  return render(template, root);
}

function toJson(o: Obj): Record<string, any> {
  return {
    kind: o.kind,
    metadata: { name: o.name, namespace: o.namespace },
    ...(o.data ? { data: o.data } : {}),
    spec: { ...(o.spec ?? {}), ...(o.suspend !== undefined ? { suspend: o.suspend } : {}) },
    status: { ...(o.status ?? {}), conditions: Object.entries(o.conditions ?? {}).map(([type, status]) => ({ type, status })) },
  };
}

function yamlFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((f) => yamlFiles(join(path, f)))
    .filter((f) => /\.ya?ml$/.test(f));
}

/** The fake world: one call = one tool invocation. */
export class FakeWorld {
  public readonly log: string[] = [];

  public constructor(
    public state: WorldState = emptyWorld(),
    private readonly env: NodeJS.ProcessEnv = {},
  ) {}

  /** Runs one fake tool call and records it. */
  public run(command: Command): ExecResult {
    this.log.push([command.program, ...command.args].join(' '));
    const a = command.args;
    const v = this.state.versions;
    switch (command.program) {
      case 'docker':
        return ok(`${v.docker}\n`);
      case 'kind':
        return this.kind(a);
      case 'clusterctl':
        return this.clusterctl(a);
      case 'kubectl':
        return this.kubectl(a, command.stdin);
      case 'flux':
        return this.flux(a);
      case 'terraform':
        return this.terraform(a);
      case 'talosctl':
        return ok(`Client:\n\tTalos ${v.talosctl}\n`);
      case 'cilium':
        return this.cilium(a);
      case 'aws':
        if (a[0] === '--version') return ok(`aws-cli/${v.aws} Python/3.12.6 Linux/6.8\n`);
        return this.env.AWS_B64ENCODED_CREDENTIALS && this.env.AWS_B64ENCODED_CREDENTIALS !== 'bad' ? ok('{"Account":"123456789012"}') : fail('An error occurred (InvalidClientTokenId)', 254);
      case 'az':
        if (a[0] === 'version') return ok(`{"azure-cli": "${v.az}"}`);
        return this.env.AZURE_CLIENT_ID ? ok('{"id":"sub"}') : fail('Please run az login');
      case 'gcloud':
        if (a[0] === 'version') return ok(`{"Google Cloud SDK": "${v.gcloud}"}`);
        return this.env.GCP_B64ENCODED_CREDENTIALS ? ok(`${a[2]}\n`) : fail('ERROR: (gcloud) not authenticated');
      case 'curl':
        return this.curl(a, command.stdin ?? '');
      case 'true':
        return ok();
      default:
        return fail(`${command.program}: command not found`, 127);
    }
  }

  private cluster(kubeconfig: string | undefined): FakeCluster | ExecResult {
    if (!kubeconfig || !existsSync(kubeconfig)) return fail(`error: stat ${kubeconfig}: no such file or directory`);
    const id = /# cluster=(\S+)/.exec(readFileSync(kubeconfig, 'utf8'))?.[1];
    const c = id ? this.state.clusters[id] : undefined;
    return c ?? fail('The connection to the server was refused - did you specify the right host or port?');
  }

  private newCluster(id: string): void {
    this.state.clusters[id] = { objects: { [key('Namespace', '', 'kube-system')]: { kind: 'Namespace', namespace: '', name: 'kube-system' } }, providers: [], nodesReady: id.startsWith('kind-') };
  }

  private kind(a: readonly string[]): ExecResult {
    const name = flag(a, '--name') ?? 'kind';
    if (a[0] === 'version') return ok(`kind v${this.state.versions.kind} go1.24.2 linux/amd64\n`);
    if (a[0] === 'get' && a[1] === 'clusters') return this.state.kind.length ? ok(`${this.state.kind.join('\n')}\n`) : { code: 0, stdout: '', stderr: 'No kind clusters found.\n' };
    if (a[0] === 'get' && a[1] === 'kubeconfig') return this.state.kind.includes(name) ? ok(kubeconfigFor(`kind-${name}`)) : fail(`could not locate any control plane nodes for cluster named '${name}'`);
    if (a[0] === 'create') {
      if (this.state.kind.includes(name)) return fail(`ERROR: failed to create cluster: node(s) already exist for a cluster with the name "${name}"`);
      this.state.kind.push(name);
      this.newCluster(`kind-${name}`);
      const kc = flag(a, '--kubeconfig');
      if (kc) {
        mkdirSync(dirname(kc), { recursive: true });
        writeFileSync(kc, kubeconfigFor(`kind-${name}`));
      }
      return ok(`Creating cluster "${name}" ...\n`);
    }
    if (a[0] === 'delete') {
      this.state.kind = this.state.kind.filter((k) => k !== name);
      delete this.state.clusters[`kind-${name}`];
      return ok(`Deleting cluster "${name}" ...\n`);
    }
    return fail(`kind: unknown ${a.join(' ')}`);
  }

  private clusterctl(a: readonly string[]): ExecResult {
    if (a[0] === 'version') return ok(`${this.state.versions.clusterctl}\n`);
    const c = this.cluster(flag(a, '--kubeconfig'));
    if ('code' in c) return c;
    if (a[0] === 'init') {
      if (c.providers.length) return fail('Error: there is already an instance of the "cluster-api" provider installed');
      for (const f of ['--core', '--bootstrap', '--control-plane', '--infrastructure', '--ipam', '--addon']) {
        const val = flag(a, f);
        if (!val) continue;
        const [name, version] = val.split(':');
        c.providers.push(`${f === '--core' ? name : `${f.slice(2)}-${name}`}:${version}`);
      }
      return ok('Your management cluster has been initialized successfully!\n');
    }
    if (a[0] === 'get' && a[1] === 'kubeconfig') {
      const s = c.objects[key('Secret', flag(a, '-n') ?? 'default', `${a[2]}-kubeconfig`)];
      return s ? ok(s.data!.value) : fail(`Error: "${a[2]}-kubeconfig" not found`);
    }
    if (a[0] === 'move') {
      const to = this.cluster(flag(a, '--to-kubeconfig'));
      if ('code' in to) return to;
      if (!to.providers.length) return fail('Error: failed to get provider components for the target cluster: no providers installed');
      const ns = flag(a, '--namespace') ?? 'default';
      const clusters = Object.values(c.objects).filter((o) => o.kind === 'Cluster' && o.namespace === ns).map((o) => o.name);
      for (const [k, o] of Object.entries(c.objects)) {
        if (o.namespace === ns && (o.kind === 'Cluster' || clusters.some((n) => o.kind === 'Secret' && o.name.startsWith(`${n}-`)))) {
          to.objects[k] = o;
          delete c.objects[k];
        }
      }
      return ok(`Moving Cluster API objects Clusters=${clusters.length}\n`);
    }
    return fail(`clusterctl: unknown ${a.join(' ')}`);
  }

  private apply(c: FakeCluster, doc: Record<string, any>): string | undefined {
    const kind = doc.kind as string;
    const name = doc.metadata?.name as string;
    const ns = (doc.metadata?.namespace as string | undefined) ?? (kind === 'Namespace' ? '' : 'default');
    if (kind === 'Cluster' && !c.providers.length) return `error: resource mapping not found for name: "${name}": no matches for kind "Cluster" in version "cluster.x-k8s.io/v1beta2"`;
    const obj: Obj = { kind, namespace: ns, name, spec: doc.spec, ...(doc.data ? { data: doc.data } : {}) };
    c.objects[key(kind, ns, name)] = obj;
    if (kind === 'Cluster') {
      const id = `capi-${name}`;
      if (!this.state.clusters[id]) this.newCluster(id);
      obj.conditions = { ControlPlaneInitialized: 'True' };
      c.objects[key('Secret', ns, `${name}-kubeconfig`)] = { kind: 'Secret', namespace: ns, name: `${name}-kubeconfig`, data: { value: kubeconfigFor(id) } };
      c.objects[key('Secret', ns, `${name}-talosconfig`)] = { kind: 'Secret', namespace: ns, name: `${name}-talosconfig`, data: { talosconfig: Buffer.from(`context: ${name}\n`).toString('base64') } };
    }
    if (kind === 'HelmRelease' && doc.spec?.kubeConfig) {
      const secret = c.objects[key('Secret', ns, doc.spec.kubeConfig.secretRef.name)];
      const id = secret ? /# cluster=(\S+)/.exec(secret.data?.value ?? '')?.[1] : undefined;
      const target = id ? this.state.clusters[id] : undefined;
      const controller = c.objects[key('Deployment', 'flux-system', 'helm-controller')];
      if (target && controller) {
        target.objects[key('DaemonSet', 'kube-system', 'cilium')] = { kind: 'DaemonSet', namespace: 'kube-system', name: 'cilium' };
        target.nodesReady = true;
        obj.conditions = { Ready: 'True' };
      } else {
        obj.conditions = { Ready: 'False' };
      }
    }
    if (kind === 'Kustomization' && name === 'flux-system' && ns === 'flux-system') {
      const synced = c.objects[key('Deployment', 'flux-system', 'kustomize-controller')] && c.objects[key('Secret', 'flux-system', 'flux-system')];
      obj.conditions = { Ready: synced ? 'True' : 'False' };
      if (synced) {
        // Flux reconciles dist/: cluster-api-operator installs every provider, Flux adopts Cilium.
        c.objects[key('Kustomization', 'flux-system', 'capi-providers')] = { kind: 'Kustomization', namespace: 'flux-system', name: 'capi-providers', conditions: { Ready: 'True' } };
        c.objects[key('HelmRelease', 'kube-system', 'cilium')] = { kind: 'HelmRelease', namespace: 'kube-system', name: 'cilium', conditions: { Ready: 'True' } };
        if (!c.providers.length) c.providers.push('cluster-api:operator');
      }
    }
    return undefined;
  }

  private kubectl(a: readonly string[], stdin?: string): ExecResult {
    if (a[0] === 'version') return ok(`{"clientVersion": {"gitVersion": "${this.state.versions.kubectl}"}}`);
    const c = this.cluster(flag(a, '--kubeconfig'));
    if ('code' in c) return c;
    const valued = ['--kubeconfig', '-n', '-o', '-f', '-c', '--for', '--timeout'];
    const pos = positional(a, valued);
    const ns = flag(a, '-n') ?? 'default';
    const verb = pos[0];
    const ref = (res: string, name?: string): { kind: string; name: string } => {
      const [r, n] = res.includes('/') ? res.split('/') : [res, name ?? ''];
      return { kind: KIND_OF[r] ?? r, name: n };
    };
    switch (verb) {
      case 'get': {
        if (a.includes('--raw')) return ok('ok');
        if (pos[1] === 'providers.clusterctl.cluster.x-k8s.io') {
          const items = c.providers.map((p) => ({ metadata: { name: p.split(':')[0] }, version: p.split(':')[1] }));
          return ok(jsonpath(flag(a, '-o')!.replace(/^jsonpath=/, ''), { items }));
        }
        const { kind, name } = ref(pos[1], pos[2]);
        const out = flag(a, '-o') ?? '';
        if (name) {
          const o = c.objects[key(kind, kind === 'Namespace' ? '' : ns, name)];
          if (!o) return fail(`Error from server (NotFound): ${pos[1]} "${name}" not found`);
          if (out === 'name') return ok(`${kind.toLowerCase()}/${name}\n`);
          if (out.startsWith('jsonpath=')) return ok(jsonpath(out.slice(9), toJson(o)));
          return ok(JSON.stringify(toJson(o)));
        }
        const items = Object.values(c.objects).filter((o) => o.kind === kind && (a.includes('-A') || o.namespace === ns)).map(toJson);
        if (out.startsWith('jsonpath=')) return ok(jsonpath(out.slice(9), { items }));
        return ok(JSON.stringify({ items }));
      }
      case 'apply': {
        const f = flag(a, '-f')!;
        const texts = f === '-' ? [stdin ?? ''] : yamlFiles(f).map((p) => readFileSync(p, 'utf8'));
        if (f !== '-' && texts.length === 0) return fail(`error: the path "${f}" does not exist`);
        for (const t of texts) {
          for (const part of t.split(/^---\s*$/m)) {
              const kind = /^kind: (\S+)/m.exec(part)?.[1];
            if (!kind) continue;
            // Read by pattern, not parsed: the model needs only these fields (and stays fast).
            const secretRef = /kubeConfig:\s*\n\s+secretRef:\s*\n(?:\s+key: \S+\n)?\s+name: (\S+)/.exec(part)?.[1];
            const doc = {
              kind,
              metadata: { name: /^ {2}name: (\S+)/m.exec(part)?.[1], namespace: /^ {2}namespace: (\S+)/m.exec(part)?.[1] },
              ...(secretRef ? { spec: { kubeConfig: { secretRef: { name: secretRef } } } } : {}),
            };
            const err = this.apply(c, doc);
            if (err) return fail(err);
          }
        }
        return ok('applied\n');
      }
      case 'create': {
        const type = pos[1];
        const kind = type === 'configmap' ? 'ConfigMap' : type === 'secret' ? 'Secret' : 'Namespace';
        const name = type === 'secret' ? pos[3] : pos[2];
        const k = key(kind, kind === 'Namespace' ? '' : ns, name);
        if (c.objects[k]) return fail(`error: failed to create ${type}: ${type}s "${name}" already exists`);
        const data: Record<string, string> = {};
        for (const x of a) {
          const lit = /^--from-literal=([^=]+)=(.*)$/s.exec(x);
          if (lit) data[lit[1]] = lit[2];
          const file = /^--from-file=([^=]+)=(.*)$/.exec(x) ?? /^--(cert|key)=(.*)$/.exec(x);
          if (file) {
            if (!existsSync(file[2])) return fail(`error: open ${file[2]}: no such file or directory`);
            data[file[1]] = readFileSync(file[2], 'utf8');
          }
        }
        c.objects[k] = { kind, namespace: kind === 'Namespace' ? '' : ns, name, data };
        return ok(`${type}/${name} created\n`);
      }
      case 'label':
        return c.objects[key(ref(pos[1]).kind, ns, pos[2])] ? ok('labeled\n') : fail('NotFound');
      case 'delete': {
        const { kind, name } = ref(pos[1], pos[2]);
        const k = key(kind, ns, name);
        if (!c.objects[k]) return a.includes('--ignore-not-found') ? ok() : fail('NotFound');
        delete c.objects[k];
        if (kind === 'Cluster') {
          delete this.state.clusters[`capi-${name}`];
          for (const s of Object.keys(c.objects)) if (s.startsWith(`Secret/${ns}/${name}-`)) delete c.objects[s];
        }
        return ok(`${pos[1]} "${name}" deleted\n`);
      }
      case 'wait': {
        const cond = flag(a, '--for')!;
        if (pos[1] === 'nodes') return c.nodesReady ? ok('node/n1 condition met\n') : fail('error: timed out waiting for the condition on nodes/n1');
        const { kind, name } = ref(pos[1]);
        const o = c.objects[key(kind, ns, name)];
        if (cond === 'delete') return o ? fail('error: timed out waiting for the condition') : ok();
        const type = cond.replace(/^condition=/, '');
        return o?.conditions?.[type] === 'True' ? ok('condition met\n') : fail(`error: timed out waiting for the condition on ${pos[1]}`);
      }
      case 'exec':
        return ok('Encryption: Wireguard\nInterface: cilium_wg0\n');
      case 'run':
        return this.state.admitPrivileged ? ok('pod/infraflux-verify-privileged created (server dry run)\n') : fail('Error from server (Forbidden): pods "infraflux-verify-privileged" is forbidden: violates PodSecurity "baseline:latest": privileged');
      default:
        return fail(`kubectl: unknown ${a.join(' ')}`);
    }
  }

  private flux(a: readonly string[]): ExecResult {
    if (a[0] === 'version') return ok(`flux: ${this.state.versions.flux}\n`);
    const c = this.cluster(flag(a, '--kubeconfig'));
    if ('code' in c) return c;
    if (a[0] === 'install') {
      const components = (flag(a, '--components') ?? 'source-controller,kustomize-controller,helm-controller,notification-controller').split(',');
      c.objects[key('Namespace', '', 'flux-system')] = { kind: 'Namespace', namespace: '', name: 'flux-system' };
      for (const d of components) c.objects[key('Deployment', 'flux-system', d)] = { kind: 'Deployment', namespace: 'flux-system', name: d };
      return ok('✔ install finished\n');
    }
    if (a[0] === 'create' && a[1] === 'secret') {
      const file = flag(a, '--private-key-file')!;
      if (!existsSync(file)) return fail(`✗ failed to read private key file: open ${file}: no such file or directory`);
      c.objects[key('Secret', 'flux-system', a[3])] = { kind: 'Secret', namespace: 'flux-system', name: a[3], data: { identity: '(key)' } };
      return ok('✔ secret created\n');
    }
    if (a[0] === 'suspend') {
      const ns = flag(a, '-n') ?? 'flux-system';
      const kind = a[1] === 'kustomization' ? 'Kustomization' : 'HelmRelease';
      for (const o of Object.values(c.objects)) if (o.kind === kind && o.namespace === ns && (a.includes('--all') || o.name === a[2])) o.suspend = true;
      return ok('✔ suspended\n');
    }
    return fail(`flux: unknown ${a.join(' ')}`);
  }

  private terraform(a: readonly string[]): ExecResult {
    if (a[0] === 'version') return ok(`{"terraform_version": "${this.state.versions.terraform}"}`);
    const dir = (a.find((x) => x.startsWith('-chdir=')) ?? '-chdir=.').slice(7);
    const rest = a.filter((x) => !x.startsWith('-chdir='));
    const id = `tf-${basename(dir)}`;
    const state = this.state.terraform[dir] ?? [];
    switch (rest[0]) {
      case 'init':
        return ok('Terraform has been successfully initialized!\n');
      case 'apply':
        if (state.length) return ok('No changes. Your infrastructure matches the configuration.\n');
        this.state.terraform[dir] = ['proxmox_virtual_environment_vm.cp1', 'talos_machine_bootstrap.this'];
        this.newCluster(id);
        return ok('Apply complete! Resources: 2 added, 0 changed, 0 destroyed.\n');
      case 'output':
        if (!state.length) return fail('Warning: No outputs found');
        return ok(rest[2] === 'mgmt_kubeconfig' ? kubeconfigFor(id) : 'context: mgmt\n');
      case 'state':
        return ok(state.map((r) => `${r}\n`).join(''));
      case 'destroy':
        delete this.state.terraform[dir];
        delete this.state.clusters[id];
        return ok('Destroy complete!\n');
      default:
        return fail(`terraform: unknown ${a.join(' ')}`);
    }
  }

  private cilium(a: readonly string[]): ExecResult {
    if (a[0] === 'version') return ok(`cilium-cli: ${this.state.versions.cilium} compiled with go1.24.2 on linux/amd64\n`);
    const c = this.cluster(flag(a, '--kubeconfig'));
    if ('code' in c) return c;
    if (!c.objects[key('DaemonSet', 'kube-system', 'cilium')]) return fail('Error: Unable to determine status: cilium is not installed');
    if (a[0] === 'bgp' && a[1] === 'peers') return ok('Node  Local AS  Peer AS  Peer Address  Session State\nn1    64512     64501    192.168.3.1   established\n');
    if (a[0] === 'bgp') return ok('VRouter  Prefix          NextHop  Age\n64512    10.100.0.0/24   0.0.0.0  1m\n');
    return ok('OK\n');
  }

  private curl(a: readonly string[], stdin: string): ExecResult {
    if (a[0] === '--version') return ok(`curl ${this.state.versions.curl} (x86_64-pc-linux-gnu)\n`);
    const url = a[a.length - 1];
    if (url.includes('api.cloudflare.com')) {
      if (!stdin.includes('Bearer good')) return fail('curl: (22) The requested URL returned error: 401', 22);
      return url.includes('/zones?name=') ? ok(`{"result":[{"name":"${url.split('=')[1]}"}]}`) : ok('{"result":{"status":"active"}}');
    }
    return stdin.includes('=bad') ? fail('curl: (22) The requested URL returned error: 401', 22) : ok('{"data":{"version":"8.4"}}');
  }
}

/** Thrown by {@link fakeExec} to simulate a killed run. */
export class Killed extends Error {}

/**
 * An in-process {@link Exec} over a {@link FakeWorld}: writes `stdoutTo` files like the real one,
 * and, with `killAfter`, throws {@link Killed} when that many commands have run.
 */
export function fakeExec(world: FakeWorld, opts: { readonly killAfter?: number } = {}): Exec {
  let calls = 0;
  return {
    async run(command: Command): Promise<ExecResult> {
      if (opts.killAfter !== undefined && calls >= opts.killAfter) throw new Killed(`killed before ${command.program}`);
      calls++;
      const r = world.run(command);
      if (r.code === 0 && command.stdoutTo) {
        mkdirSync(dirname(command.stdoutTo), { recursive: true });
        writeFileSync(command.stdoutTo, command.stdoutBase64 ? Buffer.from(r.stdout.trim(), 'base64') : r.stdout);
      }
      return r;
    },
  };
}

/**
 * Writes one executable per fake tool into `dir` (node scripts that load this model, keep the
 * world in `stateFile` and append each call to `logFile`), for tests that spawn real processes.
 * The model is transpiled once with SWC (a devDependency) so each fake starts as plain Node.js,
 * without the TypeScript loader: run them with `NODE_OPTIONS` cleared.
 */
export function installFakeBin(dir: string, stateFile: string, logFile: string, tools: readonly string[]): void {
  mkdirSync(dir, { recursive: true });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const swc = require('@swc/core') as { transformSync(code: string, opts: object): { code: string } };
  const model = join(dir, 'toolchain.js');
  writeFileSync(model, swc.transformSync(readFileSync(join(__dirname, 'toolchain.ts'), 'utf8'), { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }).code);
  for (const tool of tools) {
    writeFileSync(
      join(dir, tool),
      `#!/usr/bin/env node
const { readFileSync, writeFileSync, appendFileSync } = require('node:fs');
const { FakeWorld } = require(${JSON.stringify(model)});
const stdin = process.stdin.isTTY ? '' : readFileSync(0, 'utf8');
const world = new FakeWorld(JSON.parse(readFileSync(${JSON.stringify(stateFile)}, 'utf8')), process.env);
const r = world.run({ program: ${JSON.stringify(tool)}, args: process.argv.slice(2), stdin });
writeFileSync(${JSON.stringify(stateFile)}, JSON.stringify(world.state));
appendFileSync(${JSON.stringify(logFile)}, world.log.join('\\n') + '\\n');
process.stdout.write(r.stdout); process.stderr.write(r.stderr); process.exit(r.code);
`,
      { mode: 0o755 },
    );
  }
}
