import { UpstreamCache, type UpstreamLockFile } from '../../lib/upstream/lock';
import { SchemaRegistry } from '../../lib/validation';

/**
 * Every locked file that defines a served custom resource group/kind, by `group/Kind`, among the
 * files `include` accepts (the chosen file of each GVK and the files it shadows). It comes from the
 * schema index (the pack `npm run upstream` derives from the verified cache), so tests do not
 * parse the CRD YAML again; without a current derived pack, the registry parses the cache files.
 */
export function crdFilesByGroupKind(include: (path: string) => boolean): Map<string, UpstreamLockFile> {
  const cache = UpstreamCache.default();
  const out = new Map<string, UpstreamLockFile>();
  for (const crd of SchemaRegistry.default().allCustomResources()) {
    const group = crd.apiVersion.split('/')[0] as string;
    for (const file of [crd.file, ...crd.shadowedFiles].filter(include)) out.set(`${group}/${crd.kind}`, cache.entry(file));
  }
  return out;
}
