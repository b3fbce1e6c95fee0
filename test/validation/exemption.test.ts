import { ApiObject, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { ErrorCode } from '../../lib/core/errors';
import { Validation, VALIDATION_EXEMPT_METADATA } from '../../lib/validation/exemption';
import { thrownBy } from '../support/errors';

function object(): ApiObject {
  return new ApiObject(new Chart(Testing.app(), 'c'), 'Widget', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
}

describe('Validation.exempt', () => {
  test('records the reason, whitespace collapsed, on the object\'s construct metadata', () => {
    // GIVEN an object WHEN exempted with a multi-line reason
    const o = object();
    expect(Validation.exemptionOf(o)).toBeUndefined();
    Validation.exempt(o, '  the Widget CRD ships\n   with the operator   ');
    // THEN exemptionOf returns the normalised reason, stored under the documented metadata type
    expect(Validation.exemptionOf(o)).toBe('the Widget CRD ships with the operator');
    expect(o.node.metadata.filter((m) => m.type === VALIDATION_EXEMPT_METADATA).map((m) => m.data)).toEqual(['the Widget CRD ships with the operator']);
  });

  test('fails on something that is not an ApiObject', () => {
    const e = thrownBy(() => Validation.exempt(new Construct(Testing.app(), 'x') as unknown as ApiObject, 'because it is generated elsewhere'));
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.message).toBe("[validation] Validation.exempt() takes an ApiObject (use ApiObject.of(construct) for a construct's primary object)");
  });

  test('fails on a reason shorter than 10 characters (after collapsing whitespace)', () => {
    // GIVEN a reason that is long only because of its spaces
    const o = object();
    const e = thrownBy(() => Validation.exempt(o, '   too    short   '));
    // THEN INVALID_PROP names the object and the minimum; nothing is recorded
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.constructPath).toBe('c/Widget');
    expect(e.message).toContain('Validation.exempt() reason "   too    short   " is too short; say in at least 10 characters why');
    expect(Validation.exemptionOf(o)).toBeUndefined();
    // AND exactly 10 characters are enough
    Validation.exempt(o, '0123456789');
    expect(Validation.exemptionOf(o)).toBe('0123456789');
  });

  test('fails on a second exemption of the same object', () => {
    const o = object();
    Validation.exempt(o, 'first reason given here');
    const e = thrownBy(() => Validation.exempt(o, 'second reason given here'));
    expect(e.code).toBe(ErrorCode.DUPLICATE);
    expect(e.message).toBe('[c/Widget] is already exempt from validation; give one reason');
    expect(Validation.exemptionOf(o)).toBe('first reason given here');
  });
});
