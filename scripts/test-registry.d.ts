/** The module scripts/run-tests.ts generates into the test bundle for scripts/test-worker.ts. */
declare module 'samverka:test-registry' {
  /** Test file path (relative to the project) → evaluates that file, registering its tests. */
  export const registry: Record<string, () => void>;
}
