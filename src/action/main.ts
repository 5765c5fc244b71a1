/**
 * The action's main step: inputs → run context → tags → cache → build → push → exports → outputs, summary
 * and PR comment. Each stage is a function of the previous one's value; this file only chains them.
 */
import * as core from '@actions/core';
import type { BuildResult } from '../build/types.js';
import type { CrossRunCache } from '../cache/index.js';
import type { ShipNeeds } from '../build/ship-ready.js';
import { describeError } from '../errors.js';
import { stopSignalOf, trapInterrupts } from '../interrupts.js';
import { systemClock } from '../log.js';
import type { Publication, RunReport } from '../report/index.js';
import type { ImageStore } from '../store/types.js';
import {
  cacheFacts,
  openActionCache,
  planCache,
  suspendActionCache,
  type CachePlan,
} from './action-cache.js';
import { prepareBuild, runBuild, type PreparedBuild } from './build-stage.js';
import { writeExports } from './exports.js';
import { failStep } from './fail.js';
import { makeBuildHost, workRootFor } from './host.js';
import { readActionInputs } from './read-action-inputs.js';
import type { Inputs } from './inputs.js';
import { ActionLogger } from './logger.js';
import { stateNames } from './names.js';
import { invokerOf } from './ownership.js';
import { commentOnPullRequest, writeOutputs, writeSummary } from './publish-report.js';
import { preflightPush, publish } from './publish.js';
import { decideRunPolicy, type RunPolicy } from './push-policy.js';
import { registryClientsFor, type RegistryClients } from './registry-clients.js';
import { readRunContext, type Env, type RunContext } from './run-context.js';
import { describeEvent } from './run-event.js';
import { planTags, type TagPlan } from './tag-plan.js';

export async function runMain(env: Env = process.env): Promise<void> {
  const logger = new ActionLogger();
  const interrupts = trapInterrupts();
  try {
    const inputs = readActionInputs(env);
    const run = await readRunContext(inputs, env, logger);
    const policy = decideRunPolicy(inputs.push, run.event, inputs.allowPullRequestTarget);
    if (policy.warning) logger.warn(policy.warning);
    const prepared = await prepareBuild(inputs, logger);
    const clients = registryClientsFor(inputs, env, policy.trusted, logger);
    try {
      await buildAndPublish({
        inputs,
        run,
        policy,
        prepared,
        clients,
        env,
        logger,
        signal: interrupts.signal,
      });
    } finally {
      clients.close();
    }
  } catch (err) {
    logger.finishSteps();
    const stopped = stopSignalOf(interrupts.signal);
    // a cancelled run: one line saying so, not whatever the interrupted stage threw
    if (stopped) core.setFailed(`interrupted by ${stopped}`);
    else failStep(err);
  } finally {
    interrupts.release();
  }
}

interface RunParts {
  readonly inputs: Inputs;
  readonly run: RunContext;
  readonly policy: RunPolicy;
  readonly prepared: PreparedBuild;
  readonly clients: RegistryClients;
  readonly env: Env;
  readonly logger: ActionLogger;
  /** Aborted when the workflow is cancelled. */
  readonly signal: AbortSignal;
}

interface Built {
  readonly result: BuildResult;
  readonly store: ImageStore;
  readonly cachePlan: CachePlan;
  readonly cache?: CrossRunCache;
}

async function buildAndPublish(p: RunParts): Promise<void> {
  const { inputs, policy, logger } = p;
  const tags = await planTags(inputs, p.run, p.clients, p.env, systemClock, logger);
  const pushing = policy.push.kind === 'push' && tags.targets.length > 0;
  if (pushing) await preflightPush(tags.targets, p.clients);
  const built = await build(p, tags);
  const { result, store, cache } = built;
  const publication = pushing
    ? await publish({ result, targets: tags.targets, clients: p.clients, store, logger, signal: p.signal })
    : notPushed(policy, tags);
  if (publication.kind === 'not-pushed') logger.info(`not pushed: ${publication.reason}`);
  const exports = await writeExports(inputs.exports, result.image, store, tags.metadata, invokerOf(p.env));
  const report: RunReport = {
    trigger: describeEvent(p.run.event),
    image: result.image,
    steps: result.steps,
    metadata: tags.metadata,
    publication,
    cache: cacheFacts(built.cachePlan, cache),
    exports,
    warnings: [...tags.metadata.warnings, ...result.warnings],
    bases: { previous: cache?.previousBases() ?? new Map(), current: result.bases },
  };
  writeOutputs(report);
  if (inputs.summary) await writeSummary(report, logger);
  await commentOnPullRequest(report, inputs, p.run.event, p.env, logger);
}

/** The build with the cross-run cache around it; the cache session is suspended for post to save. */
async function build(p: RunParts, tags: TagPlan): Promise<Built> {
  const workRoot = workRootFor(p.env);
  core.saveState(stateNames.workRoot, workRoot);
  const host = await makeBuildHost({
    workRoot,
    clients: p.clients,
    logger: p.logger,
    env: p.env,
    signal: p.signal,
  });
  const cachePlan = planCache({
    inputs: p.inputs,
    env: p.env,
    trusted: p.policy.trusted,
    ...(p.policy.cacheReadOnly ? { cacheReadOnly: p.policy.cacheReadOnly } : {}),
    targets: tags.targets,
    workRoot: host.workRoot,
    storeRoot: host.store.root,
    ...(p.run.git.defaultBranch ? { defaultBranch: p.run.git.defaultBranch } : {}),
  });
  const deps = { clients: p.clients, store: host.store, logger: p.logger, env: p.env };
  const cache = await openActionCache(cachePlan, deps).catch((err: unknown) => {
    p.logger.warn(`cross-run cache not used: ${describeError(err)}`);
    return undefined;
  });
  const pushing = p.policy.push.kind === 'push' && tags.targets.length > 0;
  const needs: ShipNeeds = {
    export: p.inputs.exports.length > 0,
    pushTo: pushing
      ? tags.targets.map((t) => ({ client: p.clients.get(t.registry), repository: t.repository }))
      : [],
  };
  const result = await runBuild(
    p.prepared,
    p.inputs,
    tags.metadata,
    p.run.sourceDateEpoch,
    cache ? { ...host, cache } : host,
    needs,
  );
  p.logger.finishSteps();
  p.logger.info(`built ${result.image.descriptor.digest}`);
  core.saveState(stateNames.built, 'true');
  if (cache && cachePlan.kind === 'on') {
    await suspendActionCache(cache, cachePlan.record, result.bases);
    core.saveState(stateNames.cache, JSON.stringify(cachePlan.record));
  }
  return { result, store: host.store, cachePlan, ...(cache ? { cache } : {}) };
}

function notPushed(policy: RunPolicy, tags: TagPlan): Publication {
  if (policy.push.kind === 'skip') return { kind: 'not-pushed', reason: policy.push.reason };
  const reason = tags.metadata.images.length === 0 ? 'no image name is enabled' : 'no tag was generated';
  return { kind: 'not-pushed', reason };
}
