import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ErrorCode, InfraFluxError } from './errors';

/**
 * Formats a cdk8s {@link Duration} as a Go duration string, the format of Flux's
 * `interval`, `retryInterval` and `timeout` fields (`metav1.Duration`): `1h30m`, `5m`, `45s`.
 * Throws {@link ErrorCode.INVALID_DURATION} naming `scope` (the construct, or the input).
 */
export function goDuration(duration: Duration, scope: IConstruct | string = 'goDuration'): string {
  const totalSeconds = duration.toMilliseconds() / 1000;
  if (!Number.isInteger(totalSeconds) || totalSeconds <= 0) {
    throw new InfraFluxError(ErrorCode.INVALID_DURATION, scope, `duration must be a positive whole number of seconds, got ${totalSeconds}s`);
  }
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return `${hours ? `${hours}h` : ''}${minutes ? `${minutes}m` : ''}${seconds ? `${seconds}s` : ''}`;
}
