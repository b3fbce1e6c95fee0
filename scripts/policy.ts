/**
 * `npm run policy [dist]`: the baseline policies offline over a rendered fleet (default: a fresh
 * build of the reference fleet; with a folder, the YAML files under it). Exit 1 on a violation
 * no exemption covers. See docs/security.md.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { checkFleetPolicies, RenderedObject } from '../lib/policy/offline-check';
import { buildReferenceFleet } from '../stacks/fleet';

function fromDir(dir: string): RenderedObject[] {
  const out: RenderedObject[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e)) for (const doc of parseAllDocuments(readFileSync(p, 'utf8'))) { const o = doc.toJS(); if (o && typeof o === 'object') out.push({ file: relative(dir, p), object: o }); }
    }
  };
  walk(dir);
  return out;
}

function main(): void {
  const dir = process.argv[2];
  const objects = dir ? fromDir(dir) : buildReferenceFleet().manifests().map((m) => ({ file: m.file, object: m.object }));
  const result = checkFleetPolicies(objects);
  for (const [cluster, names] of result.policies) process.stdout.write(`${cluster}: ${names.length} policies\n`);
  process.stdout.write(`${result.objectsChecked} objects checked; ${result.exempted.length} exempted violation(s), ${result.violations.length} violation(s)\n`);
  for (const v of result.exempted) process.stdout.write(`  exempted (${v.exemptedBy}) ${v.cluster} ${v.policy}: ${v.object}\n`);
  for (const v of result.violations) process.stdout.write(`  VIOLATION ${v.cluster} ${v.policy}: ${v.object} (dist/${v.file}): ${v.message}\n`);
  process.exitCode = result.violations.length ? 1 : 0;
}
main();
