/**
 * Loaded before node:test in each unit-test worker (scripts/run-tests.ts passes it with --import).
 *
 * Why: node:test (Node 20 and 22) installs an async hook that follows every asynchronous resource
 * (every promise) from its creation to its destruction, so that an error thrown outside a test's
 * own code can be blamed on the test that started it. Following promises to their destruction
 * means a weak callback on each one: in this suite, where a request makes hundreds of promises
 * (PGlite, Drizzle, Fastify), that was about a tenth of the CPU of the test files
 * (docs/benchmarks.md, "Tenth round").
 *
 * What stays: the hook still sees every test and suite as it is created (type 'Test'), which is
 * how node:test finds the suite that a `test()`, `before()` or `after()` call belongs to while a file is loaded
 * (scripts/test-worker.ts loads each file synchronously inside its suite). Every other resource
 * is left out, and nothing is followed to its end.
 *
 * What changes:
 * - An error thrown from a timer or a callback, or an unhandled rejection, inside a test is no
 *   longer blamed on that test by node:test, which used to fail the test and abort it at once. The
 *   run still fails: node:test reports the error and sets the exit code, and the worker names the
 *   file that was running (scripts/test-worker.ts), which the runner lists among the failed files.
 *   A test that waits for the callback that threw now waits until its file's time limit.
 * - `test()`, `before()` or `after()` called after an `await` while a file is loaded (an async
 *   `describe` callback) would land in the root suite instead of the file's. Declare tests and
 *   hooks synchronously, as every file does; inside a test, use `t.after()` and `t.test()`.
 *
 * Only the hook that node:test's harness makes is changed (found by its caller in the stack);
 * every other createHook call, and AsyncLocalStorage, get the real thing.
 */
import asyncHooks from 'node:async_hooks';

const createHook = asyncHooks.createHook;
asyncHooks.createHook = function createHookLeavingOutPromises(callbacks) {
  if (!new Error().stack?.includes('internal/test_runner/harness')) return createHook(callbacks);
  const init = callbacks.init;
  return createHook({
    init(asyncId, type, triggerAsyncId, resource) {
      // node:test's tests and suites are async resources of type 'Test'. Anything else passed on
      // would stay in node:test's map for good, with no destroy callback to take it out.
      if (type === 'Test') init?.(asyncId, type, triggerAsyncId, resource);
    },
  });
};
