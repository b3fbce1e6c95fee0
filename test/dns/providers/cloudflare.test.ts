import { Chart, Testing } from 'cdk8s';
import { ErrorCode } from '../../../lib/core/errors';
import { cloudflareStrategy } from '../../../lib/dns/providers/cloudflare';
import { SecretReference } from '../../../lib/secrets/secret-reference';
import { thrownBy } from '../../support/errors';

const scope = () => new Chart(Testing.app(), 'dns');
const TOKEN = SecretReference.fromSealedSecret('cloudflare-api-token', 'external-dns').key('api-token');

describe('cloudflareStrategy', () => {
  test('token in CF_API_TOKEN by Secret reference, proxied, 5000 records per page by default', () => {
    // GIVEN only a token WHEN the strategy is configured
    const s = cloudflareStrategy({ apiToken: TOKEN });
    const cfg = s.config(scope());
    // THEN
    expect([s.name, s.proxiedByDefault]).toEqual(['cloudflare', true]);
    expect(cfg.env).toEqual([{ name: 'CF_API_TOKEN', valueFrom: { secretKeyRef: { name: 'cloudflare-api-token', key: 'api-token' } } }]);
    expect(cfg.args).toEqual(['--cloudflare-proxied', '--cloudflare-dns-records-per-page=5000']);
    expect(cfg.secrets).toEqual([TOKEN]);
    expect(cfg.volumes).toEqual([]);
  });

  test('proxied: false drops the flag; recordsPerPage is passed through', () => {
    // GIVEN DNS-only records and 100 per page WHEN configured
    const s = cloudflareStrategy({ apiToken: TOKEN, proxied: false, recordsPerPage: 100 });
    // THEN
    expect(s.proxiedByDefault).toBe(false);
    expect(s.config(scope()).args).toEqual(['--cloudflare-dns-records-per-page=100']);
  });

  test.each([0, 5001, 1.5])('fails on recordsPerPage %s', (perPage) => {
    // GIVEN a page size outside 1-5000 WHEN configured THEN INVALID_PROP naming the scope
    const err = thrownBy(() => cloudflareStrategy({ apiToken: TOKEN, recordsPerPage: perPage }).config(scope()));
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toBe(`[dns] recordsPerPage ${perPage} must be 1-5000`);
  });
});
