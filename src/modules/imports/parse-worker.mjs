// Worker threads do not inherit the `--import tsx` loader of the main thread:
// register it here, then load the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
