import { Duration } from 'cdk8s';

/**
 * Formats a cdk8s {@link Duration} as a Go duration string, the format of Flux's
 * `interval`, `retryInterval` and `timeout` fields (`metav1.Duration`): `1h30m`, `5m`, `45s`.
 */
export function goDuration(duration: Duration): string {
  const totalSeconds = duration.toMilliseconds() / 1000;
  if (!Number.isInteger(totalSeconds) || totalSeconds <= 0) {
    throw new Error(`infraflux: duration must be a positive whole number of seconds, got ${totalSeconds}s`);
  }
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return `${hours ? `${hours}h` : ''}${minutes ? `${minutes}m` : ''}${seconds ? `${seconds}s` : ''}`;
}
