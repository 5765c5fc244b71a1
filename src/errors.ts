/**
 * One error taxonomy for the whole project. Every error a user can meet is an ImageBuildError with a one-line
 * message that says what went wrong and where, plus a hint that says what to do. The severity policy (cache
 * errors warn, everything else fails the step) lives in `severityOf`.
 */

export interface SourceLocation {
  readonly file: string;
  /** 1-based line of the instruction's first physical line. */
  readonly line?: number;
  readonly endLine?: number;
}

export interface ErrorDetails {
  readonly hint?: string;
  readonly location?: SourceLocation;
  readonly cause?: unknown;
}

export type ErrorKind = 'input' | 'dockerfile' | 'build-step' | 'registry' | 'cache' | 'internal';

export abstract class ImageBuildError extends Error {
  abstract readonly kind: ErrorKind;
  readonly hint: string | undefined;
  readonly location: SourceLocation | undefined;

  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.hint = details.hint;
    this.location = details.location;
  }

  /** The single line shown to users: `file:line: message (hint)`. */
  userMessage(): string {
    const where = this.location ? `${formatLocation(this.location)}: ` : '';
    const hint = this.hint ? ` — ${this.hint}` : '';
    return oneLine(`${where}${this.message}${hint}`);
  }
}

/** A bad action input or CLI flag; `input` names it. */
export class InputError extends ImageBuildError {
  readonly kind = 'input';
  constructor(
    readonly input: string,
    message: string,
    details: ErrorDetails = {},
  ) {
    super(`input '${input}': ${message}`, details);
  }
}

/** The Dockerfile (or .dockerignore) cannot be parsed or is semantically wrong. */
export class DockerfileError extends ImageBuildError {
  readonly kind = 'dockerfile';
}

/** A build step failed: a RUN exited non-zero, a COPY source is missing, an archive is hostile… */
export class BuildStepError extends ImageBuildError {
  readonly kind = 'build-step';
  constructor(
    message: string,
    details: ErrorDetails & { readonly exitCode?: number; readonly outputTail?: readonly string[] } = {},
  ) {
    super(message, details);
    this.exitCode = details.exitCode;
    this.outputTail = details.outputTail ?? [];
  }
  readonly exitCode: number | undefined;
  readonly outputTail: readonly string[];
}

/** Talking to a registry failed. Always names the image (or repository) and the registry host. */
export class RegistryError extends ImageBuildError {
  readonly kind = 'registry';
  constructor(
    message: string,
    details: ErrorDetails & {
      readonly registry?: string;
      readonly repository?: string;
      readonly status?: number;
      readonly code?: string;
      readonly retryable?: boolean;
    } = {},
  ) {
    super(message, details);
    this.registry = details.registry;
    this.repository = details.repository;
    this.status = details.status;
    this.code = details.code;
    this.retryable = details.retryable ?? false;
  }
  readonly registry: string | undefined;
  readonly repository: string | undefined;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly retryable: boolean;
}

/** A cache backend failed. Never fatal: see severityOf. */
export class CacheError extends ImageBuildError {
  readonly kind = 'cache';
}

/** A broken invariant inside image-build itself (a bug, or corrupted local state). */
export class InternalError extends ImageBuildError {
  readonly kind = 'internal';
}

export type Severity = 'warning' | 'error';

/** The one place that decides what fails a build: cache problems warn, everything else fails. */
export function severityOf(err: unknown): Severity {
  return err instanceof CacheError ? 'warning' : 'error';
}

export function formatLocation(loc: SourceLocation): string {
  if (loc.line === undefined) return loc.file;
  return `${loc.file}:${loc.line}`;
}

/** A user-facing one-liner for any thrown value; stack traces are for debug logging only. */
export function describeError(err: unknown): string {
  if (err instanceof ImageBuildError) return err.userMessage();
  if (err instanceof Error) return oneLine(err.message || err.name);
  return oneLine(String(err));
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
