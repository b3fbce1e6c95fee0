import { CRON_DESCRIPTORS, CronSchedule, cronProblem } from '../../lib/backup/cron-schedule';
import { ErrorCode } from '../../lib/core/errors';
import { thrownBy } from '../support/errors';

describe('CronSchedule', () => {
  test('the factories render five-field expressions', () => {
    // GIVEN / WHEN / THEN
    expect(CronSchedule.hourly(5).render('t')).toBe('5 * * * *');
    expect(CronSchedule.daily(2).render('t')).toBe('0 2 * * *');
    expect(CronSchedule.daily(23, 59).render('t')).toBe('59 23 * * *');
    expect(CronSchedule.weekly(0, 4, 30).render('t')).toBe('30 4 * * 0');
  });

  test('accepts what robfig/cron\'s standard parser accepts: lists, ranges, steps, names, descriptors', () => {
    // GIVEN valid expressions
    for (const e of ['*/15 * * * *', '0 0-23/2 * * *', '0 3 1,15 * *', '0 3 * JAN-MAR MON-FRI', '0 0 ? * SUN', ...CRON_DESCRIPTORS]) {
      // THEN each one is accepted
      expect([e, cronProblem(e)]).toEqual([e, undefined]);
    }
    // AND extra whitespace is normalised
    expect(CronSchedule.expression(' 0  2 * * * ').render('t')).toBe('0 2 * * *');
  });

  test.each([
    ['0 0 * * * *', /has 6 fields/],
    ['* * * *', /has 4 fields/],
    ['', /is empty/],
    ['60 * * * *', /minute field "60"/],
    ['0 24 * * *', /hour field "24"/],
    ['0 0 0 * *', /day of month field "0"/],
    ['0 0 * 13 *', /month field "13"/],
    ['0 0 * * 7', /day of week field "7"/],
    ['0 0 * * FUNDAY', /day of week field "FUNDAY"/],
    ['*/0 * * * *', /step "0"/],
    ['0 5-2 * * *', /start after its end/],
    ['0 1,,2 * * *', /empty list item/],
    ['? * * * *', /'\?', allowed only in the day fields/],
    ['@every 1h', /unknown descriptor @every 1h/],
    ['@fortnightly', /unknown descriptor/],
  ])('fails with the invalid cron %p', (expr, message) => {
    // GIVEN an invalid expression WHEN it is rendered THEN INVALID_CRON names the scope and the problem
    const e = thrownBy(() => CronSchedule.expression(expr).render('fleet/c/apps/Velero', 'schedule daily'));
    expect(e.code).toBe(ErrorCode.INVALID_CRON);
    expect(e.constructPath).toBe('fleet/c/apps/Velero');
    expect(e.message).toMatch(message);
  });
});
