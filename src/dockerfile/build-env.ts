/**
 * The environment of one build stage as an immutable value: the base image's Env, then ENV and valued ARGs
 * in order (the later definition wins), what RUN sees, what goes into the image config, and which
 * --build-args nothing consumed. A stage built FROM another stage continues from that stage's BuildEnv.
 */
import type { GlobalArgs } from './args.js';
import { VarList, expandDefault, proxyArgNames } from './args.js';
import type { VariableLookup } from './expand.js';
import type { ArgInstruction } from './instructions/types.js';

/** An ARG as the stage resolved it (value undefined: declared without any value). */
export interface ResolvedArg {
  readonly name: string;
  readonly value: string | undefined;
}

const builtinArgNames = new Set([
  'BUILDKIT_SYNTAX',
  'BUILDKIT_MULTI_PLATFORM',
  'BUILDKIT_SANDBOX_HOSTNAME',
  'BUILDKIT_CACHE_MOUNT_NS',
  'BUILDKIT_DOCKERFILE_CHECK',
  'BUILDKIT_CONTEXT_KEEP_GIT_DIR',
  'BUILDKIT_INLINE_CACHE',
  'BUILDKIT_BUILD_NAME',
  'BUILDKIT_GIT_ADVICE',
  'BUILDKIT_SBOM_SCAN_CONTEXT',
  'BUILDKIT_SBOM_SCAN_STAGE',
  'SOURCE_DATE_EPOCH',
]);
const nonEnvArgs = new Set(['BUILDKIT_SBOM_SCAN_CONTEXT', 'BUILDKIT_SBOM_SCAN_STAGE']);

export class BuildEnv implements VariableLookup {
  private constructor(
    private readonly globals: GlobalArgs,
    /** The environment expansion and RUN use (llb state env). */
    private readonly state: VarList,
    /** The image config's Env: base Env with ENV applied in place. */
    private readonly image: readonly string[],
    private readonly args: readonly ResolvedArg[],
  ) {}

  /** A stage's starting environment: the global scope plus the base image's `Env` (`KEY=value` strings). */
  static forStage(globals: GlobalArgs, baseImageEnv: readonly string[] = []): BuildEnv {
    const state = VarList.of(baseImageEnv.map((e) => splitEntry(e)));
    return new BuildEnv(globals, state, [...baseImageEnv], []);
  }

  /**
   * `ARG name[=default]` in the stage: the --build-arg value, else the default expanded here, else (for a
   * bare `ARG name`) the global value. A default is not expanded when a --build-arg is given.
   */
  declareArg(name: string, defaultValue?: string, instruction?: ArgInstruction): BuildEnv {
    const given = this.globals.buildArgs.get(name);
    let value: string | undefined;
    if (given !== undefined) value = given;
    else if (defaultValue !== undefined) value = this.expandDefault(defaultValue, instruction);
    else value = this.globals.get(name);
    const state = value === undefined || nonEnvArgs.has(name) ? this.state : this.state.with(name, value);
    return new BuildEnv(this.globals, state, this.image, [...this.args, { name, value }]);
  }

  /** Every declaration of an ARG instruction, in order. */
  declareArgs(instruction: ArgInstruction): BuildEnv {
    return instruction.args.reduce<BuildEnv>(
      (env, a) => env.declareArg(a.name, a.defaultValue, instruction),
      this,
    );
  }

  /** `ENV name=value` (already expanded): replaces a config entry in place, moves the state entry last. */
  setEnv(name: string, value: string): BuildEnv {
    const entry = `${name}=${value}`;
    const at = this.image.findIndex((e) => splitEntry(e)[0] === name);
    const image = at < 0 ? [...this.image, entry] : this.image.map((e, i) => (i === at ? entry : e));
    return new BuildEnv(this.globals, this.state.with(name, value), image, this.args);
  }

  /** Every pair of an (expanded) ENV instruction, in order. */
  applyEnv(variables: readonly { readonly key: string; readonly value: string }[]): BuildEnv {
    return variables.reduce<BuildEnv>((env, kv) => env.setEnv(kv.key, kv.value), this);
  }

  /** The value a variable has here (ENV or ARG), or undefined. */
  lookup(name: string): string | undefined {
    return this.state.get(name);
  }
  get(name: string): string | undefined {
    return this.state.get(name);
  }
  keys(): readonly string[] {
    return this.state.keys();
  }

  /** What `expandInstruction` should expand against in this stage (not the proxy args). */
  expansionEnv(): VariableLookup {
    return this;
  }

  /** `KEY=value` a RUN sees and its cache key covers: image Env, ENV and valued ARGs, later wins. */
  runEnv(): readonly string[] {
    return this.state.toStrings();
  }

  /** Proxy variables from --build-arg, both cases (`HTTP_PROXY=…`, `http_proxy=…`): given to RUN, kept out of cache keys. */
  proxyEnv(): readonly string[] {
    const out: string[] = [];
    for (const upper of proxyArgNames) {
      const value = findCaseInsensitive(this.globals.buildArgs, upper);
      if (value !== undefined) out.push(`${upper}=${value}`, `${upper.toLowerCase()}=${value}`);
    }
    return out;
  }

  /** The image config `Env`: only ENV changes it. */
  imageEnv(): readonly string[] {
    return this.image;
  }

  /** The stage's ARGs in declaration order (for history `RUN |N k=v …` and cache keys). */
  declaredArgs(): readonly ResolvedArg[] {
    return this.args;
  }

  /** --build-args that neither this stage (and its parents) nor the global scope declared, nor BuildKit reads. */
  unusedBuildArgs(): readonly string[] {
    const declared = new Set([...this.globals.declared, ...this.args.map((a) => a.name)]);
    const predefined = new Set(this.globals.vars.keys().filter((k) => !this.globals.declared.has(k)));
    return [...this.globals.buildArgs.keys()].filter(
      (name) =>
        !declared.has(name) &&
        !predefined.has(name) &&
        !builtinArgNames.has(name) &&
        !proxyArgNames.includes(name.toUpperCase()),
    );
  }

  /** Build args unused by every one of `envs` (e.g. the final BuildEnv of each stage that was built). */
  static unusedBuildArgs(envs: Iterable<BuildEnv>): readonly string[] {
    let unused: Set<string> | undefined;
    for (const env of envs) {
      const mine = new Set(env.unusedBuildArgs());
      unused = unused === undefined ? mine : new Set([...unused].filter((n) => mine.has(n)));
    }
    return [...(unused ?? [])];
  }

  private expandDefault(value: string, instruction: ArgInstruction | undefined): string {
    return expandDefault(value, this, this.globals.escapeToken, instruction);
  }
}

function splitEntry(entry: string): [string, string] {
  const eq = entry.indexOf('=');
  return eq < 0 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)];
}

/** BuildKit matches proxy build args case-insensitively; the upper-case spelling wins a tie here. */
function findCaseInsensitive(args: ReadonlyMap<string, string>, upper: string): string | undefined {
  if (args.has(upper)) return args.get(upper);
  for (const [k, v] of args) if (k.toUpperCase() === upper) return v;
  return undefined;
}
