export * from './policy-engine';
export * from './baseline-rules';
export * from './kyverno';
export * from './gatekeeper';
export * from './policy-exemption';
export * from './policy-baseline';
