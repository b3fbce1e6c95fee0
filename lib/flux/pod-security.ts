/**
 * Pod Security Admission level of a namespace.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 */
export class PodSecurityLevel {
  /** Hardened pods only: non-root, no privilege escalation, seccomp, all capabilities dropped. */
  public static readonly RESTRICTED = new PodSecurityLevel('restricted');
  /** Blocks known privilege escalations. */
  public static readonly BASELINE = new PodSecurityLevel('baseline');
  /** No restrictions: only for node agents (CNI, CSI, backup node agents). */
  public static readonly PRIVILEGED = new PodSecurityLevel('privileged');
  private constructor(public readonly value: string) {}
}
