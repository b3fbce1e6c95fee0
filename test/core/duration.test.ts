import { Duration } from 'cdk8s';
import { goDuration } from '../../lib/core/duration';

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

  // goDuration throws a plain Error today (issue 10 item 5 turns it into an InfraFluxError):
  // these assert the message until it has a code.
  test('fails on a fraction of a second', () => {
    // THEN
    expect(() => goDuration(Duration.millis(1500))).toThrow('duration must be a positive whole number of seconds, got 1.5s');
  });

  test('fails on zero', () => {
    // THEN
    expect(() => goDuration(Duration.seconds(0))).toThrow('got 0s');
  });
});
