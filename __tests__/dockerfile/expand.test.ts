/**
 * The shell lexer (BuildKit `frontend/dockerfile/shell`): quotes, the escape token, `$V`/`${V}` and every
 * modifier, patterns, word splitting, and which variables a word used.
 */
import { processHeredocBody, processWord, processWords, ShellLexError } from '../../src/dockerfile/expand.js';

const env = {
  PWD: '/home',
  SHELL: 'bash',
  KOREAN: '한국어',
  EMPTY: '',
  FOO: 'foobarbaz',
  SPACED: 'a  b',
  STAR: 'a*b',
};

describe('processWord', () => {
  const cases: { name: string; given: string; want: string }[] = [
    { name: 'plain', given: 'hello', want: 'hello' },
    { name: 'single quotes removed', given: "he'll'o", want: 'hello' },
    { name: 'escaped single quote', given: "he\\'llo", want: "he'llo" },
    { name: 'escape keeps any character', given: 'a\\nb', want: 'anb' },
    { name: 'escaped escape', given: 'abc\\\\def', want: 'abc\\def' },
    { name: 'trailing escape dropped', given: 'hello\\', want: 'hello' },
    { name: 'double quotes removed, single kept', given: `"he'llo"`, want: "he'llo" },
    { name: 'backslash before a plain character inside "" stays', given: '"a\\nb"', want: 'a\\nb' },
    { name: 'inside "" the escape escapes " $ and itself', given: '"\\" \\$ \\\\"', want: '" $ \\' },
    { name: 'nothing escapes inside single quotes', given: "'a\\\\b $PWD'", want: 'a\\\\b $PWD' },
    { name: '$V', given: '$PWD', want: '/home' },
    { name: '${V}', given: '${PWD}_x', want: '/home_x' },
    { name: 'name stops at a non-name character', given: '$PWD:$SHELL', want: '/home:bash' },
    { name: 'variable inside double quotes', given: '"$PWD"', want: '/home' },
    { name: 'escaped dollar', given: '\\$PWD', want: '$PWD' },
    { name: 'escaped dollar inside double quotes', given: '"\\$PWD"', want: '$PWD' },
    { name: 'unset expands to empty', given: 'x${UNSET}y$UNSET', want: 'xy' },
    { name: 'lone $ is literal', given: 'a$ $', want: 'a$ $' },
    { name: 'digits and special parameters are looked up (and unset)', given: '$1x$@$$', want: 'x' },
    { name: 'unicode name', given: '$KOREAN', want: '한국어' },
    { name: ':- unset', given: '${UNSET:-def}', want: 'def' },
    { name: ':- empty', given: '${EMPTY:-def}', want: 'def' },
    { name: '- empty is kept', given: '${EMPTY-def}', want: '' },
    { name: '- unset', given: '${UNSET-def}', want: 'def' },
    { name: ':+ set', given: '${PWD:+x}', want: 'x' },
    { name: ':+ empty', given: '${EMPTY:+x}', want: '' },
    { name: '+ empty counts as set', given: '${EMPTY+x}', want: 'x' },
    { name: '+ unset', given: '${UNSET+x}', want: '' },
    { name: '? set', given: '${PWD?}', want: '/home' },
    { name: '? empty is set', given: '${EMPTY?}', want: '' },
    { name: 'nested default', given: '${UNSET:-${PWD}/x}', want: '/home/x' },
    { name: 'quotes inside a default', given: "${UNSET:-'a b'}", want: 'a b' },
    { name: '# shortest prefix', given: '${FOO#f*b}', want: 'arbaz' },
    { name: '## longest prefix', given: '${FOO##f*b}', want: 'az' },
    { name: '% shortest suffix', given: '${FOO%b*}', want: 'foobar' },
    { name: '%% longest suffix', given: '${FOO%%b*}', want: 'foo' },
    { name: '? matches one character', given: '${FOO#???}', want: 'barbaz' },
    { name: 'escaped * is literal', given: '${STAR#a\\*}', want: 'b' },
    { name: 'escaped * in a suffix pattern', given: '${STAR%\\*b}', want: 'a' },
    { name: 'regexp characters are literal', given: '${PWD#/h.}', want: '/home' },
    { name: 'no match leaves the value', given: '${FOO#x}', want: 'foobarbaz' },
    { name: '/ replaces the first match', given: '${FOO/ba/fo}', want: 'fooforbaz' },
    { name: '// replaces every match', given: '${FOO//ba/fo}', want: 'fooforfoz' },
    { name: '/ with a greedy *', given: '${FOO/o*a/X}', want: 'fXz' },
    { name: '// empty matches are not replaced twice', given: '${FOO//*/X}', want: 'X' },
    {
      name: '// replacement is a Go template ($0 = match)',
      given: '${FOO//o/[\\$0]}',
      want: 'f[\\o][\\o]barbaz',
    },
    {
      name: '// the first } ends the replacement, even in ${0}',
      given: '${FOO//o/<\\${0}>}',
      want: 'f<\\${0<\\${0barbaz>}',
    },
    { name: '// a $ not naming anything stays', given: '${FOO//o/\\$-}', want: 'f\\$-\\$-barbaz' },
    { name: '/ replacement is literal', given: '${FOO/o/[\\$0]}', want: 'f[\\$0]obarbaz' },
    { name: '/ unset variable', given: '${UNSET/a/b}', want: '' },
    { name: 'BOM at the start is skipped', given: '\ufeffab', want: 'ab' },
    { name: '<< with blanks is kept', given: 'a <<  b', want: 'a <<  b' },
  ];
  test.each(cases)('$name: $given', ({ given, want }) => {
    expect(processWord(given, env).value).toBe(want);
  });

  test.each([
    {
      name: 'unterminated single quote',
      given: "he'llo",
      want: 'unexpected end of statement while looking for matching single-quote',
    },
    {
      name: 'unterminated double quote',
      given: '"abc',
      want: 'unexpected end of statement while looking for matching double-quote',
    },
    { name: 'escaped escape then open quote', given: "he\\\\'llo", want: 'single-quote' },
    { name: '${}', given: '${}', want: 'syntax error: bad substitution' },
    { name: '${:}', given: '${:x}', want: 'syntax error: bad substitution' },
    { name: 'missing }', given: '${PWD:-x', want: "syntax error: missing '}'" },
    { name: 'bad modifier', given: '${PWD!x}', want: 'unsupported modifier (!) in substitution' },
    { name: ':# is not a modifier', given: '${PWD:#x}', want: 'unsupported modifier (:#) in substitution' },
    { name: ':? unset with message', given: '${UNSET:?please set it}', want: 'UNSET: please set it' },
    { name: '? unset default message', given: '${UNSET?}', want: 'UNSET: is not allowed to be unset' },
    { name: ':? empty default message', given: '${EMPTY:?}', want: 'EMPTY: is not allowed to be empty' },
    { name: '/ without second slash', given: '${FOO/a}', want: "syntax error: missing '/' in ${}" },
    {
      name: 'invalid pattern escape',
      given: '${FOO#\\a}',
      want: "invalid pattern (\\a) in substitution: invalid escape '\\a'",
    },
  ])('error: $name', ({ given, want }) => {
    expect(() => processWord(given, env)).toThrow(ShellLexError);
    expect(() => processWord(given, env)).toThrow(want);
  });

  test('error message names the word, Go-quoted', () => {
    expect(() => processWord('${X:?}', {})).toThrow(
      'failed to process "${X:?}": X: is not allowed to be unset',
    );
  });

  test('backtick escape token: \\ is ordinary, ` escapes', () => {
    expect(processWord('\\$PWD `$PWD c:\\x', env, { escapeToken: '`' }).value).toBe('\\/home $PWD c:\\x');
  });

  test('used and unmatched variables', () => {
    const r = processWord('$PWD ${UNSET:-x} ${EMPTY} ${B:+y} $PWD', env);
    expect({ used: [...r.used].sort(), unmatched: [...r.unmatched].sort() }).toEqual({
      used: ['EMPTY', 'PWD'],
      unmatched: ['B', 'UNSET'],
    });
  });

  test('env may be a Map, a record, KEY=value strings or a lookup', () => {
    expect(processWord('$A$B', new Map([['A', '1']])).value).toBe('1');
    expect(processWord('$A$B', ['A=1', 'B=2', 'A=3']).value).toBe('32');
    expect(processWord('$A', { get: (n) => (n === 'A' ? 'x' : undefined), keys: () => ['A'] }).value).toBe(
      'x',
    );
  });
});

describe('processWords (splits after substitution)', () => {
  test.each([
    { name: 'blanks split', given: 'a b  c', want: ['a', 'b', 'c'] },
    { name: 'quotes keep blanks', given: `a "b c" 'd e'`, want: ['a', 'b c', 'd e'] },
    { name: 'substituted values split', given: 'x$SPACED', want: ['xa', 'b'] },
    { name: 'quoted substitution does not', given: '"$SPACED"', want: ['a  b'] },
    { name: 'escaped blank joins', given: 'a\\ b', want: ['a b'] },
    { name: 'empty quotes make no word', given: "'' x", want: ['x'] },
    { name: 'defaults split too', given: '${UNSET:-1 2}', want: ['1', '2'] },
    { name: 'heredoc marker with blanks is one word', given: 'cat << EOF', want: ['cat', '<< EOF'] },
  ])('$name', ({ given, want }) => {
    expect(processWords(given, env).words).toEqual(want);
  });
});

describe('processHeredocBody (quotes are text, only $ and \\ are special)', () => {
  test.each([
    { name: 'quotes kept', given: `echo "$PWD" '$SHELL'\n`, want: `echo "/home" 'bash'\n` },
    { name: 'backslashes escape and vanish', given: 'printf "a\\nb"\n', want: 'printf "anb"\n' },
    { name: 'escaped dollar', given: 'echo \\$PWD\n', want: 'echo $PWD\n' },
  ])('$name', ({ given, want }) => {
    expect(processHeredocBody(given, env).value).toBe(want);
  });
});
