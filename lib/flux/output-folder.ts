import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ErrorCode, InfraFluxError } from '../core/errors';

const OUTPUT_FOLDER = Symbol.for('infraflux.OutputFolder');

/**
 * A folder of dist/. Every Kubernetes object is written to the folder of its nearest
 * `OutputFolder` ancestor as `<kind>-<name>.yaml` (see {@link Fleet.synthesize}).
 */
export class OutputFolder extends Chart {
  /**
   * Whether `x` is an OutputFolder. Not `instanceof`: cdk8s's `Chart` defines
   * `static [Symbol.hasInstance]` as `Chart.isChart`, which subclasses inherit, so
   * `x instanceof OutputFolder` would be true for any Chart.
   */
  public static isOutputFolder(x: unknown): x is OutputFolder {
    return typeof x === 'object' && x !== null && (x as { [OUTPUT_FOLDER]?: unknown })[OUTPUT_FOLDER] === true;
  }

  /** The nearest output folder of `construct` (itself included). */
  public static of(construct: IConstruct): OutputFolder {
    const found = [construct, ...construct.node.scopes.slice().reverse()].find(OutputFolder.isOutputFolder);
    if (!found) throw new InfraFluxError(ErrorCode.INVALID_PROP, construct, 'is not inside an OutputFolder (a cluster, layer or app)');
    return found;
  }

  /** Folder relative to dist/, e.g. `mgmt/controllers`. */
  public readonly folder: string;

  public constructor(scope: Construct, id: string, folder: string) {
    super(scope, id, { disableResourceNameHashes: true });
    Object.defineProperty(this, OUTPUT_FOLDER, { value: true });
    this.folder = folder;
  }
}
