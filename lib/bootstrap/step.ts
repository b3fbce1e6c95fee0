import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ErrorCode, InfraFluxError } from '../core/errors';
import { Command, Exec, ExecResult, formatCommand } from './command';

/**
 * One question to the tools: run `command` (read-only) and test its exit status and stdout, or
 * test that a local file exists. A step's effect is present when every probe of one of its
 * detection groups holds.
 */
export interface Probe {
  /** The read-only command to run. @default - a file probe */
  readonly command?: Command;
  /** A local file that must exist (kubeconfigs written by earlier steps). @default - a command probe */
  readonly file?: string;
  /** `true`: the probe holds when the command fails (e.g. "the object is gone"). @default false */
  readonly fails?: boolean;
  /** Every string must appear in stdout. @default [] */
  readonly stdoutIncludes?: readonly string[];
  /** No string may appear in stdout (as a whole line). @default [] */
  readonly linesExclude?: readonly string[];
  /** stdout must be empty (blank lines aside). @default false */
  readonly stdoutEmpty?: boolean;
}

/** A local file a step writes before its commands (e.g. the kind cluster config); never a secret. */
export interface PlannedFile {
  readonly path: string;
  readonly content: string;
}

/**
 * One step of a bootstrap, destroy or verify plan, as typed data: what it does, the exact commands,
 * what it waits for, how its effect is detected (so a re-run or a resumed run skips it), its
 * timeout and its retries.
 */
export interface BootstrapStep {
  /** Stable id (`kind-create`, `clusterctl-init`, …): tests and the state file use it. */
  readonly id: string;
  readonly description: string;
  /** Files written before the commands. @default [] */
  readonly writes?: readonly PlannedFile[];
  /** The commands, run in order; each is retried on a non-zero exit. */
  readonly commands: readonly Command[];
  /** What the step waits for, in words (printed by `--dry-run`). */
  readonly waitsFor: string;
  /**
   * Detection: the effect exists when every probe of ANY group holds (an OR of ANDs). Checked
   * before the commands (present: skip) and after them (absent: the step failed).
   */
  readonly detect: readonly (readonly Probe[])[];
  /** Timeout of each command, in seconds (the upstream tools' own waits fit inside it). */
  readonly timeoutSeconds: number;
  /** Extra attempts of a failing command. */
  readonly retries: number;
  /** Whether the commands change something (false: a pure wait, repeating it is harmless). */
  readonly sideEffects: boolean;
}

/** The outcome of one step. */
export enum StepOutcome {
  /** Its effect was already there. */
  SKIPPED = 'skipped',
  /** Its commands ran and the effect is now detected. */
  DONE = 'done',
}

/** What the runner needs besides the steps. */
export interface StepRunnerContext {
  readonly exec: Exec;
  /** Waits between retries. @default - setTimeout with 2^attempt × 5 s */
  readonly sleep?: (attempt: number) => Promise<void>;
}

/** Output of a step's commands, kept folded and shown only when the step fails. */
export interface StepLog {
  readonly id: string;
  readonly outcome: StepOutcome;
  readonly output: string;
}

async function probeHolds(probe: Probe, exec: Exec): Promise<boolean> {
  if (probe.file !== undefined) return existsSync(probe.file);
  if (!probe.command) return false;
  const r = await exec.run(probe.command, { timeoutSeconds: 60 });
  if (probe.fails) return r.code !== 0;
  if (r.code !== 0) return false;
  const lines = new Set(r.stdout.split('\n').map((l) => l.trim()));
  if (probe.stdoutEmpty && r.stdout.trim() !== '') return false;
  return (probe.stdoutIncludes ?? []).every((s) => r.stdout.includes(s)) && (probe.linesExclude ?? []).every((s) => !lines.has(s));
}

/** Whether the step's effect exists, asked of the tools. */
export async function detectEffect(step: BootstrapStep, exec: Exec): Promise<boolean> {
  for (const group of step.detect) {
    let all = true;
    for (const probe of group) {
      if (!(await probeHolds(probe, exec))) {
        all = false;
        break;
      }
    }
    if (all && group.length > 0) return true;
  }
  return false;
}

function tail(text: string, lines = 40): string {
  const all = text.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

const defaultSleep = (attempt: number): Promise<void> => new Promise((r) => setTimeout(r, Math.min(60, 5 * 2 ** attempt) * 1000));

/**
 * Runs one step: detect → skip, or write its files, run each command (retrying a failing one
 * `retries` times), then detect again. A command that throws (the process was killed) aborts the
 * run as it is: the next run detects what already exists.
 * @throws InfraFluxError BOOTSTRAP_STEP_FAILED with the command, exit code and the output's tail
 */
export async function runStep(step: BootstrapStep, ctx: StepRunnerContext, onOutput: (line: string) => void = () => undefined): Promise<StepLog> {
  if (await detectEffect(step, ctx.exec)) return { id: step.id, outcome: StepOutcome.SKIPPED, output: '' };
  for (const file of step.writes ?? []) {
    mkdirSync(dirname(file.path), { recursive: true });
    if (!existsSync(file.path) || readFileSync(file.path, 'utf8') !== file.content) writeFileSync(file.path, file.content);
  }
  let output = '';
  for (const command of step.commands) {
    let result: ExecResult | undefined;
    for (let attempt = 0; attempt <= step.retries; attempt++) {
      if (attempt > 0) await (ctx.sleep ?? defaultSleep)(attempt);
      onOutput(`$ ${formatCommand(command)}`);
      result = await ctx.exec.run(command, { timeoutSeconds: step.timeoutSeconds });
      output += `$ ${formatCommand(command)}\n${result.stdout}${result.stderr}`;
      if (result.code === 0) break;
    }
    if (!result || result.code !== 0) {
      throw new InfraFluxError(
        ErrorCode.BOOTSTRAP_STEP_FAILED,
        `step ${step.id}`,
        `${formatCommand(command)} exited ${result?.code ?? '?'}${result?.code === 124 ? ` (timed out after ${step.timeoutSeconds} s)` : ''} after ${step.retries + 1} attempt(s); waited for: ${step.waitsFor}. Output:\n${tail(output)}`,
      );
    }
  }
  if (step.detect.length > 0 && !(await detectEffect(step, ctx.exec))) {
    throw new InfraFluxError(
      ErrorCode.BOOTSTRAP_STEP_FAILED,
      `step ${step.id}`,
      `the commands succeeded but the effect is not detected (${step.waitsFor}); check it with: ${step.detect
        .flat()
        .map((p) => (p.command ? formatCommand(p.command) : `test -e ${p.file}`))
        .join(' ; ')}. Output:\n${tail(output)}`,
    );
  }
  return { id: step.id, outcome: StepOutcome.DONE, output };
}

/** A probe in words, e.g. `kind get clusters` [stdout has infraflux-bootstrap]. */
export function describeProbe(p: Probe): string {
  if (!p.command) return `file ${p.file} exists`;
  const tests = [
    ...(p.stdoutIncludes ?? []).map((x) => `has ${x}`),
    ...(p.linesExclude ?? []).map((x) => `lacks line ${x}`),
    ...(p.stdoutEmpty ? ['is empty'] : []),
  ];
  return `${p.fails ? 'fails: ' : ''}${formatCommand(p.command)}${tests.length ? ` [stdout ${tests.join(', ')}]` : ''}`;
}

/** The plan as text: each step, the commands it runs and what it waits for (`--dry-run`). */
export function formatPlan(title: string, steps: readonly BootstrapStep[]): string {
  const out = [title, ''];
  steps.forEach((s, i) => {
    out.push(`${String(i + 1).padStart(2)}. ${s.id}: ${s.description}`);
    for (const c of s.commands) out.push(`      $ ${formatCommand(c)}`);
    out.push(`      waits for: ${s.waitsFor} (timeout ${s.timeoutSeconds} s, ${s.retries} retries)`);
    out.push(
      `      skipped when: ${s.detect
        .map((g) => g.map(describeProbe).join(' && '))
        .join(' || ') || '(never)'}`,
    );
  });
  return out.join('\n');
}
