import { compareMinor, compareVersions, hasVPrefix, inMinorRange, minor, minorOf, minorText, parseVersion } from '../../lib/versions/_semver';

describe('parseVersion', () => {
  test('parses exact versions with and without v and with a pre-release', () => {
    // GIVEN / WHEN / THEN
    expect(parseVersion('v1.12.11')).toEqual({ major: 1, minor: 12, patch: 11, pre: '' });
    expect(parseVersion('1.20.0')).toEqual({ major: 1, minor: 20, patch: 0, pre: '' });
    expect(parseVersion('v0.7.0-alpha.2')).toEqual({ major: 0, minor: 7, patch: 0, pre: 'alpha.2' });
  });

  test.each(['1.2', '^1.2.3', '~1.2.3', '1.2.x', 'latest', '01.2.3', '1.2.3.4', 'v1.2.3+build', ''])('refuses %j (no ranges, no wildcards)', (text) => {
    // THEN
    expect(parseVersion(text)).toBeUndefined();
  });
});

describe('comparisons', () => {
  const v = (t: string) => parseVersion(t)!;
  test('compareVersions orders numerically, pre-releases before their release', () => {
    // GIVEN versions in shuffled order WHEN sorted
    const sorted = ['1.10.0', '1.2.0', '1.10.0-rc.1', '0.9.9', '1.10.0-beta.1', '1.9.10'].sort((a, b) => compareVersions(v(a), v(b)));
    // THEN
    expect(sorted).toEqual(['0.9.9', '1.2.0', '1.9.10', '1.10.0-beta.1', '1.10.0-rc.1', '1.10.0']);
    expect(compareVersions(v('v1.2.3'), v('1.2.3'))).toBe(0);
  });

  test('minor helpers', () => {
    // THEN
    expect(minorOf(v('v1.12.11'))).toEqual({ major: 1, minor: 12 });
    expect(minor('1.33')).toEqual({ major: 1, minor: 33 });
    expect(minorText({ major: 1, minor: 9 })).toBe('1.9');
    expect(compareMinor(minor('1.9'), minor('1.10'))).toBeLessThan(0);
    expect(compareMinor(minor('2.0'), minor('1.99'))).toBeGreaterThan(0);
    expect(inMinorRange(minor('1.31'), minor('1.30'), minor('1.33'))).toBe(true);
    expect(inMinorRange(minor('1.33'), minor('1.30'), minor('1.33'))).toBe(true);
    expect(inMinorRange(minor('1.34'), minor('1.30'), minor('1.33'))).toBe(false);
    expect(inMinorRange(minor('1.29'), minor('1.30'), minor('1.33'))).toBe(false);
  });

  test('hasVPrefix', () => {
    // THEN
    expect(hasVPrefix('v1.0.0')).toBe(true);
    expect(hasVPrefix('1.0.0')).toBe(false);
  });
});
