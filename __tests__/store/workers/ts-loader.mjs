// `node --experimental-transform-types --import ./ts-loader.mjs script.ts` runs TypeScript with .js imports.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
