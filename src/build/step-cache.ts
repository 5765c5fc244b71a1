import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { digestHex, sha256, type Digest } from '../oci/digest.js';
import type { KeyInputs } from '../plan/cache-key.js';
import type { CachedStep } from './layer-cache.js';

/**
 * Step reuse within one machine: `steps/<key>.json` records the layer a step produced, and `slots/<slot>.json`
 * the inputs a step position had last time, to explain a miss. The layer blobs themselves live in the store.
 */
export class StepCache {
  constructor(readonly root: string) {}

  async init(): Promise<void> {
    await mkdir(join(this.root, 'steps'), { recursive: true });
    await mkdir(join(this.root, 'slots'), { recursive: true });
  }

  async get(key: Digest): Promise<CachedStep | undefined> {
    return readJson<CachedStep>(join(this.root, 'steps', `${digestHex(key)}.json`));
  }

  async put(step: CachedStep): Promise<void> {
    await writeJson(join(this.root, 'steps', `${digestHex(step.key)}.json`), step);
  }

  async previousInputs(slot: string): Promise<KeyInputs | undefined> {
    return readJson<KeyInputs>(this.slotFile(slot));
  }

  async recordSlot(slot: string, inputs: KeyInputs): Promise<void> {
    await writeJson(this.slotFile(slot), inputs);
  }

  private slotFile(slot: string): string {
    return join(this.root, 'slots', `${digestHex(sha256(slot))}.json`);
  }
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || err instanceof SyntaxError) return undefined;
    throw err;
  }
}

async function writeJson(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, JSON.stringify(value));
  await rename(tmp, file);
}
