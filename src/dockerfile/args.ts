/**
 * Build arguments and the environment of a stage, with BuildKit's scoping:
 *
 * - Global scope: the predefined platform args (overridable by --build-arg), then the ARGs before the first
 *   FROM, each taking its --build-arg value, else its default expanded against the args before it.
 *   They only expand FROM lines.
 * - A stage sees a global arg only after `ARG NAME` (value: --build-arg, else the global value); `ARG
 *   NAME=default` takes --build-arg, else the default expanded in the stage's environment.
 * - ARG and ENV share one environment (expansion and RUN); the later definition wins. Only ENV reaches the
 *   image config.
 * - Proxy args (HTTP_PROXY, …, any case) reach every RUN without a declaration but stay out of cache keys
 *   and history unless declared with ARG.
 */
import { DockerfileError } from '../errors.js';
import { formatPlatform } from '../oci/platform.js';
import type { Platform } from '../oci/types.js';
import type { Dockerfile } from './dockerfile.js';
import { processWord, ShellLexError, type VariableLookup } from './expand.js';
import type { ArgInstruction } from './instructions/types.js';

export type BuildArgs = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

export interface PredefinedArgOptions {
  /** The stage being built (`--target`), else the last stage's name; `default` when unnamed. */
  readonly targetStage?: string;
}

/** The automatic platform args BuildKit defines in the global scope, in BuildKit's order. */
export function predefinedArgs(
  target: Platform,
  build: Platform,
  options: PredefinedArgOptions = {},
): Readonly<Record<string, string>> {
  return {
    BUILDPLATFORM: formatPlatform(build),
    BUILDOS: build.os,
    BUILDOSVERSION: build['os.version'] ?? '',
    BUILDARCH: build.architecture,
    BUILDVARIANT: build.variant ?? '',
    TARGETPLATFORM: formatPlatformAll(target),
    TARGETOS: target.os,
    TARGETOSVERSION: target['os.version'] ?? '',
    TARGETARCH: target.architecture,
    TARGETVARIANT: target.variant ?? '',
    TARGETSTAGE: options.targetStage || 'default',
  };
}

/** containerd `platforms.FormatAll`: the OS version, if any, in parentheses after the OS. */
function formatPlatformAll(p: Platform): string {
  const version = p['os.version'];
  return version ? formatPlatform({ ...p, os: `${p.os}(${version})` }) : formatPlatform(p);
}

/** Proxy variables: usable in RUN without ARG, never in cache keys or history unless declared. */
export const proxyArgNames: readonly string[] = [
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'FTP_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
];

export function toArgMap(args: BuildArgs | undefined): ReadonlyMap<string, string> {
  if (args === undefined) return new Map();
  return args instanceof Map ? args : new Map(Object.entries(args));
}

/** An ordered, immutable name → value list; redefining a name moves it to the end (llb `AddEnv`). */
export class VarList implements VariableLookup {
  private constructor(private readonly entries: ReadonlyMap<string, string>) {}
  static readonly empty = new VarList(new Map());
  static of(pairs: Iterable<readonly [string, string]>): VarList {
    return VarList.empty.edit((draft) => {
      for (const [k, v] of pairs) draft.set(k, v);
    });
  }
  with(name: string, value: string): VarList {
    return this.edit((draft) => draft.set(name, value));
  }
  /**
   * Several changes at the cost of one copy (an instruction may define thousands of names; one copy per name
   * made a long ARG or ENV line quadratic). `change` sees its own earlier changes through the draft.
   */
  edit(change: (draft: VarDraft) => void): VarList {
    const entries = new Map(this.entries);
    change({
      get: (name) => entries.get(name),
      keys: () => [...entries.keys()],
      set: (name, value) => {
        entries.delete(name);
        entries.set(name, value);
      },
    });
    return new VarList(entries);
  }
  get(name: string): string | undefined {
    return this.entries.get(name);
  }
  keys(): readonly string[] {
    return [...this.entries.keys()];
  }
  toStrings(): readonly string[] {
    return [...this.entries].map(([k, v]) => `${k}=${v}`);
  }
}

/** A VarList being changed inside `VarList.edit`. */
export interface VarDraft extends VariableLookup {
  set(name: string, value: string): void;
}

export interface GlobalArgsOptions {
  readonly target: Platform;
  readonly build: Platform;
  readonly buildArgs?: BuildArgs;
  readonly targetStage?: string;
  /** The Dockerfile's escape token (`\`). */
  readonly escapeToken?: string;
}

/** The global scope: predefined platform args and the ARGs before the first FROM, resolved. */
export class GlobalArgs implements VariableLookup {
  private constructor(
    readonly vars: VarList,
    /** Names declared by ARGs before the first FROM. */
    readonly declared: ReadonlySet<string>,
    readonly buildArgs: ReadonlyMap<string, string>,
    readonly escapeToken: string,
  ) {}

  /** Resolves `metaArgs` (e.g. `dockerfile.metaArgs`). Throws DockerfileError when a default fails to expand. */
  static resolve(metaArgs: readonly ArgInstruction[], options: GlobalArgsOptions): GlobalArgs {
    const buildArgs = toArgMap(options.buildArgs);
    const escapeToken = options.escapeToken ?? '\\';
    const predefined = predefinedArgs(options.target, options.build, {
      targetStage: options.targetStage ?? '',
    });
    const declared = new Set<string>();
    const vars = VarList.of(
      Object.entries(predefined).map(([k, v]) => [k, buildArgs.get(k) ?? v] as const),
    ).edit((draft) => {
      for (const instruction of metaArgs) {
        for (const arg of instruction.args) {
          declared.add(arg.name);
          const given = buildArgs.get(arg.name);
          const value =
            given ??
            (arg.defaultValue === undefined
              ? undefined
              : expandDefault(arg.defaultValue, draft, escapeToken, instruction));
          if (value !== undefined) draft.set(arg.name, value);
        }
      }
    });
    return new GlobalArgs(vars, declared, buildArgs, escapeToken);
  }

  /** Shorthand for `resolve(dockerfile.metaArgs, …)` with the file's escape token. */
  static forDockerfile(dockerfile: Dockerfile, options: Omit<GlobalArgsOptions, 'escapeToken'>): GlobalArgs {
    const targetStage = options.targetStage || dockerfile.stages.at(-1)?.name;
    return GlobalArgs.resolve(dockerfile.metaArgs, {
      ...options,
      ...(targetStage ? { targetStage } : {}),
      escapeToken: dockerfile.escapeToken,
    });
  }

  get(name: string): string | undefined {
    return this.vars.get(name);
  }
  keys(): readonly string[] {
    return this.vars.keys();
  }
}

/** Expands an ARG default; a failure is a DockerfileError at the ARG (when known). */
export function expandDefault(
  value: string,
  env: VariableLookup,
  escapeToken: string,
  instruction: ArgInstruction | undefined,
): string {
  try {
    return processWord(value, env, { escapeToken }).value;
  } catch (err) {
    if (err instanceof ShellLexError) {
      throw new DockerfileError(err.message, {
        ...(instruction ? { location: instruction.location } : {}),
        hint: 'check the ARG default value',
      });
    }
    throw err;
  }
}
