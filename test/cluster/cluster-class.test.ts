import { ClassPatch, ClassVariant, ClusterProvider, MachineSize, NodeRole, TalosClusterClass } from '../../lib/cluster';

describe('ClusterProvider and NodeRole', () => {
  test('provider names', () => {
    // THEN
    expect([ClusterProvider.AWS, ClusterProvider.AZURE, ClusterProvider.GCP, ClusterProvider.PROXMOX, ClusterProvider.METAL3].map((p) => p.name)).toEqual(['aws', 'azure', 'gcp', 'proxmox', 'metal3']);
  });

  test('ALL applies to every role, a role only to itself', () => {
    // GIVEN the three roles THEN
    expect(NodeRole.ALL._applies(NodeRole.CONTROL_PLANE)).toBe(true);
    expect(NodeRole.ALL._applies(NodeRole.WORKER)).toBe(true);
    expect(NodeRole.WORKER._applies(NodeRole.WORKER)).toBe(true);
    expect(NodeRole.WORKER._applies(NodeRole.CONTROL_PLANE)).toBe(false);
    expect(NodeRole.CONTROL_PLANE._applies(NodeRole.WORKER)).toBe(false);
  });
});

describe('ClassPatch', () => {
  test('talos: a machine-config patch for all nodes by default', () => {
    // GIVEN / WHEN
    const p = ClassPatch.talos({ machine: { sysctls: { 'vm.max_map_count': '262144' } } });
    // THEN
    expect(p._talos).toEqual({ machine: { sysctls: { 'vm.max_map_count': '262144' } } });
    expect(p._role).toBe(NodeRole.ALL);
    expect(p._kind).toBeUndefined();
    expect(p._jsonPatches).toEqual([]);
  });

  test('talos for one role', () => {
    // THEN
    expect(ClassPatch.talos({ machine: {} }, NodeRole.WORKER)._role).toBe(NodeRole.WORKER);
  });

  test('object: JSON patches for one kind', () => {
    // GIVEN
    const p = ClassPatch.object('AWSMachineTemplate', { op: 'add', path: '/spec/x', value: 1 } as never, { op: 'remove', path: '/spec/y' } as never);
    // THEN
    expect(p._kind).toBe('AWSMachineTemplate');
    expect(p._talos).toBeUndefined();
    expect(p._jsonPatches).toHaveLength(2);
  });
});

describe('ClassVariant', () => {
  test('dev: 1 control plane, 1 worker, no HA', () => {
    // THEN
    expect(ClassVariant.DEV.name).toBe('dev');
    expect(ClassVariant.DEV.props).toMatchObject({ controlPlaneCount: 1, highAvailability: false, workerCount: 1, allowSchedulingOnControlPlanes: false, unhealthySeconds: 600, nodeStartupSeconds: 1200 });
    expect(ClassVariant.DEV.props.workerAutoscaling).toBeUndefined();
  });

  test('prod: 3 control planes (HA), autoscaled workers 3-10, faster remediation', () => {
    // THEN
    expect(ClassVariant.PROD.props).toMatchObject({ controlPlaneCount: 3, highAvailability: true, workerCount: 3, workerAutoscaling: { minReplicas: 3, maxReplicas: 10 }, unhealthySeconds: 300 });
  });

  test('edge: workloads on the single control plane, no workers', () => {
    // THEN
    expect(ClassVariant.EDGE.props).toMatchObject({ controlPlaneCount: 1, workerCount: 0, allowSchedulingOnControlPlanes: true });
  });

  test('custom keeps the given props', () => {
    // GIVEN
    const props = { name: 'big', controlPlaneCount: 5, highAvailability: true, workerCount: 9, allowSchedulingOnControlPlanes: false, unhealthySeconds: 60, nodeStartupSeconds: 600 };
    // THEN
    expect(ClassVariant.custom(props).name).toBe('big');
    expect(ClassVariant.custom(props).props).toEqual(props);
  });
});

describe('TalosClusterClass', () => {
  test('factories set provider, variant and the default name <provider>-<variant>', () => {
    // GIVEN / WHEN
    const dev = TalosClusterClass.dev(ClusterProvider.PROXMOX);
    const prod = TalosClusterClass.prod(ClusterProvider.AWS);
    const edge = TalosClusterClass.edge(ClusterProvider.METAL3);
    // THEN
    expect([dev.name, prod.name, edge.name]).toEqual(['proxmox-dev', 'aws-prod', 'metal3-edge']);
    expect([dev.variant, prod.variant, edge.variant]).toEqual([ClassVariant.DEV, ClassVariant.PROD, ClassVariant.EDGE]);
    expect(prod.provider).toBe(ClusterProvider.AWS);
    expect(dev.patches).toEqual([]);
  });

  test('name, machines and patches from props', () => {
    // GIVEN
    const cp = MachineSize.instanceType('m6i.xlarge');
    const p = ClassPatch.talos({ machine: {} });
    const cls = TalosClusterClass.prod(ClusterProvider.AWS, { name: 'aws-big', controlPlaneMachine: cp, patches: [p] });
    // THEN
    expect(cls.name).toBe('aws-big');
    expect(cls.controlPlaneMachine).toBe(cp);
    expect(cls.workerMachine).toBeUndefined();
    expect(cls.patches).toEqual([p]);
  });

  test('addPatch appends and chains; the props array is copied', () => {
    // GIVEN a class made from a patch list
    const list = [ClassPatch.talos({ machine: {} })];
    const cls = new TalosClusterClass({ provider: ClusterProvider.GCP, variant: ClassVariant.DEV, patches: list });
    // WHEN a patch is added
    const extra = ClassPatch.object('GCPMachineTemplate');
    expect(cls.addPatch(extra)).toBe(cls);
    // THEN the class has both, the caller's list is untouched
    expect(cls.patches).toHaveLength(2);
    expect(cls.patches[1]).toBe(extra);
    expect(list).toHaveLength(1);
  });
});
