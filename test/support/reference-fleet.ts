/**
 * The complete reference fleet (stacks/fleet.ts), built, validated and rendered once per test
 * process: jest-light-runner runs many test files in one worker and shares their modules, so
 * every read-only test of the whole fleet reuses one build instead of synthesizing ~580 objects
 * again. Tests that change the fleet build their own with `buildReferenceFleet()`.
 */
import type { Fleet } from '../../lib';
import type { SynthesizedManifest } from '../../lib/platform/fleet';
import { buildReferenceFleet } from '../../stacks/fleet';

interface ReferenceFleet {
  readonly fleet: Fleet;
  /** `fleet.manifests()`: every object, validated. */
  readonly manifests: SynthesizedManifest[];
  /** `fleet.render()`: every dist/ file, reconcile check and READMEs included (computed on first use). */
  readonly rendered: Map<string, string>;
}

let cached: { fleet: Fleet; manifests: SynthesizedManifest[]; rendered?: Map<string, string> } | undefined;

/** The shared, read-only reference fleet. Never add constructs to it. */
export function referenceFleet(): ReferenceFleet {
  if (!cached) {
    const fleet = buildReferenceFleet();
    cached = { fleet, manifests: fleet.manifests() };
  }
  const c = cached;
  return {
    fleet: c.fleet,
    manifests: c.manifests,
    get rendered(): Map<string, string> {
      if (!c.rendered) c.rendered = c.fleet.render();
      return c.rendered;
    },
  };
}
