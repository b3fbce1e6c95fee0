import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { goDuration } from '../../lib/core/duration';
import { ErrorCode, InfraFluxError } from '../../lib/core/errors';

function thrownBy(fn: () => unknown): InfraFluxError {
  try {
    fn();
  } catch (e) {
    return e as InfraFluxError;
  }
  throw new Error('expected an error');
}

describe('goDuration', () => {
  test.each([
    [Duration.seconds(45), '45s'],
    [Duration.minutes(5), '5m'],
    [Duration.hours(1), '1h'],
    [Duration.minutes(90), '1h30m'],
    [Duration.seconds(3661), '1h1m1s'],
    [Duration.hours(25), '25h'],
  ])('formats %s as %s', (d, expected) => {
    // GIVEN a cdk8s Duration WHEN formatted THEN a Go metav1.Duration
    expect(goDuration(d)).toBe(expected);
  });

  test('fails on a fraction of a second', () => {
    // THEN
    expect(() => goDuration(Duration.millis(1500))).toThrow('duration must be a positive whole number of seconds, got 1.5s');
  });

  test('fails with INVALID_DURATION naming the input when no scope is given', () => {
    // GIVEN a duration of 1.5 s WHEN formatted without a scope
    const err = thrownBy(() => goDuration(Duration.millis(1500)));
    // THEN the stable code, the input named in brackets, the bad value
    expect(err).toBeInstanceOf(InfraFluxError);
    expect(err.code).toBe(ErrorCode.INVALID_DURATION);
    expect(err.message).toBe('[goDuration] duration must be a positive whole number of seconds, got 1.5s');
  });

  test('fails with INVALID_DURATION naming the construct path it is given', () => {
    // GIVEN a construct WHEN a zero duration is formatted for it
    const scope = new Construct(undefined as never, 'fleet');
    const err = thrownBy(() => goDuration(Duration.seconds(0), scope));
    // THEN the error names the construct
    expect(err.code).toBe(ErrorCode.INVALID_DURATION);
    expect(err.constructPath).toBe('fleet');
    expect(err.message).toMatch(/^\[fleet\] duration must be a positive whole number of seconds, got 0s$/);
  });

  test('fails on zero', () => {
    // THEN
    expect(() => goDuration(Duration.seconds(0))).toThrow('got 0s');
  });
});
