import { App, Chart } from 'cdk8s';
import { declareOwner, declaredOwners } from '../../lib/core/owner';
import { ErrorCode } from '../../lib/core/errors';
import { testCluster } from '../support/fleet';
import { thrownBy } from '../support/errors';

describe('owners', () => {
  test('owners declared below a cluster are recorded once each, sorted', () => {
    // GIVEN a cluster
    const { cluster } = testCluster();
    // WHEN three declarations name two teams
    declareOwner(cluster.apps, { team: 'web', contact: 'web@example.com' });
    declareOwner(cluster.controllers, { team: 'data' });
    declareOwner(cluster.apps, { team: 'web', contact: 'other@example.com' });
    // THEN the cluster lists both teams in order, first contact kept
    expect(declaredOwners(cluster)).toEqual([{ team: 'data' }, { team: 'web', contact: 'web@example.com' }]);
  });

  test('a scope outside any cluster records nothing', () => {
    const chart = new Chart(new App(), 'c');
    expect(declareOwner(chart, { team: 'web' })).toBe('web');
    expect(declaredOwners(chart)).toEqual([]);
  });

  test('fails on a team that is not a DNS label', () => {
    const { cluster } = testCluster();
    expect(thrownBy(() => declareOwner(cluster.apps, { team: 'Web Team' })).code).toBe(ErrorCode.INVALID_PROP);
  });
});
