/**
 * Test order for a clean clone. jest runs the files it remembers as slow first, but a fresh
 * checkout (CI) has no timing cache, so the few long files could start last and leave one of the
 * two workers idle at the end. These start first; the rest follow jest's own order.
 */
const Sequencer = require('@jest/test-sequencer').default;

const SLOW_FIRST = [
  'test/validation/schema-coverage.test.ts',
  'test/dist.test.ts',
  'test/terraform/proxmox-talos-cluster.test.ts',
  'test/reconcile/reconcile-model.test.ts',
];

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const rank = (t) => {
      const i = SLOW_FIRST.findIndex((f) => t.path.endsWith(f));
      return i < 0 ? SLOW_FIRST.length : i;
    };
    const ordered = super.sort(tests);
    return [...ordered].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = SlowFirstSequencer;
