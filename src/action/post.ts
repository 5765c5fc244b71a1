/**
 * The post step: save the cross-run cache (only after a finished build; never failing the job), then remove our
 * work directory (unpacked layers, the store), which belongs to root after a sudo run. Cancelled meanwhile
 * (SIGINT/SIGTERM), it gives up the save with a warning, still removes the work directory, and exits cleanly:
 * a save cut short leaves no index pointing at missing entries (entries are written before the index).
 */
import * as core from '@actions/core';
import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { describeError } from '../errors.js';
import { trapInterrupts } from '../interrupts.js';
import { formatBytes } from '../report/index.js';
import { openStore } from '../store/index.js';
import { saveActionCache, type CacheRecord } from './action-cache.js';
import { ActionLogger } from './logger.js';
import { stateNames } from './names.js';
import { readActionInputs } from './read-action-inputs.js';
import { registryClientsFor } from './registry-clients.js';
import type { Env } from './run-context.js';

export async function runPost(env: Env = process.env): Promise<void> {
  const logger = new ActionLogger();
  const workRoot = core.getState(stateNames.workRoot);
  const record = core.getState(stateNames.cache);
  const interrupts = trapInterrupts((signal) => {
    logger.warn(`cache not saved: interrupted by ${signal}`);
    if (workRoot !== '') rmSync(workRoot, { recursive: true, force: true, maxRetries: 3 });
    process.exit(0);
  });
  try {
    await saveAndClean(workRoot, record, env, logger);
  } finally {
    interrupts.release();
  }
}

async function saveAndClean(workRoot: string, record: string, env: Env, logger: ActionLogger): Promise<void> {
  if (core.getState(stateNames.built) === 'true' && record !== '') {
    try {
      await saveCache(JSON.parse(record) as CacheRecord, env, logger);
    } catch (err) {
      logger.warn(`cache not saved: ${describeError(err)}`);
    }
  }
  if (workRoot === '') return;
  try {
    await rm(workRoot, { recursive: true, force: true, maxRetries: 3 });
    logger.debug(`removed ${workRoot}`);
  } catch (err) {
    logger.warn(`could not remove the work directory ${workRoot}: ${describeError(err)}`);
  }
}

async function saveCache(record: CacheRecord, env: Env, logger: ActionLogger): Promise<void> {
  // Credentials are never in the state file: the inputs give them again.
  const inputs = readActionInputs(env);
  const clients = registryClientsFor(inputs, env, record.readOnlyReason === undefined, logger);
  try {
    const store = await openStore(record.storeRoot);
    const report = await saveActionCache(record, { clients, store, logger, env });
    if (report.access.kind === 'read-only') {
      logger.info(`cache not saved: ${report.access.reason}`);
      return;
    }
    const { entries, bytes } = report.saved;
    logger.info(
      `cache saved: ${entries} entries (${formatBytes(bytes)}); it holds ${formatBytes(report.sizeBytes)} of layers`,
    );
  } finally {
    clients.close();
  }
}
