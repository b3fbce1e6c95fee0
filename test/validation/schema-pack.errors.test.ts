import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ErrorCode } from '../../lib/core/errors';
import { convertCore, parseSchemaPack, SCHEMA_PACK_FORMAT, SchemaPack, type SchemaPackData } from '../../lib/validation/schema-pack';
import { thrownBy } from '../support/errors';

/** The smallest pack: no kinds, no CRDs, no charts. */
const EMPTY: SchemaPackData = {
  format: SCHEMA_PACK_FORMAT,
  fingerprint: 'test',
  kubernetes: { file: 'kubernetes/swagger.json', sha256: '', definitions: {}, kinds: [] },
  crds: [],
  served: {},
  charts: {},
};

describe('schema pack errors (codes per family)', () => {
  test('fails with SCHEMA_PACK_MISSING when the shipped pack is not installed', () => {
    // GIVEN a path with no pack
    const file = join(mkdtempSync(join(tmpdir(), 'infraflux-nopack-')), 'pack.json.gz');
    // WHEN it is loaded THEN the error names the file and says what to do
    const error = thrownBy(() => SchemaPack.load(file));
    expect(error.code).toBe(ErrorCode.SCHEMA_PACK_MISSING);
    expect(error.constructPath).toBe(file);
    expect(error.message).toContain('is missing; this installation of infraflux is incomplete (reinstall the package)');
  });

  test('fails with SCHEMA_PACK_FORMAT on a pack of another format', () => {
    // GIVEN a pack written by a (future) format 2
    const bytes = gzipSync(JSON.stringify({ ...EMPTY, format: 2 }));
    // WHEN it is parsed THEN both formats are named
    const error = thrownBy(() => parseSchemaPack(bytes, 'other.json.gz'));
    expect(error.code).toBe(ErrorCode.SCHEMA_PACK_FORMAT);
    expect(error.message).toBe(`[other.json.gz] other.json.gz has schema pack format 2, expected ${SCHEMA_PACK_FORMAT}`);
  });

  test('fails with UPSTREAM_NOT_PINNED on a chart the pack does not carry', () => {
    // GIVEN a pack without charts WHEN a chart is asked for THEN the pinned ones are listed (none)
    const error = thrownBy(() => new SchemaPack(EMPTY, 'pack.json.gz').chart('nope'));
    expect(error.code).toBe(ErrorCode.UPSTREAM_NOT_PINNED);
    expect(error.message).toBe('[pack.json.gz] chart "nope" is not pinned; pinned charts: ');
  });

  test('fails with UPSTREAM_FILE_MALFORMED on a Kubernetes swagger without definitions', () => {
    // GIVEN / WHEN a swagger document with no `definitions` is converted THEN
    const error = thrownBy(() => convertCore('{"swagger": "2.0"}'));
    expect(error.code).toBe(ErrorCode.UPSTREAM_FILE_MALFORMED);
    expect(error.message).toMatch(/has no definitions$/);
  });
});
