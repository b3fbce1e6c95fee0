import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { ErrorCode } from '../../lib/core/errors';
import { serviceReference, validateServiceReference } from '../../lib/core/service-reference';
import { thrownBy } from '../support/errors';

function service(ports: number[], namespace: string | null = 'web'): kplus.Service {
  const chart = new Chart(Testing.app(), 'c');
  return new kplus.Service(chart, 'Svc', { metadata: { name: 'web', ...(namespace ? { namespace } : {}) }, ports: ports.map((port) => ({ port })) });
}

describe('serviceReference', () => {
  test('takes namespace, name and the first port; the Service deploys it', () => {
    // GIVEN a Service with two ports WHEN referenced without a port
    const svc = service([8080, 9090]);
    const ref = serviceReference(svc);
    // THEN
    expect(ref).toEqual({ namespace: 'web', name: 'web', port: 8080, deployedBy: svc });
  });

  test('takes the given port when the Service has it', () => {
    // THEN
    expect(serviceReference(service([8080, 9090]), 9090).port).toBe(9090);
  });

  test('fails on a Service without a namespace', () => {
    // WHEN
    const err = thrownBy(() => serviceReference(service([80], null)));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain('Service web has no namespace; routes need one');
  });

  test('fails on a Service without ports', () => {
    // WHEN
    const err = thrownBy(() => serviceReference(service([])));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain('Service web has no ports');
  });

  test('fails on a port the Service does not have', () => {
    // WHEN
    const err = thrownBy(() => serviceReference(service([8080, 9090]), 80));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain('Service web has no port 80; it has 8080, 9090');
  });
});

describe('validateServiceReference', () => {
  const scope = () => new Chart(Testing.app(), 'route');

  test('returns a valid reference unchanged', () => {
    // GIVEN
    const ref = { namespace: 'kube-system', name: 'hubble-ui', port: 80 };
    // THEN
    expect(validateServiceReference(scope(), ref)).toBe(ref);
  });

  test('fails on a namespace that is not a DNS-1123 label', () => {
    // WHEN
    const err = thrownBy(() => validateServiceReference(scope(), { namespace: 'Kube', name: 'x', port: 80 }));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain('[route] service namespace "Kube" is not a DNS-1123 label');
  });

  test('fails on a name that is not a DNS-1123 label', () => {
    // WHEN
    const err = thrownBy(() => validateServiceReference(scope(), { namespace: 'web', name: 'web.svc', port: 80 }));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PROP);
    expect(err.message).toContain('service name "web.svc" is not a DNS-1123 label');
  });

  test.each([0, 65536, 80.5])('fails on port %s', (port) => {
    // WHEN
    const err = thrownBy(() => validateServiceReference(scope(), { namespace: 'web', name: 'web', port }));
    // THEN
    expect(err.code).toBe(ErrorCode.INVALID_PORT);
    expect(err.message).toContain(`service port ${port} must be 1-65535`);
  });
});
