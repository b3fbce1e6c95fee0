import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ListrTask } from 'listr2' with { 'resolution-mode': 'import' };
import { BootstrapStep, runStep, StepLog, StepOutcome, StepRunnerContext } from './step';

/** How progress is shown: listr2's live renderer on a TTY, line-by-line otherwise, nothing in tests. */
export enum ProgressRenderer {
  /** Live task list with spinners and elapsed time (a TTY). */
  LIVE = 'default',
  /** One line per event with elapsed time, no cursor movement and no colour (CI logs, pipes). */
  LINES = 'simple',
  /** Nothing (tests). */
  SILENT = 'silent',
}

/** The renderer for `stream`: {@link ProgressRenderer.LIVE} only on a TTY. */
export function rendererFor(stream: { readonly isTTY?: boolean }): ProgressRenderer {
  return stream.isTTY ? ProgressRenderer.LIVE : ProgressRenderer.LINES;
}

/** The local state file: a cache of what finished (the tools stay the truth; steps still detect). */
export interface BootstrapState {
  readonly plan: string;
  readonly steps: Record<string, StepOutcome>;
}

/** Reads the state file, or an empty state. */
export function readState(file: string, plan: string): BootstrapState {
  if (!existsSync(file)) return { plan, steps: {} };
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as BootstrapState;
    return s.plan === plan && typeof s.steps === 'object' ? s : { plan, steps: {} };
  } catch {
    return { plan, steps: {} };
  }
}

/** Options of {@link runPlan}. */
export interface RunPlanOptions extends StepRunnerContext {
  /** A name for the plan (`bootstrap aws`), stored in the state file. */
  readonly plan: string;
  /** @default ProgressRenderer.SILENT */
  readonly renderer?: ProgressRenderer;
  /** The state file to update after each step. @default - none */
  readonly stateFile?: string;
}

/**
 * Runs the steps in order with listr2 progress (one task per step, elapsed time, the running
 * command as the only visible output line; the output is folded away and shown only in the error
 * of a failing step). Each step detects its effect first and is skipped when it exists.
 * @throws InfraFluxError BOOTSTRAP_STEP_FAILED from the first failing step
 */
export async function runPlan(steps: readonly BootstrapStep[], options: RunPlanOptions): Promise<StepLog[]> {
  const logs: StepLog[] = [];
  const state = options.stateFile ? readState(options.stateFile, options.plan) : { plan: options.plan, steps: {} };
  const save = (): void => {
    if (!options.stateFile) return;
    mkdirSync(dirname(options.stateFile), { recursive: true });
    writeFileSync(options.stateFile, `${JSON.stringify(state, null, 2)}\n`);
  };
  const tasks: ListrTask[] = steps.map((step) => ({
    title: `${step.id}: ${step.description}`,
    task: async (_ctx, task): Promise<void> => {
      const log = await runStep(step, options, (line) => (task.output = line));
      logs.push(log);
      state.steps[step.id] = log.outcome;
      save();
      if (log.outcome === StepOutcome.SKIPPED) task.skip(`${step.id}: already done (${step.waitsFor})`);
    },
  }));
  const renderer = options.renderer ?? ProgressRenderer.SILENT;
  // Loaded on first use: importing `infraflux` must not need listr2 (only running a plan does).
  const { Listr, PRESET_TIMER } = await import('listr2');
  const list =
    renderer === ProgressRenderer.LIVE
      ? new Listr(tasks, { concurrent: false, exitOnError: true, renderer: 'default', rendererOptions: { timer: PRESET_TIMER, collapseErrors: false } })
      : renderer === ProgressRenderer.LINES
        ? new Listr(tasks, { concurrent: false, exitOnError: true, renderer: 'simple', rendererOptions: { timer: PRESET_TIMER } })
        : new Listr(tasks, { concurrent: false, exitOnError: true, renderer: 'silent' });
  await list.run();
  return logs;
}
