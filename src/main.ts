/** The action's main entry point (dist/main/index.js). */
import { runEntry } from './action/entry.js';
import { runMain } from './action/main.js';

await runEntry('main', () => runMain());
