import { MachineSize } from '../../lib/cluster';

describe('MachineSize', () => {
  test('instanceType carries only the type name', () => {
    // GIVEN / WHEN
    const m = MachineSize.instanceType('m6i.large');
    // THEN
    expect(m._kind).toBe('instanceType');
    expect(m.instanceTypeName).toBe('m6i.large');
    expect(m.vm).toBeUndefined();
    expect(m.hostLabels).toBeUndefined();
    expect(m.toString()).toBe('instance type m6i.large');
  });

  test('virtual carries the VM shape', () => {
    // GIVEN
    const m = MachineSize.virtual({ cores: 4, memoryMiB: 8192, diskGiB: 50 });
    // THEN
    expect(m._kind).toBe('virtual');
    expect(m.vm).toEqual({ cores: 4, memoryMiB: 8192, diskGiB: 50 });
    expect(m.instanceTypeName).toBeUndefined();
    expect(m.toString()).toBe('VM 4 cores/8192 MiB/50 GiB');
  });

  test('bareMetal carries the host selector labels', () => {
    // GIVEN
    const m = MachineSize.bareMetal({ 'infraflux.io/host-role': 'worker', rack: 'r1' });
    // THEN
    expect(m._kind).toBe('bareMetal');
    expect(m.hostLabels).toEqual({ 'infraflux.io/host-role': 'worker', rack: 'r1' });
    expect(m.toString()).toBe('bare-metal hosts {"infraflux.io/host-role":"worker","rack":"r1"}');
  });
});
