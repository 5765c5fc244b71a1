// `node --experimental-transform-types --import __tests__/helpers/ts-loader.mjs script.ts` runs TypeScript with .js imports (child processes in tests, benchmarks).
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
