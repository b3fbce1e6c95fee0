import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Environment variables as a process sees them (`process.env`'s shape, without Node's global namespace in the public API). */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * One command line as the orchestrator runs it: a program from PATH and its arguments (never a
 * shell string, so nothing is re-parsed), optional stdin and the file its stdout is written to.
 * Credentials never appear in `args`: the tools read them from the environment.
 */
export interface Command {
  /** Program name looked up on PATH, e.g. `clusterctl`. */
  readonly program: string;
  readonly args: readonly string[];
  /**
   * Text written to the command's stdin (e.g. a manifest for `kubectl apply -f -`).
   * @default - none
   */
  readonly stdin?: string;
  /**
   * Write the command's stdout to this file (mode 0600), e.g. a kubeconfig.
   * @default - stdout is only captured
   */
  readonly stdoutTo?: string;
  /**
   * The stdout is base64 (a Secret's `data` field): decode it before writing `stdoutTo`.
   * @default false
   */
  readonly stdoutBase64?: boolean;
}

/** The result of one command. */
export interface ExecResult {
  /** Exit code; a command that could not start (not on PATH) is 127. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of one {@link Exec.run} call. */
export interface ExecOptions {
  /**
   * Kill the command after this many seconds (exit code 124).
   * @default - no timeout
   */
  readonly timeoutSeconds?: number;
}

/**
 * How the orchestrator runs commands: the real implementation spawns processes
 * ({@link spawnExec}); tests inject a recorded fake so every step runs in-process.
 */
export interface Exec {
  run(command: Command, options?: ExecOptions): Promise<ExecResult>;
}

/** Quotes one argument for display in a POSIX shell (`--dry-run` plans, logs, error messages). */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The command as a copy-pasteable shell line (`< stdin` and `> file` shown when used). */
export function formatCommand(command: Command): string {
  const line = [command.program, ...command.args].map(shellQuote).join(' ');
  return `${line}${command.stdin !== undefined ? ' <<EOF … EOF' : ''}${command.stdoutBase64 ? ' | base64 -d' : ''}${command.stdoutTo ? ` > ${shellQuote(command.stdoutTo)}` : ''}`;
}

/** A {@link Command} (shorthand for the planners). */
export function cmd(program: string, args: readonly string[], extra: Pick<Command, 'stdin' | 'stdoutTo' | 'stdoutBase64'> = {}): Command {
  return { program, args, ...extra };
}

/**
 * Runs commands as child processes (no shell), with `env` as their environment.
 * @param env the environment of every command
 * @default env - process.env
 */
export function spawnExec(env: Environment = process.env): Exec {
  return {
    run(command: Command, options: ExecOptions = {}): Promise<ExecResult> {
      return new Promise((resolve) => {
        const child = spawn(command.program, [...command.args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        let timedOut = false;
        const timer =
          options.timeoutSeconds !== undefined
            ? setTimeout(() => {
                timedOut = true;
                child.kill('SIGTERM');
              }, options.timeoutSeconds * 1000)
            : undefined;
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', (err: NodeJS.ErrnoException) => {
          if (timer) clearTimeout(timer);
          resolve({ code: err.code === 'ENOENT' ? 127 : 126, stdout, stderr: `${stderr}${err.message}` });
        });
        child.on('close', (code) => {
          if (timer) clearTimeout(timer);
          const result = { code: timedOut ? 124 : (code ?? 1), stdout, stderr };
          if (result.code === 0 && command.stdoutTo) {
            mkdirSync(dirname(command.stdoutTo), { recursive: true });
            writeFileSync(command.stdoutTo, command.stdoutBase64 ? Buffer.from(stdout.trim(), 'base64') : stdout, { mode: 0o600 });
          }
          resolve(result);
        });
        child.stdin.on('error', () => undefined);
        child.stdin.end(command.stdin ?? '');
      });
    },
  };
}
