/**
 * Typed instructions: one discriminated union, every member with its location and source text. Words are
 * as written (unexpanded); `expandInstruction` substitutes variables where BuildKit does.
 */
import type { SourceLocation as ErrorLocation } from '../../errors.js';
import type { MountFlag } from './mount.js';

/** Where an instruction is: the file and its 1-based first (`line`) and last (`endLine`) physical lines. */
export interface SourceLocation extends ErrorLocation {
  readonly line: number;
  readonly endLine: number;
}

export interface InstructionBase {
  readonly location: SourceLocation;
  /** The logical line as written, trimmed (BuildKit's `String()` of a command). */
  readonly source: string;
  /** The instruction word as written (`run`, `RUN`, `Run`). */
  readonly keyword: string;
}

/** Exec form (`["a","b"]`, no shell) or shell form (one string, run by SHELL / `/bin/sh -c`). */
export type CommandLine =
  | { readonly form: 'exec'; readonly args: readonly string[] }
  | { readonly form: 'shell'; readonly command: string };

/** A heredoc body given to RUN. BuildKit never expands it (`expand` is informational). */
export interface ShellInlineFile {
  readonly name: string;
  /** The body as written; apply `chompHeredocContent` when `chomp`. */
  readonly content: string;
  readonly chomp: boolean;
  readonly expand: boolean;
}

/** A heredoc used as a COPY/ADD source: a 0644 file named after the delimiter. */
export interface InlineFile {
  readonly name: string;
  /** The body, leading tabs already removed for `<<-`. */
  readonly content: string;
  /** Variables are substituted in `content` at build time (delimiter not quoted). */
  readonly expand: boolean;
}

export interface KeyValue {
  readonly key: string;
  readonly value: string;
  /** Written in the legacy `KEY value` form (BuildKit lint `LegacyKeyValueFormat`). */
  readonly legacy: boolean;
}

export interface ArgDeclaration {
  readonly name: string;
  /** `undefined` when declared without `=`. */
  readonly defaultValue: string | undefined;
}

export type NetworkMode = 'default' | 'none' | 'host';
export type SecurityMode = 'sandbox' | 'insecure';

export interface DeviceRequest {
  readonly name: string;
  readonly required: boolean;
}

export interface FromInstruction extends InstructionBase {
  readonly kind: 'from';
  readonly image: string;
  /** Lower-cased `AS` name. */
  readonly stageName: string | undefined;
  readonly platform: string | undefined;
  /** Comment lines directly above (the stage description). */
  readonly comment: string;
}

export interface RunInstruction extends InstructionBase {
  readonly kind: 'run';
  readonly command: CommandLine;
  /** `--mount` values, CSV-split; option values are typed by `expandInstruction` (they may use variables). */
  readonly mounts: readonly MountFlag[];
  /** `default` unless `--network` says otherwise. */
  readonly network: NetworkMode;
  /** `sandbox` unless `--security=insecure`. */
  readonly security: SecurityMode;
  readonly devices: readonly DeviceRequest[];
  readonly heredocs: readonly ShellInlineFile[];
}

interface CopyCommon extends InstructionBase {
  /** Paths (or URLs/git refs for ADD), in order; heredoc sources are in `inlineFiles`. */
  readonly sources: readonly string[];
  readonly inlineFiles: readonly InlineFile[];
  readonly destination: string;
  readonly chown: string | undefined;
  readonly chmod: string | undefined;
  readonly link: boolean;
  readonly exclude: readonly string[];
}

export interface CopyInstruction extends CopyCommon {
  readonly kind: 'copy';
  /** A stage name, stage index or image reference; never variable-expanded. */
  readonly from: string | undefined;
  readonly parents: boolean;
}

export interface AddInstruction extends CopyCommon {
  readonly kind: 'add';
  readonly keepGitDir: boolean;
  readonly checksum: string | undefined;
  /** `undefined` when not given: local archives unpack, remote ones do not. */
  readonly unpack: boolean | undefined;
}

export interface EnvInstruction extends InstructionBase {
  readonly kind: 'env';
  readonly variables: readonly KeyValue[];
}

export interface LabelInstruction extends InstructionBase {
  readonly kind: 'label';
  readonly labels: readonly KeyValue[];
}

export interface ArgInstruction extends InstructionBase {
  readonly kind: 'arg';
  readonly args: readonly ArgDeclaration[];
}

export interface WorkdirInstruction extends InstructionBase {
  readonly kind: 'workdir';
  readonly path: string;
}

export interface UserInstruction extends InstructionBase {
  readonly kind: 'user';
  readonly user: string;
}

export interface ExposeInstruction extends InstructionBase {
  readonly kind: 'expose';
  readonly ports: readonly string[];
}

export interface VolumeInstruction extends InstructionBase {
  readonly kind: 'volume';
  readonly volumes: readonly string[];
}

export interface StopSignalInstruction extends InstructionBase {
  readonly kind: 'stopsignal';
  readonly signal: string;
}

export interface MaintainerInstruction extends InstructionBase {
  readonly kind: 'maintainer';
  readonly maintainer: string;
}

export interface CmdInstruction extends InstructionBase {
  readonly kind: 'cmd';
  readonly command: CommandLine;
}

export interface EntrypointInstruction extends InstructionBase {
  readonly kind: 'entrypoint';
  readonly command: CommandLine;
}

export interface ShellInstruction extends InstructionBase {
  readonly kind: 'shell';
  readonly shell: readonly string[];
}

/** Durations in nanoseconds; 0 means "not set" (the runtime default applies), as in the image config. */
export interface HealthcheckTest {
  readonly type: 'cmd';
  /** `["CMD", …]` (exec form) or `["CMD-SHELL", "<command>"]`. */
  readonly test: readonly string[];
  readonly interval: number;
  readonly timeout: number;
  readonly startPeriod: number;
  readonly startInterval: number;
  readonly retries: number;
}

export interface HealthcheckInstruction extends InstructionBase {
  readonly kind: 'healthcheck';
  readonly check: { readonly type: 'none' } | HealthcheckTest;
}

export interface OnbuildInstruction extends InstructionBase {
  readonly kind: 'onbuild';
  /** The trigger as stored in the image config (`OnBuild`), heredoc bodies appended. */
  readonly expression: string;
  /** The trigger's instruction word, upper-cased. */
  readonly trigger: string;
}

export type Instruction =
  | FromInstruction
  | RunInstruction
  | CopyInstruction
  | AddInstruction
  | EnvInstruction
  | LabelInstruction
  | ArgInstruction
  | WorkdirInstruction
  | UserInstruction
  | ExposeInstruction
  | VolumeInstruction
  | StopSignalInstruction
  | MaintainerInstruction
  | CmdInstruction
  | EntrypointInstruction
  | ShellInstruction
  | HealthcheckInstruction
  | OnbuildInstruction;

export type InstructionKind = Instruction['kind'];
