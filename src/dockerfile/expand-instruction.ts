/**
 * Substitutes variables in exactly the words BuildKit expands for each instruction (its `Expand` methods
 * and dispatch), all against one environment, so `ENV a=1 b=$a` sees the old `a`:
 *
 * - FROM: image and --platform (pass the global/meta args as `env`)
 * - ENV, LABEL: keys and values · ARG: default values · WORKDIR, USER, STOPSIGNAL, each VOLUME path
 * - EXPOSE: each word, then split again on whitespace
 * - COPY: sources, destination, --chown, --chmod, heredoc bodies whose delimiter was not quoted
 * - ADD: the same plus --checksum
 * - RUN: the values of --mount options only (the mounts are then typed: `mountSpecs`)
 * - never: RUN/CMD/ENTRYPOINT/SHELL/HEALTHCHECK command text, MAINTAINER, ONBUILD, --from, --exclude,
 *   --network, --security, --device, RUN heredocs
 */
import { DockerfileError } from '../errors.js';
import {
  processHeredocBody,
  processWord,
  processWords,
  ShellLexError,
  variablesFrom,
  type ExpandOptions,
  type Variables,
  type WordExpansion,
} from './expand.js';
import { MountError, resolveMount, type Mount, type MountFlag } from './instructions/mount.js';
import type {
  AddInstruction,
  CopyInstruction,
  FromInstruction,
  InlineFile,
  Instruction,
  KeyValue,
  RunInstruction,
} from './instructions/types.js';

export interface ExpandedRunInstruction extends RunInstruction {
  /** The --mount options, expanded, validated and with BuildKit's defaults. */
  readonly mountSpecs: readonly Mount[];
}

export type Expanded<I extends Instruction> = I extends RunInstruction ? ExpandedRunInstruction : I;

export interface InstructionExpansion<I extends Instruction = Instruction> {
  readonly instruction: Expanded<I>;
  /** Variables referenced and set (cache keys depend on these). */
  readonly used: ReadonlySet<string>;
  /** Variables referenced but unset (BuildKit lint `UndefinedVar`). */
  readonly unmatched: ReadonlySet<string>;
}

/** Collects used/unmatched names over the words of one instruction. */
class Expander {
  readonly used = new Set<string>();
  readonly unmatched = new Set<string>();
  private readonly env;

  constructor(
    private readonly instruction: Instruction,
    env: Variables,
    private readonly options: ExpandOptions,
  ) {
    this.env = variablesFrom(env);
  }

  word = (word: string): string => this.record(() => processWord(word, this.env, this.options)).value;
  optional = (word: string | undefined): string | undefined =>
    word === undefined ? undefined : this.word(word);
  words = (word: string): readonly string[] => {
    let words: readonly string[] = [];
    this.record(() => {
      const r = processWords(word, this.env, this.options);
      words = r.words;
      return { value: '', used: r.used, unmatched: r.unmatched };
    });
    return words;
  };
  heredoc = (file: InlineFile): InlineFile =>
    file.expand
      ? { ...file, content: this.record(() => processHeredocBody(file.content, this.env)).value }
      : file;

  private record(run: () => WordExpansion): WordExpansion {
    let result: WordExpansion;
    try {
      result = run();
    } catch (err) {
      if (err instanceof ShellLexError)
        throw this.error(err.message, 'check the variable references on this line');
      throw err;
    }
    for (const name of result.used) this.used.add(name);
    for (const name of result.unmatched) this.unmatched.add(name);
    return result;
  }

  error(message: string, hint?: string): DockerfileError {
    return new DockerfileError(message, { location: this.instruction.location, ...(hint ? { hint } : {}) });
  }
}

/** Expands the words BuildKit expands in `instruction`, against `env`. Throws DockerfileError. */
export function expandInstruction<I extends Instruction>(
  instruction: I,
  env: Variables,
  options: ExpandOptions = {},
): InstructionExpansion<I> {
  const x = new Expander(instruction, env, options);
  const expanded = expandWith(instruction, x);
  return { instruction: expanded as Expanded<I>, used: x.used, unmatched: x.unmatched };
}

function expandWith(i: Instruction, x: Expander): Instruction | ExpandedRunInstruction {
  switch (i.kind) {
    case 'from':
      return expandFrom(i, x);
    case 'run':
      return expandRun(i, x);
    case 'copy':
    case 'add':
      return expandCopy(i, x);
    case 'env':
      return { ...i, variables: i.variables.map((kv) => expandPair(kv, x)) };
    case 'label':
      return { ...i, labels: i.labels.map((kv) => expandPair(kv, x)) };
    case 'arg':
      return { ...i, args: i.args.map((a) => ({ ...a, defaultValue: x.optional(a.defaultValue) })) };
    case 'workdir':
      return { ...i, path: x.word(i.path) };
    case 'user':
      return { ...i, user: x.word(i.user) };
    case 'stopsignal':
      return { ...i, signal: checkSignal(x.word(i.signal), x) };
    case 'volume':
      return { ...i, volumes: i.volumes.map((v) => nonEmptyVolume(x.word(v), x)) };
    case 'expose':
      return { ...i, ports: i.ports.flatMap(x.words) };
    default:
      return i;
  }
}

function nonEmptyVolume(volume: string, x: Expander): string {
  if (volume === '')
    throw x.error('VOLUME specified can not be an empty string', 'check the variables in the VOLUME path');
  return volume;
}

/** moby/sys/signal `ParseSignal`: a non-zero number, or a Linux signal name with or without `SIG`. */
function checkSignal(signal: string, x: Expander): string {
  const name = signal.toUpperCase().replace(/^SIG/, '');
  const numeric = /^[+-]?[0-9]+$/.test(signal) && Number(signal) !== 0;
  if (!numeric && !linuxSignals.has(name)) {
    throw x.error(`invalid signal: ${signal}`, 'use a signal name such as SIGTERM or SIGQUIT, or its number');
  }
  return signal;
}

const linuxSignals: ReadonlySet<string> = new Set([
  ...'ABRT ALRM BUS CHLD CLD CONT FPE HUP ILL INT IO IOT KILL PIPE POLL PROF PWR QUIT SEGV STKFLT STOP SYS TERM TRAP TSTP TTIN TTOU URG USR1 USR2 VTALRM WINCH XCPU XFSZ RTMIN RTMAX'.split(
    ' ',
  ),
  ...Array.from({ length: 15 }, (_, n) => `RTMIN+${n + 1}`),
  ...Array.from({ length: 14 }, (_, n) => `RTMAX-${n + 1}`),
]);

/** BuildKit's octal --chmod bound (symbolic modes are checked when the copy runs). */
function checkChmod(chmod: string | undefined, x: Expander): string | undefined {
  if (chmod !== undefined && /^[0-7]+$/.test(chmod) && Number.parseInt(chmod, 8) > 0o7777) {
    throw x.error(`invalid chmod parameter: '${chmod}'. it should be octal string and between 0 and 07777`);
  }
  return chmod;
}

function expandPair(kv: KeyValue, x: Expander): KeyValue {
  const key = x.word(kv.key);
  return { ...kv, key, value: x.word(kv.value) };
}

function expandFrom(i: FromInstruction, x: Expander): FromInstruction {
  const image = x.word(i.image);
  if (image === '')
    throw x.error(`base name (${i.image}) should not be blank`, 'give the ARG used in FROM a value');
  const platform = x.optional(i.platform);
  if (platform === '')
    throw x.error(`empty platform value from expression ${i.platform}`, 'give the ARG a value');
  return { ...i, image, platform };
}

function expandCopy<C extends CopyInstruction | AddInstruction>(i: C, x: Expander): C {
  const common = {
    sources: i.sources.map(x.word),
    destination: x.word(i.destination),
    chown: x.optional(i.chown),
    chmod: checkChmod(x.optional(i.chmod), x),
    inlineFiles: i.inlineFiles.map(x.heredoc),
  };
  if (i.kind === 'add') return { ...i, ...common, checksum: x.optional(i.checksum) };
  return { ...i, ...common };
}

function expandRun(i: RunInstruction, x: Expander): ExpandedRunInstruction {
  const mounts: MountFlag[] = i.mounts.map((m) => ({
    raw: m.raw,
    fields: m.fields.map((f) => (f.value === undefined ? f : { ...f, value: x.word(f.value) })),
  }));
  const mountSpecs = mounts.map((m) => {
    try {
      return resolveMount(m);
    } catch (err) {
      if (err instanceof MountError) throw x.error(`--mount=${m.raw}: ${err.message}`);
      throw err;
    }
  });
  return { ...i, mounts, mountSpecs };
}
