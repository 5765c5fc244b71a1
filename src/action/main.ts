/**
 * The action's main step: inputs → run context → tags → (cache) → build → push → exports → outputs, summary
 * and PR comment. Each stage is a function of the previous one's value; this file only chains them.
 */
import * as core from '@actions/core';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { BuildResult } from '../build/types.js';
import { systemClock } from '../log.js';
import type { Publication, RunReport } from '../report/index.js';
import { prepareBuild, runBuild, type PreparedBuild } from './build-stage.js';
import { openCrossRunCache, type OpenedCache } from './cache-seam.js';
import { completeImage } from './complete-image.js';
import { failStep } from './fail.js';
import { writeExports } from './exports.js';
import { makeBuildHost, workRootFor } from './host.js';
import { readInputs, type Inputs } from './inputs.js';
import { ActionLogger } from './logger.js';
import { stateNames, type InputName } from './names.js';
import { invokerOf } from './ownership.js';
import { commentOnPullRequest, writeOutputs, writeSummary } from './publish-report.js';
import { preflightPush, publish } from './publish.js';
import { decideRunPolicy, type RunPolicy } from './push-policy.js';
import { RegistryClients } from './registry-clients.js';
import { readRunContext, type Env, type RunContext } from './run-context.js';
import { describeEvent } from './run-event.js';
import { planTags, type TagPlan } from './tag-plan.js';

export async function runMain(env: Env = process.env): Promise<void> {
  const logger = new ActionLogger();
  try {
    const inputs = readActionInputs(env);
    const run = await readRunContext(inputs, env, logger);
    const policy = decideRunPolicy(inputs.push, run.event, inputs.allowPullRequestTarget);
    if (policy.warning) logger.warn(policy.warning);
    const prepared = await prepareBuild(inputs, logger);
    const clients = new RegistryClients({
      registry: inputs.registry,
      ...(inputs.login ? { login: inputs.login } : {}),
      insecureRegistries: inputs.insecureRegistries,
      dockerConfigPath: join(env['DOCKER_CONFIG'] || join(homedir(), '.docker'), 'config.json'),
      trusted: policy.trusted,
      logger,
      helperEnv: { PATH: env['PATH'] },
    });
    try {
      await buildAndPublish({ inputs, run, policy, prepared, clients, env, logger });
    } finally {
      clients.close();
    }
  } catch (err) {
    logger.finishSteps();
    failStep(err);
  }
}

/** Masks the credentials before anything else can print, then reads and checks every input once. */
function readActionInputs(env: Env): Inputs {
  const get = (name: InputName): string => core.getInput(name);
  const masked = new Set<string>();
  const mask = (value: string): void => {
    if (value.trim() === '' || masked.has(value)) return;
    masked.add(value);
    core.setSecret(value);
  };
  mask(get('password').trim());
  mask(get('github-token').trim());
  const { inputs, secretValues } = readInputs(get, {
    workspace: env['GITHUB_WORKSPACE'] || process.cwd(),
    repository: env['GITHUB_REPOSITORY'] ?? '',
    actor: env['GITHUB_ACTOR'] ?? '',
    env,
  });
  secretValues.forEach(mask);
  return inputs;
}

interface RunParts {
  readonly inputs: Inputs;
  readonly run: RunContext;
  readonly policy: RunPolicy;
  readonly prepared: PreparedBuild;
  readonly clients: RegistryClients;
  readonly env: Env;
  readonly logger: ActionLogger;
}

async function buildAndPublish(p: RunParts): Promise<void> {
  const { inputs, run, policy, logger } = p;
  const plan = await planTags(inputs, run, p.clients, p.env, systemClock, logger);
  const pushing = policy.push.kind === 'push' && plan.targets.length > 0;
  if (pushing) await preflightPush(plan.targets, p.clients);
  const workRoot = workRootFor(p.env);
  core.saveState(stateNames.workRoot, workRoot);
  const cache = await openCrossRunCache(inputs.cache, { writable: policy.trusted, workRoot, logger });
  const host = await makeBuildHost({
    workRoot,
    clients: p.clients,
    logger,
    env: p.env,
    ...(cache.layerCache ? { cache: cache.layerCache } : {}),
  });
  const result = await runBuild(p.prepared, inputs, plan.metadata, run.sourceDateEpoch, host);
  logger.finishSteps();
  core.saveState(stateNames.built, 'true');
  core.saveState(stateNames.cache, cache.state);
  logger.info(`built ${result.image.descriptor.digest}`);
  if (pushing || inputs.exports.length > 0) {
    await completeImage(result, {
      store: host.store,
      clients: p.clients,
      logger,
      ...(cache.layerCache ? { cache: cache.layerCache } : {}),
    });
  }
  const publication = pushing
    ? await publish({ result, targets: plan.targets, clients: p.clients, store: host.store, logger })
    : notPushed(policy, plan);
  if (publication.kind === 'not-pushed') logger.info(`not pushed: ${publication.reason}`);
  const exports = await writeExports(
    inputs.exports,
    result.image,
    host.store,
    plan.metadata,
    invokerOf(p.env),
  );
  const report = assembleReport({ p, plan, result, publication, cache, exports });
  writeOutputs(report);
  if (inputs.summary) await writeSummary(report, logger);
  await commentOnPullRequest(report, inputs, run.event, p.env, logger);
}

function notPushed(policy: RunPolicy, plan: TagPlan): Publication {
  if (policy.push.kind === 'skip') return { kind: 'not-pushed', reason: policy.push.reason };
  return {
    kind: 'not-pushed',
    reason: plan.metadata.images.length === 0 ? 'no image name is enabled' : 'no tag was generated',
  };
}

interface ReportParts {
  readonly p: RunParts;
  readonly plan: TagPlan;
  readonly result: BuildResult;
  readonly publication: Publication;
  readonly cache: OpenedCache;
  readonly exports: RunReport['exports'];
}

function assembleReport(r: ReportParts): RunReport {
  return {
    trigger: describeEvent(r.p.run.event),
    image: r.result.image,
    steps: r.result.steps,
    metadata: r.plan.metadata,
    publication: r.publication,
    cache: r.cache.facts,
    exports: r.exports,
    warnings: [...r.plan.metadata.warnings, ...r.result.warnings],
  };
}
