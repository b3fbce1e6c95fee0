/**
 * Typed cron expressions for Velero `Schedule.spec.schedule`. Velero parses the schedule with
 * robfig/cron's standard parser (`cron.ParseStandard`): five fields (minute, hour, day of month,
 * month, day of week) or a predefined descriptor (`@hourly`, `@daily`, ...). A schedule Velero
 * cannot parse is accepted by the API server (the CRD types it as a plain string) and only shows
 * up as `status.phase: FailedValidation`, so InfraFlux checks it at synth.
 * @see https://velero.io/docs/v1.18/api-types/schedule/
 * @see https://pkg.go.dev/github.com/robfig/cron/v3#hdr-CRON_Expression_Format
 */
import { IConstruct } from 'constructs';
import { ErrorCode, InfraFluxError } from '../core/errors';

/** Range and names of each of the five fields. */
const FIELDS: readonly { name: string; min: number; max: number; names?: readonly string[] }[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  // robfig/cron: 0-6 (Sunday = 0), names SUN-SAT; 7 is not accepted.
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/** The descriptors robfig/cron's standard parser accepts (`@every` is left out: its interval drifts from wall-clock time). */
export const CRON_DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'] as const;

/** Why `expression` is not a valid schedule, or undefined when it is. */
export function cronProblem(expression: string): string | undefined {
  const expr = expression.trim();
  if (expr === '') return 'is empty';
  if (expr.startsWith('@')) {
    return (CRON_DESCRIPTORS as readonly string[]).includes(expr) ? undefined : `uses the unknown descriptor ${expr} (allowed: ${CRON_DESCRIPTORS.join(', ')})`;
  }
  const parts = expr.split(/\s+/);
  if (parts.length !== 5) return `has ${parts.length} fields; use five: minute hour day-of-month month day-of-week`;
  for (let i = 0; i < 5; i++) {
    const problem = fieldProblem(parts[i]!, FIELDS[i]!);
    if (problem) return `${FIELDS[i]!.name} field "${parts[i]}" ${problem}`;
  }
  return undefined;
}

function fieldProblem(field: string, spec: (typeof FIELDS)[number]): string | undefined {
  for (const item of field.split(',')) {
    if (item === '') return 'has an empty list item';
    const [range, step, ...rest] = item.split('/');
    if (rest.length > 0) return `has more than one '/' in "${item}"`;
    if (step !== undefined && !/^[1-9]\d*$/.test(step)) return `has step "${step}"; use a whole number >= 1`;
    if (range === '*' || range === '?') {
      if (range === '?' && !spec.name.startsWith('day')) return `uses '?', allowed only in the day fields`;
      continue;
    }
    const bounds = range!.split('-');
    if (bounds.length > 2) return `has the range "${range}"; use low-high`;
    const values: number[] = [];
    for (const b of bounds) {
      const v = valueOf(b, spec);
      if (v === undefined) return `has "${b}", not a number in ${spec.min}-${spec.max}${spec.names ? ` or a name ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : ''}`;
      values.push(v);
    }
    if (values.length === 2 && values[0]! > values[1]!) return `has the range "${range}" with its start after its end`;
  }
  return undefined;
}

function valueOf(text: string, spec: (typeof FIELDS)[number]): number | undefined {
  const named = spec.names?.indexOf(text.toUpperCase());
  if (named !== undefined && named >= 0) return spec.min + named;
  if (!/^\d+$/.test(text)) return undefined;
  const v = Number(text);
  return v >= spec.min && v <= spec.max ? v : undefined;
}

/** A validated cron schedule (UTC, the Velero server's time zone unless `TZ` is set on it). */
export class CronSchedule {
  /**
   * Any expression robfig/cron's standard parser accepts: five fields or a descriptor.
   * Checked when a construct renders it ({@link CronSchedule.render}), so the error names the construct.
   */
  public static expression(expression: string): CronSchedule {
    return new CronSchedule(expression);
  }

  /** Every hour at `minute` (0-59). */
  public static hourly(minute = 0): CronSchedule {
    return new CronSchedule(`${minute} * * * *`);
  }

  /** Every day at `hour`:`minute` UTC. */
  public static daily(hour: number, minute = 0): CronSchedule {
    return new CronSchedule(`${minute} ${hour} * * *`);
  }

  /** Every week on `dayOfWeek` (0 = Sunday ... 6) at `hour`:`minute` UTC. */
  public static weekly(dayOfWeek: number, hour: number, minute = 0): CronSchedule {
    return new CronSchedule(`${minute} ${hour} * * ${dayOfWeek}`);
  }

  private constructor(public readonly expression: string) {}

  /** The expression, or {@link ErrorCode.INVALID_CRON} naming `scope` and `what`. */
  public render(scope: IConstruct | string, what = 'schedule'): string {
    const problem = cronProblem(this.expression);
    if (problem) {
      throw new InfraFluxError(ErrorCode.INVALID_CRON, scope, `${what} "${this.expression}" ${problem}; e.g. "0 * * * *" (hourly) or "30 2 * * *" (daily at 02:30 UTC)`);
    }
    return this.expression.trim().split(/\s+/).join(' ');
  }
}
