/**
 * Where the `infraflux` command writes: stdout, stderr and whether colour/progress may be used.
 * Colour and progress only on a TTY (and never with `NO_COLOR`); otherwise stable, parseable text.
 */
export interface CliIo {
  /** One line (or block) of the command's result, on stdout. */
  out(text: string): void;
  /** Progress and diagnostics, on stderr. */
  err(text: string): void;
  /** stdout is a terminal: colour and progress are allowed. */
  readonly tty: boolean;
  /** Working directory the relative paths of the arguments are resolved against. */
  readonly cwd: string;
}

/** The process' own streams. */
export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    tty: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
    cwd: process.cwd(),
  };
}

/** A captured io for tests and embedding: `stdout`/`stderr` hold what was written. */
export function captureIo(cwd: string, tty = false): CliIo & { readonly stdout: string[]; readonly stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { out: (t) => stdout.push(t), err: (t) => stderr.push(t), tty, cwd, stdout, stderr };
}

const CODES = { red: 31, green: 32, yellow: 33, bold: 1, dim: 2 } as const;

/** `text` in colour on a TTY, unchanged otherwise. */
export function paint(io: CliIo, colour: keyof typeof CODES, text: string): string {
  return io.tty ? `\u001b[${CODES[colour]}m${text}\u001b[0m` : text;
}
