import { renderClusterReadme } from './cluster-readme';
import { buildReconcileModel, FleetModel, ReconcileModelOptions } from './reconcile-model';
import { checkSecretProvenance } from './provenance';
import { checkReconcileRules } from './rules';
import { ReconcileClusterInput, ReconcileViolation } from './types';

export interface ReconcileReport {
  readonly model: FleetModel;
  readonly violations: readonly ReconcileViolation[];
  /** `<cluster>/README.md` → text: the apply waves, the Kustomization graph and the external inputs. */
  readonly readmes: ReadonlyMap<string, string>;
}

/**
 * Replays a fleet from empty clusters and checks every rule (docs/reconcile.md). Pure: reads only
 * the given objects, the declared external inputs and the verified upstream cache.
 */
export function reconcileFleet(clusters: readonly ReconcileClusterInput[], options: ReconcileModelOptions = {}): ReconcileReport {
  const model = buildReconcileModel(clusters, options);
  const violations = [...checkReconcileRules(model), ...checkSecretProvenance(clusters)];
  const readmes = new Map<string, string>();
  for (const c of model.clusters) readmes.set(`${c.name}/README.md`, renderClusterReadme(c, model));
  return { model, violations, readmes };
}

/** One line per violation: `[CODE] message`. */
export function formatViolations(violations: readonly ReconcileViolation[]): string {
  return violations.map((v) => `[${v.code}] ${v.message}`).join('\n  ');
}
