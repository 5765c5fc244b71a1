/**
 * Runs the bundled action exactly as the GitHub runner does: `node dist/main/index.js` with a clean environment
 * of INPUT_* (action.yml defaults, `${{ github.* }}` evaluated, then the step's `with:`), GITHUB_* variables, an
 * event payload file and the file-command files; then `node dist/post/index.js` with STATE_* from main's
 * GITHUB_STATE. Returns what the runner would see: exit codes, the log, outputs, state and the step summary.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readActionYml } from '../../action/action-yml.js';
import type { ActionBundles } from './bundle.js';

export interface WorkflowEvent {
  readonly name: string;
  readonly ref: string;
  readonly sha: string;
  readonly payload: object;
}

export interface StepRun {
  readonly bundles: ActionBundles;
  readonly workspace: string;
  readonly event: WorkflowEvent;
  /** The step's `with:`. */
  readonly inputs: Readonly<Record<string, string>>;
  readonly repository: string;
  readonly apiUrl: string;
  readonly actor?: string;
  readonly token?: string;
  /** The step's `env:`. */
  readonly env?: Readonly<Record<string, string>>;
  /** Run main and post as this uid/gid (through setpriv) instead of root. */
  readonly user?: { readonly uid: number; readonly gid: number };
  /** Called between main and post (e.g. to look into the work directory post removes). */
  readonly afterMain?: (main: StepResult, runnerTemp: string) => Promise<void> | void;
  /** Called with main's log so far after each chunk of output (e.g. to signal it once a step started). */
  readonly watchMain?: StepWatcher;
  /** The same for post. */
  readonly watchPost?: StepWatcher;
}

export type StepWatcher = (
  log: string,
  child: { readonly pid: number; kill(signal: NodeJS.Signals): void },
) => void;

export interface StepResult {
  readonly exitCode: number;
  readonly log: string;
  readonly outputs: Readonly<Record<string, string>>;
  readonly state: Readonly<Record<string, string>>;
  readonly summary: string;
  /** `::error::` lines of the log (annotations), without the command prefix. */
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

export interface JobResult {
  readonly main: StepResult;
  readonly post: StepResult;
  readonly runnerTemp: string;
}

export const defaultToken = 'ghs_e2eTokenForTheGithubApiStandIn0001';

/** main, then post, in one fresh runner directory (RUNNER_TEMP, HOME, file commands). */
export async function runJob(step: StepRun): Promise<JobResult> {
  const root = mkdtempSync(join(tmpdir(), 'ib-e2e-runner-'));
  const runnerTemp = join(root, 'temp');
  mkdirSync(runnerTemp);
  mkdirSync(join(root, 'home'));
  const eventPath = join(root, 'event.json');
  writeFileSync(eventPath, JSON.stringify(step.event.payload));
  const base = runnerEnv(step, { runnerTemp, home: join(root, 'home'), eventPath });
  const main = await runStep(
    step.bundles.main,
    { ...base, ...inputEnv(step) },
    join(root, 'main'),
    step,
    step.watchMain,
  );
  await step.afterMain?.(main, runnerTemp);
  const stateEnv = Object.fromEntries(Object.entries(main.state).map(([k, v]) => [`STATE_${k}`, v]));
  const post = await runStep(
    step.bundles.post,
    { ...base, ...inputEnv(step), ...stateEnv },
    join(root, 'post'),
    step,
    step.watchPost,
  );
  return { main, post, runnerTemp };
}

function runnerEnv(
  step: StepRun,
  dirs: { runnerTemp: string; home: string; eventPath: string },
): Record<string, string> {
  const [owner = ''] = step.repository.split('/');
  const ref = step.event.ref;
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: dirs.home,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION: '__self',
    GITHUB_ACTOR: step.actor ?? 'octocat',
    GITHUB_API_URL: step.apiUrl,
    GITHUB_EVENT_NAME: step.event.name,
    GITHUB_EVENT_PATH: dirs.eventPath,
    GITHUB_JOB: 'build',
    GITHUB_REF: ref,
    GITHUB_REF_NAME: ref.replace(/^refs\/(heads|tags)\//, ''),
    GITHUB_REF_TYPE: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    GITHUB_REPOSITORY: step.repository,
    GITHUB_REPOSITORY_OWNER: owner,
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_NUMBER: '7',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_SHA: step.event.sha,
    GITHUB_WORKFLOW: 'e2e',
    GITHUB_WORKSPACE: step.workspace,
    RUNNER_ARCH: 'X64',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: dirs.runnerTemp,
    ...(step.env ?? {}),
  };
}

/** INPUT_<NAME> for every input of action.yml: its default (github.actor/github.token evaluated), or `with:`. */
function inputEnv(step: StepRun): Record<string, string> {
  const env: Record<string, string> = {};
  for (const input of readActionYml().inputs) {
    const fallback = (input.default ?? '')
      .replace('${{ github.actor }}', step.actor ?? 'octocat')
      .replace('${{ github.token }}', step.token ?? defaultToken);
    env[`INPUT_${input.name.replace(/ /g, '_').toUpperCase()}`] = step.inputs[input.name] ?? fallback;
  }
  for (const name of Object.keys(step.inputs)) {
    if (!readActionYml().inputs.some((i) => i.name === name))
      throw new Error(`action.yml has no input ${name}`);
  }
  return env;
}

async function runStep(
  script: string,
  env: Record<string, string>,
  dir: string,
  step: StepRun,
  watch?: StepWatcher,
): Promise<StepResult> {
  mkdirSync(dir, { mode: 0o777 });
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_PATH: join(dir, 'path'),
  };
  for (const file of Object.values(files)) writeFileSync(file, '', { mode: 0o666 });
  const { code, log } = await spawnNode(script, { ...env, ...files }, step.workspace, step.user, watch);
  const lines = log.split('\n');
  return {
    exitCode: code,
    log,
    outputs: parseFileCommand(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    state: parseFileCommand(readFileSync(files.GITHUB_STATE, 'utf8')),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    errors: lines.filter((l) => l.startsWith('::error')).map((l) => l.replace(/^::error[^:]*::/, '')),
    warnings: lines.filter((l) => l.startsWith('::warning')).map((l) => l.replace(/^::warning[^:]*::/, '')),
  };
}

function spawnNode(
  script: string,
  env: Record<string, string>,
  cwd: string,
  user: StepRun['user'],
  watch?: StepWatcher,
): Promise<{ code: number; log: string }> {
  const drop = user ? ['setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--'] : [];
  const [command, ...args] = [...drop, process.execPath, script];
  return new Promise((resolve, reject) => {
    const child = spawn(command!, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    const handle = { pid: child.pid ?? -1, kill: (signal: NodeJS.Signals) => void child.kill(signal) };
    const onData = (c: Buffer): void => {
      chunks.push(c);
      watch?.(Buffer.concat(chunks).toString('utf8'), handle);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), log: Buffer.concat(chunks).toString('utf8') });
    });
  });
}

/** The runner's file-command format: `name=value` lines and `name<<DELIMITER` … `DELIMITER` blocks. */
export function parseFileCommand(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      if (end < 0) throw new Error(`unterminated ${heredoc[1]} in file command`);
      out[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}
