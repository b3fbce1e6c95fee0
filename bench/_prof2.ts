import { performance } from 'node:perf_hooks';
import Ajv from 'ajv';
import { UpstreamCache } from '../lib/upstream/lock';
import { SchemaRegistry } from '../lib/validation';
import { K8S_FORMATS, LIST_MAP_KEYS_KEYWORD, convertSwaggerDefinitions, crdObjectSchema, emptyNotes, coreObjectSchema } from '../lib/validation/k8s-schema';
import { parseYamlDocuments } from '../lib/validation/types';
import { gzipSync } from 'node:zlib';
const cache = new UpstreamCache('/work/wt/perf');
const reg = new SchemaRegistry(cache);
const crds = reg.allCustomResources();
const core = reg.allCoreKinds();
// collect converted schemas
const docs = new Map<string, unknown[]>();
const schemas: { key: string; schema: any }[] = [];
for (const c of crds) {
  if (!docs.has(c.file)) docs.set(c.file, parseYamlDocuments(cache.read(c.file), c.file));
  const [g, v] = c.apiVersion.split('/');
  for (const d of docs.get(c.file) as any[]) {
    if (d?.kind !== 'CustomResourceDefinition' || d.spec.group !== g || d.spec.names.kind !== c.kind) continue;
    const ver = d.spec.versions.find((x: any) => x.name === v);
    schemas.push({ key: `${c.apiVersion}/${c.kind}`, schema: crdObjectSchema(ver.schema.openAPIV3Schema, c.apiVersion, c.kind, emptyNotes()) });
  }
}
for (const c of core) schemas.push({ key: `${c.apiVersion}/${c.kind}`, schema: coreObjectSchema(c.definition!, c.apiVersion, c.kind) });
const defs = convertSwaggerDefinitions((JSON.parse(cache.read('kubernetes/openapi-spec/swagger.json')) as any).definitions, emptyNotes());
const packJson = JSON.stringify({ defs, schemas });
console.log('schemas', schemas.length, 'json bytes', packJson.length, 'gz', gzipSync(packJson).length);
const mode = process.argv[2] ?? 'default';
const opts: any = { strict: false, allErrors: true, verbose: true, formats: { ...K8S_FORMATS }, logger: false };
if (mode.includes('noopt')) opts.code = { optimize: false };
if (mode.includes('src')) opts.code = { ...(opts.code ?? {}), source: true };
if (mode.includes('noinline')) opts.inlineRefs = false;
const ajv = new Ajv(opts);
ajv.addKeyword({ keyword: LIST_MAP_KEYS_KEYWORD, schemaType: 'array', type: 'array', errors: true, validate: () => true });
ajv.addSchema(defs);
const n = Number(process.argv[3] ?? schemas.length);
const times: [number, string][] = [];
let total = 0; let src = 0;
const s0 = performance.now();
for (const s of schemas.slice(0, n)) {
  const s1 = performance.now();
  const v = ajv.compile(s.schema);
  const d = performance.now() - s1; total += d; times.push([d, s.key]);
  if ((v as any).source) src += String((v as any).source.validateCode ?? '').length;
}
console.log(mode, 'compile total', total.toFixed(0), 'ms', 'wall', (performance.now() - s0).toFixed(0), 'src', src);
times.sort((a, b) => b[0] - a[0]);
console.log(times.slice(0, 15).map(([d, k]) => `${d.toFixed(0)} ${k}`).join('\n'));
