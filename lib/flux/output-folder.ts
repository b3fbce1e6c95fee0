import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';

/**
 * A folder of dist/. Every Kubernetes object is written to the folder of its nearest
 * `OutputFolder` ancestor as `<kind>-<name>.yaml` (see {@link Fleet.synthesize}).
 */
export class OutputFolder extends Chart {
  public static isOutputFolder(x: unknown): x is OutputFolder {
    return x instanceof OutputFolder;
  }

  /** The nearest output folder of `construct` (itself included). */
  public static of(construct: IConstruct): OutputFolder {
    const found = [construct, ...construct.node.scopes.slice().reverse()].find(OutputFolder.isOutputFolder);
    if (!found) throw new Error(`[${construct.node.path}] is not inside an OutputFolder (a cluster, layer or app)`);
    return found;
  }

  /** Folder relative to dist/, e.g. `mgmt/controllers`. */
  public readonly folder: string;

  public constructor(scope: Construct, id: string, folder: string) {
    super(scope, id, { disableResourceNameHashes: true });
    this.folder = folder;
  }
}
