import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { formatIssue, parseYamlDocuments, validateObjects, type SourcedObject } from '../../lib/validation';

/**
 * Data-driven checks over test/fixtures/validation:
 * - valid/*.yaml: every object (and every HelmRelease with its ConfigMaps/sources) validates;
 * - invalid/*.yaml: each file trips exactly one rule, named in a `# rule:` comment. Its
 *   `# expect:` comments are substrings that ONE issue (formatted as `object: path: message`)
 *   must all contain -- so the object name and the path appear in the same issue. `# issues: N`
 *   declares the expected issue count (default 1) so a fixture cannot fail for another reason.
 */

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(__dirname, '..', 'fixtures', 'validation');

interface Fixture {
  readonly file: string;
  readonly objects: SourcedObject[];
  readonly rule: string;
  readonly expects: string[];
  readonly issueCount: number;
}

function commentValues(text: string, key: string): string[] {
  const prefix = `# ${key}:`;
  return text
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length).trim());
}

function loadFixtures(folder: string): Fixture[] {
  const dir = join(FIXTURES, folder);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const path = join(dir, f);
      const text = readFileSync(path, 'utf8');
      const source = relative(ROOT, path);
      return {
        file: f,
        objects: parseYamlDocuments(text, source).map((object) => ({ source, object })),
        rule: commentValues(text, 'rule').join(' '),
        expects: commentValues(text, 'expect'),
        issueCount: Number(commentValues(text, 'issues')[0] ?? '1'),
      };
    });
}

describe('validation fixtures', () => {
  const valid = loadFixtures('valid');
  const invalid = loadFixtures('invalid');

  test('there are fixtures of both kinds', () => {
    expect(valid.length).toBeGreaterThanOrEqual(8);
    expect(invalid.length).toBeGreaterThanOrEqual(20);
  });

  test.each(valid.map((f) => [f.file, f] as const))('accepts valid/%s', (_file, fixture) => {
    // GIVEN a valid fixture WHEN validated as one object set
    const report = validateObjects(fixture.objects);
    // THEN there is no issue and every object was validated
    expect(report.issues.map(formatIssue)).toEqual([]);
    expect(report.objectsValidated).toBe(fixture.objects.length);
  });

  test.each(invalid.map((f) => [f.file, f] as const))('fails invalid/%s', (_file, fixture) => {
    // GIVEN an invalid fixture that documents the rule it trips and the message it expects
    expect(fixture.rule).not.toBe('');
    expect(fixture.expects.length).toBeGreaterThan(0);
    // WHEN the file's objects are validated as one set
    const lines = validateObjects(fixture.objects).issues.map(formatIssue);
    // THEN exactly the declared number of issues is reported, one of them naming the object and
    // the path with the expected message
    expect(lines).toHaveLength(fixture.issueCount);
    const matching = lines.filter((line) => fixture.expects.every((e) => line.includes(e)));
    if (matching.length === 0) throw new Error(`no issue contains all of ${JSON.stringify(fixture.expects)}:\n${lines.join('\n')}`);
  });

  test('fails every invalid fixture with its source file named in the issue', () => {
    // GIVEN all invalid fixtures WHEN validated THEN each issue names the fixture file it came from
    for (const fixture of invalid) {
      for (const issue of validateObjects(fixture.objects).issues) {
        expect(issue.object).toContain(`(test/fixtures/validation/invalid/${fixture.file})`);
      }
    }
  });
});
