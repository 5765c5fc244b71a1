/** The action's post entry point (dist/post/index.js). */
import { runEntry } from './action/entry.js';
import { runPost } from './action/post.js';

await runEntry('post', () => runPost());
