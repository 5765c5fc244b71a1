/** The Dockerfile front end: parse, type, expand, and scope build arguments. See README.md. */
export { parse, type ParseOptions } from './parser.js';
export { dump, dumpNode } from './dump.js';
export type { Directive, DirectiveName, Heredoc, Node, ParseResult, ParseWarning } from './ast.js';
export { goQuote, goQuoteList } from './go-quote.js';
export { chompHeredocContent } from './heredoc.js';
export {
  parseDockerfile,
  parseOnbuildTrigger,
  type Dockerfile,
  type DockerfileWarning,
  type ParseDockerfileOptions,
  type Stage,
} from './dockerfile.js';
export * from './instructions/index.js';
export {
  processHeredocBody,
  processWord,
  processWords,
  ShellLexError,
  variablesFrom,
  type ExpandOptions,
  type Variables,
  type VariableLookup,
  type WordExpansion,
  type WordsExpansion,
} from './expand.js';
export {
  expandInstruction,
  type Expanded,
  type ExpandedRunInstruction,
  type InstructionExpansion,
} from './expand-instruction.js';
export {
  GlobalArgs,
  predefinedArgs,
  proxyArgNames,
  VarList,
  type BuildArgs,
  type GlobalArgsOptions,
  type PredefinedArgOptions,
} from './args.js';
export { BuildEnv, type ResolvedArg } from './build-env.js';
