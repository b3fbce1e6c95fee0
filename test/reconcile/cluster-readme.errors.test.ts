import { ErrorCode } from '../../lib/core/errors';
import { externalInputsFromReadme } from '../../lib/reconcile/cluster-readme';
import { thrownBy } from '../support/errors';

describe('cluster README errors', () => {
  test('fails with README_MALFORMED on an external-inputs block that is never closed', () => {
    // GIVEN a README whose inputs comment has no closing -->
    const text = '# cluster\n\n<!-- infraflux:external-inputs\n[]\n';
    // WHEN its inputs are read THEN
    const error = thrownBy(() => externalInputsFromReadme(text));
    expect(error.code).toBe(ErrorCode.README_MALFORMED);
    expect(error.message).toBe('[README] the external-inputs block is not closed; it must end with -->');
  });
});
