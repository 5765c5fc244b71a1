/**
 * BuildKit's `Node.Dump()` format (FORMAT.md §2): one `(keyword ["flags"] "arg"…)` line per instruction,
 * joined with `\n`, no trailing newline. Heredoc bodies are not printed.
 */
import type { Node, ParseResult } from './ast.js';
import { goQuote, goQuoteList } from './go-quote.js';
import { goToLower, goTrimSpace } from './go-text.js';

/** The dump of a whole parse result, byte-for-byte BuildKit's (the corpus `result` files minus the final `\n`). */
export function dump(result: Pick<ParseResult, 'nodes'>): string {
  return goTrimSpace(result.nodes.map((node) => `(${dumpNode(node)})\n`).join(''));
}

/** One instruction without the outer parentheses: `run "echo hi"`, `onbuild (run "x")`. */
export function dumpNode(node: Node): string {
  let out = goToLower(node.keyword);
  if (node.flags.length > 0) out += ` ${goQuoteList(node.flags)}`;
  if (node.next) out += ` (${dumpNode(node.next)})`;
  for (const arg of node.args) out += ` ${goQuote(arg)}`;
  return goTrimSpace(out);
}
