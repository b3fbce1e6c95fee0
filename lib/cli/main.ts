/**
 * The `infraflux` command (decision 0110): `validate`, `plan`, `graph`. Every command returns its
 * exit code instead of exiting, so it runs in-process in tests and in other tools; `bin.ts` is the
 * process entry point. Output is stable, parseable text (or `--json`/`--markdown`); colour and
 * progress only on a TTY.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readDistTree } from '../reconcile/dist-tree';
import { fleetGraphs, renderSvg } from './graph';
import { paint, type CliIo } from './io';
import { formatPlan, formatPlanMarkdown, planTrees } from './plan';
import { validateCommand } from './validate';

export const USAGE = `Usage: infraflux <command> [options]

Commands:
  validate [DIR] [--json]
      Schema harness (pinned schemas, unknown fields and kinds, Helm values, duplicates) and
      reconcile model (apply order replayed from empty clusters) over a dist/ tree (default: dist).
      Exit 0 when clean, 1 with problems.
  plan (--base <git-ref> | --base-dir DIR) [--head-dir DIR] [--synth-cmd CMD] [--acknowledge] [--markdown | --json]
      Object-level diff of two dist/ trees per cluster, grouped by Kustomization in reconcile order
      with the health checks gating each wave. --base reads the dist/ committed at <git-ref>
      (or, with --synth-cmd, synthesizes <git-ref> in a temporary git worktree). Exit 1 on a
      dangerous change (a stateful/identity object deleted or renamed, a Ready Kustomization
      gaining a dependency) unless --acknowledge.
  graph [DIR] [--cluster NAME] [--out DIR]
      Flux dependency graph per cluster and the fleet topology (creates, mesh, DNS zones) as
      Mermaid on stdout, or with --out as <name>.md (Mermaid) and <name>.svg files.
  help
`;

function git(cwd: string, args: string[], input?: Buffer): Buffer {
  return execFileSync('git', args, { cwd, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'], ...(input ? { input } : {}) });
}

/** The dist/ tree of `ref`: committed files (`git archive`), or synthesized in a worktree with `synthCmd`. */
function baseTree(io: CliIo, ref: string, headDir: string, synthCmd: string | undefined): { dir: string; cleanup: () => void } {
  const top = git(io.cwd, ['rev-parse', '--show-toplevel']).toString().trim();
  const distRel = relative(top, headDir).split('\\').join('/');
  const tmp = mkdtempSync(join(tmpdir(), 'infraflux-plan-'));
  if (!synthCmd) {
    const tar = git(top, ['archive', '--format=tar', ref, '--', distRel]);
    execFileSync('tar', ['-x', '-C', tmp], { input: tar, maxBuffer: 1 << 30 });
    return { dir: join(tmp, distRel), cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
  }
  const wt = join(tmp, 'base');
  git(top, ['worktree', 'add', '--detach', wt, ref]);
  if (existsSync(join(top, 'node_modules')) && !existsSync(join(wt, 'node_modules'))) symlinkSync(join(top, 'node_modules'), join(wt, 'node_modules'));
  if (io.tty) io.err(paint(io, 'dim', `synthesizing ${ref} in ${wt}: ${synthCmd}`));
  execFileSync('sh', ['-c', synthCmd], { cwd: wt, stdio: ['ignore', 'ignore', 'inherit'] });
  return {
    dir: join(wt, distRel),
    cleanup: () => {
      git(top, ['worktree', 'remove', '--force', wt]);
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

async function plan(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      base: { type: 'string' },
      'base-dir': { type: 'string' },
      'head-dir': { type: 'string', default: 'dist' },
      'synth-cmd': { type: 'string' },
      acknowledge: { type: 'boolean', default: false },
      markdown: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  if ((values.base === undefined) === (values['base-dir'] === undefined)) {
    io.err('infraflux plan: give exactly one of --base <git-ref> or --base-dir DIR');
    return 2;
  }
  const headDir = resolve(io.cwd, values['head-dir']);
  if (values['synth-cmd']) execFileSync('sh', ['-c', values['synth-cmd']], { cwd: io.cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  const base = values.base !== undefined ? baseTree(io, values.base, headDir, values['synth-cmd']) : { dir: resolve(io.cwd, values['base-dir']!), cleanup: () => undefined };
  try {
    for (const d of [base.dir, headDir]) {
      if (!existsSync(d)) {
        io.err(`infraflux plan: ${d} does not exist`);
        return 2;
      }
    }
    const result = planTrees(readDistTree(base.dir), readDistTree(headDir), { base: values.base ?? values['base-dir']!, head: values['head-dir'] });
    const ack = values.acknowledge;
    io.out(values.json ? JSON.stringify(result, null, 2) : values.markdown ? formatPlanMarkdown(result, ack) : formatPlan(result, io, ack));
    return result.dangerous.length > 0 && !ack ? 1 : 0;
  } finally {
    base.cleanup();
  }
}

async function graph(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { cluster: { type: 'string' }, out: { type: 'string' } } });
  const dir = resolve(io.cwd, positionals[0] ?? 'dist');
  const clusters = readDistTree(dir);
  if (values.cluster && !clusters.some((c) => c.name === values.cluster)) {
    io.err(`infraflux graph: no cluster "${values.cluster}" in ${dir}; have ${clusters.map((c) => c.name).join(', ')}`);
    return 2;
  }
  const graphs = fleetGraphs(clusters, values.cluster);
  if (!values.out) {
    for (const [name, g] of graphs) io.out(`%% ${name}\n${g.mermaid}\n`);
    return 0;
  }
  const out = resolve(io.cwd, values.out);
  mkdirSync(out, { recursive: true });
  // SVG needs @viz-js/viz (a devDependency): without it, Mermaid only, said on stderr.
  let svgs: string[] | undefined;
  try {
    svgs = await renderSvg([...graphs.values()].map((g) => g.dot));
  } catch (error) {
    io.err(`infraflux graph: no SVG (${(error as Error).message.split('\n')[0]}); install @viz-js/viz for it. Writing Mermaid only.`);
  }
  [...graphs].forEach(([name, g], i) => {
    const title = name === 'fleet' ? 'Fleet topology' : `Cluster \`${name}\`: Flux Kustomizations`;
    const image = svgs ? `\n![${name}](./${name}.svg)\n` : '';
    writeFileSync(join(out, `${name}.md`), `# ${title}\n\nGenerated by \`infraflux graph\` (\`npm run docs\`). Do not edit.\n\n\`\`\`mermaid\n${g.mermaid}\n\`\`\`\n${image}`);
    if (svgs) writeFileSync(join(out, `${name}.svg`), svgs[i]);
    if (io.tty) io.err(paint(io, 'dim', `wrote ${name}.md, ${name}.svg`));
  });
  io.out(`graph: ${graphs.size} graph(s) in ${values.out}`);
  return 0;
}

/** Runs `infraflux <argv>`; resolves to the exit code (0 ok, 1 findings, 2 usage). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'validate': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
        const shown = positionals[0] ?? 'dist';
        return validateCommand(resolve(io.cwd, shown), values.json, io, shown);
      }
      case 'plan':
        return await plan(rest, io);
      case 'graph':
        return await graph(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        io.err(`infraflux: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    io.err(`infraflux ${command}: ${(error as Error).message}`);
    return 2;
  }
}
