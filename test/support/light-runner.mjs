/**
 * jest-light-runner's child-process runner with its start-up race fixed (decision 0005).
 *
 * The race (jest-light-runner 0.7.13 and 0.8.2, tinypool 1.x/2.x): a child process asks the parent
 * for its worker data once, when it starts its first test file ("jest-light-runner-get-worker-data").
 * Upstream keeps ONE channel object for all workers; tinypool registers every worker on it when it
 * posts that worker a task, and the first request answers every registered worker and forgets
 * them. When both children start together, the second child's answer is sent before its listener
 * exists (tinypool's child drops messages that are not its own), and its own request later finds
 * no one to answer: that test file never starts and jest waits forever (2 of 12 runs of a
 * four-file suite with a random start-up delay; 2 of ~15 full runs here).
 *
 * The fix: a channel per task. tinypool sets the task's channel on the worker that runs it
 * (`ProcessWorker.setChannel`) and routes that child's requests to it, so each request is answered
 * exactly by the worker that asked, whenever it asks. Reproduced and checked with a four-file suite
 * and a random 0-400 ms start-up delay per child: upstream hung in 3 of 20 runs, this runner in 0 of 20.
 *
 * It relies on two internals of the pinned 0.7.13 (`_runtime`, `_testRunners` and the `{ pool, run }`
 * entries `_runTest` stores) and fails loudly when they change.
 */
import { createRunner } from 'jest-light-runner';

const Base = createRunner({ runtime: 'child_process' });

function taskChannel(workerData) {
  const listeners = new Set();
  return {
    onMessage(listener) {
      listeners.add(listener);
    },
    postMessage(message) {
      if (message !== 'jest-light-runner-get-worker-data') return;
      for (const listener of listeners) listener({ type: 'jest-light-runner-worker-data', workerData });
    },
  };
}

/** The runner's map of pools: every pool it creates runs its tests with a channel per task. */
class PerTaskChannelRunners extends Map {
  constructor(globalConfig) {
    super();
    this.globalConfig = globalConfig;
  }

  set(projectConfig, entry) {
    const workerData = { globalConfig: this.globalConfig, projectConfig, runtime: 'child_process' };
    return super.set(projectConfig, { ...entry, run: (test) => entry.pool.run(test.path, { channel: taskChannel(workerData) }) });
  }
}

export default class FixedLightRunner extends Base {
  constructor(globalConfig, context, runnerConfiguration) {
    super(globalConfig, context, runnerConfiguration);
    if (this._runtime !== 'child_process') return; // --runInBand runs in the main thread: no channel
    if (!(this._testRunners instanceof Map) || this._testRunners.size !== 0) {
      throw new Error('jest-light-runner internals changed (expected an empty _testRunners Map): review test/support/light-runner.mjs');
    }
    this._testRunners = new PerTaskChannelRunners(globalConfig);
  }
}
