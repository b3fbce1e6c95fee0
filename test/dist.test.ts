/**
 * dist/ is committed and watched by Flux: it must be exactly what a fresh synth produces, and a
 * synth must be deterministic.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { buildReferenceFleet } from '../stacks/fleet';
import { referenceFleet } from './support/reference-fleet';
import { synthTerraform } from '../stacks/terraform';

const ROOT = join(__dirname, '..');

function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

describe('dist/', () => {
  test('equals a fresh synth of the reference fleet (run `npm run synth` and commit if this fails)', () => {
    const fresh = referenceFleet().rendered;
    const committed = readTree(join(ROOT, 'dist'));
    expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [file, text] of fresh) {
      expect({ file, text: committed.get(file)?.toString('utf8') }).toEqual({ file, text });
    }
  });

  test('re-synth is byte-identical', () => {
    // GIVEN two independent builds: one synthesized into a folder, one rendered in memory (shared)
    const a = join(mkdtempSync(join(tmpdir(), 'synth-a-')), 'dist');
    buildReferenceFleet(a).synthesize(a);
    const treeA = readTree(a);
    const treeB = new Map([...referenceFleet().rendered].map(([file, text]) => [file, Buffer.from(text, 'utf8')]));
    // THEN every file has the same bytes
    expect([...treeA.keys()].sort()).toEqual([...treeB.keys()].sort());
    for (const [file, bytes] of treeA) expect(Buffer.compare(bytes, treeB.get(file)!)).toBe(0);
  });

  test('the CDKTF app synthesizes byte-identical Terraform JSON', () => {
    const a = join(mkdtempSync(join(tmpdir(), 'tf-a-')), 'cdktf.out');
    const b = join(mkdtempSync(join(tmpdir(), 'tf-b-')), 'cdktf.out');
    synthTerraform(a);
    synthTerraform(b);
    const treeA = readTree(a);
    const treeB = readTree(b);
    expect([...treeA.keys()].sort()).toEqual([...treeB.keys()].sort());
    for (const [file, bytes] of treeA) expect(bytes.toString('utf8')).toBe(treeB.get(file)!.toString('utf8'));
    expect(treeA.has('stacks/cloudflare-dns/cdk.tf.json')).toBe(true);
  });
});
