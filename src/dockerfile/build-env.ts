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

interface ArgChain {
  readonly arg: ResolvedArg;
  readonly prev: ArgChain | undefined;
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
    /** The stage's ARGs, newest first, shared between versions (a copy per ARG made long Dockerfiles quadratic). */
    private readonly args: ArgChain | undefined,
  ) {}

  /** A stage's starting environment: the global scope plus the base image's `Env` (`KEY=value` strings). */
  static forStage(globals: GlobalArgs, baseImageEnv: readonly string[] = []): BuildEnv {
    const state = VarList.of(baseImageEnv.map((e) => splitEntry(e)));
    return new BuildEnv(globals, state, [...baseImageEnv], undefined);
  }

  /**
   * `ARG name[=default]` in the stage: the --build-arg value, else the default expanded here, else (for a
   * bare `ARG name`) the global value. A default is not expanded when a --build-arg is given.
   */
  declareArg(name: string, defaultValue?: string, instruction?: ArgInstruction): BuildEnv {
    return this.declareAll([{ name, ...(defaultValue !== undefined ? { defaultValue } : {}) }], instruction);
  }

  /** Every declaration of an ARG instruction, in order (a default sees the ones before it). */
  declareArgs(instruction: ArgInstruction): BuildEnv {
    return this.declareAll(instruction.args, instruction);
  }

  private declareAll(
    list: readonly { readonly name: string; readonly defaultValue?: string }[],
    instruction: ArgInstruction | undefined,
  ): BuildEnv {
    const added: ResolvedArg[] = [];
    const state = this.state.edit((draft) => {
      for (const { name, defaultValue } of list) {
        const given = this.globals.buildArgs.get(name);
        let value: string | undefined;
        if (given !== undefined) value = given;
        else if (defaultValue !== undefined)
          value = expandDefault(defaultValue, draft, this.globals.escapeToken, instruction);
        else value = this.globals.get(name);
        if (value !== undefined && !nonEnvArgs.has(name)) draft.set(name, value);
        added.push({ name, value });
      }
    });
    const args = added.reduce<ArgChain | undefined>((prev, arg) => ({ arg, prev }), this.args);
    return new BuildEnv(this.globals, state, this.image, args);
  }

  /** `ENV name=value` (already expanded): replaces a config entry in place, moves the state entry last. */
  setEnv(name: string, value: string): BuildEnv {
    return this.applyEnv([{ key: name, value }]);
  }

  /** Every pair of an (expanded) ENV instruction, in order. */
  applyEnv(variables: readonly { readonly key: string; readonly value: string }[]): BuildEnv {
    const image = [...this.image];
    const at = new Map<string, number>();
    image.forEach((e, i) => {
      const name = splitEntry(e)[0];
      if (!at.has(name)) at.set(name, i);
    });
    const state = this.state.edit((draft) => {
      for (const { key, value } of variables) {
        const entry = `${key}=${value}`;
        const i = at.get(key);
        if (i === undefined) at.set(key, image.push(entry) - 1);
        else image[i] = entry;
        draft.set(key, value);
      }
    });
    return new BuildEnv(this.globals, state, image, this.args);
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

  private declared: readonly ResolvedArg[] | undefined;

  /** The stage's ARGs in declaration order (for history `RUN |N k=v …` and cache keys). */
  declaredArgs(): readonly ResolvedArg[] {
    if (this.declared === undefined) {
      const list: ResolvedArg[] = [];
      for (let c = this.args; c !== undefined; c = c.prev) list.push(c.arg);
      this.declared = list.reverse();
    }
    return this.declared;
  }

  /** --build-args that neither this stage (and its parents) nor the global scope declared, nor BuildKit reads. */
  unusedBuildArgs(): readonly string[] {
    const declared = new Set([...this.globals.declared, ...this.declaredArgs().map((a) => a.name)]);
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
