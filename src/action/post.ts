/**
 * The post step: save the cross-run cache (only after a finished build, never failing the job), then remove our
 * work directory (unpacked layers, the store), which belongs to root after a sudo run.
 */
import * as core from '@actions/core';
import { rm } from 'node:fs/promises';
import { describeError } from '../errors.js';
import { saveCrossRunCache } from './cache-seam.js';
import { ActionLogger } from './logger.js';
import { stateNames } from './names.js';

export async function runPost(): Promise<void> {
  const logger = new ActionLogger();
  const workRoot = core.getState(stateNames.workRoot);
  try {
    if (core.getState(stateNames.built) === 'true') {
      await saveCrossRunCache(core.getState(stateNames.cache), logger);
    }
  } catch (err) {
    logger.warn(`cache not saved: ${describeError(err)}`);
  }
  if (workRoot === '') return;
  try {
    await rm(workRoot, { recursive: true, force: true, maxRetries: 3 });
    logger.debug(`removed ${workRoot}`);
  } catch (err) {
    logger.warn(`could not remove the work directory ${workRoot}: ${describeError(err)}`);
  }
}
