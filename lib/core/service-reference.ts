import * as kplus from 'cdk8s-plus-33';
import { IConstruct } from 'constructs';
import { ErrorCode, InfraFluxError, invalidProp, validateDnsLabel } from './errors';

/**
 * A Kubernetes Service port a route sends traffic to. Anything with `{ namespace, name, port }`
 * works (e.g. Cilium's Hubble UI reference, `kube-system/hubble-ui:80`).
 */
export interface ServiceReference {
  readonly namespace: string;
  readonly name: string;
  readonly port: number;
  /**
   * The construct that deploys the Service (an app or layer of the same cluster): routes to it
   * are applied after it. Leave out for Services that exist on every cluster (kube-system).
   * @default - no dependency
   */
  readonly deployedBy?: IConstruct;
}

/** A {@link ServiceReference} to a cdk8s-plus Service (its first port unless `port` is given). */
export function serviceReference(service: kplus.Service, port?: number): ServiceReference {
  const namespace = service.metadata.namespace;
  if (!namespace) invalidProp(service, `Service ${service.name} has no namespace; routes need one`);
  const chosen = port ?? service.ports[0]?.port;
  if (chosen === undefined) invalidProp(service, `Service ${service.name} has no ports`);
  if (port !== undefined && !service.ports.some((p) => p.port === port)) {
    invalidProp(service, `Service ${service.name} has no port ${port}; it has ${service.ports.map((p) => p.port).join(', ')}`);
  }
  return { namespace, name: service.name, port: chosen, deployedBy: service };
}

/** @internal Checks a reference; errors name `scope`. */
export function validateServiceReference(scope: IConstruct, ref: ServiceReference): ServiceReference {
  validateDnsLabel(scope, 'service namespace', ref.namespace);
  validateDnsLabel(scope, 'service name', ref.name);
  if (!Number.isInteger(ref.port) || ref.port < 1 || ref.port > 65535) throw new InfraFluxError(ErrorCode.INVALID_PORT, scope, `service port ${ref.port} must be 1-65535`);
  return ref;
}
