import { ApiObject, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { OutputFolder } from '../../lib/flux/output-folder';

describe('OutputFolder', () => {
  test('records its folder and disables resource-name hashes', () => {
    // GIVEN / WHEN
    const app = Testing.app();
    const folder = new OutputFolder(app, 'Mgmt', 'mgmt/controllers');
    const obj = new ApiObject(folder, 'Obj', { apiVersion: 'v1', kind: 'ConfigMap' });
    // THEN
    expect(folder.folder).toBe('mgmt/controllers');
    expect(obj.name).toBe('mgmt-obj');
    expect(OutputFolder.isOutputFolder(folder)).toBe(true);
  });

  // cdk8s's Chart defines `static [Symbol.hasInstance]` (Chart.isChart), which subclasses inherit:
  // isOutputFolder must not rely on instanceof.
  test('isOutputFolder is false for a plain cdk8s Chart', () => {
    // THEN
    expect(OutputFolder.isOutputFolder(new Chart(Testing.app(), 'Plain'))).toBe(false);
  });

  test('of() finds the nearest folder, itself included', () => {
    // GIVEN nested folders
    const app = Testing.app();
    const outer = new OutputFolder(app, 'Outer', 'a');
    const inner = new OutputFolder(outer, 'Inner', 'a/b');
    const leaf = new Construct(inner, 'Leaf');
    // THEN
    expect(OutputFolder.of(leaf)).toBe(inner);
    expect(OutputFolder.of(inner)).toBe(inner);
    expect(OutputFolder.of(new Construct(outer, 'Other'))).toBe(outer);
  });

  test('fails outside any construct tree with a folder, naming the path', () => {
    // GIVEN a construct under the bare App (no Chart at all)
    const app = Testing.app();
    // THEN a plain Error today (issue 10 item 5 makes it an InfraFluxError): assert the message
    expect(() => OutputFolder.of(new Construct(app, 'x'))).toThrow('[x] is not inside an OutputFolder (a cluster, layer or app)');
  });

  test('fails outside any output folder, naming the path', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'loose');
    // THEN
    expect(() => OutputFolder.of(new Construct(chart, 'x'))).toThrow('[loose/x] is not inside an OutputFolder (a cluster, layer or app)');
  });
});
