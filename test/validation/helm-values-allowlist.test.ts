import { readFileSync } from 'fs';
import { join } from 'path';
import { HELM_VALUES_ALLOWLIST, HELM_VALUES_OPEN_MAPS, isAllowlistedValuePath } from '../../lib/validation/helm-values-allowlist';

describe('isAllowlistedValuePath', () => {
  test('allows the entry and everything below it, for its chart only', () => {
    // GIVEN the cilium and oauth2-proxy entries THEN
    expect(isAllowlistedValuePath('cilium', '/loadBalancer/mode')).toBe(true);
    expect(isAllowlistedValuePath('cilium', '/loadBalancer/mode/x')).toBe(true);
    expect(isAllowlistedValuePath('oauth2-proxy', '/config/existingSecret')).toBe(true);
    expect(isAllowlistedValuePath('cilium', '/loadBalancer/modes')).toBe(false);
    expect(isAllowlistedValuePath('cilium', '/loadBalancer')).toBe(false);
    expect(isAllowlistedValuePath('oauth2-proxy', '/loadBalancer/mode')).toBe(false);
    expect(isAllowlistedValuePath('unknown-chart', '/config/existingSecret')).toBe(false);
  });

  test('every entry is a JSON pointer and stays short', () => {
    // GIVEN
    const entries = Object.values(HELM_VALUES_ALLOWLIST).flat();
    // THEN
    expect(entries.length).toBeLessThanOrEqual(12);
    for (const e of entries) expect(e).toMatch(/^(\/[A-Za-z0-9_.-]+)+$/);
  });

  test('every entry is documented as a comment in the pinned values.yaml (not a real key)', () => {
    // GIVEN the pinned chart values of the spec pack, when present on this machine
    const mirror = process.env.INFRAFLUX_UPSTREAM_MIRROR ?? '/work/shared/upstream';
    for (const [chart, entries] of Object.entries(HELM_VALUES_ALLOWLIST)) {
      let text: string;
      try {
        text = readFileSync(join(mirror, chart, 'chart', 'values.yaml'), 'utf8');
      } catch {
        continue; // no pack here: the schema tests cover the charts
      }
      for (const entry of entries) {
        const key = entry.split('/').pop() as string;
        // THEN the key appears commented out (`# key:`), as the allowlist comment says
        expect(text).toMatch(new RegExp(`^\\s*#\\s*${key}:`, 'm'));
      }
    }
  });

  test('every open map is a map key of the pinned values.yaml, and only what is below it is open', () => {
    // GIVEN grafana's open grafana.ini map
    expect(isAllowlistedValuePath('grafana', '/grafana.ini/auth.proxy/enabled')).toBe(true);
    expect(isAllowlistedValuePath('grafana', '/grafana.ini')).toBe(false);
    expect(isAllowlistedValuePath('grafana', '/grafana.inix/a')).toBe(false);
    expect(isAllowlistedValuePath('loki', '/grafana.ini/a')).toBe(false);
    const mirror = process.env.INFRAFLUX_UPSTREAM_MIRROR ?? '/work/shared/upstream';
    for (const [chart, maps] of Object.entries(HELM_VALUES_OPEN_MAPS)) {
      let text: string;
      try {
        text = readFileSync(join(mirror, chart, 'chart', 'values.yaml'), 'utf8');
      } catch {
        continue;
      }
      for (const m of maps) {
        const key = m.split('/').pop() as string;
        // THEN the key is declared (uncommented) with a nested block
        expect(text).toMatch(new RegExp(`^\\s*${key.replace('.', '\\.')}:\\s*\\n\\s+\\S`, 'm'));
      }
    }
  });
});
