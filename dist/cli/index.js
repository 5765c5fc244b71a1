#!/usr/bin/env node
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 639:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _src_cli_index_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(486);
var __webpack_async_dependencies__ = __webpack_handle_async_dependencies__([_src_cli_index_js__WEBPACK_IMPORTED_MODULE_0__]);
_src_cli_index_js__WEBPACK_IMPORTED_MODULE_0__ = (__webpack_async_dependencies__.then ? (await __webpack_async_dependencies__)() : __webpack_async_dependencies__)[0];


__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } });

/***/ }),

/***/ 209:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   CK: () => (/* binding */ usernsPrivilege),
/* harmony export */   Go: () => (/* binding */ rootPrivilege),
/* harmony export */   o7: () => (/* binding */ defaultCapabilities)
/* harmony export */ });
/* unused harmony export sudoPrivilege */
const rootPrivilege = {
    mode: 'root',
    wrap: (argv) => [...argv],
    overlayXattrPrefix: 'trusted.overlay.',
};
const sudoPrivilege = {
    mode: 'sudo',
    wrap: (argv) => ['sudo', '-n', '--', ...argv],
    overlayXattrPrefix: 'trusted.overlay.',
};
/** Rootless: the process was re-run inside `unshare --user --map-auto --map-root-user` (see run-as-root.ts). */
const usernsPrivilege = {
    mode: 'userns',
    wrap: (argv) => [...argv],
    overlayXattrPrefix: 'user.overlay.',
};
/** Docker's default capability set (moby/oci caps), by capability number. */
const defaultCapabilities = [
    0, // CAP_CHOWN
    1, // CAP_DAC_OVERRIDE
    3, // CAP_FOWNER
    4, // CAP_FSETID
    5, // CAP_KILL
    6, // CAP_SETGID
    7, // CAP_SETUID
    8, // CAP_SETPCAP
    10, // CAP_NET_BIND_SERVICE
    13, // CAP_NET_RAW
    18, // CAP_SYS_CHROOT
    27, // CAP_MKNOD
    29, // CAP_AUDIT_WRITE
    31, // CAP_SETFCAP
];


/***/ }),

/***/ 301:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   M$: () => (/* binding */ detectRootAccess),
/* harmony export */   YV: () => (/* binding */ rerunInUserNamespace),
/* harmony export */   jD: () => (/* binding */ noRootMessage),
/* harmony export */   or: () => (/* binding */ rerunUnderSudo)
/* harmony export */ });
/* unused harmony export usernsUnshareArgs */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);

/** The user namespace a rootless build runs in: our uid is root, the /etc/subuid range maps the rest. */
const usernsUnshareArgs = [
    '--user',
    '--map-auto',
    '--map-root-user',
    '--mount',
    '--propagation',
    'private',
];
function detectRootAccess(uid = process.getuid?.() ?? -1) {
    if (uid === 0)
        return { kind: 'root' };
    const reasons = [];
    const probe = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawnSync)('sudo', ['-n', 'true'], { stdio: 'ignore' });
    if (!probe.error && probe.status === 0)
        return { kind: 'sudo' };
    reasons.push(probe.error ? 'sudo is not installed' : 'sudo needs a password');
    const userns = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawnSync)('unshare', [...usernsUnshareArgs, 'true'], { stdio: 'ignore' });
    if (!userns.error && userns.status === 0)
        return { kind: 'userns' };
    reasons.push('user namespaces are not available (kernel policy, or no /etc/subuid range and newuidmap)');
    return { kind: 'none', reason: reasons.join(', and ') };
}
/** The one-line explanation when no root access is possible. */
function noRootMessage(reason) {
    return (`building needs root (overlay mounts and namespaces for RUN steps), and ${reason}: ` +
        'run as root, allow passwordless sudo for this user, give the user a /etc/subuid range (with newuidmap ' +
        'installed) for rootless builds, or run inside a container started with --privileged');
}
/**
 * Runs this same Node program again under `sudo -n`, keeping the environment (GITHUB_* files, INPUT_*, PATH),
 * forwarding SIGINT/SIGTERM, and resolves with its exit code. The caller exits with it.
 */
function rerunUnderSudo(argv, marker) {
    return rerun('sudo', [
        '-n',
        '-E',
        '--',
        'env',
        `PATH=${process.env['PATH'] ?? ''}`,
        `${marker}=1`,
        process.execPath,
        ...argv,
    ]);
}
/** Runs this same Node program again as "root" in a new user namespace (rootless builds); `marker=userns`. */
function rerunInUserNamespace(argv, marker) {
    return rerun('unshare', [...usernsUnshareArgs, '--', 'env', `${marker}=userns`, process.execPath, ...argv]);
}
function rerun(cmd, args) {
    const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(cmd, args, { stdio: 'inherit' });
    const forward = (sig) => {
        child.kill(sig);
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    return new Promise((resolve) => {
        child.on('close', (code, signal) => {
            process.off('SIGINT', forward);
            process.off('SIGTERM', forward);
            resolve(code ?? (signal === 'SIGINT' ? 130 : 143));
        });
        child.on('error', () => resolve(1));
    });
}


/***/ }),

/***/ 486:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_os__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _build_rootfs_run_as_root_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(301);
/* harmony import */ var _interrupts_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(547);
/* harmony import */ var _root_access_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(20);
/* harmony import */ var _run_cli_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(602);
/**
 * The `image-build` executable (dist/cli/index.js): wires the real process into runCli — streams, environment,
 * SIGINT/SIGTERM (the first aborts the build, which cleans up and exits 130/143; a second one exits at once) —
 * and exits with its code.
 */





function processIo(signal) {
    return {
        stdout: process.stdout,
        stderr: process.stderr,
        env: process.env,
        cwd: process.cwd(),
        uid: process.getuid?.() ?? -1,
        homeDir: (0,node_os__WEBPACK_IMPORTED_MODULE_0__.homedir)(),
        now: () => Date.now(),
        signal,
        readStdin: async () => {
            const chunks = [];
            for await (const chunk of process.stdin)
                chunks.push(chunk);
            return Buffer.concat(chunks).toString('utf8');
        },
        rerunAsRoot: (method, args, env) => {
            Object.assign(process.env, env);
            const argv = [process.argv[1] ?? '', ...args];
            return method === 'sudo' ? (0,_build_rootfs_run_as_root_js__WEBPACK_IMPORTED_MODULE_1__/* .rerunUnderSudo */ .or)(argv, _root_access_js__WEBPACK_IMPORTED_MODULE_2__/* .rerunMarker */ .tR) : (0,_build_rootfs_run_as_root_js__WEBPACK_IMPORTED_MODULE_1__/* .rerunInUserNamespace */ .YV)(argv, _root_access_js__WEBPACK_IMPORTED_MODULE_2__/* .rerunMarker */ .tR);
        },
    };
}
const { signal } = (0,_interrupts_js__WEBPACK_IMPORTED_MODULE_4__/* .trapInterrupts */ .AQ)();
const code = await (0,_run_cli_js__WEBPACK_IMPORTED_MODULE_3__/* .runCli */ .a)(process.argv.slice(2), processIo(signal));
process.exit(code);

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 20:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $v: () => (/* binding */ handOverToSudoUser),
/* harmony export */   G4: () => (/* binding */ planRootAccess),
/* harmony export */   tR: () => (/* binding */ rerunMarker)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _build_rootfs_privilege_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(209);
/* harmony import */ var _build_rootfs_run_as_root_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(301);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(916);
/**
 * Builds need root (overlay mounts, namespaces, files owned by any uid). Root runs the build; a user with
 * passwordless sudo gets the same command re-run under `sudo -n` (the environment kept); a user with a
 * /etc/subuid range gets it re-run as "root" of a user namespace (rootless); anyone else gets one line that
 * lists the options. The re-run carries a marker (`1` for sudo, `userns`) so it never re-runs again.
 */





/** Set in the environment of the re-run: `1` under sudo, `userns` in a user namespace. */
const rerunMarker = 'IMAGE_BUILD_SUDO';
function planRootAccess(uid, env, detect = _build_rootfs_run_as_root_js__WEBPACK_IMPORTED_MODULE_3__/* .detectRootAccess */ .M$) {
    const marker = env[rerunMarker];
    if (uid === 0)
        return { kind: 'run', privilege: marker === 'userns' ? _build_rootfs_privilege_js__WEBPACK_IMPORTED_MODULE_2__/* .usernsPrivilege */ .CK : _build_rootfs_privilege_js__WEBPACK_IMPORTED_MODULE_2__/* .rootPrivilege */ .Go };
    if (marker !== undefined)
        return fail(`the re-run (${marker === 'userns' ? 'user namespace' : 'sudo'}) is still uid ${uid}`);
    const access = detect(uid);
    switch (access.kind) {
        case 'root':
            return { kind: 'run', privilege: _build_rootfs_privilege_js__WEBPACK_IMPORTED_MODULE_2__/* .rootPrivilege */ .Go };
        case 'sudo':
            return { kind: 'rerun', method: 'sudo' };
        case 'userns':
            return { kind: 'rerun', method: 'userns' };
        case 'none':
            return fail(access.reason);
    }
}
function fail(reason) {
    return { kind: 'fail', error: new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .BuildStepError */ .JI((0,_build_rootfs_run_as_root_js__WEBPACK_IMPORTED_MODULE_3__/* .noRootMessage */ .jD)(reason)) };
}
/**
 * In the sudo re-run, gives the files the build wrote for the user (outputs, iidfile, metadata file) back to
 * the user who ran sudo (SUDO_UID/SUDO_GID), so they can read, move and delete them without sudo.
 */
async function handOverToSudoUser(paths, uid, env) {
    if (uid !== 0 || env[rerunMarker] !== '1')
        return;
    const owner = Number(env['SUDO_UID']);
    const group = Number(env['SUDO_GID']);
    if (!Number.isInteger(owner) || !Number.isInteger(group) || env['SUDO_UID'] === '')
        return;
    for (const p of paths)
        await chownTree(p, owner, group);
}
async function chownTree(path, uid, gid) {
    const st = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.lstat)(path).catch(() => undefined);
    if (!st)
        return;
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.lchown)(path, uid, gid);
    if (!st.isDirectory())
        return;
    for (const name of await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(path))
        await chownTree((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(path, name), uid, gid);
}


/***/ }),

/***/ 602:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  a: () => (/* binding */ runCli)
});

// EXTERNAL MODULE: ./src/errors.ts
var errors = __nccwpck_require__(916);
;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __nccwpck_require__(455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(760);
;// CONCATENATED MODULE: ./src/dockerfile/go-text.ts
/**
 * Go text semantics the parser depends on: UTF-8 decoding that keeps invalid bytes, `unicode.IsSpace`,
 * `unicode.IsLetter`/`IsDigit`, `strings.ToLower`/`ToUpper`, `strings.TrimSpace`.
 *
 * Dockerfiles are bytes. Go keeps an invalid UTF-8 byte as itself in strings and only turns it into U+FFFD
 * where code decodes runes. To keep that distinction in a JS string, an invalid byte 0xHH becomes the lone
 * low surrogate U+DC00+0xHH ("surrogate escape"); valid UTF-8 never decodes to a lone surrogate.
 */
const ESCAPE_BASE = 0xdc00;
/** Decodes UTF-8 like Go does rune by rune; each invalid byte becomes a surrogate escape. */
function decodeUtf8Lossless(bytes) {
    const parts = [];
    let chunk = [];
    let i = 0;
    while (i < bytes.length) {
        const [codePoint, width] = decodeRune(bytes, i);
        chunk.push(codePoint);
        i += width;
        if (chunk.length >= 8192) {
            parts.push(String.fromCodePoint(...chunk));
            chunk = [];
        }
    }
    parts.push(String.fromCodePoint(...chunk));
    return parts.join('');
}
/** Decodes one rune at `i`: [code point, byte width]; an invalid sequence yields an escape of one byte. */
function decodeRune(b, i) {
    const b0 = b[i];
    if (b0 < 0x80)
        return [b0, 1];
    const invalid = [ESCAPE_BASE + b0, 1];
    const cont = (k) => {
        const v = b[i + k];
        return v !== undefined && (v & 0xc0) === 0x80 ? v & 0x3f : -1;
    };
    if (b0 >= 0xc2 && b0 <= 0xdf) {
        const c1 = cont(1);
        return c1 < 0 ? invalid : [((b0 & 0x1f) << 6) | c1, 2];
    }
    if (b0 >= 0xe0 && b0 <= 0xef) {
        const c1 = cont(1);
        const c2 = cont(2);
        if (c1 < 0 || c2 < 0)
            return invalid;
        const cp = ((b0 & 0x0f) << 12) | (c1 << 6) | c2;
        return cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff) ? invalid : [cp, 3];
    }
    if (b0 >= 0xf0 && b0 <= 0xf4) {
        const c1 = cont(1);
        const c2 = cont(2);
        const c3 = cont(3);
        if (c1 < 0 || c2 < 0 || c3 < 0)
            return invalid;
        const cp = ((b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
        return cp < 0x10000 || cp > 0x10ffff ? invalid : [cp, 4];
    }
    return invalid;
}
/** Encodes back to the original bytes: surrogate escapes become their byte again. */
function encodeUtf8Lossless(s) {
    const out = [];
    for (const ch of s) {
        const cp = ch.codePointAt(0);
        if (isEscapedByte(cp))
            out.push(cp - ESCAPE_BASE);
        else if (cp >= 0xd800 && cp <= 0xdfff)
            out.push(0xef, 0xbf, 0xbd);
        else if (cp < 0x80)
            out.push(cp);
        else if (cp < 0x800)
            out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
        else if (cp < 0x10000)
            out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
        else
            out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    }
    return Uint8Array.from(out);
}
/** True for a code point that stands for one invalid UTF-8 byte (0x80–0xFF). */
function isEscapedByte(cp) {
    return cp >= ESCAPE_BASE + 0x80 && cp <= ESCAPE_BASE + 0xff;
}
/** What Go sees when it decodes runes: every lone surrogate (an invalid byte) is U+FFFD. */
function toGoRunes(s) {
    return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}
/** Go's `unicode.IsSpace` for one code point. */
function isGoSpace(cp) {
    switch (cp) {
        case 0x09:
        case 0x0a:
        case 0x0b:
        case 0x0c:
        case 0x0d:
        case 0x20:
        case 0x85:
        case 0xa0:
        case 0x1680:
        case 0x2028:
        case 0x2029:
        case 0x202f:
        case 0x205f:
        case 0x3000:
            return true;
        default:
            return cp >= 0x2000 && cp <= 0x200a;
    }
}
const letter = /^\p{L}$/u;
const digit = /^\p{Nd}$/u;
/** Go's `unicode.IsLetter`. */
function isGoLetter(ch) {
    return letter.test(ch);
}
/** Go's `unicode.IsDigit`. */
function isGoDigit(ch) {
    return digit.test(ch);
}
/** Go's `strings.TrimSpace`. */
function go_text_goTrimSpace(s) {
    return goTrimRight(goTrimLeft(s));
}
/** Go's `strings.TrimLeftFunc(s, unicode.IsSpace)`. */
function goTrimLeft(s) {
    let i = 0;
    while (i < s.length && isGoSpace(s.codePointAt(i)))
        i += s.codePointAt(i) > 0xffff ? 2 : 1;
    return s.slice(i);
}
function goTrimRight(s) {
    let end = s.length;
    while (end > 0 && isGoSpace(s.charCodeAt(end - 1)))
        end--;
    return s.slice(0, end);
}
/** Go's `strings.ToLower` (per rune; U+0130 lowers to a plain `i` as in Go). */
function go_text_goToLower(s) {
    if (isAscii(s))
        return s.toLowerCase();
    let out = '';
    for (const ch of s) {
        const lower = ch.toLowerCase();
        out += [...lower].length === 1 ? lower : ch === '\u0130' ? 'i' : ch;
    }
    return out;
}
/** Go's `strings.ToUpper` (per rune; multi-rune upper cases such as `ß` stay as they are, as in Go). */
function goToUpper(s) {
    if (isAscii(s))
        return s.toUpperCase();
    let out = '';
    for (const ch of s) {
        const upper = ch.toUpperCase();
        out += [...upper].length === 1 ? upper : ch;
    }
    return out;
}
function isAscii(s) {
    for (let i = 0; i < s.length; i++)
        if (s.charCodeAt(i) > 0x7f)
            return false;
    return true;
}

;// CONCATENATED MODULE: ./src/dockerfile/directives.ts

const directiveLine = /^([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*([^\n]+?)[\t\n\f\r ]*$/u;
const known = new Set(['syntax', 'escape', 'check']);
/** A directive problem; `line` is 1-based. */
class DirectiveError extends Error {
    line;
    constructor(message, line) {
        super(message);
        this.line = line;
    }
}
class DirectiveScanner {
    done = false;
    seen = new Set();
    found = [];
    escape = '\\';
    /** The escape token in force: `\` or `` ` ``. */
    get escapeToken() {
        return this.escape;
    }
    get directives() {
        return this.found;
    }
    /** Feeds one physical line (newline removed). Returns true if it was a directive; throws DirectiveError. */
    feed(text, line) {
        if (this.done)
            return false;
        if (!text.startsWith('#'))
            return this.stop();
        const match = directiveLine.exec(goTrimLeft(text.slice(1)));
        if (!match)
            return this.stop();
        const name = match[1].toLowerCase();
        if (!known.has(name))
            return this.stop();
        if (this.seen.has(name))
            throw new DirectiveError(`only one ${name} parser directive can be used`, line);
        this.seen.add(name);
        const value = match[2];
        if (name === 'escape') {
            if (value !== '`' && value !== '\\') {
                throw new DirectiveError(`invalid escape token '${value}' does not match \` or \\`, line);
            }
            this.escape = value;
        }
        this.found.push({ name: name, value, line });
        return true;
    }
    stop() {
        this.done = true;
        return false;
    }
}

;// CONCATENATED MODULE: ./src/dockerfile/go-quote.ts
/**
 * Go's `strconv.Quote` and `fmt`'s `%q` of a `[]string`, as BuildKit's `Node.Dump` prints them.
 * `JSON.stringify` differs (`\u0000` instead of `\x00`, no escape for U+007F or U+2028, …), hence this port.
 */

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const named = {
    0x07: '\\a',
    0x08: '\\b',
    0x0c: '\\f',
    0x0a: '\\n',
    0x0d: '\\r',
    0x09: '\\t',
    0x0b: '\\v',
};
/** Go's `strconv.Quote(s)`. Surrogate-escaped bytes (see go-text.ts) print as `\xHH`, like invalid UTF-8. */
function go_quote_goQuote(s) {
    let out = '"';
    for (const ch of s)
        out += quoteRune(ch);
    return out + '"';
}
/** `fmt.Sprintf("%q", []string{…})`: `["a" "b"]`. */
function go_quote_goQuoteList(items) {
    return `[${items.map(go_quote_goQuote).join(' ')}]`;
}
function quoteRune(ch) {
    const cp = ch.codePointAt(0);
    if (ch === '"' || ch === '\\')
        return `\\${ch}`;
    if (isEscapedByte(cp))
        return `\\x${hex(cp & 0xff, 2)}`;
    if (cp >= 0xd800 && cp <= 0xdfff)
        return wtf8Bytes(cp);
    if (cp === 0x20 || printable.test(ch))
        return ch;
    const name = named[cp];
    if (name !== undefined)
        return name;
    if (cp < 0x20 || cp === 0x7f)
        return `\\x${hex(cp, 2)}`;
    if (cp < 0x10000)
        return `\\u${hex(cp, 4)}`;
    return `\\U${hex(cp, 8)}`;
}
/** A lone surrogate that is not an escaped byte: Go would see its three invalid UTF-8 bytes. */
function wtf8Bytes(cp) {
    const bytes = [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
    return bytes.map((b) => `\\x${hex(b, 2)}`).join('');
}
function hex(n, width) {
    return n.toString(16).padStart(width, '0');
}

;// CONCATENATED MODULE: ./src/dockerfile/shell-scanner.ts
/** The lexer's input scanner (Go text/scanner semantics) and its word accumulator (BuildKit `wordsStruct`). */

/** Go's text/scanner over runes: invalid bytes read as U+FFFD and a leading BOM is skipped. */
class Scanner {
    chars;
    pos = 0;
    constructor(source) {
        const chars = Array.from(toGoRunes(source));
        this.chars = chars[0] === '\ufeff' ? chars.slice(1) : chars;
    }
    peek() {
        return this.chars[this.pos];
    }
    next() {
        return this.pos < this.chars.length ? this.chars[this.pos++] : undefined;
    }
}
class Words {
    done = [];
    buf = '';
    inWord = false;
    addChar(ch) {
        const space = isGoSpace(ch.codePointAt(0));
        if (space && this.inWord) {
            if (this.buf.length !== 0) {
                this.done.push(this.buf);
                this.buf = '';
                this.inWord = false;
            }
        }
        else if (!space)
            this.addRawChar(ch);
    }
    addRawChar(ch) {
        this.buf += ch;
        this.inWord = true;
    }
    addString(s) {
        for (const ch of s)
            this.addChar(ch);
    }
    addRawString(s) {
        this.buf += s;
        this.inWord = true;
    }
    finish() {
        if (this.buf.length > 0) {
            this.done.push(this.buf);
            this.buf = '';
            this.inWord = false;
        }
        return this.done;
    }
}

;// CONCATENATED MODULE: ./src/dockerfile/shell-pattern.ts
/**
 * The glob patterns of `${V#p}`, `${V%p}`, `${V/p/r}` as BuildKit's shell lexer treats them: `*` and `?`
 * only (no bracket expressions), `\` escapes `*`, `?` and `\`, converted to a regular expression and run with
 * Go's `regexp` semantics (leftmost-first, `ReplaceAllString` template expansion, empty-match rules).
 */
/** A pattern that cannot be converted: `invalid escape '\x'`. */
class PatternError extends Error {
}
const regexSpecials = new Set(['[', ']', '{', '}', '.', '+', '(', ')', '|', '^', '$']);
/** `convertShellPatternToRegex`: `*` is `.*` (greedy) or `.*?`; `.` never matches a newline, as in Go. */
function shellPatternToRegExp(pattern, greedy, anchored) {
    const chars = Array.from(pattern);
    let out = anchored ? '^' : '';
    const star = greedy ? '[^\\n]*' : '[^\\n]*?';
    for (let i = 0; i < chars.length; i++) {
        const tok = chars[i];
        if (tok === '*')
            out += star;
        else if (tok === '?')
            out += '[^\\n]';
        else if (tok === '\\') {
            const next = chars[i + 1];
            if (next === '}' || next === '/')
                continue;
            i++;
            if (next !== '*' && next !== '?' && next !== '\\')
                throw new PatternError(`invalid escape '\\${next ?? '\ufffd'}'`);
            out += `\\${next}`;
        }
        else if (regexSpecials.has(tok))
            out += `\\${tok}`;
        else
            out += tok;
    }
    return new RegExp(out, 'u');
}
/** `${V#p}` / `${V##p}`: removes the shortest (longest) prefix matching `pattern`. */
function trimPatternPrefix(pattern, value, greedy) {
    const m = shellPatternToRegExp(pattern, greedy, true).exec(value);
    return m ? value.slice(m.index + m[0].length) : value;
}
/** `${V%p}` / `${V%%p}`: reverses pattern and value to turn the rightmost search into a leftmost one. */
function trimPatternSuffix(pattern, value, greedy) {
    const trimmed = trimPatternPrefix(reversePattern(pattern), reverseString(value), greedy);
    return reverseString(trimmed);
}
/** Reverses a pattern but keeps each `\x` escape pair in order: `a\*c` → `c\*a`. */
function reversePattern(pattern) {
    const runes = Array.from(pattern);
    const out = new Array(runes.length);
    const last = runes.length - 1;
    for (let i = 0; i <= last;) {
        const tok = runes[i];
        const at = last - i;
        if (tok === '\\' && i !== last) {
            out[at - 1] = tok;
            out[at] = runes[i + 1];
            i += 2;
        }
        else {
            out[at] = tok;
            i++;
        }
    }
    return out.join('');
}
function reverseString(s) {
    return Array.from(s).reverse().join('');
}
/** `${V/p/r}` (first match, `r` literal) and `${V//p/r}` (Go's `ReplaceAllString`, `r` a template). */
function replacePattern(pattern, value, replacement, all) {
    const re = shellPatternToRegExp(pattern, true, false);
    if (!all) {
        const m = re.exec(value);
        return m ? value.slice(0, m.index) + replacement + value.slice(m.index + m[0].length) : value;
    }
    return goReplaceAll(new RegExp(re.source, 'gu'), value, replacement);
}
/** Go's `regexp.ReplaceAllString`: no replacement for an empty match right after a match. */
function goReplaceAll(re, src, template) {
    let out = '';
    let lastMatchEnd = 0;
    let searchPos = 0;
    while (searchPos <= src.length) {
        re.lastIndex = searchPos;
        const m = re.exec(src);
        if (!m)
            break;
        const start = m.index;
        const end = start + m[0].length;
        out += src.slice(lastMatchEnd, start);
        if (end > lastMatchEnd || start === 0)
            out += expandTemplate(template, m[0]);
        lastMatchEnd = end;
        const width = searchPos < src.length ? (src.codePointAt(searchPos) > 0xffff ? 2 : 1) : 0;
        if (searchPos + width > end)
            searchPos += width;
        else if (searchPos + 1 > end)
            searchPos++;
        else
            searchPos = end;
    }
    return out + src.slice(lastMatchEnd);
}
/** Go's `Regexp.Expand` for a pattern without groups: `$$` is `$`, `$0`/`${0}` the match, other refs empty. */
function expandTemplate(template, match) {
    let out = '';
    let rest = template;
    for (;;) {
        const at = rest.indexOf('$');
        if (at < 0)
            break;
        out += rest.slice(0, at);
        rest = rest.slice(at + 1);
        if (rest.startsWith('$')) {
            out += '$';
            rest = rest.slice(1);
            continue;
        }
        const ref = /^(?:\{([\p{L}\p{Nd}_]+)\}|([\p{L}\p{Nd}_]+))/u.exec(rest);
        if (!ref) {
            out += '$';
            continue;
        }
        const name = ref[1] ?? ref[2];
        if (name === '0')
            out += match;
        rest = rest.slice(ref[0].length);
    }
    return out + rest;
}

;// CONCATENATED MODULE: ./src/dockerfile/shell-lex.ts
/**
 * A port-by-behaviour of BuildKit's `frontend/dockerfile/shell` lexer: quote removal, the escape token,
 * `$V`/`${V}` and the `${V…}` modifiers, word splitting, and which variables were looked up.
 */




/** A syntax or substitution error; the message matches BuildKit's (`failed to process "…": …`). */
class ShellLexError extends Error {
}
/** An empty environment. */
const noVariables = { get: () => undefined, keys: () => [] };
/** Runs the lexer over `word`. Throws ShellLexError. */
function lexWord(word, env, options = {}) {
    const sw = new ShellWord(word, env, options);
    try {
        const [value, words] = sw.processStopOn(undefined, options.rawEscapes ?? false);
        return { value, words, used: sw.used, unmatched: sw.unmatched };
    }
    catch (err) {
        const detail = err instanceof Error ? err.message : String(err);
        throw new ShellLexError(`failed to process ${quoteWord(word)}: ${detail}`, { cause: err });
    }
}
/** Longer words are cut in messages (BuildKit quotes them whole; a generated line can be 64 KiB). */
const quotedWordMax = 200;
function quoteWord(word) {
    const chars = [...word];
    return chars.length <= quotedWordMax
        ? go_quote_goQuote(word)
        : `${go_quote_goQuote(chars.slice(0, quotedWordMax).join(''))}…`;
}
/**
 * Nested `${…}` are processed recursively; real Dockerfiles nest a few levels, and a generated one must fail
 * cleanly instead of overflowing the stack (BuildKit's Go stack simply grows).
 */
const maxNesting = 100;
class ShellWord {
    env;
    opts;
    used = new Set();
    depth = 0;
    unmatched = new Set();
    scanner;
    escape;
    rawEscapes;
    constructor(source, env, opts) {
        this.env = env;
        this.opts = opts;
        this.scanner = new Scanner(source);
        this.escape = opts.escapeToken ?? '\\';
        this.rawEscapes = opts.rawEscapes ?? false;
    }
    /** Processes up to `stop` (consumed) or the end: [result, words]. */
    processStopOn(stop, rawEscapes) {
        const saved = this.rawEscapes;
        this.rawEscapes = rawEscapes;
        try {
            return this.loop(stop);
        }
        finally {
            this.rawEscapes = saved;
        }
    }
    loop(stop) {
        let result = '';
        const words = new Words();
        for (let ch = this.scanner.peek(); ch !== undefined; ch = this.scanner.peek()) {
            if (stop !== undefined && ch === stop) {
                this.scanner.next();
                return [result, words.finish()];
            }
            const special = this.specialHandler(ch);
            if (special) {
                const tmp = special();
                result += tmp;
                if (ch === '$')
                    words.addString(tmp);
                else
                    words.addRawString(tmp);
                continue;
            }
            let c = this.scanner.next();
            if (c === this.escape) {
                if (this.rawEscapes) {
                    words.addRawChar(c);
                    result += c;
                }
                const escaped = this.scanner.next();
                if (escaped === undefined)
                    break;
                c = escaped;
                words.addRawChar(c);
            }
            else
                words.addChar(c);
            result += c;
        }
        if (stop !== undefined)
            throw new Error(`unexpected end of statement while looking for matching ${stop}`);
        return [result, words.finish()];
    }
    specialHandler(ch) {
        if (ch === '$')
            return () => this.processDollar();
        if (ch === '<')
            return () => this.processPossibleHeredoc();
        if (this.opts.skipProcessQuotes)
            return undefined;
        if (ch === "'")
            return () => this.processSingleQuote();
        if (ch === '"')
            return () => this.processDoubleQuote();
        return undefined;
    }
    processSingleQuote() {
        const open = this.scanner.next();
        let result = this.opts.rawQuotes ? open : '';
        for (;;) {
            const ch = this.scanner.next();
            if (ch === undefined)
                throw new Error('unexpected end of statement while looking for matching single-quote');
            if (ch === "'")
                return this.opts.rawQuotes ? result + ch : result;
            result += ch;
        }
    }
    processDoubleQuote() {
        const open = this.scanner.next();
        let result = this.opts.rawQuotes ? open : '';
        for (;;) {
            const peeked = this.scanner.peek();
            if (peeked === undefined)
                throw new Error('unexpected end of statement while looking for matching double-quote');
            if (peeked === '"') {
                const close = this.scanner.next();
                return this.opts.rawQuotes ? result + close : result;
            }
            if (peeked === '$') {
                result += this.processDollar();
                continue;
            }
            let ch = this.scanner.next();
            if (ch === this.escape) {
                if (this.rawEscapes)
                    result += ch;
                const after = this.scanner.peek();
                if (after === undefined)
                    continue;
                if (after === '"' || after === '$' || after === this.escape)
                    ch = this.scanner.next();
            }
            result += ch;
        }
    }
    /** `<<` keeps the blanks after it in the same word, so `<< EOF` stays one heredoc word. */
    processPossibleHeredoc() {
        this.scanner.next();
        if (this.scanner.peek() !== '<')
            return '<';
        this.scanner.next();
        let space = '';
        for (let ch = this.scanner.peek(); ch === ' ' || ch === '\t' || ch === '\r'; ch = this.scanner.peek()) {
            space += this.scanner.next();
        }
        return `<<${space}`;
    }
    processDollar() {
        this.scanner.next();
        if (this.scanner.peek() !== '{') {
            const name = this.processName();
            if (name === '')
                return '$';
            const value = this.getEnv(name);
            if (value === undefined && this.opts.skipUnsetEnv)
                return `$${name}`;
            return value ?? '';
        }
        this.scanner.next();
        const first = this.scanner.peek();
        if (first === undefined)
            throw new Error("syntax error: missing '}'");
        if (first === '{' || first === '}' || first === ':')
            throw new Error('syntax error: bad substitution');
        const name = this.processName();
        const ch = this.scanner.next();
        if (ch === '}') {
            const value = this.getEnv(name);
            if (value === undefined && this.opts.skipUnsetEnv)
                return `\${${name}}`;
            return value ?? '';
        }
        if (ch === '/')
            return this.processReplacement(name);
        return this.processModifier(name, ch);
    }
    /** `${V:-w}`, `${V-w}`, `${V:+w}`, `${V+w}`, `${V:?m}`, `${V?m}`, `${V#p}`, `${V##p}`, `${V%p}`, `${V%%p}`. */
    processModifier(name, first) {
        let ch = first;
        let chs = first ?? '\ufffd';
        let nullIsUnset = false;
        if (ch === ':') {
            nullIsUnset = true;
            ch = this.scanner.next();
            chs += ch ?? '\ufffd';
        }
        else if (ch === undefined || !'+-?#%'.includes(ch)) {
            throw new Error(`unsupported modifier (${chs}) in substitution`);
        }
        const rawEscapes = ch === '#' || ch === '%';
        if (nullIsUnset && rawEscapes)
            throw new Error(`unsupported modifier (${chs}) in substitution`);
        const word = this.stopOnOrMissing('}', rawEscapes, "syntax error: missing '}'");
        const value = this.getEnv(name);
        if (this.opts.skipUnsetEnv && value === undefined)
            return `\${${name}${chs}${word}}`;
        const empty = value === undefined || (nullIsUnset && value === '');
        switch (ch) {
            case '-':
                return empty ? word : value;
            case '+':
                return empty ? '' : word;
            case '?':
                if (value === undefined)
                    throw new Error(`${name}: ${word || 'is not allowed to be unset'}`);
                if (empty)
                    throw new Error(`${name}: ${word || 'is not allowed to be empty'}`);
                return value;
            case '#':
            case '%':
                return this.trimPattern(ch, word, value ?? '');
            default:
                throw new Error(`unsupported modifier (${chs}) in substitution`);
        }
    }
    trimPattern(op, word, value) {
        const greedy = word.startsWith(op);
        const pattern = greedy ? word.slice(1) : word;
        try {
            return op === '%'
                ? trimPatternSuffix(pattern, value, greedy)
                : trimPatternPrefix(pattern, value, greedy);
        }
        catch (err) {
            throw new Error(`invalid pattern (${pattern}) in substitution: ${errorText(err)}`, { cause: err });
        }
    }
    /** `${V/p/r}` and `${V//p/r}`. */
    processReplacement(name) {
        const all = this.scanner.peek() === '/';
        if (all)
            this.scanner.next();
        const pattern = this.stopOnOrMissing('/', true, "syntax error: missing '/' in ${}");
        const replacement = this.stopOnOrMissing('}', true, "syntax error: missing '}'");
        const value = this.getEnv(name);
        if (this.opts.skipUnsetEnv && value === undefined)
            return `\${${name}/${pattern}/${replacement}}`;
        try {
            return replacePattern(pattern, value ?? '', replacement, all);
        }
        catch (err) {
            throw new Error(`invalid pattern (${pattern}) in substitution: ${errorText(err)}`, { cause: err });
        }
    }
    stopOnOrMissing(stop, rawEscapes, missing) {
        if (this.depth >= maxNesting)
            throw new Error(`substitutions nested more than ${maxNesting} levels deep`);
        this.depth++;
        try {
            return this.processStopOn(stop, rawEscapes)[0];
        }
        catch (err) {
            if (this.scanner.peek() === undefined)
                throw new Error(missing, { cause: err });
            throw err;
        }
        finally {
            this.depth--;
        }
    }
    /** A name: letters, digits and `_`; or a run of digits; or one special parameter (`@*#?-$!0`). */
    processName() {
        let name = '';
        for (let ch = this.scanner.peek(); ch !== undefined; ch = this.scanner.peek()) {
            if (name === '' && isGoDigit(ch)) {
                for (let d = this.scanner.peek(); d !== undefined && isGoDigit(d); d = this.scanner.peek()) {
                    name += this.scanner.next();
                }
                return name;
            }
            if (name === '' && '@*#?-$!0'.includes(ch))
                return this.scanner.next();
            if (!isGoLetter(ch) && !isGoDigit(ch) && ch !== '_')
                break;
            name += this.scanner.next();
        }
        return name;
    }
    getEnv(name) {
        const value = this.env.get(name);
        (value === undefined ? this.unmatched : this.used).add(name);
        return value;
    }
}
function errorText(err) {
    return err instanceof PatternError || err instanceof Error ? err.message : String(err);
}

;// CONCATENATED MODULE: ./src/dockerfile/heredoc.ts
/**
 * Here-documents as BuildKit finds them: the whole logical line is lexed (escape `\`, quotes and escapes
 * kept, unset variables left alone) into words, and every word of the form `[n]<<[-]WORD` names a heredoc.
 * The delimiter is lexed again with and without quotes: if the quote counts differ, some part of it was
 * quoted and the body is not expanded.
 */

/** Keywords whose arguments may hold heredocs (ONBUILD wrapping one of them too). */
const heredocKeywords = new Set(['add', 'copy', 'run']);
/**
 * `^(\d*)<<(-?)\s*([^<]*)$` without a regexp: the overlapping `\s*` and `[^<]*` would backtrack
 * polynomially on long blank runs. Returns undefined when the word is no heredoc marker.
 */
function matchMarker(word) {
    let i = 0;
    while (i < word.length && word.charCodeAt(i) >= 0x30 && word.charCodeAt(i) <= 0x39)
        i++;
    if (!word.startsWith('<<', i))
        return undefined;
    const fd = word.slice(0, i);
    i += 2;
    const chomp = word[i] === '-';
    if (chomp)
        i++;
    let rest = word.slice(i);
    if (rest.includes('<'))
        return undefined;
    rest = rest.replace(/^[\t\n\f\r ]+/, '');
    return { fd, chomp, rest };
}
/** Parses one word as a heredoc marker (BuildKit `ParseHeredoc`). Throws ShellLexError on bad quoting. */
function parseHeredocMarker(word) {
    const match = matchMarker(word);
    if (!match || match.rest === '')
        return undefined;
    const words = lexWord(match.rest, noVariables, { skipUnsetEnv: true }).words;
    if (words.length !== 1)
        return undefined;
    const raw = lexWord(match.rest, noVariables, { skipUnsetEnv: true, rawQuotes: true }).words;
    if (raw.length !== words.length) {
        throw new Error(`internal lexing of heredoc produced inconsistent results: ${match.rest}`);
    }
    const name = words[0];
    return {
        name,
        expand: countQuotes(name) === countQuotes(raw[0]),
        chomp: match.chomp,
        fileDescriptor: match.fd === '' ? 0 : Number.parseInt(match.fd, 10),
    };
}
/** Like parseHeredocMarker, but a malformed marker is simply no marker (BuildKit `MustParseHeredoc`). */
function heredocMarkerOrUndefined(word) {
    try {
        return parseHeredocMarker(word);
    }
    catch {
        return undefined;
    }
}
function countQuotes(s) {
    let n = 0;
    for (const ch of s)
        if (ch === "'" || ch === '"')
            n++;
    return n;
}
/** The heredoc markers on a logical line, in order. A line the lexer rejects has none. */
function heredocMarkersOnLine(line) {
    let words;
    try {
        words = lexWord(line, noVariables, { rawQuotes: true, rawEscapes: true, skipUnsetEnv: true }).words;
    }
    catch {
        return [];
    }
    const markers = [];
    for (const word of words) {
        const marker = parseHeredocMarker(word);
        if (marker)
            markers.push(marker);
    }
    return markers;
}
/** `<<-` bodies: leading tabs removed from every line (BuildKit `ChompHeredocContent`). */
function chompHeredocContent(content) {
    return content.replace(/(^|\n)\t+/g, '$1');
}

;// CONCATENATED MODULE: ./src/dockerfile/line-parsers.ts
/**
 * Per-instruction argument splitting, as BuildKit's `line_parsers.go` (FORMAT.md §4.3). No variable
 * expansion and no quote removal happens here, except for JSON (exec form) decoding.
 */

/** A line that cannot be parsed (`ENV must have two arguments`, nested JSON…). */
class LineParseError extends Error {
}
const none = { args: [], json: false };
const reWhitespace = /[\t\v\f\r ]+/;
/** The parser for a lower-cased keyword; unknown keywords keep one empty argument, like BuildKit. */
function lineParserFor(keyword) {
    return dispatch[keyword] ?? (() => ({ args: [''], json: false }));
}
const dispatch = {
    add: parseMaybeJsonToList,
    arg: (rest, escape) => ({ args: parseWords(rest, escape), json: false }),
    cmd: parseMaybeJson,
    copy: parseMaybeJsonToList,
    entrypoint: parseMaybeJson,
    env: (rest, escape) => parseNameVal(rest, 'ENV', escape),
    expose: parseWhitespaceDelimited,
    from: parseWhitespaceDelimited,
    healthcheck: parseHealthConfig,
    label: (rest, escape) => parseNameVal(rest, 'LABEL', escape),
    maintainer: parseString,
    onbuild: (rest) => (rest === '' ? none : { args: [], json: false, subCommand: rest }),
    run: parseMaybeJson,
    shell: parseMaybeJson,
    stopsignal: parseString,
    user: parseString,
    volume: parseMaybeJsonToList,
    workdir: parseString,
};
/**
 * Splits on Unicode whitespace outside '…' and "…"; quotes and escape tokens stay in the words. The escape
 * token keeps the next character in the word (except inside '…'); a trailing escape token is dropped.
 */
function parseWords(rest, escapeToken) {
    const chars = Array.from(toGoRunes(rest));
    const words = [];
    let inWord = false;
    let quote = '';
    let blankOK = false;
    let word = '';
    const flush = () => {
        if (blankOK || word.length > 0)
            words.push(word);
        word = '';
        blankOK = false;
    };
    for (let i = 0; i < chars.length; i++) {
        const ch = chars[i];
        const atLast = i + 1 === chars.length;
        if (!inWord && !quote) {
            if (isGoSpace(ch.codePointAt(0)))
                continue;
            inWord = true;
        }
        if (quote) {
            if (ch === quote)
                quote = '';
            if (ch === escapeToken && quote !== "'") {
                if (atLast)
                    continue;
                word += ch + chars[++i];
                continue;
            }
            word += ch;
            continue;
        }
        if (isGoSpace(ch.codePointAt(0))) {
            inWord = false;
            flush();
            continue;
        }
        if (ch === "'" || ch === '"') {
            quote = ch;
            blankOK = true;
        }
        else if (ch === escapeToken) {
            if (atLast)
                continue;
            word += ch + chars[++i];
            continue;
        }
        word += ch;
    }
    if (inWord || quote)
        flush();
    return words;
}
/** ENV and LABEL: `key value sep` triples; the old `KEY rest-of-line` form when the first word has no `=`. */
function parseNameVal(rest, instruction, escapeToken) {
    const words = parseWords(rest, escapeToken);
    if (words.length === 0)
        return none;
    if (!words[0].includes('=')) {
        const gap = reWhitespace.exec(rest);
        if (!gap)
            throw new LineParseError(`${instruction} must have two arguments`);
        return { args: [rest.slice(0, gap.index), rest.slice(gap.index + gap[0].length), ''], json: false };
    }
    const args = [];
    for (const word of words) {
        const eq = word.indexOf('=');
        if (eq < 0) {
            throw new LineParseError(`Syntax error - can't find = in "${word}". Must be of the form: name=value`);
        }
        args.push(word.slice(0, eq), word.slice(eq + 1), '=');
    }
    return { args, json: false };
}
function parseWhitespaceDelimited(rest) {
    return rest === '' ? none : { args: rest.split(reWhitespace), json: false };
}
function parseString(rest) {
    return rest === '' ? none : { args: [rest], json: false };
}
const notStrings = 'when using JSON array syntax, arrays must be comprised of strings only';
/** A JSON array of strings, or undefined when `rest` is not JSON; throws when it holds a non-string. */
function parseJson(rest) {
    const text = goTrimLeft(rest);
    if (!text.startsWith('['))
        return undefined;
    let value;
    try {
        value = JSON.parse(text);
    }
    catch {
        return undefined;
    }
    if (!Array.isArray(value))
        return undefined;
    // Go reports a number it cannot hold (1e400) as a decode error, so the text falls back to shell form.
    if (value.some((item) => typeof item === 'number' && !Number.isFinite(item)))
        return undefined;
    return value.map((item) => {
        if (typeof item !== 'string')
            throw new LineParseError(notStrings);
        return toGoRunes(item);
    });
}
function parseMaybeJson(rest) {
    if (rest === '')
        return none;
    const json = parseJson(rest);
    return json ? { args: json, json: true } : { args: [rest], json: false };
}
function parseMaybeJsonToList(rest) {
    const json = parseJson(rest);
    return json ? { args: json, json: true } : parseWhitespaceDelimited(rest);
}
/** HEALTHCHECK: the first word (`CMD`, `NONE`…) then the RUN rule; the split is byte-wise, as in BuildKit. */
function parseHealthConfig(rest) {
    const bytes = encodeUtf8Lossless(rest);
    let sep = 0;
    while (sep < bytes.length && !isGoSpace(bytes[sep]))
        sep++;
    let next = sep;
    while (next < bytes.length && isGoSpace(bytes[next]))
        next++;
    if (sep === 0)
        return none;
    const command = parseMaybeJson(decodeUtf8Lossless(bytes.subarray(next)));
    return { args: [decodeUtf8Lossless(bytes.subarray(0, sep)), ...command.args], json: command.json };
}

;// CONCATENATED MODULE: ./src/dockerfile/source-lines.ts
/**
 * Physical lines of a Dockerfile as BuildKit's scanner sees them: split after each `\n` (kept), a UTF-8 BOM
 * dropped from the first line, and no line of 65,536 bytes or more.
 */


/** BuildKit's `bufio.Scanner` limit: a line (without its `\n`) must be shorter than 64 KiB. */
const maxLineBytes = 65535;
/** Splits into physical lines, each keeping its `\n`. Throws DockerfileError for an over-long line. */
function splitPhysicalLines(source, file) {
    const bytes = typeof source === 'string' ? encodeUtf8Lossless(source) : source;
    const lines = [];
    let start = 0;
    while (start < bytes.length) {
        const nl = bytes.indexOf(0x0a, start);
        const end = nl < 0 ? bytes.length : nl + 1;
        const contentLength = (nl < 0 ? bytes.length : nl) - start;
        if (contentLength > maxLineBytes) {
            throw new errors/* DockerfileError */.tP(`dockerfile line greater than max allowed size of ${maxLineBytes}`, {
                location: { file, line: lines.length + 1, endLine: lines.length + 1 },
                hint: 'split the line with a line continuation or move the data into a file',
            });
        }
        lines.push(decodeUtf8Lossless(bytes.subarray(start, end)));
        start = end;
    }
    if (lines[0]?.startsWith('\ufeff'))
        lines[0] = lines[0].slice(1);
    return lines;
}
/** Removes every trailing `\r` and `\n` (Go `bytes.TrimRight(b, "\r\n")`). */
function trimNewline(line) {
    let end = line.length;
    while (end > 0 && (line[end - 1] === '\n' || line[end - 1] === '\r'))
        end--;
    return line.slice(0, end);
}
/**
 * If the line ends with the escape token (before trailing blanks or tabs), the instruction continues: the
 * token and the blanks after it go. An escaped escape token (`\\`) does not continue the line.
 * Returns the line and whether the instruction ends here.
 */
function trimContinuation(line, escapeToken) {
    let end = line.length;
    while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t'))
        end--;
    if (end === 0 || line[end - 1] !== escapeToken)
        return [line, true];
    if (end === 1)
        return ['', false];
    if (line[end - 2] === escapeToken)
        return [line, true];
    return [line.slice(0, end - 1), false];
}

;// CONCATENATED MODULE: ./src/dockerfile/split-command.ts
/**
 * Splits a logical line into keyword, leading `--flags` and the rest, as BuildKit's `splitCommand` and
 * `extractBuilderFlags` do. Flags are scanned byte by byte (so non-ASCII bytes in a flag come out as Latin-1
 * characters, exactly as in BuildKit); quotes are removed and `\` keeps the next byte; a bare `--` ends the
 * flags and is dropped.
 */

const tokenWhitespace = /[\t\v\f\r ]+/;
function splitCommand(line) {
    const trimmed = go_text_goTrimSpace(line);
    const gap = tokenWhitespace.exec(trimmed);
    if (!gap)
        return { keyword: trimmed, flags: [], rest: '' };
    const { rest, flags } = extractBuilderFlags(trimmed.slice(gap.index + gap[0].length));
    return { keyword: trimmed.slice(0, gap.index), flags, rest: go_text_goTrimSpace(rest) };
}
var Phase;
(function (Phase) {
    Phase[Phase["Spaces"] = 0] = "Spaces";
    Phase[Phase["Word"] = 1] = "Word";
    Phase[Phase["Quote"] = 2] = "Quote";
})(Phase || (Phase = {}));
/** Scanner state over the line's bytes. */
class FlagScan {
    bytes;
    words = [];
    phase = Phase.Spaces;
    word = '';
    quote = 0;
    blankOK = false;
    constructor(bytes) {
        this.bytes = bytes;
    }
    rest(pos) {
        return decodeUtf8Lossless(this.bytes.subarray(pos));
    }
}
function extractBuilderFlags(line) {
    const s = new FlagScan(encodeUtf8Lossless(line));
    const b = s.bytes;
    for (let pos = 0; pos <= b.length; pos++) {
        const atEnd = pos === b.length;
        const ch = atEnd ? 0 : b[pos];
        if (s.phase === Phase.Spaces) {
            if (atEnd)
                break;
            if (isGoSpace(ch))
                continue;
            if (ch !== 0x2d || pos + 1 === b.length || b[pos + 1] !== 0x2d)
                return { rest: s.rest(pos), flags: s.words };
            s.phase = Phase.Word;
        }
        if (atEnd) {
            if (s.word !== '--' && (s.blankOK || s.word.length > 0))
                s.words.push(s.word);
            break;
        }
        if (s.phase === Phase.Word) {
            if (isGoSpace(ch)) {
                s.phase = Phase.Spaces;
                if (s.word === '--')
                    return { rest: s.rest(pos), flags: s.words };
                if (s.blankOK || s.word.length > 0)
                    s.words.push(s.word);
                s.word = '';
                s.blankOK = false;
                continue;
            }
            if (ch === 0x27 || ch === 0x22) {
                s.quote = ch;
                s.blankOK = true;
                s.phase = Phase.Quote;
                continue;
            }
            pos = appendByte(s, pos, Phase.Word);
            continue;
        }
        if (ch === s.quote) {
            s.phase = Phase.Word;
            continue;
        }
        pos = appendByte(s, pos, Phase.Quote);
    }
    return { rest: '', flags: s.words };
}
/** Appends the byte at `pos` (or, after `\`, the next byte). Returns the position consumed. */
function appendByte(s, pos, phase) {
    let p = pos;
    if (s.bytes[p] === 0x5c) {
        if (p + 1 === s.bytes.length) {
            if (phase === Phase.Quote)
                s.phase = Phase.Word;
            return p;
        }
        p++;
    }
    s.word += String.fromCharCode(s.bytes[p]);
    return p;
}

;// CONCATENATED MODULE: ./src/dockerfile/parser.ts
/**
 * Dockerfile text → parse tree, as BuildKit's `parser.Parse`: directives, comments, line continuations
 * (comment and empty lines inside are dropped, the latter with a warning), heredoc bodies, and per-keyword
 * argument splitting. Errors are DockerfileErrors with the file and line.
 */







const emptyContinuationUrl = 'https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/';
/** Parses Dockerfile text or bytes. Throws DockerfileError. */
function parse(source, options = {}) {
    const file = options.file ?? 'Dockerfile';
    const state = new ParseState(splitPhysicalLines(source, file), file);
    while (state.hasMore())
        state.parseInstruction();
    if (state.nodes.length === 0) {
        throw new errors/* DockerfileError */.tP('file with no instructions', {
            location: { file, line: Math.max(state.lineNo, 1) },
            hint: 'a Dockerfile needs at least a FROM instruction',
        });
    }
    return {
        file,
        nodes: state.nodes,
        directives: state.directives.directives,
        escapeToken: state.directives.escapeToken,
        warnings: state.warnings,
    };
}
class ParseState {
    lines;
    file;
    nodes = [];
    warnings = [];
    directives = new DirectiveScanner();
    /** Physical lines consumed so far (= the 1-based number of the last one read). */
    lineNo = 0;
    comments = [];
    constructor(lines, file) {
        this.lines = lines;
        this.file = file;
    }
    hasMore() {
        return this.lineNo < this.lines.length;
    }
    read() {
        return this.hasMore() ? this.lines[this.lineNo++] : undefined;
    }
    /** Reads one logical line (if it holds an instruction) and its heredoc bodies. */
    parseInstruction() {
        const raw = this.read();
        this.noteComment(raw);
        const first = this.processLine(raw, true);
        const startLine = this.lineNo;
        const [head, ended] = trimContinuation(first, this.directives.escapeToken);
        if (ended && head === '')
            return;
        const line = ended ? head : this.readContinuation(head);
        const node = this.nodeAt(line, startLine);
        const heredocs = this.readHeredocs(node, startLine);
        this.nodes.push({ ...node, heredocs, startLine, endLine: this.lineNo });
        this.comments = [];
    }
    /** Joins continuation lines; comment lines are skipped, empty ones skipped with a warning. */
    readContinuation(head) {
        let line = head;
        let sawEmpty = false;
        for (let ended = false; !ended;) {
            const raw = this.read();
            if (raw === undefined)
                break;
            const text = this.processLine(raw, false);
            if (isComment(raw))
                continue;
            if (goTrimLeft(text) === '') {
                sawEmpty = true;
                continue;
            }
            const [part, end] = trimContinuation(text, this.directives.escapeToken);
            line += part;
            ended = end;
        }
        if (sawEmpty) {
            this.warnings.push({
                message: `Empty continuation line found in: ${line}`,
                line: this.lineNo,
                url: emptyContinuationUrl,
            });
        }
        return line;
    }
    /** Trims the newline (and leading blanks on an instruction's first line), feeds directives, drops comments. */
    processLine(raw, stripLeft) {
        let text = trimNewline(raw);
        if (stripLeft)
            text = goTrimLeft(text);
        try {
            if (stripLeft && this.directives.feed(text, this.lineNo))
                this.comments.pop();
        }
        catch (err) {
            if (err instanceof DirectiveError)
                throw this.error(err.message, err.line, err.line);
            throw err;
        }
        return isComment(text) ? '' : text;
    }
    /** Collects `# …` lines above an instruction, as BuildKit does (an empty `#` resets them). */
    noteComment(raw) {
        if (!isComment(raw))
            return;
        const comment = go_text_goTrimSpace(decodeUtf8Lossless(encodeUtf8Lossless(raw).subarray(1)));
        if (comment === '')
            this.comments = [];
        else
            this.comments.push(comment);
    }
    nodeAt(line, startLine) {
        try {
            return nodeFromLine(line, this.directives.escapeToken, this.comments, startLine);
        }
        catch (err) {
            if (err instanceof LineParseError)
                throw this.error(err.message, startLine, this.lineNo);
            throw err;
        }
    }
    readHeredocs(node, startLine) {
        if (!canContainHeredoc(node) || !node.original.includes('<<'))
            return [];
        let markers;
        try {
            markers = heredocMarkersOnLine(node.original);
        }
        catch (err) {
            throw this.error(err instanceof Error ? err.message : String(err), startLine, this.lineNo);
        }
        return markers.map((marker) => {
            let content = '';
            for (let raw = this.read(); raw !== undefined; raw = this.read()) {
                let candidate = trimNewline(raw);
                if (marker.chomp)
                    candidate = candidate.replace(/^\t+/, '');
                if (candidate === marker.name)
                    return { ...marker, content };
                content += raw;
            }
            throw this.error('unterminated heredoc', startLine, this.lineNo, `add a line containing only ${marker.name}`);
        });
    }
    error(message, line, endLine, hint) {
        return new errors/* DockerfileError */.tP(message, {
            location: { file: this.file, line, endLine },
            ...(hint ? { hint } : {}),
        });
    }
}
/** Builds a node from a logical line (BuildKit `newNodeFromLine`); ONBUILD parses its trigger as a node. */
function nodeFromLine(line, escapeToken, comments, startLine) {
    const { keyword, flags, rest } = splitCommand(line);
    const lower = go_text_goToLower(keyword);
    const parsed = lineParserFor(lower)(rest, escapeToken);
    const trigger = parsed.subCommand === undefined ? undefined : nodeFromLine(parsed.subCommand, escapeToken, [], startLine);
    return {
        keyword: lower,
        keywordAsWritten: keyword,
        original: line,
        flags,
        args: parsed.args,
        json: parsed.json,
        next: trigger && { ...trigger, heredocs: [], startLine, endLine: startLine },
        comments: [...comments],
    };
}
function canContainHeredoc(node) {
    const target = node.keyword === 'onbuild' && node.next ? node.next : node;
    return heredocKeywords.has(target.keyword) && !target.json;
}
/** A line whose first non-blank character is `#`. */
function isComment(line) {
    return goTrimLeft(line).startsWith('#');
}

;// CONCATENATED MODULE: ./src/dockerfile/dump.ts


/** The dump of a whole parse result, byte-for-byte BuildKit's (the corpus `result` files minus the final `\n`). */
function dump(result) {
    return goTrimSpace(result.nodes.map((node) => `(${dumpNode(node)})\n`).join(''));
}
/** One instruction without the outer parentheses: `run "echo hi"`, `onbuild (run "x")`. */
function dumpNode(node) {
    let out = goToLower(node.keyword);
    if (node.flags.length > 0)
        out += ` ${goQuoteList(node.flags)}`;
    if (node.next)
        out += ` (${dumpNode(node.next)})`;
    for (const arg of node.args)
        out += ` ${goQuote(arg)}`;
    return goTrimSpace(out);
}

;// CONCATENATED MODULE: ./src/dockerfile/suggest.ts
/** "did you mean …?" suggestions: the closest option by edit distance, if close enough. */
/** The option closest to `word` (at most 2 edits, 1 for words of up to 3 characters), or undefined. */
function closestMatch(word, options, caseSensitive = true) {
    const norm = (s) => (caseSensitive ? s : s.toLowerCase());
    const target = norm(word);
    if (target === '')
        return undefined;
    const limit = [...target].length <= 3 ? 1 : 2;
    let best;
    let bestDistance = limit + 1;
    for (const option of options) {
        const distance = editDistance(target, norm(option));
        if (distance < bestDistance && distance > 0) {
            best = option;
            bestDistance = distance;
        }
    }
    return best;
}
/** Levenshtein distance over code points. */
function editDistance(a, b) {
    const x = [...a];
    const y = [...b];
    let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
    for (let i = 1; i <= x.length; i++) {
        const row = [i];
        for (let j = 1; j <= y.length; j++) {
            const cost = x[i - 1] === y[j - 1] ? 0 : 1;
            row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost));
        }
        prev = row;
    }
    return prev[y.length];
}
/** ` (did you mean X?)` or an empty string. */
function didYouMean(suggestion) {
    return suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`;
}

;// CONCATENATED MODULE: ./src/dockerfile/instructions/request.ts
/** What every instruction parser gets: the node, its location and a way to fail with it. */


function requestFor(node, file, escapeToken) {
    return {
        node,
        location: { file, line: node.startLine, endLine: node.endLine },
        instruction: goToUpper(node.keyword),
        escapeToken,
    };
}
/** A DockerfileError at the instruction. */
function instructionError(req, message, hint) {
    return new errors/* DockerfileError */.tP(message, { location: req.location, ...(hint === undefined ? {} : { hint }) });
}
function baseOf(req) {
    return {
        location: req.location,
        source: go_text_goTrimSpace(req.node.original),
        keyword: req.node.keywordAsWritten,
    };
}
/** Exactly one argument, else `USER requires exactly one argument`. */
function exactlyOne(req, what) {
    if (req.node.args.length !== 1) {
        throw instructionError(req, `${req.instruction} requires exactly one argument`, `write ${req.instruction} <${what}>`);
    }
    return req.node.args[0];
}
/** At least one argument, else `EXPOSE requires at least one argument`. */
function atLeastOne(req, what) {
    if (req.node.args.length === 0) {
        throw instructionError(req, `${req.instruction} requires at least one argument`, `write ${req.instruction} <${what}>`);
    }
    return req.node.args;
}

;// CONCATENATED MODULE: ./src/dockerfile/instructions/flags.ts
/**
 * Instruction flags as BuildKit's BFlags: `--name=value` (a space-separated `--name value` is not a flag
 * value), booleans also as a bare `--name`, `true`/`false` in any case; repeatable flags (`--mount`,
 * `--exclude`) collect every value; anything else given twice, or an unknown name, is an error.
 */


function parseFlags(req, spec) {
    const values = new Map();
    for (const raw of req.node.flags) {
        const body = raw.slice(2);
        const eq = body.indexOf('=');
        const name = eq < 0 ? body : body.slice(0, eq);
        const value = eq < 0 ? undefined : body.slice(eq + 1);
        const kind = spec[name];
        if (kind === undefined)
            throw unknownFlag(req, name, spec);
        const seen = values.get(name);
        if (seen && kind !== 'strings') {
            throw instructionError(req, `duplicate flag --${name} for ${req.instruction}`, `give --${name} once`);
        }
        values.set(name, [...(seen ?? []), checkValue(req, name, kind, value)]);
    }
    return {
        used: new Set(values.keys()),
        bool: (name) => values.get(name)?.at(-1) === 'true',
        string: (name) => values.get(name)?.at(-1),
        strings: (name) => values.get(name) ?? [],
    };
}
function checkValue(req, name, kind, value) {
    if (kind !== 'bool') {
        if (value === undefined) {
            throw instructionError(req, `flag --${name} for ${req.instruction} needs a value`, `write --${name}=<value> (a value after a space is not part of the flag)`);
        }
        return value;
    }
    if (value === '')
        throw instructionError(req, `flag --${name} for ${req.instruction} needs a value`, `write --${name} or --${name}=true|false`);
    const lower = (value ?? 'true').toLowerCase();
    if (lower !== 'true' && lower !== 'false') {
        throw instructionError(req, `flag --${name} for ${req.instruction} expects true or false, not "${value}"`);
    }
    return lower;
}
function unknownFlag(req, name, spec) {
    const known = Object.keys(spec);
    const suggestion = closestMatch(name, known);
    const hint = known.length === 0
        ? `${req.instruction} takes no flags`
        : `${req.instruction} accepts ${known.map((k) => `--${k}`).join(', ')}`;
    return instructionError(req, `unknown flag --${name} for ${req.instruction}${didYouMean(suggestion && `--${suggestion}`)}`, hint);
}

;// CONCATENATED MODULE: ./src/dockerfile/csv-value.ts
/**
 * One CSV record on one line, as `tonistiigi/go-csvvalue` (which BuildKit uses for `--mount` and
 * `--device`): fields separated by `,`, a field that starts with `"` is quoted (`""` is a quote), a quote
 * anywhere else is an error, and an empty value is an error (Go's `io.EOF`).
 */

class CsvError extends Error {
}
function csvFields(input) {
    let line = input.endsWith('\r\n') ? input.slice(0, -2) : input.endsWith('\n') ? input.slice(0, -1) : input;
    if (line === '')
        throw new CsvError('EOF');
    const fields = [];
    let pos = 0;
    for (;;) {
        if (!line.startsWith('"')) {
            const comma = line.indexOf(',');
            const field = comma < 0 ? line : line.slice(0, comma);
            const quote = field.indexOf('"');
            if (quote >= 0)
                throw parseError(input, pos + quote, 'bare " in non-quoted-field');
            fields.push(field);
            if (comma < 0)
                return fields;
            line = line.slice(comma + 1);
            pos += comma + 1;
            continue;
        }
        const quoted = readQuoted(input, line.slice(1), pos + 1);
        fields.push(quoted.field);
        if (quoted.rest === undefined)
            return fields;
        line = quoted.rest;
        pos = quoted.pos;
    }
}
/** Reads a quoted field body; `rest` is what follows the `,` or undefined at the end of the line. */
function readQuoted(input, body, start) {
    let field = '';
    let line = body;
    let pos = start;
    for (;;) {
        const quote = line.indexOf('"');
        if (quote < 0)
            throw parseError(input, pos, 'extraneous or missing " in quoted-field');
        field += line.slice(0, quote);
        line = line.slice(quote + 1);
        pos += quote + 1;
        if (line.startsWith('"')) {
            field += '"';
            line = line.slice(1);
            pos += 1;
        }
        else if (line.startsWith(','))
            return { field, rest: line.slice(1), pos: pos + 1 };
        else if (line === '')
            return { field, pos };
        else
            throw parseError(input, pos - 1, 'extraneous or missing " in quoted-field');
    }
}
/** `parse error on line 1, column N: …` with Go's byte-based column. */
function parseError(input, at, what) {
    const column = encodeUtf8Lossless(input.slice(0, at)).length + 1;
    return new CsvError(`parse error on line 1, column ${column}: ${what}`);
}

;// CONCATENATED MODULE: ./src/dockerfile/instructions/go-numbers.ts
/**
 * The Go number parsers instruction options go through: `strconv.ParseBool`, `strconv.ParseUint`,
 * `strconv.ParseInt`, `time.ParseDuration` and docker/go-units `RAMInBytes`. Each returns undefined (or an
 * error message) where Go returns an error.
 */
const trueWords = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const falseWords = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);
function parseGoBool(s) {
    if (trueWords.has(s))
        return true;
    if (falseWords.has(s))
        return false;
    return undefined;
}
/** `strconv.ParseUint(s, base, bits)` for base 8 or 10 (no sign, no underscores, no prefix). */
function parseGoUint(s, base, bits) {
    const digits = base === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
    if (!digits.test(s))
        return undefined;
    const n = BigInt(base === 8 ? `0o${s}` : s);
    return n < 1n << BigInt(bits) ? Number(n) : undefined;
}
/** `strconv.ParseInt(s, 10, 32)`. */
function parseGoInt32(s) {
    if (!/^[+-]?[0-9]+$/.test(s))
        return undefined;
    const n = BigInt(s);
    return n >= -(1n << 31n) && n < 1n << 31n ? Number(n) : undefined;
}
/** go-units `RAMInBytes`: `128m`, `1.5g`, `10 MiB`, `4096` (binary multiples, suffix case-insensitive). */
function parseRamInBytes(s) {
    let sep = -1;
    for (let i = s.length - 1; i >= 0; i--) {
        if ('0123456789. '.includes(s[i])) {
            sep = i;
            break;
        }
    }
    if (sep < 0)
        return undefined;
    const num = s[sep] === ' ' ? s.slice(0, sep) : s.slice(0, sep + 1);
    const suffix = s.slice(sep + 1).toLowerCase();
    if (!/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(num))
        return undefined;
    const size = Number(num);
    if (size < 0)
        return undefined;
    const multiplier = ramMultiplier(suffix);
    return multiplier === undefined ? undefined : Math.trunc(size * multiplier);
}
function ramMultiplier(suffix) {
    if (suffix === '' || suffix === 'b')
        return 1;
    if (suffix.length > 3)
        return undefined;
    const power = 'kmgtp'.indexOf(suffix[0]);
    if (power < 0)
        return undefined;
    if (suffix.length === 2 && suffix[1] !== 'b')
        return undefined;
    if (suffix.length === 3 && suffix.slice(1) !== 'ib')
        return undefined;
    return 1024 ** (power + 1);
}
const unitNanos = {
    ns: 1n,
    us: 1000n,
    µs: 1000n,
    μs: 1000n,
    ms: 1000000n,
    s: 1000000000n,
    m: 60000000000n,
    h: 3600000000000n,
};
const maxDuration = (1n << 63n) - 1n;
/** `time.ParseDuration`: nanoseconds, or an error message (`time: invalid duration "x"`). */
function parseGoDuration(input) {
    const invalid = `time: invalid duration ${JSON.stringify(input)}`;
    let s = input;
    let neg = false;
    if (s.startsWith('-') || s.startsWith('+')) {
        neg = s.startsWith('-');
        s = s.slice(1);
    }
    if (s === '0')
        return 0n;
    if (s === '')
        return invalid;
    let total = 0n;
    while (s !== '') {
        const term = /^([0-9]*)(?:\.([0-9]*))?/.exec(s);
        const [whole, intPart = '', frac] = term;
        if (intPart === '' && (frac === undefined || frac === ''))
            return invalid;
        s = s.slice(whole.length);
        const unitLength = s.search(/[0-9.]/);
        const unit = unitLength < 0 ? s : s.slice(0, unitLength);
        if (unit === '')
            return `time: missing unit in duration ${JSON.stringify(input)}`;
        s = s.slice(unit.length);
        const scale = unitNanos[unit];
        if (scale === undefined)
            return `time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(input)}`;
        const value = termNanos(intPart, frac ?? '', scale);
        if (value === undefined)
            return invalid;
        total += value;
        if (total > 1n << 63n)
            return invalid;
    }
    if (neg)
        return -total;
    return total > maxDuration ? invalid : total;
}
/** One `<int>[.<frac>]<unit>` term; the fraction is applied in float64 like Go does. */
function termNanos(intPart, frac, scale) {
    const v = intPart === '' ? 0n : BigInt(intPart);
    if (v > (1n << 63n) / scale)
        return undefined;
    let nanos = v * scale;
    let f = 0n;
    let fScale = 1;
    for (const digit of frac) {
        if (f > ((1n << 63n) - 1n) / 10n)
            break;
        f = f * 10n + BigInt(digit);
        fScale *= 10;
    }
    if (f > 0n) {
        nanos += BigInt(Math.trunc(Number(f) * (Number(scale) / fScale)));
        if (nanos > 1n << 63n)
            return undefined;
    }
    return nanos;
}

;// CONCATENATED MODULE: ./src/dockerfile/instructions/mount.ts
/**
 * `RUN --mount=…` as BuildKit reads it. At parse time the value is only split into CSV fields (option
 * values may use variables, except `from`); once expanded, `resolveMount` types and validates it and fills
 * in BuildKit's defaults.
 */



/** A `--mount` value BuildKit rejects; the caller adds the location. */
class MountError extends Error {
}
const mountTypes = ['bind', 'cache', 'tmpfs', 'secret', 'ssh'];
const sharingModes = ['shared', 'private', 'locked'];
const allKeys = [
    'type',
    'from',
    'source',
    'target',
    'readonly',
    'id',
    'sharing',
    'required',
    'size',
    'mode',
    'uid',
    'gid',
    'src',
    'dst',
    'destination',
    'ro',
    'rw',
    'readwrite',
    'env',
];
/** Parse-time reading: CSV fields; `from` must not use variables. Throws MountError. */
function parseMountFlag(raw) {
    let texts;
    try {
        texts = csvFields(raw);
    }
    catch (err) {
        throw new MountError(`failed to parse csv mounts: ${err instanceof CsvError ? err.message : String(err)}`);
    }
    const fields = texts.map((text) => {
        const eq = text.indexOf('=');
        return {
            text,
            key: (eq < 0 ? text : text.slice(0, eq)).toLowerCase(),
            value: eq < 0 ? undefined : text.slice(eq + 1),
        };
    });
    for (const f of fields) {
        const dollar = f.key === 'from' && f.value !== undefined ? f.value.indexOf('$') : -1;
        if (dollar >= 0 && dollar !== f.value.length - 1) {
            throw new MountError("'from' doesn't support variable expansion, define alias stage instead");
        }
    }
    return { raw, fields };
}
/** Types and validates a mount whose option values have been expanded by `expand`. Throws MountError. */
function resolveMount(flag, expand = (v) => v) {
    const m = {
        type: 'bind',
        from: '',
        source: '',
        target: '',
        readOnly: undefined,
        sizeBytes: undefined,
        id: '',
        sharing: undefined,
        required: false,
        env: undefined,
        mode: undefined,
        uid: undefined,
        gid: undefined,
    };
    for (const field of flag.fields) {
        if (field.value === undefined)
            applyBareKey(m, field);
        else
            applyKey(m, field, expand(field.value));
    }
    validate(m);
    return typed(m);
}
function applyBareKey(m, field) {
    if (field.key === 'readonly' || field.key === 'ro')
        m.readOnly = true;
    else if (field.key === 'readwrite' || field.key === 'rw')
        m.readOnly = false;
    else if (field.key === 'required')
        m.required = requiredAllowed(m, field.key);
    else
        throw new MountError(`invalid field '${field.text}' must be a key=value pair`);
}
function requiredAllowed(m, key) {
    if (m.type === 'secret' || m.type === 'ssh')
        return true;
    throw new MountError(`unexpected key '${key}' for mount type '${m.type}'`);
}
const setSource = (m, v) => void (m.source = v);
const setTarget = (m, v) => void (m.target = v);
const setReadOnly = (m, v, key) => void (m.readOnly = boolValue(key, v));
const setReadWrite = (m, v, key) => void (m.readOnly = !boolValue(key, v));
/** One setter per `--mount` key (aliases share one), as BuildKit's `parseMount` switch. */
const setters = {
    type: (m, v) => void (m.type = oneOf(v.toLowerCase(), mountTypes, `unsupported mount type "${v}"`, v)),
    from: (m, v) => void (m.from = v),
    source: setSource,
    src: setSource,
    target: setTarget,
    dst: setTarget,
    destination: setTarget,
    readonly: setReadOnly,
    ro: setReadOnly,
    readwrite: setReadWrite,
    rw: setReadWrite,
    required: (m, v, key) => {
        requiredAllowed(m, key);
        m.required = boolValue(key, v);
    },
    size: (m, v, key) => void (m.sizeBytes = tmpfsSize(m, key, v)),
    id: (m, v) => void (m.id = v),
    sharing: (m, v) => void (m.sharing = oneOf(v.toLowerCase(), sharingModes, `unsupported sharing value "${v}"`, v)),
    mode: (m, v, key) => void (m.mode = uintValue(key, v, 8)),
    uid: (m, v, key) => void (m.uid = uintValue(key, v, 10)),
    gid: (m, v, key) => void (m.gid = uintValue(key, v, 10)),
    env: (m, v) => void (m.env = v),
};
function applyKey(m, field, value) {
    const set = setters[field.key];
    if (!set)
        throw new MountError(`unexpected key '${field.key}' in '${field.text}'${didYouMean(closestMatch(field.key, allKeys))}`);
    set(m, value, field.key);
}
function boolValue(key, value) {
    const b = parseGoBool(value);
    if (b === undefined)
        throw new MountError(`invalid value for ${key}: ${value}`);
    return b;
}
function uintValue(key, value, base) {
    const n = parseGoUint(value, base, 32);
    if (n === undefined)
        throw new MountError(`invalid value ${value} for ${key}`);
    return n;
}
function tmpfsSize(m, key, value) {
    if (m.type !== 'tmpfs')
        throw new MountError(`unexpected key '${key}' for mount type '${m.type}'`);
    const size = parseRamInBytes(value);
    if (size === undefined)
        throw new MountError(`invalid value for ${key}: ${value}`);
    return size;
}
function oneOf(value, allowed, message, original) {
    if (allowed.includes(value))
        return value;
    throw new MountError(`${message}${didYouMean(closestMatch(original, allowed))}`);
}
function validate(m) {
    if (m.type !== 'secret' && m.type !== 'ssh' && m.type !== 'cache') {
        for (const key of ['mode', 'uid', 'gid']) {
            if (m[key] !== undefined)
                throw new MountError(`${key} not allowed for "${m.type}" type mounts`);
        }
    }
    if (m.type === 'secret') {
        if (m.from !== '')
            throw new MountError('secret mount should not have a from');
        if (m.sharing !== undefined)
            throw new MountError('secret mount should not define sharing');
        if (m.source === '' && m.target === '' && m.id === '') {
            throw new MountError('invalid secret mount. one of source, target required');
        }
        if (m.source !== '' && m.id !== '')
            throw new MountError("both source and id can't be set");
    }
    if (m.sharing !== undefined && m.type !== 'cache')
        throw new MountError(`invalid cache sharing set for ${m.type} mount`);
}
function typed(m) {
    const opt = (s) => (s === '' ? undefined : s);
    switch (m.type) {
        case 'bind':
            return {
                type: 'bind',
                target: m.target,
                source: opt(m.source),
                from: opt(m.from),
                readOnly: m.readOnly ?? true,
            };
        case 'cache':
            return {
                type: 'cache',
                target: m.target,
                id: opt(m.id),
                sharing: m.sharing ?? 'shared',
                from: opt(m.from),
                source: opt(m.source),
                readOnly: m.readOnly ?? false,
                mode: m.mode ?? 0o755,
                uid: m.uid ?? 0,
                gid: m.gid ?? 0,
            };
        case 'tmpfs':
            return { type: 'tmpfs', target: m.target, sizeBytes: m.sizeBytes, readOnly: m.readOnly ?? false };
        case 'secret':
            return secretMount(m);
        case 'ssh':
            return {
                type: 'ssh',
                id: m.id || 'default',
                target: opt(m.target),
                required: m.required,
                mode: m.mode ?? 0o600,
                uid: m.uid ?? 0,
                gid: m.gid ?? 0,
            };
    }
}
function secretMount(m) {
    const id = m.source || m.id || basename(m.target);
    const target = m.target || (m.env === undefined ? `/run/secrets/${basename(id)}` : undefined);
    return {
        type: 'secret',
        id,
        target,
        env: m.env,
        required: m.required,
        mode: m.mode ?? 0o400,
        uid: m.uid ?? 0,
        gid: m.gid ?? 0,
    };
}
/** Go's `path.Base`. */
function basename(p) {
    if (p === '')
        return '.';
    const trimmed = p.replace(/\/+$/, '');
    if (trimmed === '')
        return '/';
    return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

;// CONCATENATED MODULE: ./src/dockerfile/instructions/run.ts
/** RUN: `--mount` (repeatable), `--network`, `--security`, `--device` (repeatable); shell or exec form. */






const networkModes = ['default', 'none', 'host'];
const securityModes = ['sandbox', 'insecure'];
function parseRun(req) {
    const flags = parseFlags(req, {
        mount: 'strings',
        network: 'string',
        security: 'string',
        device: 'strings',
    });
    const network = flags.string('network') ?? 'default';
    if (!networkModes.includes(network)) {
        throw instructionError(req, `invalid network mode "${network}" for RUN`, 'use --network=default, none or host');
    }
    const security = flags.string('security') ?? 'sandbox';
    if (!securityModes.includes(security)) {
        throw instructionError(req, `security "${security}" is not valid for RUN`, 'use --security=sandbox or insecure');
    }
    return {
        kind: 'run',
        ...baseOf(req),
        command: commandLineOf(req.node.args, req.node.json),
        mounts: flags.strings('mount').map((raw) => mountFlagAt(req, raw)),
        network: network,
        security: security,
        devices: flags.strings('device').map((raw) => deviceAt(req, raw)),
        heredocs: req.node.heredocs.map((h) => ({
            name: h.name,
            content: h.content,
            chomp: h.chomp,
            expand: h.expand,
        })),
    };
}
/** BuildKit `handleJSONArgs`: exec form keeps the array, shell form is the words joined by one space. */
function commandLineOf(args, json) {
    return json ? { form: 'exec', args: [...args] } : { form: 'shell', command: args.join(' ') };
}
function mountFlagAt(req, raw) {
    try {
        return parseMountFlag(raw);
    }
    catch (err) {
        if (err instanceof MountError)
            throw instructionError(req, `--mount=${raw}: ${err.message}`);
        throw err;
    }
}
/** `--device=name[,required[=bool]]` (BuildKit `ParseDevice`). */
function deviceAt(req, raw) {
    const bad = (message) => instructionError(req, `--device=${raw}: ${message}`);
    let fields;
    try {
        fields = csvFields(raw);
    }
    catch (err) {
        throw bad(`failed to parse csv devices: ${err instanceof CsvError ? err.message : String(err)}`);
    }
    let name = '';
    let required = false;
    for (const field of fields) {
        const eq = field.indexOf('=');
        const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
        const value = field.slice(eq + 1);
        if (eq < 0 && key === 'required')
            required = true;
        else if (eq >= 0 && key === 'name') {
            if (name !== '')
                throw bad(`device name already set to ${name}`);
            name = value;
        }
        else if (eq >= 0 && key === 'required') {
            const b = parseGoBool(value);
            if (b === undefined)
                throw bad(`invalid value for ${key}: ${value}`);
            required = b;
        }
        else if (name === '')
            name = field;
        else if (eq < 0)
            throw bad(`invalid field '${field}' must be a key=value pair`);
        else
            throw bad(`unexpected key '${key}' in '${field}'${didYouMean(closestMatch(key, ['name', 'required']))}`);
    }
    return { name, required };
}

;// CONCATENATED MODULE: ./src/dockerfile/instructions/command.ts
/** CMD, ENTRYPOINT (shell or exec form) and SHELL (exec form only). */



function parseCmd(req) {
    parseFlags(req, {});
    return { kind: 'cmd', ...baseOf(req), command: commandLineOf(req.node.args, req.node.json) };
}
/** `ENTRYPOINT []` clears the entrypoint (BuildKit stores nil). */
function parseEntrypoint(req) {
    parseFlags(req, {});
    return { kind: 'entrypoint', ...baseOf(req), command: commandLineOf(req.node.args, req.node.json) };
}
function parseShell(req) {
    parseFlags(req, {});
    if (req.node.args.length === 0) {
        throw instructionError(req, 'SHELL requires at least one argument', 'write SHELL ["executable", "parameters"]');
    }
    if (!req.node.json) {
        throw instructionError(req, 'SHELL requires the arguments to be in JSON form', 'write SHELL ["executable", "parameters"] with double quotes');
    }
    return { kind: 'shell', ...baseOf(req), shell: [...req.node.args] };
}

;// CONCATENATED MODULE: ./src/dockerfile/instructions/copy.ts




function parseCopy(req) {
    requireDestination(req);
    const flags = parseFlags(req, {
        exclude: 'strings',
        parents: 'bool',
        chown: 'string',
        from: 'string',
        chmod: 'string',
        link: 'bool',
    });
    const from = flags.string('from');
    if (from !== undefined)
        checkFromHasNoVariables(req, from);
    return {
        kind: 'copy',
        ...baseOf(req),
        ...sourcesAndDest(req),
        from,
        chown: flags.string('chown'),
        chmod: flags.string('chmod'),
        link: flags.bool('link'),
        parents: flags.bool('parents'),
        exclude: flags.strings('exclude'),
    };
}
function parseAdd(req) {
    requireDestination(req);
    const flags = parseFlags(req, {
        exclude: 'strings',
        chown: 'string',
        chmod: 'string',
        link: 'bool',
        'keep-git-dir': 'bool',
        checksum: 'string',
        unpack: 'bool',
    });
    return {
        kind: 'add',
        ...baseOf(req),
        ...sourcesAndDest(req),
        chown: flags.string('chown'),
        chmod: flags.string('chmod'),
        link: flags.bool('link'),
        keepGitDir: flags.bool('keep-git-dir'),
        checksum: flags.string('checksum'),
        unpack: flags.used.has('unpack') ? flags.bool('unpack') : undefined,
        exclude: flags.strings('exclude'),
    };
}
function requireDestination(req) {
    if (req.node.args.length < 2) {
        throw instructionError(req, `${req.instruction} requires at least two arguments, but only one was provided. Destination could not be determined`, `write ${req.instruction} <source>... <destination>`);
    }
}
/** BuildKit refuses variables in `COPY --from` rather than using the unexpanded text. */
function checkFromHasNoVariables(req, from) {
    let value;
    try {
        value = lexWord(from, noVariables, { escapeToken: req.escapeToken }).value;
    }
    catch (err) {
        if (err instanceof ShellLexError)
            throw instructionError(req, err.message);
        throw err;
    }
    if (value !== from) {
        throw instructionError(req, `variable expansion is not supported for --from (--from=${from})`, 'define a new stage with FROM using ARG from global scope as a workaround');
    }
}
function sourcesAndDest(req) {
    const args = req.node.args;
    const destination = args[args.length - 1];
    if (heredocMarkerOrUndefined(destination)) {
        throw instructionError(req, `${req.instruction} cannot accept a heredoc as a destination`);
    }
    const bodies = new Map(req.node.heredocs.map((h) => [h.name, h]));
    const sources = [];
    const inlineFiles = [];
    for (const src of args.slice(0, -1)) {
        const marker = heredocMarkerOrUndefined(src);
        if (!marker) {
            sources.push(src);
            continue;
        }
        const body = bodies.get(marker.name)?.content ?? '';
        inlineFiles.push({
            name: marker.name,
            content: marker.chomp ? chompHeredocContent(body) : body,
            expand: marker.expand,
        });
    }
    return { sources, inlineFiles, destination };
}

;// CONCATENATED MODULE: ./src/dockerfile/instructions/env.ts
/** ENV, LABEL (key/value pairs) and ARG (names with optional defaults). */


function parseEnv(req) {
    parseFlags(req, {});
    return { kind: 'env', ...baseOf(req), variables: keyValues(req) };
}
function parseLabel(req) {
    parseFlags(req, {});
    return { kind: 'label', ...baseOf(req), labels: keyValues(req) };
}
/** The parser's `key value sep` triples; an empty separator marks the legacy `KEY value` form. */
function keyValues(req) {
    const args = req.node.args;
    if (args.length === 0) {
        throw instructionError(req, `${req.instruction} requires at least one argument`, `write ${req.instruction} <key>=<value>`);
    }
    if (args.length % 3 !== 0)
        throw instructionError(req, `Bad input to ${req.instruction}, too many arguments`);
    const pairs = [];
    for (let i = 0; i < args.length; i += 3) {
        const key = args[i];
        if (key === '')
            throw instructionError(req, `${req.instruction} names can not be blank`);
        pairs.push({ key, value: args[i + 1], legacy: args[i + 2] === '' });
    }
    return pairs;
}
function parseArg(req) {
    if (req.node.args.length === 0) {
        throw instructionError(req, 'ARG requires at least one argument', 'write ARG <name>[=<default>]');
    }
    parseFlags(req, {});
    const args = req.node.args.map((arg) => {
        const eq = arg.indexOf('=');
        if (eq < 0)
            return { name: arg, defaultValue: undefined };
        if (eq === 0)
            throw instructionError(req, 'ARG names can not be blank', `give a name before "=" in "${arg}"`);
        return { name: arg.slice(0, eq), defaultValue: arg.slice(eq + 1) };
    });
    return { kind: 'arg', ...baseOf(req), args };
}

;// CONCATENATED MODULE: ./src/dockerfile/instructions/from.ts
/** FROM [--platform=<platform>] <image> [AS <name>]. */


const validStageName = /^[a-z][a-z0-9-_.]*$/;
function parseFrom(req) {
    const args = req.node.args;
    let stageName;
    if (args.length === 3 && args[1].toLowerCase() === 'as') {
        stageName = args[2].toLowerCase();
        if (!validStageName.test(stageName)) {
            throw instructionError(req, `invalid name for build stage: "${args[2]}", name can't start with a number or contain symbols`, 'use letters, digits, "-", "_" and ".", starting with a letter');
        }
    }
    else if (args.length !== 1) {
        throw instructionError(req, 'FROM requires either one or three arguments', 'write FROM <image> [AS <name>]');
    }
    const flags = parseFlags(req, { platform: 'string' });
    return {
        kind: 'from',
        ...baseOf(req),
        image: args[0],
        stageName,
        platform: flags.string('platform'),
        comment: stageComment(req.node.comments, stageName),
    };
}
/** A `# <name> <description>` comment right above names the stage's description (BuildKit `getComment`). */
function stageComment(comments, name) {
    if (!name)
        return '';
    for (const line of comments)
        if (line.startsWith(`${name} `))
            return line.slice(name.length + 1);
    return '';
}

;// CONCATENATED MODULE: ./src/dockerfile/instructions/healthcheck.ts
/** HEALTHCHECK NONE | [--interval --timeout --start-period --start-interval --retries] CMD <command>. */




const minimumNanos = 1000000n;
function parseHealthcheck(req) {
    const [first, ...rest] = atLeastOne(req, 'CMD <command>|NONE');
    const type = goToUpper(first);
    if (type === 'NONE') {
        // As in BuildKit, flags are not looked at for NONE.
        if (rest.length !== 0)
            throw instructionError(req, 'HEALTHCHECK NONE takes no arguments');
        return { kind: 'healthcheck', ...baseOf(req), check: { type: 'none' } };
    }
    const flags = parseFlags(req, {
        interval: 'string',
        timeout: 'string',
        'start-period': 'string',
        'start-interval': 'string',
        retries: 'string',
    });
    if (type !== 'CMD')
        throw instructionError(req, `Unknown type "${type}" in HEALTHCHECK (try CMD)`);
    if (rest.length === 0)
        throw instructionError(req, 'Missing command after HEALTHCHECK CMD');
    const test = req.node.json ? ['CMD', ...rest] : ['CMD-SHELL', rest.join(' ')];
    const duration = (name) => interval(req, name, flags.string(name));
    return {
        kind: 'healthcheck',
        ...baseOf(req),
        check: {
            type: 'cmd',
            test,
            interval: duration('interval'),
            timeout: duration('timeout'),
            startPeriod: duration('start-period'),
            startInterval: duration('start-interval'),
            retries: retries(req, flags.string('retries')),
        },
    };
}
/** A Go duration in nanoseconds; empty or zero is 0 (unset); otherwise at least 1ms. */
function interval(req, name, value) {
    if (value === undefined || value === '')
        return 0;
    const nanos = parseGoDuration(value);
    if (typeof nanos === 'string')
        throw instructionError(req, `--${name}: ${nanos}`, 'use a duration such as 30s, 1m30s or 500ms');
    if (nanos === 0n)
        return 0;
    if (nanos < minimumNanos)
        throw instructionError(req, `Interval "${name}" cannot be less than 1ms`);
    if (nanos > BigInt(Number.MAX_SAFE_INTEGER))
        throw instructionError(req, `--${name}=${value} is too long`);
    return Number(nanos);
}
function retries(req, value) {
    if (value === undefined || value === '')
        return 0;
    const n = parseGoInt32(value);
    if (n === undefined)
        throw instructionError(req, `--retries: invalid number "${value}"`);
    if (n < 0)
        throw instructionError(req, `--retries cannot be negative (${n})`);
    return n;
}

;// CONCATENATED MODULE: ./src/dockerfile/instructions/simple.ts
/** Single-purpose instructions: WORKDIR, USER, EXPOSE, VOLUME, STOPSIGNAL, MAINTAINER, ONBUILD. */



function parseWorkdir(req) {
    const path = exactlyOne(req, 'path');
    parseFlags(req, {});
    return { kind: 'workdir', ...baseOf(req), path };
}
function parseUser(req) {
    const user = exactlyOne(req, 'user[:group]');
    parseFlags(req, {});
    return { kind: 'user', ...baseOf(req), user };
}
function parseExpose(req) {
    const ports = atLeastOne(req, 'port[/protocol]');
    parseFlags(req, {});
    return { kind: 'expose', ...baseOf(req), ports: [...ports] };
}
function parseVolume(req) {
    const args = atLeastOne(req, 'path');
    parseFlags(req, {});
    const volumes = args.map((v) => go_text_goTrimSpace(v));
    if (volumes.includes(''))
        throw instructionError(req, 'VOLUME specified can not be an empty string');
    return { kind: 'volume', ...baseOf(req), volumes };
}
/** STOPSIGNAL; BuildKit does not look at flags here, so neither do we. */
function parseStopSignal(req) {
    return { kind: 'stopsignal', ...baseOf(req), signal: exactlyOne(req, 'signal') };
}
function parseMaintainer(req) {
    const maintainer = exactlyOne(req, 'name');
    parseFlags(req, {});
    return { kind: 'maintainer', ...baseOf(req), maintainer };
}
const onbuildPrefix = /^[\t\n\f\r ]*onbuild[\t\n\f\r ]*/i;
/** ONBUILD <instruction>: the trigger is stored as text and parsed when a child build runs it. */
function parseOnbuild(req) {
    const trigger = req.node.next;
    if (!trigger)
        throw instructionError(req, 'ONBUILD requires at least one argument', 'write ONBUILD <instruction>');
    parseFlags(req, {});
    const word = goToUpper(go_text_goTrimSpace(trigger.keywordAsWritten));
    if (word === 'ONBUILD')
        throw instructionError(req, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
    if (word === 'MAINTAINER' || word === 'FROM')
        throw instructionError(req, `${word} isn't allowed as an ONBUILD trigger`);
    let expression = req.node.original.replace(onbuildPrefix, '');
    for (const heredoc of req.node.heredocs)
        expression += `\n${heredoc.content}${heredoc.name}`;
    return { kind: 'onbuild', ...baseOf(req), expression, trigger: word };
}

;// CONCATENATED MODULE: ./src/dockerfile/instructions/run-script.ts
/**
 * What a RUN executes, as BuildKit's `dispatchRun` decides it, before the shell is prepended:
 * exec form runs as is; with heredocs, a single heredoc that is the whole command is the script (or, if it
 * starts with `#!` on Linux, a 0755 file mounted read-only at /dev/pipes/<name> that the shell runs);
 * anything else is the command line followed by each body and its terminator, for the shell to read.
 */

/** The command to run: exec args, or one shell command (run as `<SHELL…> <command>`). */
function runScript(run, imageOs = 'linux') {
    if (run.command.form === 'exec')
        return { form: 'exec', args: run.command.args };
    const line = run.command.command;
    const [first] = run.heredocs;
    if (!first)
        return { form: 'shell', command: line };
    if (run.heredocs.length === 1 && heredocMarkerOrUndefined(line)) {
        const content = first.chomp ? chompHeredocContent(first.content) : first.content;
        if (imageOs !== 'windows' && first.content.startsWith('#!')) {
            const file = { directory: '/dev/pipes', name: first.name, content, mode: 0o755 };
            return { form: 'shell', command: `/dev/pipes/${first.name}`, file };
        }
        return { form: 'shell', command: content };
    }
    return { form: 'shell', command: run.heredocs.reduce((full, h) => `${full}\n${h.content}${h.name}`, line) };
}

;// CONCATENATED MODULE: ./src/dockerfile/instructions/index.ts










const parsers = {
    from: parseFrom,
    run: parseRun,
    copy: parseCopy,
    add: parseAdd,
    env: parseEnv,
    label: parseLabel,
    arg: parseArg,
    workdir: parseWorkdir,
    user: parseUser,
    expose: parseExpose,
    volume: parseVolume,
    stopsignal: parseStopSignal,
    maintainer: parseMaintainer,
    cmd: parseCmd,
    entrypoint: parseEntrypoint,
    shell: parseShell,
    healthcheck: parseHealthcheck,
    onbuild: parseOnbuild,
};
/** All instruction keywords, upper-case. */
const instructionNames = Object.keys(parsers).map((k) => k.toUpperCase());
function isKind(keyword) {
    return Object.hasOwn(parsers, keyword);
}
/** Types one parse-tree node. Throws DockerfileError (unknown instruction, bad flags, bad arguments). */
function parseInstruction(node, file, escapeToken) {
    const req = requestFor(node, file, escapeToken);
    if (!isKind(node.keyword)) {
        const word = goToUpper(node.keywordAsWritten);
        const suggestion = closestMatch(word, instructionNames, false);
        throw instructionError(req, `unknown instruction: ${word}${didYouMean(suggestion)}`, 'instructions are FROM, RUN, COPY, ADD, ENV, ARG, WORKDIR, USER, EXPOSE, LABEL, CMD, ENTRYPOINT, …');
    }
    return parsers[node.keyword](req);
}




;// CONCATENATED MODULE: ./src/dockerfile/dockerfile.ts
/**
 * A whole Dockerfile: directives, the ARGs before the first FROM, and the build stages with their typed
 * instructions. Only ARG may precede the first FROM; stage names must be unique.
 */



const reservedStageNames = new Set(['context', 'scratch']);
/** Parses and types a Dockerfile. Throws DockerfileError with file and line. */
function parseDockerfile(source, options = {}) {
    const file = options.file ?? 'Dockerfile';
    const tree = parse(source, { file });
    const metaArgs = [];
    const builders = [];
    for (const node of tree.nodes) {
        const instruction = parseInstruction(node, file, tree.escapeToken);
        const current = builders.at(-1);
        if (instruction.kind === 'from')
            builders.push({ from: instruction, instructions: [] });
        else if (current)
            current.instructions.push(instruction);
        else if (instruction.kind === 'arg')
            metaArgs.push(instruction);
        else
            throw beforeFrom(instruction);
    }
    if (builders.length === 0) {
        throw new errors/* DockerfileError */.tP('dockerfile contains no stages to build', {
            location: { file, line: tree.nodes.at(-1).endLine },
            hint: 'add a FROM instruction',
        });
    }
    const stages = builders.map((b, index) => toStage(b.from, b.instructions, index));
    checkStageNames(stages);
    return {
        file,
        directives: tree.directives,
        escapeToken: tree.escapeToken,
        metaArgs,
        stages,
        warnings: warningsOf(tree, stages),
    };
}
/**
 * Parses an ONBUILD trigger from a base image's config (`OnBuild` entries) when a child build runs it:
 * one instruction, default escape token, located at the child's FROM (BuildKit `initOnBuildTriggers`).
 */
function parseOnbuildTrigger(expression, at) {
    let nodes;
    try {
        nodes = parse(expression, { file: at.file }).nodes;
    }
    catch (err) {
        if (err instanceof errors/* DockerfileError */.tP)
            throw new errors/* DockerfileError */.tP(`ONBUILD trigger ${JSON.stringify(expression)}: ${err.message}`, {
                location: at,
            });
        throw err;
    }
    if (nodes.length !== 1)
        throw new errors/* DockerfileError */.tP('onbuild trigger should be a single expression', { location: at });
    const node = { ...nodes[0], startLine: at.line, endLine: at.endLine };
    const instruction = parseInstruction(node, at.file, '\\');
    if (instruction.kind === 'from')
        throw new errors/* DockerfileError */.tP("FROM isn't allowed as an ONBUILD trigger", { location: at });
    return instruction;
}
function toStage(from, instructions, index) {
    const endLine = instructions.at(-1)?.location.endLine ?? from.location.endLine;
    return { name: from.stageName, index, from, instructions, location: { ...from.location, endLine } };
}
function beforeFrom(instruction) {
    return new errors/* DockerfileError */.tP(`${instruction.keyword.toUpperCase()} before the first FROM: no build stage in current context`, {
        location: instruction.location,
        hint: 'only ARG may come before the first FROM; start a stage with FROM <image>',
    });
}
function checkStageNames(stages) {
    const seen = new Map();
    for (const stage of stages) {
        if (stage.name === undefined)
            continue;
        const earlier = seen.get(stage.name);
        if (earlier) {
            throw new errors/* DockerfileError */.tP(`duplicate stage name "${stage.name}"`, {
                location: stage.from.location,
                hint: `it is already defined at line ${earlier.from.location.line}; give each stage its own name`,
            });
        }
        seen.set(stage.name, stage);
    }
}
function warningsOf(tree, stages) {
    const warnings = tree.warnings.map((w) => ({
        rule: 'NoEmptyContinuation',
        message: `${w.message} (empty continuation lines will become errors in a future release)`,
        location: { file: tree.file, line: w.line, endLine: w.line },
    }));
    for (const stage of stages) {
        if (stage.name !== undefined && reservedStageNames.has(stage.name)) {
            warnings.push({
                rule: 'ReservedStageName',
                message: `stage name "${stage.name}" is reserved and should not be used`,
                location: stage.from.location,
            });
        }
    }
    return warnings;
}

;// CONCATENATED MODULE: ./src/dockerfile/expand.ts
/**
 * Variable substitution in Dockerfile words, with BuildKit's shell-lexer rules (see shell-lex.ts), and
 * which variables each word used. `processWord` keeps the word whole (quotes removed); `processWords`
 * also splits it on unquoted whitespace (EXPOSE).
 */


/** Normalises any accepted variable source to a lookup. */
function variablesFrom(source) {
    if (isLookup(source))
        return source;
    const map = new Map();
    if (Array.isArray(source)) {
        for (const entry of source) {
            const eq = entry.indexOf('=');
            map.set(eq < 0 ? entry : entry.slice(0, eq), eq < 0 ? '' : entry.slice(eq + 1));
        }
    }
    else if (source instanceof Map) {
        for (const [k, v] of source)
            map.set(k, v);
    }
    else {
        for (const [k, v] of Object.entries(source))
            map.set(k, v);
    }
    return { get: (name) => map.get(name), keys: () => [...map.keys()] };
}
function isLookup(source) {
    return (typeof source.get === 'function' &&
        typeof source.keys === 'function');
}
/** Expands one word (BuildKit `ProcessWord`). Throws ShellLexError for bad syntax or `${V:?…}`. */
function processWord(word, env, options = {}) {
    const result = lexWord(word, variablesFrom(env), { escapeToken: options.escapeToken ?? '\\' });
    return { value: result.value, used: result.used, unmatched: result.unmatched };
}
/** Expands and splits into words (BuildKit `ProcessWords`). Throws ShellLexError. */
function processWords(word, env, options = {}) {
    const result = lexWord(word, variablesFrom(env), { escapeToken: options.escapeToken ?? '\\' });
    return { words: result.words, used: result.used, unmatched: result.unmatched };
}
/** Expands a heredoc body: only `$` references and `\` escapes, quotes are kept (BuildKit `ExpandRaw`). */
function processHeredocBody(content, env) {
    const result = lexWord(content, variablesFrom(env), { escapeToken: '\\', skipProcessQuotes: true });
    return { value: result.value, used: result.used, unmatched: result.unmatched };
}

;// CONCATENATED MODULE: ./src/dockerfile/expand-instruction.ts
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



/** Collects used/unmatched names over the words of one instruction. */
class Expander {
    instruction;
    options;
    used = new Set();
    unmatched = new Set();
    env;
    constructor(instruction, env, options) {
        this.instruction = instruction;
        this.options = options;
        this.env = variablesFrom(env);
    }
    word = (word) => this.record(() => processWord(word, this.env, this.options)).value;
    optional = (word) => word === undefined ? undefined : this.word(word);
    words = (word) => {
        let words = [];
        this.record(() => {
            const r = processWords(word, this.env, this.options);
            words = r.words;
            return { value: '', used: r.used, unmatched: r.unmatched };
        });
        return words;
    };
    heredoc = (file) => file.expand
        ? { ...file, content: this.record(() => processHeredocBody(file.content, this.env)).value }
        : file;
    record(run) {
        let result;
        try {
            result = run();
        }
        catch (err) {
            if (err instanceof ShellLexError)
                throw this.error(err.message, 'check the variable references on this line');
            throw err;
        }
        for (const name of result.used)
            this.used.add(name);
        for (const name of result.unmatched)
            this.unmatched.add(name);
        return result;
    }
    error(message, hint) {
        return new errors/* DockerfileError */.tP(message, { location: this.instruction.location, ...(hint ? { hint } : {}) });
    }
}
/** Expands the words BuildKit expands in `instruction`, against `env`. Throws DockerfileError. */
function expandInstruction(instruction, env, options = {}) {
    const x = new Expander(instruction, env, options);
    const expanded = expandWith(instruction, x);
    return { instruction: expanded, used: x.used, unmatched: x.unmatched };
}
function expandWith(i, x) {
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
function nonEmptyVolume(volume, x) {
    if (volume === '')
        throw x.error('VOLUME specified can not be an empty string', 'check the variables in the VOLUME path');
    return volume;
}
/** moby/sys/signal `ParseSignal`: a non-zero number, or a Linux signal name with or without `SIG`. */
function checkSignal(signal, x) {
    const name = signal.toUpperCase().replace(/^SIG/, '');
    const numeric = /^[+-]?[0-9]+$/.test(signal) && Number(signal) !== 0;
    if (!numeric && !linuxSignals.has(name)) {
        throw x.error(`invalid signal: ${signal}`, 'use a signal name such as SIGTERM or SIGQUIT, or its number');
    }
    return signal;
}
const linuxSignals = new Set([
    ...'ABRT ALRM BUS CHLD CLD CONT FPE HUP ILL INT IO IOT KILL PIPE POLL PROF PWR QUIT SEGV STKFLT STOP SYS TERM TRAP TSTP TTIN TTOU URG USR1 USR2 VTALRM WINCH XCPU XFSZ RTMIN RTMAX'.split(' '),
    ...Array.from({ length: 15 }, (_, n) => `RTMIN+${n + 1}`),
    ...Array.from({ length: 14 }, (_, n) => `RTMAX-${n + 1}`),
]);
/** BuildKit's octal --chmod bound (symbolic modes are checked when the copy runs). */
function checkChmod(chmod, x) {
    if (chmod !== undefined && /^[0-7]+$/.test(chmod) && Number.parseInt(chmod, 8) > 0o7777) {
        throw x.error(`invalid chmod parameter: '${chmod}'. it should be octal string and between 0 and 07777`);
    }
    return chmod;
}
function expandPair(kv, x) {
    const key = x.word(kv.key);
    return { ...kv, key, value: x.word(kv.value) };
}
function expandFrom(i, x) {
    const image = x.word(i.image);
    if (image === '')
        throw x.error(`base name (${i.image}) should not be blank`, 'give the ARG used in FROM a value');
    const platform = x.optional(i.platform);
    if (platform === '')
        throw x.error(`empty platform value from expression ${i.platform}`, 'give the ARG a value');
    return { ...i, image, platform };
}
function expandCopy(i, x) {
    const common = {
        sources: i.sources.map(x.word),
        destination: x.word(i.destination),
        chown: x.optional(i.chown),
        chmod: checkChmod(x.optional(i.chmod), x),
        inlineFiles: i.inlineFiles.map(x.heredoc),
    };
    if (i.kind === 'add')
        return { ...i, ...common, checksum: x.optional(i.checksum) };
    return { ...i, ...common };
}
function expandRun(i, x) {
    const mounts = i.mounts.map((m) => ({
        raw: m.raw,
        fields: m.fields.map((f) => (f.value === undefined ? f : { ...f, value: x.word(f.value) })),
    }));
    const mountSpecs = mounts.map((m) => {
        try {
            return resolveMount(m);
        }
        catch (err) {
            if (err instanceof MountError)
                throw x.error(`--mount=${m.raw}: ${err.message}`);
            throw err;
        }
    });
    return { ...i, mounts, mountSpecs };
}

;// CONCATENATED MODULE: ./src/oci/platform.ts
/** Maps Node's process.arch to the OCI architecture name. */
const nodeArchToOci = {
    x64: 'amd64',
    arm64: 'arm64',
    arm: 'arm',
    ia32: '386',
    ppc64: 'ppc64le',
    s390x: 's390x',
    riscv64: 'riscv64',
    loong64: 'loong64',
    mips64el: 'mips64le',
};
/** The platform of the machine we run on (linux only: RUN steps need Linux). */
function hostPlatform(arch = process.arch) {
    const architecture = nodeArchToOci[arch] ?? arch;
    return normalizePlatform({
        os: 'linux',
        architecture,
        ...(architecture === 'arm' ? { variant: 'v7' } : {}),
    });
}
/**
 * Parses `os/arch[/variant]` as containerd does: architecture aliases (`x86_64`, `aarch64`, `armhf`…) are
 * normalised and arm64 drops the default `v8` variant.
 */
function parsePlatform(s) {
    const parts = s.trim().toLowerCase().split('/');
    if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
        throw new Error(`invalid platform ${JSON.stringify(s)}: expected os/arch[/variant], e.g. linux/amd64`);
    }
    const [os, architecture, variant] = parts;
    return normalizePlatform({ os, architecture, ...(variant ? { variant } : {}) });
}
function normalizePlatform(p) {
    let architecture = p.architecture.toLowerCase();
    let variant = p.variant?.toLowerCase();
    switch (architecture) {
        case 'x86_64':
        case 'x86-64':
            architecture = 'amd64';
            variant = undefined;
            break;
        case 'i386':
        case 'i686':
            architecture = '386';
            break;
        case 'aarch64':
        case 'arm64':
            architecture = 'arm64';
            if (variant === '8' || variant === 'v8')
                variant = undefined;
            break;
        case 'armhf':
            architecture = 'arm';
            variant = 'v7';
            break;
        case 'armel':
            architecture = 'arm';
            variant = 'v6';
            break;
        case 'arm':
            if (variant === undefined || variant === '')
                variant = 'v7';
            else if (/^\d+$/.test(variant))
                variant = `v${variant}`;
            break;
    }
    const out = { architecture, os: p.os.toLowerCase() };
    if (variant)
        out.variant = variant;
    if (p['os.version'])
        out['os.version'] = p['os.version'];
    return out;
}
function formatPlatform(p) {
    return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}
/** True when an index entry's platform satisfies the wanted platform (after normalisation). */
function platformMatches(want, have) {
    if (!have)
        return false;
    const w = normalizePlatform(want);
    const h = normalizePlatform(have);
    if (w.os !== h.os || w.architecture !== h.architecture)
        return false;
    return (w.variant ?? '') === (h.variant ?? '');
}

;// CONCATENATED MODULE: ./src/dockerfile/args.ts
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



/** The automatic platform args BuildKit defines in the global scope, in BuildKit's order. */
function predefinedArgs(target, build, options = {}) {
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
function formatPlatformAll(p) {
    const version = p['os.version'];
    return version ? formatPlatform({ ...p, os: `${p.os}(${version})` }) : formatPlatform(p);
}
/** Proxy variables: usable in RUN without ARG, never in cache keys or history unless declared. */
const proxyArgNames = [
    'HTTP_PROXY',
    'HTTPS_PROXY',
    'FTP_PROXY',
    'NO_PROXY',
    'ALL_PROXY',
];
function toArgMap(args) {
    if (args === undefined)
        return new Map();
    return args instanceof Map ? args : new Map(Object.entries(args));
}
/** An ordered, immutable name → value list; redefining a name moves it to the end (llb `AddEnv`). */
class VarList {
    entries;
    constructor(entries) {
        this.entries = entries;
    }
    static empty = new VarList(new Map());
    static of(pairs) {
        return VarList.empty.edit((draft) => {
            for (const [k, v] of pairs)
                draft.set(k, v);
        });
    }
    with(name, value) {
        return this.edit((draft) => draft.set(name, value));
    }
    /**
     * Several changes at the cost of one copy (an instruction may define thousands of names; one copy per name
     * made a long ARG or ENV line quadratic). `change` sees its own earlier changes through the draft.
     */
    edit(change) {
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
    get(name) {
        return this.entries.get(name);
    }
    keys() {
        return [...this.entries.keys()];
    }
    toStrings() {
        return [...this.entries].map(([k, v]) => `${k}=${v}`);
    }
}
/** The global scope: predefined platform args and the ARGs before the first FROM, resolved. */
class GlobalArgs {
    vars;
    declared;
    buildArgs;
    escapeToken;
    constructor(vars, 
    /** Names declared by ARGs before the first FROM. */
    declared, buildArgs, escapeToken) {
        this.vars = vars;
        this.declared = declared;
        this.buildArgs = buildArgs;
        this.escapeToken = escapeToken;
    }
    /** Resolves `metaArgs` (e.g. `dockerfile.metaArgs`). Throws DockerfileError when a default fails to expand. */
    static resolve(metaArgs, options) {
        const buildArgs = toArgMap(options.buildArgs);
        const escapeToken = options.escapeToken ?? '\\';
        const predefined = predefinedArgs(options.target, options.build, {
            targetStage: options.targetStage ?? '',
        });
        const declared = new Set();
        const vars = VarList.of(Object.entries(predefined).map(([k, v]) => [k, buildArgs.get(k) ?? v])).edit((draft) => {
            for (const instruction of metaArgs) {
                for (const arg of instruction.args) {
                    declared.add(arg.name);
                    const given = buildArgs.get(arg.name);
                    const value = given ??
                        (arg.defaultValue === undefined
                            ? undefined
                            : expandDefault(arg.defaultValue, draft, escapeToken, instruction));
                    if (value !== undefined)
                        draft.set(arg.name, value);
                }
            }
        });
        return new GlobalArgs(vars, declared, buildArgs, escapeToken);
    }
    /** Shorthand for `resolve(dockerfile.metaArgs, …)` with the file's escape token. */
    static forDockerfile(dockerfile, options) {
        const targetStage = options.targetStage || dockerfile.stages.at(-1)?.name;
        return GlobalArgs.resolve(dockerfile.metaArgs, {
            ...options,
            ...(targetStage ? { targetStage } : {}),
            escapeToken: dockerfile.escapeToken,
        });
    }
    get(name) {
        return this.vars.get(name);
    }
    keys() {
        return this.vars.keys();
    }
}
/** Expands an ARG default; a failure is a DockerfileError at the ARG (when known). */
function expandDefault(value, env, escapeToken, instruction) {
    try {
        return processWord(value, env, { escapeToken }).value;
    }
    catch (err) {
        if (err instanceof ShellLexError) {
            throw new errors/* DockerfileError */.tP(err.message, {
                ...(instruction ? { location: instruction.location } : {}),
                hint: 'check the ARG default value',
            });
        }
        throw err;
    }
}

;// CONCATENATED MODULE: ./src/dockerfile/build-env.ts

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
class BuildEnv {
    globals;
    state;
    image;
    args;
    constructor(globals, 
    /** The environment expansion and RUN use (llb state env). */
    state, 
    /** The image config's Env: base Env with ENV applied in place. */
    image, 
    /** The stage's ARGs, newest first, shared between versions (a copy per ARG made long Dockerfiles quadratic). */
    args) {
        this.globals = globals;
        this.state = state;
        this.image = image;
        this.args = args;
    }
    /** A stage's starting environment: the global scope plus the base image's `Env` (`KEY=value` strings). */
    static forStage(globals, baseImageEnv = []) {
        const state = VarList.of(baseImageEnv.map((e) => splitEntry(e)));
        return new BuildEnv(globals, state, [...baseImageEnv], undefined);
    }
    /**
     * `ARG name[=default]` in the stage: the --build-arg value, else the default expanded here, else (for a
     * bare `ARG name`) the global value. A default is not expanded when a --build-arg is given.
     */
    declareArg(name, defaultValue, instruction) {
        return this.declareAll([{ name, ...(defaultValue !== undefined ? { defaultValue } : {}) }], instruction);
    }
    /** Every declaration of an ARG instruction, in order (a default sees the ones before it). */
    declareArgs(instruction) {
        return this.declareAll(instruction.args, instruction);
    }
    declareAll(list, instruction) {
        const added = [];
        const state = this.state.edit((draft) => {
            for (const { name, defaultValue } of list) {
                const given = this.globals.buildArgs.get(name);
                let value;
                if (given !== undefined)
                    value = given;
                else if (defaultValue !== undefined)
                    value = expandDefault(defaultValue, draft, this.globals.escapeToken, instruction);
                else
                    value = this.globals.get(name);
                if (value !== undefined && !nonEnvArgs.has(name))
                    draft.set(name, value);
                added.push({ name, value });
            }
        });
        const args = added.reduce((prev, arg) => ({ arg, prev }), this.args);
        return new BuildEnv(this.globals, state, this.image, args);
    }
    /** `ENV name=value` (already expanded): replaces a config entry in place, moves the state entry last. */
    setEnv(name, value) {
        return this.applyEnv([{ key: name, value }]);
    }
    /** Every pair of an (expanded) ENV instruction, in order. */
    applyEnv(variables) {
        const image = [...this.image];
        const at = new Map();
        image.forEach((e, i) => {
            const name = splitEntry(e)[0];
            if (!at.has(name))
                at.set(name, i);
        });
        const state = this.state.edit((draft) => {
            for (const { key, value } of variables) {
                const entry = `${key}=${value}`;
                const i = at.get(key);
                if (i === undefined)
                    at.set(key, image.push(entry) - 1);
                else
                    image[i] = entry;
                draft.set(key, value);
            }
        });
        return new BuildEnv(this.globals, state, image, this.args);
    }
    /** The value a variable has here (ENV or ARG), or undefined. */
    lookup(name) {
        return this.state.get(name);
    }
    get(name) {
        return this.state.get(name);
    }
    keys() {
        return this.state.keys();
    }
    /** What `expandInstruction` should expand against in this stage (not the proxy args). */
    expansionEnv() {
        return this;
    }
    /** `KEY=value` a RUN sees and its cache key covers: image Env, ENV and valued ARGs, later wins. */
    runEnv() {
        return this.state.toStrings();
    }
    /** Proxy variables from --build-arg, both cases (`HTTP_PROXY=…`, `http_proxy=…`): given to RUN, kept out of cache keys. */
    proxyEnv() {
        const out = [];
        for (const upper of proxyArgNames) {
            const value = findCaseInsensitive(this.globals.buildArgs, upper);
            if (value !== undefined)
                out.push(`${upper}=${value}`, `${upper.toLowerCase()}=${value}`);
        }
        return out;
    }
    /** The image config `Env`: only ENV changes it. */
    imageEnv() {
        return this.image;
    }
    declared;
    /** The stage's ARGs in declaration order (for history `RUN |N k=v …` and cache keys). */
    declaredArgs() {
        if (this.declared === undefined) {
            const list = [];
            for (let c = this.args; c !== undefined; c = c.prev)
                list.push(c.arg);
            this.declared = list.reverse();
        }
        return this.declared;
    }
    /** --build-args that neither this stage (and its parents) nor the global scope declared, nor BuildKit reads. */
    unusedBuildArgs() {
        const declared = new Set([...this.globals.declared, ...this.declaredArgs().map((a) => a.name)]);
        const predefined = new Set(this.globals.vars.keys().filter((k) => !this.globals.declared.has(k)));
        return [...this.globals.buildArgs.keys()].filter((name) => !declared.has(name) &&
            !predefined.has(name) &&
            !builtinArgNames.has(name) &&
            !proxyArgNames.includes(name.toUpperCase()));
    }
    /** Build args unused by every one of `envs` (e.g. the final BuildEnv of each stage that was built). */
    static unusedBuildArgs(envs) {
        let unused;
        for (const env of envs) {
            const mine = new Set(env.unusedBuildArgs());
            unused = unused === undefined ? mine : new Set([...unused].filter((n) => mine.has(n)));
        }
        return [...(unused ?? [])];
    }
}
function splitEntry(entry) {
    const eq = entry.indexOf('=');
    return eq < 0 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)];
}
/** BuildKit matches proxy build args case-insensitively; the upper-case spelling wins a tie here. */
function findCaseInsensitive(args, upper) {
    if (args.has(upper))
        return args.get(upper);
    for (const [k, v] of args)
        if (k.toUpperCase() === upper)
            return v;
    return undefined;
}

;// CONCATENATED MODULE: ./src/dockerfile/index.ts
/** The Dockerfile front end: parse, type, expand, and scope build arguments. See README.md. */











;// CONCATENATED MODULE: ./src/plan/stage-graph.ts



/** Resolves stage bases and `--from` references and picks the stages the target needs. */
function planBuild(dockerfile, options) {
    const target = findTarget(dockerfile, options.target);
    const globals = GlobalArgs.forDockerfile(dockerfile, {
        target: options.targetPlatform,
        build: options.buildPlatform,
        buildArgs: options.buildArgs,
        targetStage: dockerfile.stages[target]?.name ?? '',
    });
    const stages = dockerfile.stages.map((s) => planStage(dockerfile, s, globals, options.targetPlatform));
    return { dockerfile, globals, stages, order: buildOrder(stages, target), target };
}
function findTarget(dockerfile, target) {
    if (target === undefined || target === '')
        return dockerfile.stages.length - 1;
    const want = target.toLowerCase();
    const i = dockerfile.stages.findIndex((s) => s.name === want);
    if (i < 0) {
        const names = dockerfile.stages.map((s) => s.name).filter((n) => n !== undefined);
        throw new errors/* DockerfileError */.tP(`target stage ${JSON.stringify(target)} could not be found in ${dockerfile.file}`, {
            hint: names.length
                ? `the stages are: ${names.join(', ')}`
                : 'the Dockerfile names no stages (FROM … AS name)',
        });
    }
    return i;
}
function planStage(dockerfile, stage, globals, targetPlatform) {
    const from = stage.from;
    const image = expandFromWord(from.image, globals, dockerfile.escapeToken, from.location);
    if (image === '') {
        throw new errors/* DockerfileError */.tP('base name (FROM) must not be blank', {
            location: from.location,
            hint: `${from.image} expanded to nothing; give the ARG a default or pass --build-arg`,
        });
    }
    const platform = from.platform
        ? parseStagePlatform(expandFromWord(from.platform, globals, dockerfile.escapeToken, from.location), stage)
        : targetPlatform;
    const base = resolveBase(dockerfile, stage, image);
    const deps = new Set();
    if (base.kind === 'stage')
        deps.add(base.index);
    for (const instruction of stage.instructions) {
        for (const src of sourcesOf(instruction)) {
            const s = resolveSource(dockerfile, stage, src, instruction);
            if (s.kind === 'stage')
                deps.add(s.index);
        }
    }
    return { stage, label: stage.name ?? `stage-${stage.index}`, base, platform, dependsOn: [...deps] };
}
/** A FROM word with the global ARGs substituted; a malformed reference (`${A:?}`, an open quote) is the user's error. */
function expandFromWord(word, globals, escapeToken, location) {
    try {
        return processWord(word, globals, { escapeToken }).value;
    }
    catch (err) {
        if (!(err instanceof ShellLexError))
            throw err;
        throw new errors/* DockerfileError */.tP(err.message, {
            location,
            hint: 'check the variable references on the FROM line',
        });
    }
}
function parseStagePlatform(value, stage) {
    try {
        return normalizePlatform(parsePlatform(value));
    }
    catch (err) {
        throw new errors/* DockerfileError */.tP(`invalid --platform ${JSON.stringify(value)} on FROM`, {
            location: stage.from.location,
            hint: 'use os/arch[/variant], e.g. linux/arm64',
            cause: err,
        });
    }
}
function resolveBase(dockerfile, stage, image) {
    if (image.toLowerCase() === 'scratch')
        return { kind: 'scratch' };
    const lower = image.toLowerCase();
    const earlier = dockerfile.stages.slice(0, stage.index).findIndex((s) => s.name === lower);
    if (earlier >= 0)
        return { kind: 'stage', index: earlier };
    return { kind: 'image', ref: image };
}
/** The raw `--from` values an instruction reads (COPY --from, RUN --mount from=). */
function sourcesOf(instruction) {
    if (instruction.kind === 'copy' && instruction.from !== undefined)
        return [instruction.from];
    if (instruction.kind === 'run') {
        const out = [];
        for (const flag of instruction.mounts) {
            const from = flag.fields.find((f) => f.key === 'from');
            if (from?.value)
                out.push(from.value);
        }
        return out;
    }
    return [];
}
/**
 * BuildKit's `--from` rule: a number is a stage index (in Dockerfile order), a name is an earlier stage
 * (case-insensitive), anything else is an image reference.
 */
function resolveSource(dockerfile, stage, from, at) {
    if (/^\d+$/.test(from)) {
        const index = Number(from);
        if (index >= dockerfile.stages.length) {
            throw new errors/* DockerfileError */.tP(`invalid stage index ${index}`, {
                location: at.location,
                hint: `the Dockerfile has ${dockerfile.stages.length} stages, numbered from 0`,
            });
        }
        if (index >= stage.index) {
            throw new errors/* DockerfileError */.tP(`cannot copy from stage ${from}, it needs to be defined before the current stage`, { location: at.location });
        }
        return { kind: 'stage', index };
    }
    const lower = from.toLowerCase();
    const found = dockerfile.stages.findIndex((s) => s.name === lower);
    if (found >= 0) {
        if (found >= stage.index) {
            throw new errors/* DockerfileError */.tP(`cannot copy from stage ${JSON.stringify(from)}, it needs to be defined before the current stage`, {
                location: at.location,
            });
        }
        return { kind: 'stage', index: found };
    }
    return { kind: 'image', ref: from };
}
function buildOrder(stages, target) {
    const order = [];
    const seen = new Set();
    const visit = (i) => {
        if (seen.has(i))
            return;
        seen.add(i);
        for (const d of stages[i].dependsOn)
            visit(d);
        order.push(i);
    };
    visit(target);
    return order;
}

;// CONCATENATED MODULE: external "node:stream"
const external_node_stream_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");
;// CONCATENATED MODULE: ./src/oci/digest.ts


const digestPattern = /^sha256:[a-f0-9]{64}$/;
const anyDigestPattern = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
function isDigest(s) {
    return digestPattern.test(s);
}
/** Parses a digest string; throws for anything but a well-formed lowercase sha256 digest. */
function parseDigest(s) {
    if (isDigest(s))
        return s;
    if (anyDigestPattern.test(s) && !s.startsWith('sha256:')) {
        throw new Error(`unsupported digest algorithm in ${JSON.stringify(s)}: only sha256 is supported`);
    }
    throw new Error(`invalid digest ${JSON.stringify(s)}: expected sha256: followed by 64 lowercase hex digits`);
}
/** The hex part of a digest. */
function digestHex(d) {
    return d.slice('sha256:'.length);
}
function sha256(data) {
    return `sha256:${(0,external_node_crypto_namespaceObject.createHash)('sha256').update(data).digest('hex')}`;
}
function digestFromHash(h) {
    return `sha256:${h.digest('hex')}`;
}
/**
 * A pass-through stream that hashes and counts what flows through it. Read `digest()` and `size` after the
 * stream has finished.
 */
class DigestStream extends external_node_stream_namespaceObject.Transform {
    hash = (0,external_node_crypto_namespaceObject.createHash)('sha256');
    result;
    size = 0;
    _transform(chunk, _enc, cb) {
        this.hash.update(chunk);
        this.size += chunk.length;
        cb(null, chunk);
    }
    _flush(cb) {
        this.result = digestFromHash(this.hash);
        cb();
    }
    digest() {
        if (this.result === undefined)
            throw new Error('DigestStream.digest() called before the stream finished');
        return this.result;
    }
}
/** Hashes a whole readable stream. */
async function digestOfStream(stream) {
    const hash = (0,external_node_crypto_namespaceObject.createHash)('sha256');
    let size = 0;
    for await (const chunk of stream) {
        hash.update(chunk);
        size += chunk.length;
    }
    return { digest: digestFromHash(hash), size };
}

;// CONCATENATED MODULE: ./src/oci/media-types.ts
/** Media types of the OCI image spec (v1.1) and Docker's image manifest v2 schema 2. */
const media_types_MediaType = {
    ociManifest: 'application/vnd.oci.image.manifest.v1+json',
    ociIndex: 'application/vnd.oci.image.index.v1+json',
    ociConfig: 'application/vnd.oci.image.config.v1+json',
    ociLayer: 'application/vnd.oci.image.layer.v1.tar',
    ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
    ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
    ociLayerNondistributableGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
    ociEmpty: 'application/vnd.oci.empty.v1+json',
    dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
    dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
    dockerConfig: 'application/vnd.docker.container.image.v1+json',
    dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
    dockerForeignLayerGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
};
/** The four manifest types a puller must accept, in the order we prefer them. */
const manifestMediaTypes = [
    media_types_MediaType.ociIndex,
    media_types_MediaType.ociManifest,
    media_types_MediaType.dockerManifestList,
    media_types_MediaType.dockerManifest,
];
function isIndexMediaType(mt) {
    return mt === media_types_MediaType.ociIndex || mt === media_types_MediaType.dockerManifestList;
}
function isImageManifestMediaType(mt) {
    return mt === media_types_MediaType.ociManifest || mt === media_types_MediaType.dockerManifest;
}
function isManifestMediaType(mt) {
    return isIndexMediaType(mt) || isImageManifestMediaType(mt);
}
/** How a layer blob is compressed, judged from its media type. */
function layerCompression(mt) {
    if (mt.endsWith('+gzip') || mt.endsWith('.tar.gzip'))
        return 'gzip';
    if (mt.endsWith('+zstd') || mt.endsWith('.tar.zstd'))
        return 'zstd';
    if (mt.endsWith('.tar') || mt === 'application/vnd.docker.image.rootfs.diff.tar')
        return 'none';
    throw new Error(`unsupported layer media type ${mt}`);
}
function isLayerMediaType(mt) {
    return (/\.(tar|tar\+gzip|tar\+zstd|tar\.gzip|tar\.zstd)$/.test(mt) ||
        mt === 'application/vnd.docker.image.rootfs.diff.tar');
}
/** The layer media type to write for a compression, in the OCI or the Docker family. */
function layerMediaType(compression, family = 'oci') {
    if (family === 'docker') {
        if (compression !== 'gzip')
            throw new Error(`Docker schema 2 manifests have no ${compression} layer type`);
        return media_types_MediaType.dockerLayerGzip;
    }
    switch (compression) {
        case 'gzip':
            return media_types_MediaType.ociLayerGzip;
        case 'zstd':
            return media_types_MediaType.ociLayerZstd;
        case 'none':
            return media_types_MediaType.ociLayer;
    }
}

;// CONCATENATED MODULE: ./src/oci/manifest-codec-json.ts
/**
 * A JSON writer that produces the bytes Go's encoding/json produces for the image-spec structs (field order,
 * `omitempty`, map key sorting, HTML-safe string escaping, MarshalIndent layout). Used by manifest-codec.ts; the
 * shapes below are the Go struct layouts BuildKit serialises.
 */
const any = { kind: 'any' };
const stringMap = { kind: 'map', values: any };
function struct(spec, sortFields = false) {
    const fields = spec.map((f) => {
        const [raw, shape] = typeof f === 'string' ? [f, any] : f;
        const required = raw.endsWith('!');
        return { name: required ? raw.slice(0, -1) : raw, shape, omitEmpty: !required };
    });
    return { kind: 'struct', fields, sortFields };
}
const arrayOf = (items) => ({ kind: 'array', items });
// Field names ending in '!' have no `omitempty` in the Go struct.
const platformShape = struct([
    'architecture!',
    'os!',
    'os.version',
    'os.features',
    'variant',
    'features',
]);
const manifest_codec_json_descriptorShape = struct([
    'mediaType!',
    'digest!',
    'size!',
    'urls',
    ['annotations', stringMap],
    'data',
    ['platform', platformShape],
    'artifactType',
]);
const manifestShape = struct([
    'mediaType',
    'schemaVersion!',
    'artifactType',
    ['config!', manifest_codec_json_descriptorShape],
    ['layers!', arrayOf(manifest_codec_json_descriptorShape)],
    ['subject', manifest_codec_json_descriptorShape],
    ['annotations', stringMap],
]);
const indexShape = struct([
    'mediaType',
    'schemaVersion!',
    'artifactType',
    ['manifests!', arrayOf(manifest_codec_json_descriptorShape)],
    ['subject', manifest_codec_json_descriptorShape],
    ['annotations', stringMap],
]);
const healthShape = struct(['Test', 'Interval', 'Timeout', 'StartPeriod', 'StartInterval', 'Retries']);
const containerConfigShape = struct([
    'User',
    ['ExposedPorts', stringMap],
    'Env',
    'Entrypoint',
    'Cmd',
    ['Volumes', stringMap],
    'WorkingDir',
    ['Labels', stringMap],
    'StopSignal',
    'ArgsEscaped',
    ['Healthcheck', healthShape],
    'OnBuild',
    'Shell',
]);
const historyShape = struct(['created', 'created_by', 'author', 'comment', 'empty_layer']);
/** BuildKit re-marshals the config through a Go map, so its top-level keys come out sorted. */
const configShape = struct([
    'architecture!',
    'author',
    ['config', containerConfigShape],
    'created',
    ['history', arrayOf(historyShape)],
    'os!',
    'os.features',
    'os.version',
    ['rootfs!', struct(['type!', 'diff_ids!'])],
    'variant',
], true);
/** Encodes `value` laid out by `shape`; `indent` as Go's MarshalIndent (empty = compact). */
function manifest_codec_json_encodeGoJson(value, shape, indent = '') {
    return new GoJsonWriter(indent).value(value, shape, '');
}
class GoJsonWriter {
    indent;
    constructor(indent) {
        this.indent = indent;
    }
    value(v, shape, pad) {
        if (v === null || v === undefined)
            return 'null';
        if (typeof v === 'string')
            return quoteGoString(v);
        if (typeof v === 'number')
            return Number.isFinite(v) ? JSON.stringify(v) : 'null';
        if (typeof v === 'boolean')
            return v ? 'true' : 'false';
        if (Array.isArray(v)) {
            const items = shape.kind === 'array' ? shape.items : any;
            return this.wrap('[', ']', v.map((x) => (p) => this.value(x, items, p)), pad);
        }
        if (typeof v === 'object')
            return this.object(v, shape, pad);
        throw new TypeError(`cannot encode a ${typeof v} as JSON`);
    }
    object(obj, shape, pad) {
        const members = [];
        if (shape.kind === 'struct') {
            const known = new Map(shape.fields.map((f) => [f.name, f]));
            const unknown = Object.keys(obj)
                .filter((k) => !known.has(k))
                .sort(compareKeys)
                .map((name) => ({ name, shape: any, omitEmpty: false }));
            const fields = shape.sortFields
                ? [...shape.fields, ...unknown].sort((a, b) => compareKeys(a.name, b.name))
                : [...shape.fields, ...unknown];
            for (const f of fields) {
                const v = obj[f.name];
                if (v === undefined || (f.omitEmpty && isEmpty(v)))
                    continue;
                members.push([f.name, v, f.shape]);
            }
        }
        else {
            const values = shape.kind === 'map' ? shape.values : any;
            for (const k of Object.keys(obj).sort(compareKeys))
                if (obj[k] !== undefined)
                    members.push([k, obj[k], values]);
        }
        const sep = this.indent ? ': ' : ':';
        return this.wrap('{', '}', members.map(([k, v, s]) => (p) => `${quoteGoString(k)}${sep}${this.value(v, s, p)}`), pad);
    }
    wrap(open, close, parts, pad) {
        if (parts.length === 0)
            return open + close;
        if (!this.indent)
            return open + parts.map((f) => f('')).join(',') + close;
        const inner = pad + this.indent;
        return `${open}\n${parts.map((f) => inner + f(inner)).join(',\n')}\n${pad}${close}`;
    }
}
function isEmpty(v) {
    if (v === null || v === false || v === 0 || v === '')
        return true;
    if (Array.isArray(v))
        return v.length === 0;
    return typeof v === 'object' && Object.keys(v).length === 0;
}
/** Go sorts map keys by their UTF-8 bytes. */
function compareKeys(a, b) {
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
/** Quotes a string as Go's encoding/json does (HTML-safe; invalid UTF-16 becomes U+FFFD). */
function quoteGoString(s) {
    let out = '"';
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdfff) {
            const next = s.charCodeAt(i + 1);
            if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
                out += s[i] + s[i + 1];
                i++;
            }
            else {
                out += '\\ufffd';
            }
            continue;
        }
        out += escapeCodeUnit(c, s[i]);
    }
    return `${out}"`;
}
const shortEscapes = {
    0x22: '\\"',
    0x5c: '\\\\',
    0x0a: '\\n',
    0x0d: '\\r',
    0x09: '\\t',
    0x08: '\\b',
    0x0c: '\\f',
};
function escapeCodeUnit(c, ch) {
    const short = shortEscapes[c];
    if (short !== undefined)
        return short;
    if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
        return `\\u${c.toString(16).padStart(4, '0')}`;
    }
    return ch;
}

;// CONCATENATED MODULE: ./src/oci/manifest-codec-fields.ts
/**
 * Field-level validation shared by the manifest codec: descriptors, platforms and typed JSON accessors, all
 * reporting ManifestFormatError with the location of the bad value.
 */


/** Content that is not a valid manifest, index or config. `source` names where it came from. */
class manifest_codec_fields_ManifestFormatError extends errors/* InternalError */.Gd {
    source;
    constructor(source, problem, hint = 'the image is malformed; rebuild or re-push it with a current Docker, BuildKit or image-build') {
        super(`${source}: ${problem}`, { hint });
        this.source = source;
    }
}
/** Validates one descriptor object: mediaType, sha256 digest, non-negative integer size, optional fields. */
function parseDescriptor(value, src = 'descriptor') {
    if (!manifest_codec_fields_isRecord(value))
        throw new manifest_codec_fields_ManifestFormatError(src, 'must be a JSON object');
    const mediaType = optionalString(value, 'mediaType', src);
    if (!mediaType)
        throw new manifest_codec_fields_ManifestFormatError(src, 'has no mediaType');
    const digest = value['digest'];
    if (typeof digest !== 'string' || !isDigest(digest)) {
        throw new manifest_codec_fields_ManifestFormatError(src, `digest ${JSON.stringify(digest)} is not a sha256 digest (sha256:<64 hex>)`);
    }
    const size = value['size'];
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
        throw new manifest_codec_fields_ManifestFormatError(src, `size ${JSON.stringify(size)} is not a non-negative integer`);
    }
    const out = { mediaType, digest, size };
    const urls = value['urls'];
    if (urls !== undefined)
        out.urls = stringArray(urls, `${src} urls`);
    const annotations = optionalStringMap(value, 'annotations', src);
    if (annotations !== undefined)
        out.annotations = annotations;
    const data = optionalString(value, 'data', src);
    if (data !== undefined)
        out.data = data;
    if (value['platform'] !== undefined)
        out.platform = parsePlatformObject(value['platform'], `${src} platform`);
    const artifactType = optionalString(value, 'artifactType', src);
    if (artifactType !== undefined)
        out.artifactType = artifactType;
    return out;
}
function parsePlatformObject(value, src) {
    if (!manifest_codec_fields_isRecord(value))
        throw new manifest_codec_fields_ManifestFormatError(src, 'must be a JSON object');
    const architecture = optionalString(value, 'architecture', src);
    const os = optionalString(value, 'os', src);
    if (!architecture || !os)
        throw new manifest_codec_fields_ManifestFormatError(src, 'needs both "architecture" and "os"');
    const out = { architecture, os };
    const variant = optionalString(value, 'variant', src);
    if (variant)
        out.variant = variant;
    const osVersion = optionalString(value, 'os.version', src);
    if (osVersion)
        out['os.version'] = osVersion;
    if (value['os.features'] !== undefined)
        out['os.features'] = stringArray(value['os.features'], src);
    if (value['features'] !== undefined)
        out.features = stringArray(value['features'], src);
    return out;
}
function parseObject(bytes, src) {
    let value;
    try {
        value = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
    }
    catch (err) {
        throw new manifest_codec_fields_ManifestFormatError(src, `is not valid JSON (${err.message})`);
    }
    if (!manifest_codec_fields_isRecord(value))
        throw new manifest_codec_fields_ManifestFormatError(src, 'must be a JSON object');
    return value;
}
function manifest_codec_fields_isRecord(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function optionalString(obj, key, src) {
    const v = obj[key];
    if (v === undefined || v === null)
        return undefined;
    if (typeof v !== 'string')
        throw new manifest_codec_fields_ManifestFormatError(src, `"${key}" must be a string, got ${JSON.stringify(v)}`);
    return v;
}
function optionalStringMap(obj, key, src) {
    const v = obj[key];
    if (v === undefined || v === null)
        return undefined;
    if (!manifest_codec_fields_isRecord(v) || !Object.values(v).every((x) => typeof x === 'string')) {
        throw new manifest_codec_fields_ManifestFormatError(src, `"${key}" must map strings to strings`);
    }
    return v;
}
function stringArray(v, src) {
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
        throw new manifest_codec_fields_ManifestFormatError(src, 'must be an array of strings');
    }
    return v;
}

;// CONCATENATED MODULE: ./src/oci/manifest-codec.ts
/**
 * Bytes ⇄ OCI model. Parsing validates what the model promises (schemaVersion 2, a mediaType consistent with the
 * body, well-formed descriptors), rejects Docker schema 1, and infers a missing manifest mediaType (old
 * registries omit it) — the parsed value always carries one. Encoding produces the exact bytes we hash, store
 * and push: the bytes Go's encoding/json writes for the same structs, as BuildKit writes them (layout and key
 * order documented in manifest-codec-json.ts); no trailing newline.
 */





const schema1Types = new Set([
    'application/vnd.docker.distribution.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.v1+prettyjws',
]);
/** Parses an image manifest or an index (OCI or Docker schema 2). */
function parseManifest(bytes, opts = {}) {
    const src = opts.source ?? 'manifest';
    const body = parseObject(bytes, src);
    const declared = optionalString(body, 'mediaType', src);
    if (body['schemaVersion'] === 1 ||
        schema1Types.has(declared ?? '') ||
        schema1Types.has(opts.mediaType ?? '')) {
        throw new manifest_codec_fields_ManifestFormatError(src, 'is a Docker schema 1 manifest, which is deprecated and not supported', 're-push the image with a current Docker or BuildKit so the registry serves a schema 2 or OCI manifest');
    }
    if (body['schemaVersion'] !== 2) {
        throw new manifest_codec_fields_ManifestFormatError(src, `schemaVersion must be 2, got ${JSON.stringify(body['schemaVersion'])}`);
    }
    if (declared !== undefined && opts.mediaType !== undefined && declared !== opts.mediaType) {
        throw new manifest_codec_fields_ManifestFormatError(src, `mediaType ${declared} does not match the expected ${opts.mediaType}`);
    }
    const hasManifests = 'manifests' in body;
    const hasLayers = 'layers' in body || 'config' in body;
    if (hasManifests && hasLayers) {
        throw new manifest_codec_fields_ManifestFormatError(src, 'has both "manifests" and "config"/"layers": it is neither an index nor a manifest');
    }
    const mediaType = declared ?? opts.mediaType ?? inferMediaType(body, hasManifests);
    if (isIndexMediaType(mediaType)) {
        if (!hasManifests)
            throw new manifest_codec_fields_ManifestFormatError(src, `mediaType ${mediaType} but no "manifests" array`);
        return { kind: 'index', index: decodeIndex(body, mediaType, src) };
    }
    if (isImageManifestMediaType(mediaType)) {
        if (!hasLayers)
            throw new manifest_codec_fields_ManifestFormatError(src, `mediaType ${mediaType} but no "config" and "layers"`);
        return { kind: 'image', manifest: decodeImageManifest(body, mediaType, src) };
    }
    throw new manifest_codec_fields_ManifestFormatError(src, `unsupported manifest mediaType ${JSON.stringify(mediaType)}`);
}
function parseImageManifest(bytes, opts = {}) {
    const parsed = parseManifest(bytes, opts);
    if (parsed.kind !== 'image') {
        throw new ManifestFormatError(opts.source ?? 'manifest', 'is an image index where an image manifest was expected');
    }
    return parsed.manifest;
}
function parseImageIndex(bytes, opts = {}) {
    const parsed = parseManifest(bytes, opts);
    if (parsed.kind !== 'index') {
        throw new manifest_codec_fields_ManifestFormatError(opts.source ?? 'manifest', 'is an image manifest where an index was expected');
    }
    return parsed.index;
}
function inferMediaType(body, isIndex) {
    if (isIndex)
        return media_types_MediaType.ociIndex;
    const config = body['config'];
    const configType = manifest_codec_fields_isRecord(config) ? config['mediaType'] : undefined;
    return configType === media_types_MediaType.dockerConfig ? media_types_MediaType.dockerManifest : media_types_MediaType.ociManifest;
}
function decodeImageManifest(body, mediaType, src) {
    const layers = body['layers'] ?? [];
    if (!Array.isArray(layers))
        throw new manifest_codec_fields_ManifestFormatError(src, '"layers" must be an array');
    return {
        ...pickCommon(body, src),
        schemaVersion: 2,
        mediaType,
        config: parseDescriptor(body['config'], `${src} config`),
        layers: layers.map((l, i) => parseDescriptor(l, `${src} layers[${i}]`)),
    };
}
function decodeIndex(body, mediaType, src) {
    const manifests = body['manifests'];
    if (!Array.isArray(manifests))
        throw new manifest_codec_fields_ManifestFormatError(src, '"manifests" must be an array');
    return {
        ...pickCommon(body, src),
        schemaVersion: 2,
        mediaType,
        manifests: manifests.map((m, i) => parseDescriptor(m, `${src} manifests[${i}]`)),
    };
}
function pickCommon(body, src) {
    const out = {};
    const artifactType = optionalString(body, 'artifactType', src);
    if (artifactType !== undefined)
        out.artifactType = artifactType;
    if (body['subject'] !== undefined)
        out.subject = parseDescriptor(body['subject'], `${src} subject`);
    const annotations = optionalStringMap(body, 'annotations', src);
    if (annotations !== undefined)
        out.annotations = annotations;
    return out;
}
/**
 * Parses an image config. Keeps the fields of the model (unknown top-level fields such as `container_config`
 * are dropped, as BuildKit drops them when it derives an image from a base).
 */
function parseImageConfig(bytes, opts = {}) {
    const src = opts.source ?? 'image config';
    const body = parseObject(bytes, src);
    const architecture = optionalString(body, 'architecture', src);
    const os = optionalString(body, 'os', src);
    if (!architecture || !os)
        throw new manifest_codec_fields_ManifestFormatError(src, 'needs both "architecture" and "os"');
    const rootfs = body['rootfs'];
    if (!manifest_codec_fields_isRecord(rootfs) || rootfs['type'] !== 'layers') {
        throw new manifest_codec_fields_ManifestFormatError(src, 'rootfs must be {"type":"layers","diff_ids":[…]}');
    }
    const diffIds = stringArray(rootfs['diff_ids'] ?? [], `${src} rootfs.diff_ids`).map((d, i) => {
        if (!isDigest(d))
            throw new manifest_codec_fields_ManifestFormatError(src, `rootfs.diff_ids[${i}] ${JSON.stringify(d)} is not a digest`);
        return d;
    });
    const out = {
        architecture,
        os,
        rootfs: { type: 'layers', diff_ids: diffIds },
    };
    for (const key of ['created', 'author', 'variant', 'os.version']) {
        const v = optionalString(body, key, src);
        if (v !== undefined)
            out[key] = v;
    }
    if (body['os.features'] !== undefined)
        out['os.features'] = stringArray(body['os.features'], src);
    if (body['config'] !== undefined && body['config'] !== null) {
        if (!manifest_codec_fields_isRecord(body['config']))
            throw new manifest_codec_fields_ManifestFormatError(src, '"config" must be an object');
        out.config = body['config'];
    }
    if (body['history'] !== undefined && body['history'] !== null) {
        if (!Array.isArray(body['history']) || !body['history'].every(manifest_codec_fields_isRecord)) {
            throw new manifest_codec_fields_ManifestFormatError(src, '"history" must be an array of objects');
        }
        out.history = body['history'];
    }
    return out;
}
/** The bytes to hash and store for a manifest, index, config (chosen by shape) or any other JSON value. */
function encodeJson(value) {
    if (isRecord(value) && Array.isArray(value['manifests']) && 'schemaVersion' in value)
        return manifest_codec_encodeIndex(value);
    if (isRecord(value) && 'layers' in value && 'config' in value && 'schemaVersion' in value) {
        return encodeManifest(value);
    }
    if (isRecord(value) && isRecord(value['rootfs']))
        return encodeConfig(value);
    return Buffer.from(encodeGoJson(value, { kind: 'any' }), 'utf8');
}
function encodeManifest(manifest) {
    return Buffer.from(manifest_codec_json_encodeGoJson(manifest, manifestShape, '   '), 'utf8');
}
function manifest_codec_encodeIndex(index) {
    return Buffer.from(manifest_codec_json_encodeGoJson(index, indexShape, '   '), 'utf8');
}
function encodeConfig(config) {
    return Buffer.from(manifest_codec_json_encodeGoJson(config, configShape), 'utf8');
}
/** A descriptor's JSON alone (compact), e.g. for logs and cache keys. */
function encodeDescriptor(descriptor) {
    return Buffer.from(encodeGoJson(descriptor, descriptorShape), 'utf8');
}
/** A descriptor for `bytes` with `mediaType` (plus optional extra fields such as annotations or platform). */
function manifest_codec_describeBytes(bytes, mediaType, extra = {}) {
    return { mediaType, digest: sha256(bytes), size: bytes.length, ...extra };
}
/** Encodes a manifest or index and describes the result: what a writer stores and what a parent references. */
function encodeManifestWithDescriptor(value) {
    const bytes = 'manifests' in value ? manifest_codec_encodeIndex(value) : encodeManifest(value);
    return { bytes, descriptor: manifest_codec_describeBytes(bytes, value.mediaType) };
}

;// CONCATENATED MODULE: ./src/oci/image.ts
/**
 * The read-only image view: a manifest, its config and its layers paired with their diffIDs, loaded from any
 * blob source (the local store, a registry-backed reader). `loadImage` resolves an index to the wanted
 * platform's manifest. New images are assembled with ImageDraft (image-draft.ts).
 */





/** No manifest in an index matches the wanted platform. Lists what the image offers. */
class PlatformNotFoundError extends errors/* InputError */.dz {
    image;
    wanted;
    available;
    constructor(image, wanted, available) {
        const offered = available.map(formatPlatform).join(', ') || 'none';
        super('platform', wanted
            ? `image ${image} has no ${formatPlatform(wanted)} variant (it offers: ${offered})`
            : `image ${image} is multi-platform (${offered}); say which platform to use`, { hint: `set the platform to one of: ${offered}` });
        this.image = image;
        this.wanted = wanted;
        this.available = available;
    }
}
/** Loads the image `descriptor` points at; an index is resolved to the manifest for `options.platform`. */
async function loadImage(blobs, descriptor, options = {}) {
    const name = options.name ?? descriptor.digest;
    let current = descriptor;
    let parent;
    for (let depth = 0;; depth++) {
        const bytes = await readVerified(blobs, current, 'manifest');
        const parsed = parseManifest(bytes, {
            mediaType: current.mediaType,
            source: `manifest ${current.digest}`,
        });
        if (parsed.kind === 'image')
            return loadFromManifest(blobs, current, parsed.manifest, parent);
        if (depth >= 4)
            throw new manifest_codec_fields_ManifestFormatError(`image ${name}`, 'indexes are nested too deeply');
        parent = { descriptor: current, index: parsed.index };
        current = selectManifest(parsed.index, options.platform, name);
    }
}
/**
 * The index entry for `platform`: an exact match (os, architecture, variant after normalisation); without a
 * platform, the only image entry. Attestation entries (`unknown/unknown`) are never chosen.
 */
function selectManifest(index, platform, name) {
    const candidates = index.manifests.filter((d) => !isAttestation(d));
    const available = candidates.flatMap((d) => (d.platform ? [normalizePlatform(d.platform)] : []));
    if (platform === undefined) {
        if (candidates.length === 1)
            return candidates[0];
        throw new PlatformNotFoundError(name, undefined, available);
    }
    const match = candidates.find((d) => platformMatches(platform, d.platform));
    if (!match)
        throw new PlatformNotFoundError(name, normalizePlatform(platform), available);
    return match;
}
function isAttestation(d) {
    return (d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' ||
        (d.platform?.os === 'unknown' && d.platform.architecture === 'unknown'));
}
async function loadFromManifest(blobs, descriptor, manifest, index) {
    const configBytes = await readVerified(blobs, manifest.config, 'config');
    const config = parseImageConfig(configBytes, { source: `config ${manifest.config.digest}` });
    const diffIds = config.rootfs.diff_ids;
    if (diffIds.length !== manifest.layers.length) {
        throw new manifest_codec_fields_ManifestFormatError(`image ${descriptor.digest}`, `the config lists ${diffIds.length} diff_ids for ${manifest.layers.length} layers`);
    }
    return {
        descriptor,
        manifest,
        config,
        layers: manifest.layers.map((d, i) => ({ descriptor: d, diffId: diffIds[i] })),
        platform: platformOfConfig(config),
        family: manifest.mediaType === media_types_MediaType.dockerManifest ? 'docker' : 'oci',
        ...(index ? { index } : {}),
    };
}
/** The platform an image config declares. */
function platformOfConfig(config) {
    const p = {
        architecture: config.architecture,
        os: config.os,
    };
    if (config.variant)
        p.variant = config.variant;
    if (config['os.version'])
        p['os.version'] = config['os.version'];
    if (config['os.features']?.length)
        p['os.features'] = config['os.features'];
    return p;
}
async function readVerified(blobs, d, what) {
    const bytes = await blobs.read(d.digest);
    if (bytes.length !== d.size || sha256(bytes) !== d.digest) {
        throw new manifest_codec_fields_ManifestFormatError(`${what} ${d.digest}`, `content does not match its descriptor (${bytes.length} bytes, digest ${sha256(bytes)}; expected ${d.size} bytes)`, 'the blob is corrupt; pull or build the image again');
    }
    return bytes;
}

;// CONCATENATED MODULE: ./src/registry/reference.ts
/**
 * Image references, normalised exactly as Docker does (distribution/reference `ParseNormalizedNamed` +
 * `TagNameOnly`): `ubuntu` → `docker.io/library/ubuntu:latest`.
 */

const dockerHubRegistry = 'docker.io';
const legacyDockerHub = 'index.docker.io';
const officialPrefix = 'library/';
const defaultTag = 'latest';
const nameTotalLengthMax = 255;
// distribution/reference regexp.go, transcribed from its grammar.
const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const ipv6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainAndPort = `(?:${domainName}|${ipv6})(?::[0-9]+)?`;
const tagPattern = '[\\w][\\w.-]{0,127}';
const reference_digestPattern = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const referenceRegexp = new RegExp(`^((?:${domainAndPort}/)?${remoteName})(?::(${tagPattern}))?(?:@(${reference_digestPattern}))?$`);
const anchoredName = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
const identifierRegexp = /^[a-f0-9]{64}$/;
const tagRegexp = new RegExp(`^${tagPattern}$`);
/** Parses an image reference the way `docker pull` does; throws InputError naming `options.input`. */
function parseReference(s, options = {}) {
    const input = options.input ?? 'image';
    const fail = (message, hint) => {
        throw new errors/* InputError */.dz(input, message, hint ? { hint } : {});
    };
    if (s === '')
        fail('image reference is empty', 'give a name such as ghcr.io/owner/app:1.0');
    if (identifierRegexp.test(s)) {
        fail(`invalid repository name ${JSON.stringify(s)}: a 64-character hexadecimal string is an image ID, not a name`);
    }
    const [domain, remainder] = splitDockerDomain(s);
    const remote = remainder.split(':', 1)[0];
    if (remote.toLowerCase() !== remote) {
        fail(`repository name ${JSON.stringify(remote)} in ${JSON.stringify(s)} must be lowercase`, `use ${JSON.stringify(lowercaseName(s))}`);
    }
    const full = `${domain}/${remainder}`;
    const m = referenceRegexp.exec(full);
    if (!m)
        return fail(...describeInvalid(s, remainder));
    const name = m[1];
    if (name.length > nameTotalLengthMax) {
        fail(`repository name in ${JSON.stringify(s)} is longer than ${nameTotalLengthMax} characters`);
    }
    const parts = anchoredName.exec(name);
    const digest = m[3] === undefined ? undefined : parseReferenceDigest(m[3], s, fail);
    const tag = m[2] ?? (digest === undefined ? defaultTag : undefined);
    return {
        registry: parts[1],
        repository: parts[2],
        ...(tag !== undefined ? { tag } : {}),
        ...(digest !== undefined ? { digest } : {}),
    };
}
/** `registry/repository[:tag][@digest]`, fully qualified (`docker.io/library/ubuntu:latest`). */
function formatReference(ref) {
    const tag = ref.tag !== undefined ? `:${ref.tag}` : '';
    const digest = ref.digest !== undefined ? `@${ref.digest}` : '';
    return `${ref.registry}/${ref.repository}${tag}${digest}`;
}
/** The short form Docker prints: `ubuntu:latest`, `owner/app:1`, `ghcr.io/owner/app:1`. */
function familiarReference(ref) {
    let name = `${ref.registry}/${ref.repository}`;
    if (ref.registry === dockerHubRegistry) {
        name = ref.repository;
        const rest = name.startsWith(officialPrefix) ? name.slice(officialPrefix.length) : undefined;
        if (rest !== undefined && !rest.includes('/'))
            name = rest;
    }
    return `${name}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}
/** The host that serves the registry API: `registry-1.docker.io` for Docker Hub, else the registry itself. */
function registryApiHost(registry) {
    return registry === dockerHubRegistry ? 'registry-1.docker.io' : registry;
}
/** True for a valid tag (`[\w][\w.-]{0,127}`). */
function isValidTag(tag) {
    return tagRegexp.test(tag);
}
/** distribution/reference splitDockerDomain. */
function splitDockerDomain(name) {
    const slash = name.indexOf('/');
    if (slash < 0)
        return [dockerHubRegistry, officialPrefix + name];
    const maybeDomain = name.slice(0, slash);
    const rest = name.slice(slash + 1);
    let domain;
    let remote;
    if (maybeDomain === 'localhost')
        [domain, remote] = [maybeDomain, rest];
    else if (maybeDomain === legacyDockerHub)
        [domain, remote] = [dockerHubRegistry, rest];
    else if (/[.:]/.test(maybeDomain))
        [domain, remote] = [maybeDomain, rest];
    else if (maybeDomain.toLowerCase() !== maybeDomain)
        [domain, remote] = [maybeDomain, rest];
    else
        [domain, remote] = [dockerHubRegistry, name];
    if (domain === dockerHubRegistry && !remote.includes('/'))
        remote = officialPrefix + remote;
    return [domain, remote];
}
/** The reference with its name lowercased and its tag/digest kept: the suggestion for an upper-case name. */
function lowercaseName(s) {
    const at = s.indexOf('@');
    const beforeDigest = at < 0 ? s : s.slice(0, at);
    const colon = beforeDigest.lastIndexOf(':');
    const nameEnd = colon > beforeDigest.lastIndexOf('/') ? colon : beforeDigest.length;
    return s.slice(0, nameEnd).toLowerCase() + s.slice(nameEnd);
}
function describeInvalid(s, remainder) {
    const at = remainder.indexOf('@');
    const beforeDigest = at < 0 ? remainder : remainder.slice(0, at);
    const colon = beforeDigest.lastIndexOf(':');
    if (colon > 0 && !beforeDigest.slice(colon).includes('/')) {
        const tag = beforeDigest.slice(colon + 1);
        if (!tagRegexp.test(tag) && new RegExp(`^${remoteName}$`).test(beforeDigest.slice(0, colon))) {
            return [
                `invalid tag ${JSON.stringify(tag)} in ${JSON.stringify(s)}`,
                'a tag is up to 128 letters, digits, _, . and - and must not start with . or -',
            ];
        }
    }
    if (at >= 0) {
        return [
            `invalid image reference ${JSON.stringify(s)}`,
            'a digest is written @sha256: followed by 64 lowercase hex digits',
        ];
    }
    return [
        `invalid image reference ${JSON.stringify(s)}`,
        'expected [registry/]repository[:tag][@digest] with a lowercase repository, e.g. ghcr.io/owner/app:1.0',
    ];
}
function parseReferenceDigest(d, s, fail) {
    if (!d.startsWith('sha256:')) {
        return fail(`unsupported digest algorithm in ${JSON.stringify(s)}`, 'only sha256 digests are supported');
    }
    if (!/^sha256:[a-f0-9]{64}$/.test(d)) {
        return fail(`invalid digest ${JSON.stringify(d)} in ${JSON.stringify(s)}`, 'a sha256 digest has exactly 64 lowercase hex digits');
    }
    return d;
}

;// CONCATENATED MODULE: ./src/build/base-images.ts





/**
 * Resolves images named by FROM and `--from` to a platform-specific manifest and config in the store. Layers
 * are not downloaded here: `fetchLayer` gets a blob when a step needs the files (a fully cached build needs none).
 * Tags are resolved at the registry (tags move); when it cannot be reached, a copy stored by an earlier build is
 * used with a warning.
 */
class BaseImages {
    options;
    resolved = new Map();
    /** Layer digest → where it can be downloaded from. */
    origins = new Map();
    constructor(options) {
        this.options = options;
    }
    resolve(ref, platform, location) {
        const key = `${ref}\0${formatPlatform(platform)}`;
        let p = this.resolved.get(key);
        if (!p) {
            p = this.load(ref, platform, location);
            this.resolved.set(key, p);
        }
        return p;
    }
    /** True when `blob` is a layer of a resolved image (so `fetchBlob` can download it). */
    knows(blob) {
        return this.origins.has(blob.digest);
    }
    /** A download of a base image layer (verified against its digest as it streams). */
    async openBlob(blob) {
        const origin = this.origins.get(blob.digest);
        if (!origin)
            throw new errors/* BuildStepError */.JI(`layer ${blob.digest} is missing from the store and no registry is known for it`);
        return this.options.registry(origin.registry).fetchBlob(origin.repository, blob.digest, blob.size);
    }
    /** Downloads a base image layer into the store (digest-verified). */
    async fetchBlob(blob) {
        const origin = this.origins.get(blob.digest);
        if (!origin)
            throw new errors/* BuildStepError */.JI(`layer ${blob.digest} is missing from the store and no registry is known for it`);
        const client = this.options.registry(origin.registry);
        const stream = await client.fetchBlob(origin.repository, blob.digest, blob.size);
        await this.options.store.putStream(stream, { digest: blob.digest, size: blob.size });
    }
    async load(ref, platform, location) {
        let reference;
        try {
            reference = parseReference(ref);
        }
        catch (err) {
            throw new errors/* BuildStepError */.JI(`invalid base image reference ${JSON.stringify(ref)}: ${err.message}`, { location, cause: err });
        }
        const name = formatReference(reference);
        const storeName = `image-build/base/${name}@${formatPlatform(platform)}`;
        const local = await this.options.store.resolve(storeName);
        if (local && reference.digest !== undefined && !this.options.pull) {
            const image = await loadImage(this.options.store, local, { platform, name });
            for (const l of image.layers)
                this.origins.set(l.descriptor.digest, reference);
            return { ref, reference, image, digest: image.descriptor.digest };
        }
        let descriptor;
        try {
            descriptor = await this.fetchManifest(reference, platform, name);
        }
        catch (err) {
            if (!(err instanceof errors/* RegistryError */.gl) || !local || err.status !== undefined)
                throw withLocation(err, location);
            this.options.logger.warn(`cannot reach ${reference.registry} to resolve ${name}; using the copy stored by an earlier build`);
            descriptor = local;
        }
        const image = await loadImage(this.options.store, descriptor, { platform, name });
        await this.options.store.tag(storeName, image.descriptor);
        for (const l of image.layers)
            this.origins.set(l.descriptor.digest, reference);
        this.options.logger.debug(`resolved ${name} (${formatPlatform(platform)}) to ${image.descriptor.digest}`);
        return { ref, reference, image, digest: image.descriptor.digest };
    }
    /** Stores the manifest (the platform's, when the reference names an index) and the config; returns the top. */
    async fetchManifest(reference, platform, name) {
        const client = this.options.registry(reference.registry);
        const store = this.options.store;
        const top = await client.getManifest(reference.repository, reference.digest ?? reference.tag ?? 'latest');
        if (reference.digest && top.digest !== reference.digest) {
            throw new errors/* BuildStepError */.JI(`${name}: the registry returned manifest ${top.digest}, not the digest asked for`);
        }
        await store.put(top.bytes, { digest: top.digest, size: top.bytes.length });
        const topDesc = manifest_codec_describeBytes(top.bytes, top.mediaType);
        let parsed = parseManifest(top.bytes, { mediaType: top.mediaType, source: `manifest of ${name}` });
        if (parsed.kind === 'index') {
            const child = selectManifest(parsed.index, platform, name);
            if (!(await store.has(child.digest))) {
                const m = await client.getManifest(reference.repository, child.digest);
                await store.put(m.bytes, { digest: child.digest, size: child.size });
            }
            parsed = parseManifest(await store.read(child.digest), {
                mediaType: child.mediaType,
                source: `manifest of ${name}`,
            });
        }
        if (parsed.kind !== 'image')
            throw new errors/* BuildStepError */.JI(`${name}: an index inside an index is not supported`);
        const config = parsed.manifest.config;
        if (!(await store.has(config.digest))) {
            const stream = await client.fetchBlob(reference.repository, config.digest, config.size);
            await store.putStream(stream, { digest: config.digest, size: config.size });
        }
        return topDesc;
    }
}
function withLocation(err, location) {
    if (err instanceof errors/* RegistryError */.gl && err.location === undefined) {
        return new errors/* RegistryError */.gl(err.message, {
            location,
            ...(err.hint ? { hint: err.hint } : {}),
            ...(err.registry ? { registry: err.registry } : {}),
            ...(err.repository ? { repository: err.repository } : {}),
            ...(err.status !== undefined ? { status: err.status } : {}),
            ...(err.code ? { code: err.code } : {}),
            cause: err,
        });
    }
    return err;
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __nccwpck_require__(421);
;// CONCATENATED MODULE: external "node:stream/promises"
const external_node_stream_promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream/promises");
;// CONCATENATED MODULE: external "node:zlib"
const external_node_zlib_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");
;// CONCATENATED MODULE: ./src/oci/decompress.ts





/** Bytes `sniffCompression` needs to decide (fewer are fine; they just match less). */
const sniffLength = 6;
const magics = [
    ['gzip', [0x1f, 0x8b, 0x08]],
    ['bzip2', [0x42, 0x5a, 0x68]],
    ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
    ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
];
/**
 * The compression of a stream from its first bytes, with Docker's (moby DetectCompression) magic numbers: gzip
 * `1f 8b 08`, bzip2 `BZh`, xz `fd 37 7a 58 5a 00`, zstd `28 b5 2f fd` or a zstd skippable frame
 * (`5? 2a 4d 18`, as zstd:chunked layers start). Anything else is 'none'.
 */
function sniffCompression(firstBytes) {
    for (const [name, magic] of magics) {
        if (firstBytes.length >= magic.length && magic.every((b, i) => firstBytes[i] === b))
            return name;
    }
    const [b0, b1, b2, b3] = firstBytes;
    if (firstBytes.length >= 4 && (b0 & 0xf0) === 0x50 && b1 === 0x2a && b2 === 0x4d && b3 === 0x18)
        return 'zstd';
    return 'none';
}
/**
 * The decompressed form of `source`. The compression is sniffed from the first bytes unless given. gzip
 * (multi-member too) and zstd decompress in-process (zstd through the `zstd` program on a Node without it);
 * bzip2 and xz through `bzip2 -dc` / `xz -dc`. Corrupt data and missing programs are BuildStepErrors; errors
 * of `source` itself pass through unchanged. Stopping early stops the work (and any child process).
 */
function decompressStream(source, opts = {}) {
    return external_node_stream_namespaceObject.Readable.from(decompressed(source, opts), { objectMode: false });
}
async function* decompressed(source, opts) {
    const given = opts.compression;
    const program = (name) => opts.programs?.[name] ?? name;
    const iterator = source[Symbol.asyncIterator]();
    const head = [];
    let headLength = 0;
    let ended = false;
    while (given === undefined && headLength < sniffLength) {
        const next = await iterator.next();
        if (next.done) {
            ended = true;
            break;
        }
        head.push(Buffer.from(next.value));
        headLength += next.value.length;
    }
    const compression = given ?? sniffCompression(Buffer.concat(head));
    const input = withHead(head, ended ? undefined : iterator);
    switch (compression) {
        case 'none':
            yield* input;
            return;
        case 'gzip':
            yield* throughTransform(input, external_node_zlib_namespaceObject.createGunzip(), 'gzip');
            return;
        case 'zstd':
            if (typeof external_node_zlib_namespaceObject.createZstdDecompress === 'function') {
                yield* throughTransform(input, external_node_zlib_namespaceObject.createZstdDecompress(), 'zstd');
            }
            else {
                yield* throughProgram(input, program('zstd'), 'zstd', 'zstd');
            }
            return;
        case 'bzip2':
            yield* throughProgram(input, program('bzip2'), 'bzip2', 'bzip2');
            return;
        case 'xz':
            yield* throughProgram(input, program('xz'), 'xz', 'xz-utils');
            return;
    }
}
async function* withHead(head, rest) {
    yield* head;
    if (!rest)
        return;
    try {
        for (;;) {
            const next = await rest.next();
            if (next.done)
                return;
            yield Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
        }
    }
    finally {
        await rest.return?.();
    }
}
/**
 * Passes `input` through, recording the errors `input` itself throws so they can be told from the
 * decompressor's (which pipeline() injects here too, through the generator's throw()).
 */
async function* tracked(input, sourceErrors) {
    const iterator = input[Symbol.asyncIterator]();
    try {
        for (;;) {
            let next;
            try {
                next = await iterator.next();
            }
            catch (err) {
                sourceErrors.push(err);
                throw err;
            }
            if (next.done)
                return;
            yield next.value;
        }
    }
    finally {
        await iterator.return?.();
    }
}
function corrupt(kind, err) {
    const detail = typeof err === 'object' && err !== null && 'message' in err ? String(err.message) : String(err);
    return new errors/* BuildStepError */.JI(`invalid ${kind} data: ${detail}`, {
        hint: 'the archive or layer is corrupt or truncated',
        cause: err,
    });
}
async function* throughTransform(input, transform, kind) {
    const sourceErrors = [];
    const feeding = (0,external_node_stream_promises_namespaceObject.pipeline)(external_node_stream_namespaceObject.Readable.from(tracked(input, sourceErrors)), transform);
    feeding.catch(() => undefined); // the same error surfaces on the readable side
    try {
        for await (const chunk of transform)
            yield chunk;
        await feeding;
    }
    catch (err) {
        if (sourceErrors.includes(err))
            throw err;
        throw corrupt(kind, err);
    }
    finally {
        transform.destroy();
    }
}
/** Runs `<program> -dc`, feeding `input` to its stdin and yielding its stdout. */
async function* throughProgram(input, program, kind, debianPackage) {
    const child = (0,external_node_child_process_.spawn)(program, ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const stderr = [];
    child.stderr.on('data', (c) => stderr.length < 16 && stderr.push(c));
    const exited = new Promise((resolve) => {
        child.once('error', (error) => resolve({ code: null, error }));
        child.once('close', (code) => resolve({ code }));
    });
    const sourceErrors = [];
    const feeding = (0,external_node_stream_promises_namespaceObject.pipeline)(external_node_stream_namespaceObject.Readable.from(tracked(input, sourceErrors)), child.stdin);
    feeding.catch(() => undefined); // EPIPE when the program stops early; its exit status says why
    try {
        for await (const chunk of child.stdout)
            yield chunk;
        const { code, error } = await exited;
        await feeding.catch(() => undefined);
        if (sourceErrors.length > 0)
            throw sourceErrors[0];
        if (error?.code === 'ENOENT') {
            throw new errors/* BuildStepError */.JI(`cannot decompress ${kind} data: the '${program}' program is not installed`, {
                hint: `install it (Debian/Ubuntu: apt-get install ${debianPackage})`,
            });
        }
        if (error)
            throw corrupt(kind, error);
        if (code !== 0) {
            const message = Buffer.concat(stderr).toString('utf8').trim().split('\n')[0] || `exit code ${code}`;
            throw corrupt(kind, new Error(message));
        }
    }
    finally {
        if (child.exitCode === null && child.signalCode === null)
            child.kill();
    }
}

;// CONCATENATED MODULE: ./src/build/host-command.ts


/** Starts a host tool (GNU tar, unshare…) with pipes; `what` names it in errors. */
function startHostProcess(argv, env, what) {
    const [cmd, ...args] = argv;
    const child = (0,external_node_child_process_.spawn)(cmd, args, { env: { ...env, LC_ALL: 'C' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => {
        stderr = (stderr + c.toString()).slice(-4000);
    });
    const done = new Promise((resolve, reject) => {
        child.on('error', (err) => reject(new errors/* BuildStepError */.JI(`${what}: cannot run ${cmd}: ${err.message}`, { cause: err })));
        child.on('close', (code, signal) => {
            if (code === 0)
                resolve();
            else {
                const tail = stderr.trim().split('\n').slice(-3).join('; ');
                reject(new errors/* BuildStepError */.JI(`${what}: ${cmd} ${signal ? `killed by ${signal}` : `exited with ${code}`}${tail ? `: ${tail}` : ''}`));
            }
        });
    });
    // A consumer that stops early must not leave an unhandled rejection behind.
    done.catch(() => undefined);
    return { stdout: child.stdout, stdin: child.stdin, done, kill: () => child.kill('SIGKILL') };
}

;// CONCATENATED MODULE: ./src/oci/tar/errors.ts

const defaultHints = {
    truncated: 'the archive is incomplete; download or create it again',
    checksum: 'the archive is corrupt or not a tar file',
    malformed: 'the archive is corrupt; recreate it with GNU tar or bsdtar',
    unsupported: 'recreate the archive with `tar --format=pax` (without --sparse)',
    limit: 'the archive has oversized metadata and may be hostile; recreate it with GNU tar --format=pax',
    'invalid-header': 'this is a bug in the caller of the tar writer; please report it',
    'size-mismatch': 'the file changed while it was being archived; run the build again',
};
/**
 * A tar archive that cannot be read (corrupt, truncated, hostile, unsupported) or an entry that cannot be
 * written. A build step meets it when it unpacks a layer or ADDs an archive, hence a BuildStepError.
 */
class TarError extends errors/* BuildStepError */.JI {
    reason;
    /** Byte offset in the (uncompressed) tar stream of the header concerned, when known. */
    offset;
    constructor(reason, message, details = {}) {
        super(message, { ...details, hint: details.hint ?? defaultHints[reason] });
        this.reason = reason;
        this.offset = details.offset;
    }
}

;// CONCATENATED MODULE: ./src/oci/tar/format.ts
/**
 * The byte layout of a 512-byte tar header block (POSIX ustar, with the GNU and star variants the reader
 * recognises) and the codecs for its fields.
 */
const blockSize = 512;
const field = (offset, length) => ({ offset, length });
const Fields = {
    name: field(0, 100),
    mode: field(100, 8),
    uid: field(108, 8),
    gid: field(116, 8),
    size: field(124, 12),
    mtime: field(136, 12),
    checksum: field(148, 8),
    typeflag: field(156, 1),
    linkname: field(157, 100),
    magic: field(257, 6),
    version: field(263, 2),
    uname: field(265, 32),
    gname: field(297, 32),
    devmajor: field(329, 8),
    devminor: field(337, 8),
    prefix: field(345, 155),
    /** star (Schily tar) has a shorter prefix and a trailer at the end of the block. */
    starPrefix: field(345, 131),
    starTrailer: field(508, 4),
};
const ustarMagic = 'ustar\0';
const ustarVersion = '00';
const gnuMagic = 'ustar ';
const gnuVersion = ' \0';
const starTrailer = 'tar\0';
/** Typeflag bytes, as single-character strings. */
const Typeflag = {
    file: '0',
    fileOld: '\0',
    contiguous: '7',
    hardlink: '1',
    symlink: '2',
    char: '3',
    block: '4',
    directory: '5',
    fifo: '6',
    paxLocal: 'x',
    paxGlobal: 'g',
    gnuLongName: 'L',
    gnuLongLink: 'K',
    gnuSparse: 'S',
    gnuVolume: 'V',
};
/** True when `x` is a non-negative integer that fits in a field of `length` bytes as NUL-terminated octal. */
function fitsOctal(length, x) {
    return Number.isSafeInteger(x) && x >= 0 && x < 8 ** (length - 1);
}
/** Writes `s` (already encoded) into a field, NUL-padded; the caller guarantees it fits. */
function putBytes(block, f, bytes) {
    block.set(bytes.subarray(0, f.length), f.offset);
}
/** Writes `x` as zero-padded octal followed by NUL, as Go's archive/tar and GNU tar do. */
function putOctal(block, f, x) {
    const digits = x.toString(8).padStart(f.length - 1, '0');
    block.write(digits, f.offset, f.length - 1, 'latin1');
    block[f.offset + f.length - 1] = 0;
}
/** The header checksum: the byte sum with the checksum field counted as spaces (unsigned and signed variants). */
function computeChecksums(block) {
    let unsigned = 0;
    let signed = 0;
    const { offset, length } = Fields.checksum;
    for (let i = 0; i < blockSize; i++) {
        const c = i >= offset && i < offset + length ? 0x20 : block[i];
        unsigned += c;
        signed += c < 0x80 ? c : c - 0x100;
    }
    return { unsigned, signed };
}
/** Fills in the checksum field the way Go and GNU tar do: six octal digits, NUL, space. */
function putChecksum(block) {
    const sum = computeChecksums(block).unsigned;
    block.write(sum.toString(8).padStart(6, '0'), Fields.checksum.offset, 6, 'latin1');
    block[Fields.checksum.offset + 6] = 0;
    block[Fields.checksum.offset + 7] = 0x20;
}
/** The bytes of a field up to its first NUL. */
function fieldBytes(block, f) {
    const raw = Buffer.from(block.buffer, block.byteOffset + f.offset, f.length);
    const nul = raw.indexOf(0);
    return nul < 0 ? raw : raw.subarray(0, nul);
}
function fieldLatin1(block, f) {
    return Buffer.from(block.buffer, block.byteOffset + f.offset, f.length).toString('latin1');
}
/**
 * Parses a numeric field: octal (leading/trailing spaces and NULs tolerated) or GNU base-256 (high bit set,
 * two's complement). Returns undefined when the field is malformed or the value is not a safe integer.
 */
function parseNumeric(block, f) {
    const first = block[f.offset];
    if (first & 0x80)
        return parseBase256(block.subarray(f.offset, f.offset + f.length));
    const text = fieldLatin1(block, f).replace(/^[ \0]+|[ \0]+$/g, '');
    const digits = text.split('\0', 1)[0];
    if (digits === '')
        return 0;
    if (!/^[0-7]+$/.test(digits))
        return undefined;
    const value = parseInt(digits, 8);
    return Number.isSafeInteger(value) ? value : undefined;
}
function parseBase256(bytes) {
    const negative = (bytes[0] & 0x40) !== 0;
    const invert = negative ? 0xff : 0;
    let x = 0;
    for (let i = 0; i < bytes.length; i++) {
        let c = bytes[i] ^ invert;
        if (i === 0)
            c &= 0x7f;
        x = x * 256 + c;
        if (x > Number.MAX_SAFE_INTEGER)
            return undefined;
    }
    return negative ? -x - 1 : x;
}
/** True when every byte of the block is zero (an end-of-archive marker). */
function isZeroBlock(block) {
    for (let i = 0; i < block.length; i++)
        if (block[i] !== 0)
            return false;
    return true;
}
/** Bytes of padding after a body of `size` bytes. */
function paddingAfter(size) {
    const rest = size % blockSize;
    return rest === 0 ? 0 : blockSize - rest;
}

;// CONCATENATED MODULE: ./src/oci/tar/pax.ts
/** PAX extended header records (`"<length> <key>=<value>\n"`, POSIX.1-2001 pax format). */
const xattrPrefix = 'SCHILY.xattr.';
const gnuSparsePrefix = 'GNU.sparse.';
/** Keys that map to header fields; never copied from `TarHeader.pax` into an archive. */
const basicPaxKeys = new Set([
    'path',
    'linkpath',
    'size',
    'uid',
    'gid',
    'uname',
    'gname',
    'mtime',
    'atime',
    'ctime',
]);
/** Keys whose values are text and therefore may not contain NUL. */
const textKeys = new Set(['path', 'linkpath', 'uname', 'gname']);
/** Whether a record can be stored: a non-empty key without `=` or NUL; text values without NUL. */
function isValidPaxRecord(key, value) {
    if (key === '' || key.includes('=') || key.includes('\0'))
        return false;
    return !textKeys.has(key) || !value.includes(0);
}
/**
 * Encodes one record. The length prefix counts itself, so adding its digits can push the total over a power of
 * ten (e.g. 8 bytes of content + "9 " = 10, which needs two digits: "10 "): recompute once in that case.
 */
function formatPaxRecord(key, value) {
    const body = Buffer.concat([Buffer.from(` ${key}=`, 'utf8'), value, Buffer.from('\n')]);
    let size = body.length + String(body.length).length;
    if (String(size).length + body.length !== size)
        size = String(size).length + body.length;
    return Buffer.concat([Buffer.from(String(size), 'latin1'), body]);
}
/** Encodes records sorted by key (bytewise on the UTF-8 key, as Go's sort.Strings orders them). */
function formatPaxRecords(records) {
    const keys = [...records.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return Buffer.concat(keys.map((k) => formatPaxRecord(k, records.get(k))));
}
/** Parses a PAX data block; returns undefined (malformed) on any framing error. */
function parsePaxRecords(data) {
    const records = [];
    let pos = 0;
    while (pos < data.length) {
        const space = data.indexOf(0x20, pos);
        if (space < 0 || space - pos > 20)
            return undefined;
        const lengthText = data.toString('latin1', pos, space);
        if (!/^[0-9]+$/.test(lengthText))
            return undefined;
        const length = Number(lengthText);
        const end = pos + length;
        if (length < 5 || end > data.length || end <= space + 1 || data[end - 1] !== 0x0a)
            return undefined;
        const eq = data.indexOf(0x3d, space + 1);
        if (eq < 0 || eq >= end - 1)
            return undefined;
        const key = data.toString('utf8', space + 1, eq);
        const value = data.subarray(eq + 1, end - 1);
        if (!isValidPaxRecord(key, value))
            return undefined;
        records.push({ key, value });
        pos = end;
    }
    return records;
}

;// CONCATENATED MODULE: ./src/oci/tar/header-validate.ts


const entryTypes = new Set([
    'file',
    'directory',
    'symlink',
    'hardlink',
    'char',
    'block',
    'fifo',
]);
/** Throws TarError('invalid-header') unless `h` describes an entry a layer tar may hold. */
function validateHeader(h) {
    const bad = (what) => {
        throw new TarError('invalid-header', `cannot write tar entry ${JSON.stringify(h.path)}: ${what}`);
    };
    if (!entryTypes.has(h.type))
        bad(`unknown entry type ${JSON.stringify(h.type)}`);
    const pathProblem = cleanPathProblem(h.path);
    if (pathProblem)
        bad(`path ${pathProblem}`);
    if (!Number.isInteger(h.mode) || h.mode < 0 || h.mode > 0o7777)
        bad(`mode ${h.mode} is not within 0..07777`);
    for (const [name, v] of [
        ['uid', h.uid],
        ['gid', h.gid],
        ['size', h.size],
    ]) {
        if (!Number.isSafeInteger(v) || v < 0)
            bad(`${name} ${v} is not a non-negative integer`);
    }
    if (!Number.isSafeInteger(h.mtime))
        bad(`mtime ${h.mtime} is not a whole number of seconds`);
    if (h.type !== 'file' && h.size !== 0)
        bad(`a ${h.type} entry must have size 0, not ${h.size}`);
    validateLink(h, bad);
    validateDevice(h, bad);
    for (const [name, v] of [
        ['uname', h.uname],
        ['gname', h.gname],
    ]) {
        if (v !== undefined && v.includes('\0'))
            bad(`${name} contains a NUL byte`);
    }
    for (const key of Object.keys(h.xattrs ?? {})) {
        if (!isValidPaxRecord(`SCHILY.xattr.${key}`, Buffer.alloc(0)))
            bad(`invalid xattr name ${JSON.stringify(key)}`);
    }
    for (const [key, value] of Object.entries(h.pax ?? {})) {
        if (!isValidPaxRecord(key, Buffer.from(value)))
            bad(`invalid PAX record ${JSON.stringify(key)}`);
    }
}
function validateLink(h, bad) {
    const isLink = h.type === 'symlink' || h.type === 'hardlink';
    if (!isLink) {
        if (h.linkname !== undefined)
            bad(`a ${h.type} entry cannot have a linkname`);
        return;
    }
    if (h.linkname === undefined || h.linkname === '')
        bad(`a ${h.type} needs a linkname`);
    if (h.linkname.includes('\0'))
        bad('linkname contains a NUL byte');
    if (h.type === 'hardlink') {
        const problem = cleanPathProblem(h.linkname);
        if (problem)
            bad(`hardlink target ${problem}`);
    }
}
function validateDevice(h, bad) {
    const isDevice = h.type === 'char' || h.type === 'block';
    for (const [name, v] of [
        ['devmajor', h.devmajor],
        ['devminor', h.devminor],
    ]) {
        if (v === undefined || v === 0)
            continue;
        if (!isDevice)
            bad(`a ${h.type} entry cannot have ${name}`);
        if (!Number.isInteger(v) || v < 0 || v >= 0o10000000)
            bad(`${name} ${v} does not fit in 7 octal digits`);
    }
}
/**
 * Why `p` is not a clean relative path (non-empty, no leading or trailing `/`, no empty, `.` or `..`
 * components, no NUL), or undefined when it is.
 */
function cleanPathProblem(p) {
    if (p === '')
        return 'is empty';
    if (p.includes('\0'))
        return 'contains a NUL byte';
    if (p.startsWith('/'))
        return `${JSON.stringify(p)} is absolute`;
    if (p.endsWith('/'))
        return `${JSON.stringify(p)} ends with '/'`;
    for (const part of p.split('/')) {
        if (part === '' || part === '.' || part === '..')
            return `${JSON.stringify(p)} is not a clean relative path`;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/oci/tar/header-encode.ts




/** The largest PAX extended header we write (and read): 1 MiB, as Go's archive/tar. */
const maxPaxDataSize = 1 << 20;
const typeflags = {
    file: Typeflag.file,
    directory: Typeflag.directory,
    symlink: Typeflag.symlink,
    hardlink: Typeflag.hardlink,
    char: Typeflag.char,
    block: Typeflag.block,
    fifo: Typeflag.fifo,
};
/**
 * Encodes a header as the blocks that precede the entry's body: a plain ustar header when every field fits,
 * else a PAX `x` header (records sorted by key) followed by the ustar header. Byte-for-byte what Go's
 * archive/tar writes for the same header with `Format: FormatPAX` (as containerd and BuildKit do).
 */
function encodeHeader(h) {
    validateHeader(h);
    const name = h.type === 'directory' ? `${h.path}/` : h.path;
    const { records, ustarOk } = extendedRecords(h, name);
    const split = ustarOk ? splitUstarPath(name) : undefined;
    const main = Buffer.alloc(blockSize);
    putString(main, Fields.name, split ? split.name : name);
    putOctal(main, Fields.mode, h.mode);
    putNumber(main, Fields.uid, h.uid);
    putNumber(main, Fields.gid, h.gid);
    putNumber(main, Fields.size, h.size);
    putNumber(main, Fields.mtime, h.mtime);
    main.write(typeflags[h.type], Fields.typeflag.offset, 'latin1');
    putString(main, Fields.linkname, h.linkname ?? '');
    main.write(ustarMagic + ustarVersion, Fields.magic.offset, 'latin1');
    putString(main, Fields.uname, h.uname ?? '');
    putString(main, Fields.gname, h.gname ?? '');
    putOctal(main, Fields.devmajor, h.devmajor ?? 0);
    putOctal(main, Fields.devminor, h.devminor ?? 0);
    if (split)
        putString(main, Fields.prefix, split.prefix);
    putChecksum(main);
    if (ustarOk)
        return main;
    return Buffer.concat([paxHeaderBlocks(name, formatPaxRecords(records)), main]);
}
/**
 * The PAX records a header needs, and whether plain ustar can hold it instead. As in Go, a long or non-ASCII
 * path is recorded even when PAX is needed for another reason only.
 */
function extendedRecords(h, name) {
    const records = new Map();
    let ustarOk = true;
    const text = (key, value, size, splittable) => {
        const bytes = Buffer.from(value, 'utf8');
        const ascii = header_encode_isAscii(bytes);
        if (ascii && bytes.length <= size)
            return;
        records.set(key, bytes);
        if (!splittable || !ascii || splitUstarPath(value) === undefined)
            ustarOk = false;
    };
    const numeric = (key, value, size) => {
        if (fitsOctal(size, value))
            return;
        records.set(key, Buffer.from(String(value), 'latin1'));
        ustarOk = false;
    };
    text('path', name, Fields.name.length, true);
    text('linkpath', h.linkname ?? '', Fields.linkname.length, false);
    text('uname', h.uname ?? '', Fields.uname.length, false);
    text('gname', h.gname ?? '', Fields.gname.length, false);
    numeric('uid', h.uid, Fields.uid.length);
    numeric('gid', h.gid, Fields.gid.length);
    numeric('size', h.size, Fields.size.length);
    numeric('mtime', h.mtime, Fields.mtime.length);
    for (const [key, value] of Object.entries(h.xattrs ?? {})) {
        records.set(xattrPrefix + key, value);
        ustarOk = false;
    }
    for (const [key, value] of Object.entries(h.pax ?? {})) {
        if (records.has(key) || basicPaxKeys.has(key) || key.startsWith(gnuSparsePrefix))
            continue;
        records.set(key, Buffer.from(value, 'utf8'));
        ustarOk = false;
    }
    return { records, ustarOk };
}
/** The `x` header and its padded data. The header's name is Go's `<dir>/PaxHeaders.0/<base>`. */
function paxHeaderBlocks(name, data) {
    if (data.length > maxPaxDataSize) {
        throw new TarError('limit', `cannot write tar entry ${JSON.stringify(name)}: its PAX header exceeds 1 MiB`, {
            hint: 'reduce the size of its extended attributes',
        });
    }
    const slash = name.lastIndexOf('/');
    const base = name.slice(slash + 1);
    const paxName = `${name.slice(0, slash + 1)}PaxHeaders.0${base ? `/${base}` : ''}`;
    const block = Buffer.alloc(blockSize);
    const asciiName = toAscii(paxName).subarray(0, Fields.name.length);
    let end = asciiName.length;
    while (end > 0 && asciiName[end - 1] === 0x2f)
        end--;
    putBytes(block, Fields.name, asciiName.subarray(0, end));
    putOctal(block, Fields.mode, 0);
    putOctal(block, Fields.uid, 0);
    putOctal(block, Fields.gid, 0);
    putOctal(block, Fields.size, data.length);
    putOctal(block, Fields.mtime, 0);
    block.write(Typeflag.paxLocal, Fields.typeflag.offset, 'latin1');
    block.write(ustarMagic + ustarVersion, Fields.magic.offset, 'latin1');
    putChecksum(block);
    return Buffer.concat([block, data, Buffer.alloc(paddingAfter(data.length))]);
}
/**
 * Splits a long ASCII path into ustar prefix (≤155 bytes) and name (≤100 bytes) at the last `/` that keeps the
 * prefix short enough — the rule GNU tar and Go share. Undefined when the path fits in the name field alone or
 * cannot be split.
 */
function splitUstarPath(p) {
    const nameMax = Fields.name.length;
    const prefixMax = Fields.prefix.length;
    if (p.length <= nameMax || !header_encode_isAscii(Buffer.from(p, 'utf8')))
        return undefined;
    let length = p.length;
    if (length > prefixMax + 1)
        length = prefixMax + 1;
    else if (p[length - 1] === '/')
        length--;
    const i = p.lastIndexOf('/', length - 1);
    const nameLength = p.length - i - 1;
    if (i <= 0 || nameLength > nameMax || nameLength === 0 || i > prefixMax)
        return undefined;
    return { prefix: p.slice(0, i), name: p.slice(i + 1) };
}
/** Writes a text field as Go does in PAX mode: non-ASCII bytes dropped, truncated to the field. */
function putString(block, f, value) {
    putBytes(block, f, toAscii(value));
}
/** Writes a number, or 0 when it does not fit (its real value is then in a PAX record). */
function putNumber(block, f, value) {
    putOctal(block, f, fitsOctal(f.length, value) ? value : 0);
}
function header_encode_isAscii(bytes) {
    for (const b of bytes)
        if (b >= 0x80 || b === 0)
            return false;
    return true;
}
function toAscii(value) {
    const bytes = Buffer.from(value, 'utf8');
    return header_encode_isAscii(bytes) ? bytes : Buffer.from(bytes.filter((b) => b < 0x80 && b !== 0));
}

;// CONCATENATED MODULE: ./src/oci/tar/writer.ts




const endOfArchive = Buffer.alloc(2 * blockSize);
/**
 * A streaming, deterministic tar writer. Read the archive from `stream`; `add` resolves once the entry has been
 * handed to the stream, waiting while the consumer is behind (backpressure), so memory stays bounded by the
 * stream's buffer whatever the file sizes. Calls are serialised: `add` may be called without awaiting the
 * previous one. The archive ends with two zero blocks and no record padding (as Go's archive/tar).
 */
class TarWriter {
    stream;
    tail = Promise.resolve();
    wake;
    failure;
    finished = false;
    /** Bytes handed to the stream so far. */
    bytesWritten = 0;
    constructor(opts = {}) {
        this.stream = new external_node_stream_namespaceObject.Readable({
            highWaterMark: opts.highWaterMark ?? 1 << 20,
            read: () => this.resume(),
        });
        this.stream.once('close', () => {
            if (!this.finished)
                this.fail(new TarError('truncated', 'the tar stream was closed before it was finished'));
        });
    }
    /** Appends an entry. A `file` needs a body of exactly `header.size` bytes; other types take none. */
    add(header, body) {
        return this.enqueue(async () => {
            if (this.finished)
                throw new TarError('invalid-header', `cannot add ${JSON.stringify(header.path)}: finished`);
            if (header.type !== 'file' && body !== undefined) {
                throw new TarError('invalid-header', `cannot write tar entry ${JSON.stringify(header.path)}: a ${header.type} has no body`);
            }
            const blocks = encodeHeader(header);
            if (body === undefined && header.size !== 0)
                throw sizeMismatch(header, 0);
            if (Buffer.isBuffer(body) && body.length !== header.size)
                throw sizeMismatch(header, body.length);
            await this.push(blocks);
            await this.guard(() => this.writeBody(header, body ?? Buffer.alloc(0)));
        });
    }
    /** Writes the end-of-archive marker and ends the stream. */
    finish() {
        return this.enqueue(async () => {
            if (this.finished)
                return;
            await this.push(endOfArchive);
            this.finished = true;
            this.stream.push(null);
        });
    }
    /** Runs after every earlier call; a failed call fails every later one. */
    enqueue(task) {
        const run = this.tail.then(() => {
            if (this.failure)
                throw this.failure;
            return task();
        });
        this.tail = run.catch(() => undefined);
        return run;
    }
    /** Once body bytes are out, a failure leaves a corrupt archive: destroy the stream so the consumer sees it. */
    async guard(write) {
        try {
            await write();
        }
        catch (e) {
            const err = e instanceof Error ? e : new Error(String(e));
            this.fail(err);
            this.stream.destroy(err);
            throw err;
        }
    }
    async writeBody(header, body) {
        if (Buffer.isBuffer(body)) {
            if (body.length > 0)
                await this.push(body);
        }
        else {
            let written = 0;
            for await (const chunk of body) {
                if (written + chunk.length > header.size)
                    throw sizeMismatch(header, written + chunk.length, 'at least ');
                written += chunk.length;
                if (chunk.length > 0)
                    await this.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
            }
            if (written !== header.size)
                throw sizeMismatch(header, written);
        }
        const pad = paddingAfter(header.size);
        if (pad > 0)
            await this.push(endOfArchive.subarray(0, pad));
    }
    async push(chunk) {
        if (this.failure)
            throw this.failure;
        this.bytesWritten += chunk.length;
        if (this.stream.push(chunk))
            return;
        await new Promise((resolve, reject) => (this.wake = { resolve, reject }));
    }
    resume() {
        const wake = this.wake;
        this.wake = undefined;
        wake?.resolve();
    }
    fail(err) {
        this.failure ??= err;
        const wake = this.wake;
        this.wake = undefined;
        wake?.reject(err);
    }
}
function sizeMismatch(h, got, qualifier = '') {
    return new TarError('size-mismatch', `tar entry ${JSON.stringify(h.path)}: the header says ${h.size} bytes but the body has ${qualifier}${got}`);
}
/** Convenience: a tar stream of `entries`, written in order; an error in any entry destroys the stream. */
function tarStream(entries) {
    const writer = new TarWriter();
    void (async () => {
        try {
            for await (const { header, body } of entries)
                await writer.add(header, body);
            await writer.finish();
        }
        catch (e) {
            writer.stream.destroy(e instanceof Error ? e : new Error(String(e)));
        }
    })();
    return writer.stream;
}

;// CONCATENATED MODULE: ./src/oci/tar/byte-source.ts
/**
 * Pulls bytes from an async iterable in the amounts a parser asks for, holding at most one source chunk
 * (plus one assembled block) in memory. `position` counts bytes consumed.
 */
class ByteSource {
    iterator;
    current = Buffer.alloc(0);
    done = false;
    position = 0;
    constructor(source) {
        this.iterator = source[Symbol.asyncIterator]();
    }
    /** Up to `max` bytes (a view into the current chunk, no copy); undefined at end of input. */
    async readChunk(max) {
        if (this.current.length === 0 && !(await this.fill()))
            return undefined;
        const n = Math.min(max, this.current.length);
        const out = this.current.subarray(0, n);
        this.current = this.current.subarray(n);
        this.position += n;
        return out;
    }
    /** Exactly `n` bytes, or fewer only when the input ends first (the caller decides whether that is an error). */
    async read(n) {
        const first = await this.readChunk(n);
        if (first === undefined)
            return Buffer.alloc(0);
        if (first.length === n)
            return first;
        const out = Buffer.allocUnsafe(n);
        first.copy(out, 0);
        let filled = first.length;
        while (filled < n) {
            const chunk = await this.readChunk(n - filled);
            if (chunk === undefined)
                return out.subarray(0, filled);
            chunk.copy(out, filled);
            filled += chunk.length;
        }
        return out;
    }
    /** Discards `n` bytes; returns how many were actually there. */
    async skip(n) {
        let skipped = 0;
        while (skipped < n) {
            const chunk = await this.readChunk(n - skipped);
            if (chunk === undefined)
                break;
            skipped += chunk.length;
        }
        return skipped;
    }
    /** Reads and discards the rest of the input (so upstream hashing and trailer checks run to the end). */
    async drain() {
        while ((await this.readChunk(Number.MAX_SAFE_INTEGER)) !== undefined) {
            // discard
        }
    }
    /** Stops pulling from the source (releasing it) when the reader is abandoned early. */
    async close() {
        if (this.done)
            return;
        this.done = true;
        await this.iterator.return?.();
    }
    async fill() {
        while (!this.done) {
            const next = await this.iterator.next();
            if (next.done) {
                this.done = true;
                return false;
            }
            const chunk = next.value;
            if (chunk.length === 0)
                continue;
            this.current = Buffer.isBuffer(chunk)
                ? chunk
                : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
            return true;
        }
        return false;
    }
}

;// CONCATENATED MODULE: ./src/oci/tar/entry-header.ts



const entry_header_entryTypes = {
    [Typeflag.file]: 'file',
    [Typeflag.fileOld]: 'file',
    [Typeflag.contiguous]: 'file',
    [Typeflag.hardlink]: 'hardlink',
    [Typeflag.symlink]: 'symlink',
    [Typeflag.char]: 'char',
    [Typeflag.block]: 'block',
    [Typeflag.directory]: 'directory',
    [Typeflag.fifo]: 'fifo',
};
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Text as stored: UTF-8 when valid, else Latin-1 (one character per byte, so nothing is lost). */
function decodeText(bytes) {
    try {
        return utf8.decode(bytes);
    }
    catch {
        return Buffer.from(bytes).toString('latin1');
    }
}
/**
 * Applies PAX records, then GNU long names (Go's precedence) to a raw header and maps it to the model.
 * Global (`g`) records are not applied: Go's archive/tar — hence containerd, BuildKit and Docker — ignores them.
 */
function buildEntryHeader(raw, meta, offset) {
    const fail = (reason, what) => {
        throw new TarError(reason, `tar entry at offset ${offset}: ${what}`, { offset });
    };
    const sparse = [...meta.pax.keys()].some((k) => k.startsWith(gnuSparsePrefix));
    if (raw.typeflag === Typeflag.gnuSparse || sparse)
        fail('unsupported', 'GNU sparse files are not supported');
    const f = applyPax(raw, meta.pax, fail);
    if (meta.longName)
        f.path = decodeText(meta.longName);
    if (meta.longLink)
        f.linkname = decodeText(meta.longLink);
    let type = entry_header_entryTypes[raw.typeflag];
    if (type === undefined) {
        fail('unsupported', `unsupported entry type ${JSON.stringify(raw.typeflag)} for ${JSON.stringify(f.path)}`);
    }
    if (raw.typeflag === Typeflag.fileOld && f.path.endsWith('/'))
        type = 'directory';
    if (type === 'directory')
        f.path = trimTrailingSlashes(f.path);
    if (f.uid < 0 || f.gid < 0 || f.size < 0)
        fail('malformed', `negative uid, gid or size for ${JSON.stringify(f.path)}`);
    const isLink = type === 'symlink' || type === 'hardlink';
    const isDevice = type === 'char' || type === 'block';
    return {
        path: f.path,
        type: type,
        mode: raw.mode & 0o7777,
        uid: f.uid,
        gid: f.gid,
        ...(f.uname ? { uname: f.uname } : {}),
        ...(f.gname ? { gname: f.gname } : {}),
        size: type === 'file' ? f.size : 0,
        mtime: f.mtime,
        ...(isLink ? { linkname: f.linkname } : {}),
        ...(isDevice ? { devmajor: raw.devmajor, devminor: raw.devminor } : {}),
        ...(Object.keys(f.xattrs).length > 0 ? { xattrs: f.xattrs } : {}),
        ...(Object.keys(f.pax).length > 0 ? { pax: f.pax } : {}),
    };
}
function applyPax(raw, records, fail) {
    const f = {
        path: decodeText(raw.name),
        linkname: decodeText(raw.linkname),
        uname: decodeText(raw.uname),
        gname: decodeText(raw.gname),
        uid: raw.uid,
        gid: raw.gid,
        size: raw.size,
        mtime: raw.mtime,
        xattrs: {},
        pax: {},
    };
    for (const [key, value] of records) {
        if (value.length === 0 && basicPaxKeys.has(key))
            continue; // keep the header's field (POSIX; as Go)
        const text = decodeText(value);
        const bad = () => fail('malformed', `bad PAX ${key} ${JSON.stringify(text)}`);
        if (key === 'path' || key === 'linkpath' || key === 'uname' || key === 'gname') {
            f[key === 'linkpath' ? 'linkname' : key] = text;
        }
        else if (key === 'uid' || key === 'gid' || key === 'size') {
            f[key] = parsePaxInteger(value) ?? bad();
        }
        else if (key === 'mtime') {
            f.mtime = parsePaxTime(value) ?? bad();
        }
        else if (key.startsWith(xattrPrefix)) {
            f.xattrs[key.slice(xattrPrefix.length)] = value;
        }
        else {
            f.pax[key] = text;
        }
    }
    return f;
}
/** Records collected from a `x` header, merged over earlier ones. */
function mergePax(meta, records) {
    for (const { key, value } of records)
        meta.pax.set(key, value);
}
function trimTrailingSlashes(p) {
    let end = p.length;
    while (end > 1 && p[end - 1] === '/')
        end--;
    return p.slice(0, end);
}
function parsePaxInteger(value) {
    const s = value.toString('latin1');
    if (!/^[0-9]{1,16}$/.test(s))
        return undefined;
    const n = Number(s);
    return Number.isSafeInteger(n) ? n : undefined;
}
/** `[-]seconds[.fraction]`, floored to whole seconds (BuildKit and containerd truncate sub-second times). */
function parsePaxTime(value) {
    const m = /^(-?)([0-9]{1,16})(?:\.([0-9]*))?$/.exec(value.toString('latin1'));
    if (!m)
        return undefined;
    const secs = Number(m[2]);
    if (!Number.isSafeInteger(secs))
        return undefined;
    const hasFraction = /[1-9]/.test(m[3] ?? '');
    if (m[1] === '-')
        return hasFraction ? -secs - 1 : 0 - secs;
    return secs;
}

;// CONCATENATED MODULE: ./src/oci/tar/header-decode.ts


/** Which tar dialect a header block is written in (the rules Go's archive/tar applies). */
function formatOf(block) {
    const magic = fieldLatin1(block, Fields.magic);
    if (magic === ustarMagic)
        return fieldLatin1(block, Fields.starTrailer) === starTrailer ? 'star' : 'ustar';
    if (magic === gnuMagic && fieldLatin1(block, Fields.version) === gnuVersion)
        return 'gnu';
    return 'v7';
}
/** True when the block's stored checksum matches (unsigned or signed sum): it looks like a tar header. */
function hasValidChecksum(block) {
    if (block.length < blockSize)
        return false;
    const stored = parseNumeric(block, Fields.checksum);
    if (stored === undefined)
        return false;
    const { unsigned, signed } = computeChecksums(block);
    return stored === unsigned || stored === signed;
}
/** Decodes a (non-zero) header block; throws TarError for a bad checksum or a malformed numeric field. */
function decodeHeaderBlock(block, offset) {
    if (!hasValidChecksum(block)) {
        const what = offset === 0 ? 'not a tar archive' : 'invalid tar header';
        throw new TarError('checksum', `${what}: header checksum mismatch at offset ${offset}`, { offset });
    }
    const format = formatOf(block);
    const number = (f, name) => {
        const v = parseNumeric(block, f);
        if (v === undefined) {
            const raw = JSON.stringify(fieldLatin1(block, f).replace(/\0+$/, ''));
            throw new TarError('malformed', `invalid tar header at offset ${offset}: bad ${name} field ${raw}`, {
                offset,
            });
        }
        return v;
    };
    const hasUstarFields = format !== 'v7';
    let name = fieldBytes(block, Fields.name);
    if (format === 'ustar' || format === 'star') {
        const prefix = fieldBytes(block, format === 'star' ? Fields.starPrefix : Fields.prefix);
        if (prefix.length > 0)
            name = Buffer.concat([prefix, Buffer.from('/'), name]);
    }
    return {
        format,
        typeflag: String.fromCharCode(block[Fields.typeflag.offset]),
        name: Buffer.from(name),
        linkname: Buffer.from(fieldBytes(block, Fields.linkname)),
        mode: number(Fields.mode, 'mode'),
        uid: number(Fields.uid, 'uid'),
        gid: number(Fields.gid, 'gid'),
        size: number(Fields.size, 'size'),
        mtime: number(Fields.mtime, 'mtime'),
        uname: hasUstarFields ? Buffer.from(fieldBytes(block, Fields.uname)) : Buffer.alloc(0),
        gname: hasUstarFields ? Buffer.from(fieldBytes(block, Fields.gname)) : Buffer.alloc(0),
        devmajor: hasUstarFields ? number(Fields.devmajor, 'devmajor') : 0,
        devminor: hasUstarFields ? number(Fields.devminor, 'devminor') : 0,
    };
}

;// CONCATENATED MODULE: ./src/oci/tar/reader.ts








/**
 * Reads a tar stream (ustar, PAX, GNU, star and old v7 headers) entry by entry, in constant memory. Each entry's
 * body must be consumed before the next entry is requested, or it is skipped then. Paths are exposed as stored
 * (never sanitised); see TarHeader for the normalisations. After the end-of-archive marker the rest of the
 * input is read and discarded, so a hash or decompressor upstream sees the whole stream.
 *
 * Errors are TarError: truncated input, bad checksums, malformed fields, GNU sparse files, unknown entry types
 * (a GNU volume label `V` is skipped), metadata over the limit.
 */
async function* readTar(source, opts = {}) {
    const src = new ByteSource(source);
    const limit = opts.maxMetadataSize ?? maxPaxDataSize;
    let body;
    try {
        for (;;) {
            await body?.finish();
            const next = await readEntryHeader(src, limit);
            if (next === undefined)
                break;
            body = new BodyCursor(src, next.header, next.offset);
            yield { header: next.header, body: body.iterable() };
        }
        await src.drain();
    }
    finally {
        await src.close();
    }
}
/** Reads metadata headers up to and including the next entry's header; undefined at the end of the archive. */
async function readEntryHeader(src, limit) {
    const meta = { pax: new Map() };
    let metaBytes = 0;
    let pending = false;
    for (;;) {
        const offset = src.position;
        const block = await src.read(blockSize);
        if (block.length === 0 || isZeroBlock(block)) {
            if (pending)
                throw truncated(offset, 'a PAX or GNU metadata header is not followed by an entry');
            if (block.length > 0)
                await expectEndMarker(src);
            return undefined;
        }
        if (block.length < blockSize)
            throw truncated(offset, 'the input ends inside a header');
        const raw = decodeHeaderBlock(block, offset);
        switch (raw.typeflag) {
            case Typeflag.paxLocal:
            case Typeflag.paxGlobal:
            case Typeflag.gnuLongName:
            case Typeflag.gnuLongLink: {
                const isGlobal = raw.typeflag === Typeflag.paxGlobal;
                if (!isGlobal) {
                    metaBytes += raw.size;
                    pending = true;
                }
                if (raw.size > limit || metaBytes > limit) {
                    throw new TarError('limit', `tar metadata at offset ${offset} exceeds ${limit} bytes`, { offset });
                }
                const data = await readData(src, raw.size, offset);
                if (raw.typeflag === Typeflag.gnuLongName)
                    meta.longName = cString(data);
                else if (raw.typeflag === Typeflag.gnuLongLink)
                    meta.longLink = cString(data);
                else {
                    const records = parsePaxRecords(data);
                    if (records === undefined) {
                        throw new TarError('malformed', `invalid PAX extended header at offset ${offset}`, { offset });
                    }
                    if (!isGlobal)
                        mergePax(meta, records);
                }
                continue;
            }
            case Typeflag.gnuVolume:
                await readData(src, raw.size, offset);
                continue;
            default:
                return { header: buildEntryHeader(raw, meta, offset), offset };
        }
    }
}
/** After one zero block: the next must be zero too, or the input must end (as Go's archive/tar requires). */
async function expectEndMarker(src) {
    const offset = src.position;
    const block = await src.read(blockSize);
    if (block.length === 0 || isZeroBlock(block))
        return;
    throw new TarError('malformed', `invalid tar archive: data after a zero block at offset ${offset}`, {
        offset,
    });
}
async function readData(src, size, offset) {
    const data = await src.read(size);
    if (data.length < size)
        throw truncated(offset, 'the input ends inside a metadata entry');
    const pad = paddingAfter(size);
    if ((await src.skip(pad)) < pad)
        throw truncated(offset, 'the input ends inside a metadata entry');
    return Buffer.from(data);
}
function cString(data) {
    const nul = data.indexOf(0);
    return nul < 0 ? data : data.subarray(0, nul);
}
function truncated(offset, what) {
    return new TarError('truncated', `truncated tar archive: ${what} (offset ${offset})`, { offset });
}
/** The unread part of the current entry's body. */
class BodyCursor {
    src;
    header;
    offset;
    remaining;
    started = false;
    closed = false;
    constructor(src, header, offset) {
        this.src = src;
        this.header = header;
        this.offset = offset;
        this.remaining = header.size;
    }
    iterable() {
        return { [Symbol.asyncIterator]: () => this.chunks() };
    }
    /** Skips what the consumer did not read, and the padding. */
    async finish() {
        this.closed = true;
        const need = this.remaining + paddingAfter(this.header.size);
        this.remaining = 0;
        if ((await this.src.skip(need)) < need)
            throw this.truncated();
    }
    async *chunks() {
        if (this.started || this.closed) {
            throw new errors/* InternalError */.Gd(`the body of tar entry ${JSON.stringify(this.header.path)} was read twice or too late`);
        }
        this.started = true;
        while (this.remaining > 0) {
            if (this.closed)
                throw new errors/* InternalError */.Gd('a tar entry body was read after the next entry was requested');
            const chunk = await this.src.readChunk(this.remaining);
            if (chunk === undefined)
                throw this.truncated();
            this.remaining -= chunk.length;
            yield chunk;
        }
    }
    truncated() {
        return truncated(this.offset, `the body of ${JSON.stringify(this.header.path)} is incomplete`);
    }
}

;// CONCATENATED MODULE: ./src/build/rootfs/unpack-layer.ts





const whiteoutPrefix = '.wh.';
const opaqueMarker = '.wh..wh..opq';
/**
 * Unpacks an OCI layer tar into a directory in overlay format: `.wh.<name>` files become char 0/0 whiteout
 * devices, `.wh..wh..opq` makes its directory opaque. Entries are checked first — a path that is absolute after
 * cleaning, climbs with `..`, passes through a symlink of the same archive, or a hardlink to something not in the
 * archive is refused — and GNU tar (which can create device nodes and set xattrs, unlike Node) writes the files.
 * Returns the opaque directories.
 */
async function unpackLayer(req) {
    const gnuTar = startHostProcess(req.privilege.wrap([
        'tar',
        '--extract',
        '--file=-',
        `--directory=${req.dir}`,
        '--numeric-owner',
        '--same-owner',
        '--same-permissions',
        '--xattrs',
        '--xattrs-include=*',
        '--delay-directory-restore',
        '--no-unquote',
    ]), req.hostEnv, `unpacking ${req.what}`);
    const writer = new TarWriter();
    const opaque = [];
    const feed = (0,external_node_stream_promises_namespaceObject.pipeline)(writer.stream, gnuTar.stdin);
    try {
        for await (const e of sanitizeLayer(readTar(req.tar), req.what, opaque, req.privilege.overlayXattrPrefix)) {
            await writer.add(e.header, e.header.type === 'file' ? e.body : undefined);
        }
        await writer.finish();
        await feed;
        await gnuTar.done;
    }
    catch (err) {
        gnuTar.kill();
        writer.stream.destroy();
        await feed.catch(() => undefined);
        throw err;
    }
    return { opaque };
}
/** Cleans a layer-relative path; undefined for the root itself; throws for paths that leave the root. */
function cleanLayerPath(raw, what) {
    const parts = [];
    for (const c of raw.split('/')) {
        if (c === '' || c === '.')
            continue;
        if (c === '..')
            throw hostile(what, raw, 'climbs out of the root with ..');
        parts.push(c);
    }
    return parts.length === 0 ? undefined : parts.join('/');
}
function hostile(what, path, why) {
    return new errors/* BuildStepError */.JI(`${what} has an entry that ${why}: ${JSON.stringify(path)}`, {
        hint: 'the archive is corrupt or hostile; nothing was written outside the build directory',
    });
}
async function* sanitizeLayer(entries, what, opaque, overlayPrefix) {
    const symlinks = new Set();
    const nonDirs = new Set();
    const dirs = new Map();
    for await (const { header, body } of entries) {
        const path = cleanLayerPath(header.path, what);
        if (path === undefined)
            continue;
        for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
            if (symlinks.has(path.slice(0, i)))
                throw hostile(what, header.path, 'is written through a symbolic link of the same archive');
        }
        const slash = path.lastIndexOf('/');
        const parent = slash < 0 ? '' : path.slice(0, slash);
        const base = path.slice(slash + 1);
        if (base === opaqueMarker) {
            if (parent === '')
                throw hostile(what, header.path, 'makes the root directory opaque, which overlayfs cannot express');
            opaque.push(parent);
            const d = dirs.get(parent);
            yield { header: opaqueDir(parent, d, overlayPrefix), body: empty() };
            continue;
        }
        if (base.startsWith(whiteoutPrefix)) {
            const target = (parent ? parent + '/' : '') + base.slice(whiteoutPrefix.length);
            yield {
                header: {
                    path: target,
                    type: 'char',
                    mode: 0,
                    uid: 0,
                    gid: 0,
                    size: 0,
                    mtime: 0,
                    devmajor: 0,
                    devminor: 0,
                },
                body: empty(),
            };
            continue;
        }
        const clean = { ...header, path, xattrs: keepXattrs(header.xattrs) };
        if (header.type === 'hardlink') {
            const target = cleanLayerPath(header.linkname ?? '', what);
            if (target === undefined || !nonDirs.has(target))
                throw hostile(what, header.path, `is a hard link to something outside the archive (${header.linkname ?? ''})`);
            yield { header: { ...clean, linkname: target }, body: empty() };
            nonDirs.add(path);
            continue;
        }
        if (header.type === 'directory')
            dirs.set(path, clean);
        else
            nonDirs.add(path);
        if (header.type === 'symlink')
            symlinks.add(path);
        else
            symlinks.delete(path);
        yield { header: clean, body };
    }
}
/** overlay-internal and host-specific attributes never come from an archive. */
function keepXattrs(x) {
    if (!x)
        return undefined;
    const out = {};
    for (const [k, v] of Object.entries(x)) {
        if (k.startsWith('trusted.') || k.startsWith('user.overlay.') || k === 'security.selinux')
            continue;
        out[k] = v;
    }
    return Object.keys(out).length > 0 ? out : undefined;
}
function opaqueDir(path, d, overlayPrefix) {
    const xattrs = { ...(d?.xattrs ?? {}), [`${overlayPrefix}opaque`]: Buffer.from('y') };
    return {
        path,
        type: 'directory',
        mode: d?.mode ?? 0o755,
        uid: d?.uid ?? 0,
        gid: d?.gid ?? 0,
        size: 0,
        mtime: d?.mtime ?? 0,
        xattrs,
    };
}
async function* empty() { }

;// CONCATENATED MODULE: ./src/build/layer-dirs.ts










/**
 * The unpacked layer directories of a work root: `layers/<id>/` in overlay format plus `layers/<id>.json`
 * (written last: its presence marks a complete directory). Each layer is unpacked once and reused by every later
 * step, stage and build on the machine; a step's upper dir is adopted as its layer's directory without copying.
 */
class LayerDirs {
    root;
    blobs;
    privilege;
    hostEnv;
    logger;
    source;
    pending = new Map();
    constructor(root, blobs, privilege, hostEnv, logger, source) {
        this.root = root;
        this.blobs = blobs;
        this.privilege = privilege;
        this.hostEnv = hostEnv;
        this.logger = logger;
        this.source = source;
    }
    /** Short names keep overlay's single-page lowerdir option small (hundreds of layers fit). */
    static idOf(diffId) {
        return digestHex(diffId).slice(0, 20);
    }
    dirOf(diffId) {
        return (0,external_node_path_.join)(this.root, LayerDirs.idOf(diffId));
    }
    async init() {
        await (0,promises_.mkdir)(this.root, { recursive: true });
    }
    /** The unpacked directory of a layer, unpacking it from the store the first time. */
    get(layer, what) {
        const id = LayerDirs.idOf(layer.diffId);
        let p = this.pending.get(id);
        if (!p) {
            p = this.load(layer, what);
            this.pending.set(id, p);
            p.catch(() => this.pending.delete(id));
        }
        return p;
    }
    /** Makes a step's upper dir the directory of the layer it produced (or drops it when that layer is known). */
    async adopt(upper, diffId, opaque) {
        const id = LayerDirs.idOf(diffId);
        const existing = await this.readMeta(diffId);
        if (existing) {
            await this.removeTree(upper);
            return { dir: this.dirOf(diffId), opaque: new Set(existing.opaque) };
        }
        await (0,promises_.rm)(this.dirOf(diffId), { recursive: true, force: true }).catch(() => undefined);
        await (0,promises_.rename)(upper, this.dirOf(diffId));
        await this.writeMeta(diffId, opaque);
        const dir = { dir: this.dirOf(diffId), opaque: new Set(opaque) };
        this.pending.set(id, Promise.resolve(dir));
        return dir;
    }
    /** A fresh empty directory for a step's upper dir (same file system as the layers, so adopt is a rename). */
    async newUpper() {
        const dir = (0,external_node_path_.join)(this.root, `.up-${(0,external_node_crypto_namespaceObject.randomBytes)(8).toString('hex')}`);
        await (0,promises_.mkdir)(dir, { mode: 0o755 });
        return dir;
    }
    /** Removes a tree that may hold root-owned, read-only entries (a failed step's upper dir). */
    async removeTree(dir) {
        if (this.privilege.mode === 'root') {
            await (0,promises_.rm)(dir, { recursive: true, force: true });
            return;
        }
        await startHostProcess(this.privilege.wrap(['rm', '-rf', '--', dir]), this.hostEnv, 'cleanup').done;
    }
    async load(layer, what) {
        const meta = await this.readMeta(layer.diffId);
        if (meta)
            return { dir: this.dirOf(layer.diffId), opaque: new Set(meta.opaque) };
        if (!(await this.blobs.has(layer.descriptor.digest))) {
            if (!this.source)
                throw new errors/* BuildStepError */.JI(`${what} is not in the local store`);
            const download = await this.source.open?.(layer);
            if (download)
                return this.unpackWhileStoring(layer, what, download);
            await this.source.fetch(layer);
        }
        return this.unpack(layer, what, this.blobs.open(layer.descriptor.digest));
    }
    async unpack(layer, what, blob) {
        const tmp = await this.newUpper();
        this.logger.debug(`unpacking ${what} (${layer.diffId})`);
        try {
            const tar = decompressStream(blob, { compression: compressionOf(layer.descriptor) });
            const { opaque } = await unpackLayer({
                dir: tmp,
                tar,
                what,
                privilege: this.privilege,
                hostEnv: this.hostEnv,
            });
            return await this.adopt(tmp, layer.diffId, opaque);
        }
        catch (err) {
            await this.removeTree(tmp).catch(() => undefined);
            throw err;
        }
    }
    /**
     * A download feeds the store (digest-verified) and the unpacker at once, instead of one after the other. The
     * directory is adopted only when both succeed: a blob that fails verification leaves no layer behind.
     */
    async unpackWhileStoring(layer, what, download) {
        const toStore = new external_node_stream_namespaceObject.PassThrough({ highWaterMark: 1 << 20 });
        const toUnpack = new external_node_stream_namespaceObject.PassThrough({ highWaterMark: 1 << 20 });
        const stop = (err) => {
            download.destroy(err);
            toStore.destroy(err);
            toUnpack.destroy(err);
        };
        download.on('error', stop);
        // the consumers' promises carry the errors; the events must not go unheard
        toStore.on('error', () => undefined);
        toUnpack.on('error', () => undefined);
        download.pipe(toStore);
        download.pipe(toUnpack);
        const stored = this.blobs.putStream(toStore, {
            digest: layer.descriptor.digest,
            size: layer.descriptor.size,
        });
        const unpacked = this.unpack(layer, what, toUnpack);
        const results = await Promise.allSettled([
            stored.catch((err) => {
                stop(err);
                throw err;
            }),
            unpacked.catch((err) => {
                stop(err);
                throw err;
            }),
        ]);
        const failure = results.find((r) => r.status === 'rejected');
        if (failure) {
            if (results[1].status === 'fulfilled')
                await this.forget(layer.diffId);
            throw failure.reason;
        }
        return results[1].value;
    }
    /** Removes an adopted layer directory whose blob turned out bad. */
    async forget(diffId) {
        this.pending.delete(LayerDirs.idOf(diffId));
        await (0,promises_.rm)(`${this.dirOf(diffId)}.json`, { force: true });
        await this.removeTree(this.dirOf(diffId)).catch(() => undefined);
    }
    async readMeta(diffId) {
        try {
            const meta = JSON.parse(await (0,promises_.readFile)(`${this.dirOf(diffId)}.json`, 'utf8'));
            if (meta.diffId !== diffId) {
                throw new errors/* BuildStepError */.JI(`layer directory ${this.dirOf(diffId)} belongs to ${meta.diffId}, not ${diffId}`, {
                    hint: 'remove the work directory and build again',
                });
            }
            return meta;
        }
        catch (err) {
            if (err.code === 'ENOENT')
                return undefined;
            throw err;
        }
    }
    async writeMeta(diffId, opaque) {
        const file = `${this.dirOf(diffId)}.json`;
        const tmp = `${file}.${(0,external_node_crypto_namespaceObject.randomBytes)(4).toString('hex')}`;
        await (0,promises_.writeFile)(tmp, JSON.stringify({ diffId, opaque }));
        await (0,promises_.rename)(tmp, file);
    }
}
function compressionOf(d) {
    return layerCompression(d.mediaType);
}

// EXTERNAL MODULE: ./src/build/rootfs/privilege.ts
var privilege = __nccwpck_require__(209);
;// CONCATENATED MODULE: ./src/build/rootfs/sandbox-script.ts
/**
 * The in-namespace supervisor for RUN steps, written in Perl because perl-base is Essential on every Debian/Ubuntu
 * system (GitHub-hosted runners included) and, unlike Node, can chroot/pivot_root, set supplementary groups and
 * drop capabilities in the process that then execs the build command.
 *
 * It runs as pid 1 of a fresh mount+pid+ipc+uts namespace (created by util-linux `unshare`) and:
 *   1. mounts the step's overlay (nodev) and the build's mounts (proc, sys, a minimal nodev /dev, resolv.conf,
 *      hosts, cache/secret/bind/tmpfs mounts), creating mountpoint stubs it records;
 *   2. forks the command: a nested mount namespace, pivot_root into the overlay with the host root detached (so a
 *      root RUN step cannot chroot its way out), user/groups resolved from the image's /etc/passwd and /etc/group,
 *      capabilities cut to Docker's default set, then exec;
 *   3. kills whatever the command left running, unmounts, removes the stubs it created (so nothing from the build's
 *      mounts reaches the layer) and writes the outcome to a status file.
 * The spec file is a list of NUL-terminated tokens: `KIND ARGS…` records with a fixed arity per kind.
 *
 * Keep this text free of the JavaScript template-literal interpolation marker (dollar + brace).
 */
const sandboxScript = String.raw `
use strict;
use warnings;
use POSIX qw(:sys_wait_h);
use Config;

my %SYS = (
  'x86_64'  => { unshare => 272, pivot_root => 155, umount2 => 166, prctl => 157, mount => 165, sethostname => 170 },
  'aarch64' => { unshare => 97,  pivot_root => 41,  umount2 => 39,  prctl => 167, mount => 40, sethostname => 161 },
);
my ($arch) = split /-/, $Config{archname};
my $sys = $SYS{$arch};

# Keep the command from reading this process's memory or its host root through /proc/1.
syscall($sys->{prctl}, 4, 0, 0, 0, 0) if $sys;

my $specfile = shift @ARGV;
open(my $sf, '<', $specfile) or die "image-build sandbox: cannot read spec: $!\n";
my @tok = do { local $/ = "\0"; map { chomp; $_ } <$sf> };
close $sf;

my (%root, @mounts, @exec, $statusfile, $envfile, $hostname, $lo, @caps, $userxattr);
my %arity = (root => 5, proc => 0, sys => 0, dev => 0, bind => 4, tmpfs => 2, overlay => 6,
  hostname => 1, lo => 0, status => 1, envfile => 1, caps => 1, userxattr => 0);
while (@tok) {
  my $kind = shift @tok;
  if ($kind eq 'exec') { @exec = @tok; last; }
  die "image-build sandbox: bad spec token '$kind'\n" unless exists $arity{$kind};
  my @a = splice(@tok, 0, $arity{$kind});
  if ($kind eq 'root') { @root{qw(merged lowercwd lowers upper work)} = @a; }
  elsif ($kind eq 'status') { $statusfile = $a[0]; }
  elsif ($kind eq 'envfile') { $envfile = $a[0]; }
  elsif ($kind eq 'hostname') { $hostname = $a[0]; }
  elsif ($kind eq 'lo') { $lo = 1; }
  elsif ($kind eq 'userxattr') { $userxattr = 1; }
  elsif ($kind eq 'caps') { @caps = split /,/, $a[0]; }
  else { push @mounts, [$kind, @a]; }
}

sub finish {
  my ($msg) = @_;
  if (defined $statusfile && open(my $st, '>', $statusfile)) { print $st $msg; close $st; }
  exit 0;
}
sub fail { finish("error " . join('', @_)); }
sub run { my @c = @_; system(@c) == 0 or fail("'@c' failed"); }

# Resolves a path inside the rootfs without ever leaving it: symlinks are followed relative to the rootfs root,
# '..' stops at the root. Returns the host path; missing components are appended literally.
sub resolve_in_root {
  my ($rootdir, $path, $follow_last) = @_;
  my @todo = grep { $_ ne '' && $_ ne '.' } split m{/}, $path;
  my @done;
  my $hops = 0;
  while (@todo) {
    my $c = shift @todo;
    if ($c eq '..') { pop @done; next; }
    my $host = join('/', $rootdir, @done, $c);
    if (-l $host && (@todo || $follow_last)) {
      fail("too many levels of symbolic links in $path") if ++$hops > 40;
      my $t = readlink($host);
      @done = () if $t =~ m{^/};
      unshift @todo, grep { $_ ne '' && $_ ne '.' } split m{/}, $t;
      next;
    }
    push @done, $c;
  }
  return join('/', $rootdir, @done);
}

my @stubs;    # [host path, 'file'|'dir'] created here, removed after the run when still empty
my %times;    # existing directories a stub was created in => a reference file holding their times
sub remember_times {
  my ($dir) = @_;
  return if exists $times{$dir};
  my $ref = "$specfile.t" . scalar(keys %times);
  run('touch', '-r', $dir, $ref);
  $times{$dir} = $ref;
}
# $keep: the directory stays in the layer (runc's /proc, /sys and /dev mountpoints, which BuildKit keeps when
# the image lacks them: moby/buildkit#3455); otherwise it is a stub removed after the run.
sub ensure_dir {
  my ($host, $keep) = @_;
  return if -d $host;
  my @parts = split m{/}, substr($host, length($root{merged}));
  my $p = $root{merged};
  for my $c (grep { $_ ne '' } @parts) {
    my $parent = $p;
    $p .= "/$c";
    next if -d $p;
    fail("mountpoint parent $p exists and is not a directory") if -e $p || -l $p;
    remember_times($parent) unless $keep;
    mkdir($p, 0755) or fail("mkdir $p: $!");
    push @stubs, [$p, 'dir'] unless $keep;
  }
}
sub ensure_target {
  my ($target, $isfile, $keep) = @_;
  my $host = resolve_in_root($root{merged}, $target, 1);
  if ($isfile) {
    my ($dir) = $host =~ m{^(.*)/[^/]+$};
    ensure_dir($dir);
    if (!-e $host) {
      remember_times($dir);
      open(my $f, '>', $host) or fail("create mountpoint $target: $!");
      close $f;
      push @stubs, [$host, 'file'];
    }
  } else {
    ensure_dir($host, $keep);
  }
  return $host;
}

my @mounted;  # host paths, unmounted in reverse order

# mount(8)-style arguments (-t TYPE, -o OPTS, SOURCE, --bind/--rbind SRC) done with the mount(2) syscall where we
# know its number: a RUN step makes some twenty mounts, and a process per mount was most of its start-up time.
my %MS = (ro => 1, nosuid => 2, nodev => 4, noexec => 8, remount => 32, bind => 4096, rec => 16384, strictatime => 1 << 24);
sub sys_mount {
  my ($target, @args) = @_;
  return system('mount', @args, $target) == 0 unless $sys;
  my ($type, $source, $flags, @data) = ('', 'none', 0);
  while (@args) {
    my $a = shift @args;
    if ($a eq '-t') { $type = shift @args; }
    elsif ($a eq '--bind') { $flags |= $MS{bind}; $source = shift @args; }
    elsif ($a eq '--rbind') { $flags |= $MS{bind} | $MS{rec}; $source = shift @args; }
    elsif ($a eq '-o') {
      for my $o (split /,/, shift @args) {
        if (exists $MS{$o}) { $flags |= $MS{$o}; } else { push @data, $o; }
      }
    }
    else { $source = $a; }
  }
  my ($src, $tgt, $fstype, $opts) = ($source, $target, $type, join(',', @data));
  my $r = syscall($sys->{mount}, $src, $tgt, ($fstype eq '' ? 0 : $fstype), 0 + $flags, ($opts eq '' ? 0 : $opts));
  return $r == 0;
}
sub do_mount {
  my ($target, @args) = @_;
  sys_mount($target, @args) or fail("mount @args $target: $!");
  push @mounted, $target;
}
sub do_remount {
  my ($target, $opts) = @_;
  sys_mount($target, '-o', "remount,$opts") or fail("remount $target ($opts): $!");
}
sub do_umount {
  my ($target) = @_;
  return system('umount', $target) == 0 || system('umount', '-l', $target) == 0 unless $sys;
  my $t = $target;
  return syscall($sys->{umount2}, $t, 0) == 0 || syscall($sys->{umount2}, $t, 2) == 0;
}

sub overlay_opts {
  my ($lowers, $upper, $work) = @_;
  my $o = "lowerdir=$lowers";
  $o .= ",upperdir=$upper,workdir=$work" if $upper ne '';
  # In a user namespace overlayfs keeps its metadata in user.overlay.* xattrs; userxattr implies no redirects,
  # no metacopy and no index (and refuses those options).
  return $userxattr ? "$o,userxattr" : "$o,redirect_dir=off,index=off,metacopy=off";
}

# 1. The rootfs.
chdir($root{lowercwd}) or fail("chdir $root{lowercwd}: $!");
do_mount($root{merged}, '-t', 'overlay', 'overlay', '-o',
  'nodev,' . overlay_opts($root{lowers}, $root{upper}, $root{work}));
chdir('/');

# 2. The mounts a build step sees, in spec order.
for my $m (@mounts) {
  my ($kind, @a) = @$m;
  if ($kind eq 'proc') {
    my $t = ensure_target('/proc', 0, 1);
    do_mount($t, '-t', 'proc', '-o', 'nosuid,nodev,noexec', 'proc');
    for my $masked (qw(kcore keys timer_list sched_debug latency_stats timer_stats)) {
      next unless -f "$t/$masked";
      do_mount("$t/$masked", '--bind', '/dev/null');
    }
    for my $ro (qw(sys sysrq-trigger irq bus fs asound)) {
      next unless -e "$t/$ro";
      do_mount("$t/$ro", '--bind', "$t/$ro");
      do_remount("$t/$ro", 'bind,ro');
    }
  } elsif ($kind eq 'sys') {
    my $t = ensure_target('/sys', 0, 1);
    # sysfs can only be mounted by the owner of the network namespace; in a user namespace sharing the host's
    # network, show the host's /sys read-only instead.
    if (sys_mount($t, '-t', 'sysfs', '-o', 'ro,nosuid,nodev,noexec', 'sysfs')) { push @mounted, $t; }
    else {
      do_mount($t, '--rbind', '/sys');
      sys_mount($t, '-o', 'remount,bind,ro,nosuid,nodev,noexec');
    }
  } elsif ($kind eq 'dev') {
    my $t = ensure_target('/dev', 0, 1);
    do_mount($t, '-t', 'tmpfs', '-o', 'nosuid,nodev,mode=755,size=65536k', 'tmpfs');
    for my $node (qw(null zero full random urandom tty)) {
      open(my $f, '>', "$t/$node") or fail("create $t/$node: $!");
      close $f;
      do_mount("$t/$node", '--bind', "/dev/$node");
    }
    mkdir("$t/pts", 0755);
    do_mount("$t/pts", '-t', 'devpts', '-o', 'nosuid,noexec,newinstance,ptmxmode=0666,mode=0620', 'devpts');
    symlink('pts/ptmx', "$t/ptmx");
    mkdir("$t/shm", 01777);
    do_mount("$t/shm", '-t', 'tmpfs', '-o', 'nosuid,nodev,noexec,mode=1777,size=65536k', 'shm');
    mkdir("$t/mqueue", 0755);
    do_mount("$t/mqueue", '-t', 'mqueue', '-o', 'nosuid,nodev,noexec', 'mqueue');
    symlink('/proc/self/fd', "$t/fd");
    symlink('/proc/self/fd/0', "$t/stdin");
    symlink('/proc/self/fd/1', "$t/stdout");
    symlink('/proc/self/fd/2', "$t/stderr");
  } elsif ($kind eq 'bind') {
    my ($src, $target, $mode, $type) = @a;
    my $t = ensure_target($target, $type eq 'file');
    do_mount($t, '--bind', $src);
    do_remount($t, 'bind,nosuid,nodev' . ($mode eq 'ro' ? ',ro' : ''));
  } elsif ($kind eq 'tmpfs') {
    my ($target, $opts) = @a;
    my $t = ensure_target($target, 0);
    do_mount($t, '-t', 'tmpfs', '-o', 'nosuid,nodev' . ($opts ne '' ? ",$opts" : ''), 'tmpfs');
  } elsif ($kind eq 'overlay') {
    my ($target, $lowercwd, $lowers, $upper, $work, $subpath) = @a;
    my $hidden = $specfile . '.ov' . scalar(@mounted);
    mkdir($hidden, 0755) or fail("mkdir $hidden: $!");
    chdir($lowercwd) or fail("chdir $lowercwd: $!");
    do_mount($hidden, '-t', 'overlay', '-o', 'nosuid,nodev,' . overlay_opts($lowers, $upper, $work), 'overlay');
    chdir('/');
    my $src = resolve_in_root($hidden, $subpath, 1);
    fail("mount source $subpath does not exist") unless -e $src;
    my $t = ensure_target($target, !-d $src);
    do_mount($t, '--bind', $src);
  }
}

if (defined $hostname) {
  # /proc/sys is not writable from a user namespace; the syscall is (we own the UTS namespace).
  my $name = $hostname;
  my $ok = $sys && syscall($sys->{sethostname}, $name, length($name)) == 0;
  if (!$ok) {
    open(my $h, '>', '/proc/sys/kernel/hostname') or fail("set hostname: $!");
    print $h $hostname;
    close $h;
  }
}
if ($lo) { system('ip', 'link', 'set', 'lo', 'up'); }

my @env;
if (defined $envfile) {
  open(my $ef, '<', $envfile) or fail("read env: $!");
  @env = do { local $/ = "\0"; map { chomp; $_ } <$ef> };
  close $ef;
}

# 3. The command, in its own mount namespace pivoted into the rootfs.
pipe(my $rd, my $wr) or fail("pipe: $!");
my $pid = fork();
fail("fork: $!") unless defined $pid;
if ($pid == 0) {
  close $rd;
  select((select($wr), $| = 1)[0]);
  my $die = sub { print $wr join('', @_); POSIX::_exit(127); };
  $die->("unsupported architecture $arch for RUN isolation") unless $sys;
  syscall($sys->{unshare}, 0x00020000) == 0 or $die->("unshare(CLONE_NEWNS): $!");
  # syscall() may write through string arguments, so it gets copies, never literals.
  my ($slash, $dot1, $dot2, $dot3) = ('/', '.', '.', '.');
  syscall($sys->{mount}, 0, $slash, 0, 16384 | 262144, 0) == 0 or $die->("make / private: $!");
  chdir($root{merged}) or $die->("chdir rootfs: $!");
  syscall($sys->{pivot_root}, $dot1, $dot2) == 0 or $die->("pivot_root: $!");
  syscall($sys->{umount2}, $dot3, 2) == 0 or $die->("detach old root: $!");
  chdir('/') or $die->("chdir /: $!");
  my ($cwd, $userspec, @argv) = @exec;
  my ($uid, $gid, $home, @sgids) = resolve_user($userspec, $die);
  # BuildKit creates a missing working directory, owned by the user the command runs as.
  if (!-d $cwd) {
    mkdir_p($cwd, $uid, $gid) or $die->("cannot create working directory $cwd: $!");
  }
  chdir($cwd) or $die->("chdir $cwd: $!");
  my %keep = map { $_ => 1 } @caps;
  my $last = 40;
  if (open(my $cl, '<', '/proc/sys/kernel/cap_last_cap')) { $last = <$cl>; chomp $last; close $cl; }
  for my $c (0 .. $last) {
    next if $keep{$c};
    syscall($sys->{prctl}, 24, 0 + $c, 0, 0, 0) == 0 or $die->("drop capability $c: $!");
  }
  $) = join(' ', $gid, @sgids ? @sgids : ($gid));
  POSIX::setgid($gid) or $die->("setgid $gid: $!");
  POSIX::setuid($uid) or $die->("setuid $uid: $!");
  umask(022);
  %ENV = ();
  for my $kv (@env) { my ($k, $v) = split /=/, $kv, 2; $ENV{$k} = defined $v ? $v : ''; }
  $ENV{HOME} = $home unless exists $ENV{HOME};
  { no warnings 'exec'; exec { $argv[0] } @argv; }
  $die->("exec $argv[0]: $!");
}

close $wr;
my $setup_error = do { local $/; <$rd> };
close $rd;
waitpid($pid, 0);
my $status = $?;
kill('KILL', -1);
1 while waitpid(-1, 0) > 0;

for my $m (reverse @mounted) {
  next if $m eq $root{merged};
  do_umount($m);
}
for my $s (reverse @stubs) {
  my ($p, $type) = @$s;
  if ($type eq 'file') { unlink($p) if -f $p && !-l $p && -z $p; }
  else { rmdir($p); }
}
# Creating and removing the stubs touched their parents; put the times back so an untouched directory that was
# only copied up for a stub looks unchanged to the snapshot.
for my $dir (keys %times) {
  system('touch', '-c', '-r', $times{$dir}, $dir) if -d $dir;
}

if (defined $setup_error && $setup_error ne '') { fail($setup_error); }
if ($status & 127) { finish('signal ' . ($status & 127)); }
finish('exit ' . ($status >> 8));

sub mkdir_p {
  my ($p, $uid, $gid) = @_;
  my $acc = '';
  for my $c (grep { $_ ne '' } split m{/}, $p) {
    $acc .= "/$c";
    next if -d $acc;
    mkdir($acc, 0755) or return 0;
    chown($uid, $gid, $acc) or return 0;
  }
  return 1;
}

sub read_db {
  my ($file) = @_;
  my @rows;
  open(my $f, '<', $file) or return ();
  while (my $line = <$f>) {
    chomp $line;
    next if $line eq '' || $line =~ /^\s*#/;
    push @rows, [split /:/, $line, -1];
  }
  close $f;
  return @rows;
}

# libcontainer's GetExecUser rules: a numeric user needs no passwd entry; names must resolve; supplementary
# groups come from /etc/group membership only when no group was given.
sub resolve_user {
  my ($spec, $die) = @_;
  $spec = '' unless defined $spec;
  my ($u, $g) = split /:/, $spec, 2;
  $u = '' unless defined $u;
  my @pw = read_db('/etc/passwd');
  my ($uid, $gid, $home, $name) = (0, 0, '/', undef);
  if ($u eq '') { $u = '0'; }
  my $unum = ($u =~ /^\d+$/);
  my ($entry) = grep { @$_ >= 6 && ($unum ? ($_->[2] =~ /^\d+$/ && $_->[2] == $u) : $_->[0] eq $u) } @pw;
  if ($entry) {
    ($name, $uid, $gid, $home) = ($entry->[0], $entry->[2], $entry->[3], $entry->[5]);
  } elsif ($unum) {
    $uid = $u;
  } else {
    $die->("unable to find user $u: no matching entries in passwd file");
  }
  my @gr = read_db('/etc/group');
  my @sgids;
  if (defined $g && $g ne '') {
    my $gnum = ($g =~ /^\d+$/);
    my ($ge) = grep { @$_ >= 3 && ($gnum ? ($_->[2] =~ /^\d+$/ && $_->[2] == $g) : $_->[0] eq $g) } @gr;
    if ($ge) { $gid = $ge->[2]; }
    elsif ($gnum) { $gid = $g; }
    else { $die->("unable to find group $g: no matching entries in group file"); }
  } elsif (defined $name) {
    for my $ge (@gr) {
      next unless @$ge >= 4 && $ge->[2] =~ /^\d+$/;
      push @sgids, $ge->[2] if grep { $_ eq $name } split /,/, $ge->[3];
    }
  }
  $home = '/' if !defined $home || $home eq '';
  return ($uid, $gid, $home, @sgids);
}
`;

;// CONCATENATED MODULE: ./src/build/rootfs/sandbox.ts






/** Writes the supervisor script where the sandbox runs it from. */
async function installSandboxScript(path) {
    await (0,promises_.writeFile)(path, sandboxScript, { mode: 0o644 });
}
/** Runs one command in a fresh namespace sandbox over an overlay rootfs; the new files end up in `rootfs.upper`. */
async function runInSandbox(host, req) {
    const dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)(req.scratchDir, 'run-'));
    try {
        const status = (0,external_node_path_.join)(dir, 'status');
        const spec = (0,external_node_path_.join)(dir, 'spec');
        const envFile = (0,external_node_path_.join)(dir, 'env');
        await (0,promises_.writeFile)(envFile, req.env.map((e) => `${e}\0`).join(''), { mode: 0o600 });
        await (0,promises_.writeFile)(spec, encodeSpec(req, status, envFile, host.privilege.overlayXattrPrefix === 'user.overlay.'), { mode: 0o600 });
        const unshare = [
            'unshare',
            '--mount',
            '--propagation',
            'private',
            '--pid',
            '--fork',
            '--kill-child',
            '--ipc',
            '--uts',
        ];
        if (req.network === 'none')
            unshare.push('--net');
        const argv = host.privilege.wrap([...unshare, '--', 'perl', host.scriptPath, spec]);
        await spawnSupervisor(argv, host.hostEnv, req);
        return parseStatus(await (0,promises_.readFile)(status, 'utf8').catch(() => ''));
    }
    finally {
        await (0,promises_.rm)(dir, { recursive: true, force: true });
    }
}
function encodeSpec(req, statusFile, envFile, overlayUserXattr) {
    const tokens = ['status', statusFile, 'envfile', envFile, 'caps', privilege/* defaultCapabilities */.o7.join(',')];
    if (overlayUserXattr)
        tokens.push('userxattr');
    const { lowerCwd, lowers } = lowerOption(req.rootfs.lowers);
    tokens.push('root', req.rootfs.mountpoint, lowerCwd, lowers, req.rootfs.upper, req.rootfs.work);
    tokens.push('proc', 'sys', 'dev');
    // read-only, as BuildKit mounts them (docs/buildkit-semantics.md §1.3): one step cannot redirect a later one's lookups
    tokens.push('bind', req.hostsFile, '/etc/hosts', 'ro', 'file');
    tokens.push('bind', req.resolvConfFile, '/etc/resolv.conf', 'ro', 'file');
    for (const m of req.mounts) {
        switch (m.kind) {
            case 'bind':
                tokens.push('bind', m.source, m.target, m.readonly ? 'ro' : 'rw', m.file ? 'file' : 'dir');
                break;
            case 'tmpfs':
                tokens.push('tmpfs', m.target, m.options);
                break;
            case 'overlay': {
                const o = lowerOption(m.lowers);
                tokens.push('overlay', m.target, o.lowerCwd, o.lowers, m.upper?.dir ?? '', m.upper?.work ?? '', m.subpath ?? '/');
                break;
            }
        }
    }
    tokens.push('hostname', req.hostname);
    if (req.network === 'none')
        tokens.push('lo');
    tokens.push('exec', req.cwd, req.user, ...req.argv);
    for (const t of tokens) {
        if (t.includes('\0'))
            throw new errors/* BuildStepError */.JI(`a RUN argument contains a NUL byte: ${JSON.stringify(t)}`);
    }
    return tokens.map((t) => `${t}\0`).join('');
}
/** overlayfs stacks at most this many lower directories (the kernel's OVL_MAX_STACK). */
const maxLowerLayers = 500;
/**
 * overlayfs takes all lower directories in one mount option limited to a page; mounting from their common parent
 * with relative names keeps it short (hundreds of layers fit). A directory may appear only once in a stack (the
 * kernel refuses the mount with ELOOP), but an image often has the same layer twice (two WORKDIRs of an existing
 * directory, the same file copied twice, BuildKit's empty layers in a base image): only the topmost occurrence
 * is kept, which shows exactly the same files — everything the lower copy holds or hides, the upper one already
 * does.
 */
function lowerOption(dirs) {
    if (dirs.length === 0)
        throw new Error('overlay needs at least one lower directory');
    const unique = [...new Set(dirs)];
    if (unique.length > maxLowerLayers) {
        throw new errors/* BuildStepError */.JI(`the root filesystem has ${unique.length} distinct layers, more than the ${maxLowerLayers} overlayfs can stack`, { hint: 'combine RUN/COPY steps, or start from a base image with fewer layers' });
    }
    const parent = commonParent(unique);
    const rel = unique.map((d) => (parent === '/' ? d.slice(1) : d.slice(parent.length + 1)));
    for (const r of rel) {
        if (/[:,]/.test(r))
            throw new Error(`layer directory name ${JSON.stringify(r)} cannot be used in an overlay mount`);
    }
    return { lowerCwd: parent, lowers: rel.join(':') };
}
function commonParent(dirs) {
    const split = dirs.map((d) => d.split('/').slice(0, -1));
    const first = split[0] ?? [];
    let n = first.length;
    for (const parts of split) {
        let i = 0;
        while (i < n && parts[i] === first[i])
            i++;
        n = i;
    }
    return first.slice(0, n).join('/') || '/';
}
function spawnSupervisor(argv, env, req) {
    return new Promise((resolve, reject) => {
        const [cmd, ...args] = argv;
        const child = (0,external_node_child_process_.spawn)(cmd, args, { env: { ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let killTimer;
        const onAbort = () => {
            child.kill('SIGTERM');
            killTimer = setTimeout(() => child.kill('SIGKILL'), 2000);
        };
        req.signal?.addEventListener('abort', onAbort, { once: true });
        child.stdout.on('data', (c) => req.onOutput(c, 'stdout'));
        child.stderr.on('data', (c) => req.onOutput(c, 'stderr'));
        child.on('error', (err) => {
            req.signal?.removeEventListener('abort', onAbort);
            reject(new errors/* BuildStepError */.JI(`cannot start the RUN sandbox (${cmd}): ${err.message}`, { cause: err }));
        });
        child.on('close', () => {
            if (killTimer)
                clearTimeout(killTimer);
            req.signal?.removeEventListener('abort', onAbort);
            if (req.signal?.aborted)
                reject(new errors/* BuildStepError */.JI('RUN step interrupted'));
            else
                resolve();
        });
    });
}
/** A setup failure can quote a mount command with hundreds of layer names: keep its start and end. */
function shortened(text, max = 400) {
    return text.length <= max ? text : `${text.slice(0, max / 2)} … ${text.slice(-max / 4)}`;
}
function parseStatus(text) {
    const m = /^(exit|signal|error) ([\s\S]*)$/.exec(text);
    if (!m)
        throw new errors/* BuildStepError */.JI('the RUN sandbox ended without reporting a status (was it killed?)');
    if (m[1] === 'error')
        throw new errors/* BuildStepError */.JI(`the RUN sandbox could not start the command: ${shortened(m[2])}`);
    const n = Number(m[2]);
    return m[1] === 'exit' ? { kind: 'exit', code: n } : { kind: 'signal', signal: n };
}

;// CONCATENATED MODULE: ./src/build/step-cache.ts




/**
 * Step reuse within one machine: `steps/<key>.json` records the layer a step produced, and `slots/<slot>.json`
 * the inputs a step position had last time, to explain a miss. The layer blobs themselves live in the store.
 */
class StepCache {
    root;
    constructor(root) {
        this.root = root;
    }
    async init() {
        await (0,promises_.mkdir)((0,external_node_path_.join)(this.root, 'steps'), { recursive: true });
        await (0,promises_.mkdir)((0,external_node_path_.join)(this.root, 'slots'), { recursive: true });
    }
    async get(key) {
        return readJson((0,external_node_path_.join)(this.root, 'steps', `${digestHex(key)}.json`));
    }
    async put(step) {
        await writeJson((0,external_node_path_.join)(this.root, 'steps', `${digestHex(step.key)}.json`), step);
    }
    async previousInputs(slot) {
        return readJson(this.slotFile(slot));
    }
    async recordSlot(slot, inputs) {
        await writeJson(this.slotFile(slot), inputs);
    }
    slotFile(slot) {
        return (0,external_node_path_.join)(this.root, 'slots', `${digestHex(sha256(slot))}.json`);
    }
}
async function readJson(file) {
    try {
        return JSON.parse(await (0,promises_.readFile)(file, 'utf8'));
    }
    catch (err) {
        if (err.code === 'ENOENT' || err instanceof SyntaxError)
            return undefined;
        throw err;
    }
}
async function writeJson(file, value) {
    const tmp = `${file}.${(0,external_node_crypto_namespaceObject.randomBytes)(4).toString('hex')}`;
    await (0,promises_.writeFile)(tmp, JSON.stringify(value));
    await (0,promises_.rename)(tmp, file);
}

;// CONCATENATED MODULE: ./src/build/history.ts

/**
 * The `created_by` texts BuildKit's Dockerfile frontend writes (docs/buildkit-semantics.md §6), so
 * `docker history` of our images reads like BuildKit's.
 */
const historyComment = 'buildkit.dockerfile.v0';
/** Go's `%q` of a []string: `["a" "b"]`. */
function goStringSlice(items) {
    return `[${items.map(go_quote_goQuote).join(' ')}]`;
}
/** Go's `%v` of a []string: `[a b]`. */
function goPlainSlice(items) {
    return `[${items.join(' ')}]`;
}
/**
 * `RUN |2 A=1 B= /bin/sh -c cmd # buildkit`: every ARG of the stage with its current value, then the args. An ARG
 * declared twice is listed once, at its first place, with the later value (BuildKit's `runCommandString`).
 */
function runHistory(args, stageArgs) {
    const unique = new Map();
    for (const [k, v] of stageArgs)
        unique.set(k, v);
    const pairs = [...unique].map(([k, v]) => `${k}=${v}`);
    const prefix = pairs.length > 0 ? `|${pairs.length} ${pairs.join(' ')} ` : '';
    return `RUN ${prefix}${args.join(' ')} # buildkit`;
}
function copyHistory(kind, flags, sources, inlineNames, dest) {
    let s = kind;
    if (flags.parents)
        s += ' --parents';
    if (flags.chown)
        s += ` --chown=${flags.chown}`;
    if (flags.chmod)
        s += ` --chmod=${flags.chmod}`;
    for (const src of sources)
        s += ` ${src}`;
    for (const n of inlineNames)
        s += ` <<${n}`;
    return `${s} ${dest} # buildkit`;
}
/** Go's time.Duration.String() for nanoseconds. */
function goDuration(ns) {
    if (ns === 0)
        return '0s';
    const neg = ns < 0;
    let n = Math.abs(ns);
    let out;
    if (n < 1000)
        out = `${n}ns`;
    else if (n < 1_000_000)
        out = `${trim(n / 1000)}µs`;
    else if (n < 1_000_000_000)
        out = `${trim(n / 1_000_000)}ms`;
    else {
        const h = Math.floor(n / 3_600_000_000_000);
        n -= h * 3_600_000_000_000;
        const m = Math.floor(n / 60_000_000_000);
        n -= m * 60_000_000_000;
        const sec = `${trim(n / 1_000_000_000)}s`;
        out = h > 0 ? `${h}h${m}m${sec}` : m > 0 ? `${m}m${sec}` : sec;
    }
    return neg ? `-${out}` : out;
}
function trim(v) {
    return String(Number(v.toFixed(9)));
}
/**
 * BuildKit writes `fmt.Sprintf("HEALTHCHECK %q", config.Healthcheck)` (dockerfile2llb `dispatchHealthcheck`): Go's
 * `%q` of a struct pointer, so `&{["CMD-SHELL" "curl -f x"] "30s" "0s" "0s" "0s" '\x03'}` — the test as quoted
 * strings, each duration quoted through its String(), and the retry count as a quoted rune.
 */
function healthcheckHistory(check) {
    const c = check.type === 'none'
        ? { test: ['NONE'], interval: 0, timeout: 0, startPeriod: 0, startInterval: 0, retries: 0 }
        : check;
    const durations = [c.interval, c.timeout, c.startPeriod, c.startInterval].map((d) => go_quote_goQuote(goDuration(d)));
    return `HEALTHCHECK &{${goStringSlice(c.test)} ${durations.join(' ')} ${goQuoteRune(c.retries)}}`;
}
/** Go's `%q` of an integer: a quoted character literal (`'\x03'`, `'\n'`, `'A'`). */
function goQuoteRune(n) {
    const valid = Number.isInteger(n) && n >= 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff);
    const cp = valid ? n : 0xfffd;
    if (cp === 0x27)
        return "'\\''";
    if (cp === 0x22)
        return `'"'`;
    return `'${go_quote_goQuote(String.fromCodePoint(cp)).slice(1, -1)}'`;
}

;// CONCATENATED MODULE: ./src/plan/cache-key.ts

/**
 * Canonical JSON: object keys sorted, no whitespace. JSON string escaping frames every value, so no two
 * different inputs serialise the same (the `-`-join collisions kaniko had cannot happen).
 */
function canonicalJson(value) {
    if (value === null || typeof value !== 'object')
        return JSON.stringify(value);
    if (Array.isArray(value))
        return `[${value.map(canonicalJson).join(',')}]`;
    const obj = value;
    const keys = Object.keys(obj).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}
/** The cache key of a step: sha256 of its canonical inputs, versioned so a format change invalidates old keys. */
function stepKey(inputs) {
    return sha256(`image-build.step.v1\n${canonicalJson(inputs)}`);
}
/** The inputs that changed, most specific first within objects (a changed env var, not the whole env). */
function diffInputs(before, after, path = '') {
    if (canonicalJson(before ?? null) === canonicalJson(after ?? null) &&
        (before === undefined) === (after === undefined))
        return [];
    if (isObject(before) && isObject(after)) {
        const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
        return keys.flatMap((k) => diffInputs(before[k], after[k], path ? `${path}.${k}` : k));
    }
    return [{ input: path || '(all)', before, after }];
}
function isObject(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(161);
;// CONCATENATED MODULE: ./src/oci/gzip-member.ts

/**
 * The OS byte every gzip member gets. zlib writes its build platform's code (3 on Linux, 19 on macOS, 10 on
 * Windows), which would make the same layer hash differently per runner OS; 255 ("unknown") is what Go's
 * compress/gzip — hence BuildKit — writes.
 */
const gzipOsByte = 255;
/**
 * zlib's output buffer: big enough for a whole member (deflate never grows 1 MiB by more than a few hundred
 * bytes), so each member is one threadpool job with no round trips through the event loop. The output bytes do
 * not depend on it.
 */
const outputChunkSize = (1 << 20) + 4096;
/**
 * Compresses one independent gzip member: header mtime 0 (Node's default), fixed OS byte, the given level.
 * The work runs on libuv's threadpool, so several members compress in parallel on different cores while the
 * event loop stays free.
 */
function compressGzipMember(input, level) {
    return new Promise((resolve, reject) => {
        (0,external_node_zlib_namespaceObject.gzip)(input, { level, chunkSize: outputChunkSize }, (err, out) => {
            if (err)
                return reject(err);
            out[9] = gzipOsByte;
            resolve(out);
        });
    });
}

;// CONCATENATED MODULE: ./src/oci/layer-compress.ts






/**
 * Input is cut into members of this many bytes, each gzipped independently (in parallel) and concatenated.
 * It is part of the output format: changing it changes every layer digest.
 */
const gzipMemberSize = 1 << 20;
const defaultGzipLevel = 6;
const defaultZstdLevel = 3;
/** True when this Node has zstd in node:zlib (≥ 22.15 / 23.8); the Actions node24 runtime does. */
function zstdAvailable() {
    return typeof external_node_zlib_namespaceObject.createZstdCompress === 'function';
}
/** Checks and completes compression options; a bad value is an InputError naming the input. */
function compressionSettings(opts) {
    const { compression } = opts;
    if (compression === 'zstd' && !zstdAvailable()) {
        throw new errors/* InputError */.dz('compression', `zstd needs Node.js 22.15 or later, this is ${process.version}`, {
            hint: 'use compression gzip, or run on the node24 runtime',
        });
    }
    const [min, max, fallback] = compression === 'zstd' ? [1, 19, defaultZstdLevel] : [0, 9, defaultGzipLevel];
    const level = opts.level ?? fallback;
    if (compression !== 'none' && (!Number.isInteger(level) || level < min || level > max)) {
        throw new errors/* InputError */.dz('compression-level', `${level} is not a ${compression} level`, {
            hint: `use a whole number from ${min} to ${max}`,
        });
    }
    const concurrency = opts.concurrency ?? Math.min((0,external_node_os_.availableParallelism)(), 4);
    if (!Number.isInteger(concurrency) || concurrency < 1) {
        throw new errors/* InputError */.dz('compression-concurrency', `${concurrency} is not a number of threads`, {
            hint: 'use a whole number of at least 1',
        });
    }
    return { compression, level, concurrency };
}
/** The compressed form of `input`, chunk by chunk, deterministic for given settings (whatever the concurrency). */
function compressStream(input, s) {
    switch (s.compression) {
        case 'none':
            return asBuffers(input);
        case 'gzip':
            return gzipMembers(fixedChunks(input, gzipMemberSize), s.level, s.concurrency);
        case 'zstd':
            return zstdStream(fixedChunks(input, gzipMemberSize), s.level);
    }
}
async function* asBuffers(input) {
    for await (const c of input)
        yield Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.length);
}
/** Re-cuts a stream into `size`-byte chunks (the last may be shorter), each a fresh Buffer. */
async function* fixedChunks(input, size) {
    let current = Buffer.allocUnsafe(size);
    let filled = 0;
    for await (const chunk of input) {
        let offset = 0;
        while (offset < chunk.length) {
            const n = Math.min(size - filled, chunk.length - offset);
            current.set(chunk.subarray(offset, offset + n), filled);
            filled += n;
            offset += n;
            if (filled === size) {
                yield current;
                current = Buffer.allocUnsafe(size);
                filled = 0;
            }
        }
    }
    if (filled > 0)
        yield current.subarray(0, filled);
}
/**
 * Gzips each chunk as an independent member and yields the members in input order. `concurrency` members
 * compress at once on libuv's threadpool (4 threads unless UV_THREADPOOL_SIZE says otherwise), i.e. on as many
 * cores; as many more wait, read ahead, so a core never idles while the event loop hashes and writes. The output
 * does not depend on `concurrency`. Empty input gives one empty member (a valid gzip file).
 */
async function* gzipMembers(chunks, level, concurrency) {
    const slots = new Slots(concurrency);
    const inFlight = [];
    let count = 0;
    for await (const chunk of chunks) {
        count++;
        // Already-compressed data (archives, images, random bytes) does not shrink: store it instead of spending
        // the CPU. The choice depends only on the bytes, so the output stays deterministic.
        const memberLevel = level > 0 && isIncompressible(chunk) ? 0 : level;
        const member = slots.run(() => compressGzipMember(chunk, memberLevel));
        member.catch(() => undefined); // awaited below, in order; a failure is reported there
        inFlight.push(member);
        while (inFlight.length >= 2 * concurrency)
            yield await inFlight.shift();
    }
    if (count === 0)
        yield await compressGzipMember(Buffer.alloc(0), level);
    while (inFlight.length > 0)
        yield await inFlight.shift();
}
/** Bits per byte above which deflate cannot gain anything worth having (random data is 7.9998). */
const incompressibleEntropy = 7.99;
const entropySample = 64 * 1024;
/**
 * True when the chunk's byte distribution is (nearly) uniform: the Shannon entropy of a 64 KiB sample, then of
 * the whole chunk when the sample looks random. Text, code and executables score well below the threshold.
 */
function isIncompressible(chunk) {
    if (chunk.length < entropySample)
        return false;
    return (entropy(chunk.subarray(0, entropySample)) > incompressibleEntropy &&
        entropy(chunk) > incompressibleEntropy);
}
function entropy(bytes) {
    const counts = new Uint32Array(256);
    for (let i = 0; i < bytes.length; i++)
        counts[bytes[i]]++;
    let h = 0;
    for (let i = 0; i < 256; i++) {
        const c = counts[i];
        if (c === 0)
            continue;
        const p = c / bytes.length;
        h -= p * Math.log2(p);
    }
    return h;
}
/** Runs at most `size` tasks at once, the rest in call order as slots free up. */
class Slots {
    size;
    running = 0;
    waiting = [];
    constructor(size) {
        this.size = size;
    }
    async run(task) {
        if (this.running >= this.size)
            await new Promise((resolve) => this.waiting.push(resolve));
        this.running++;
        try {
            return await task();
        }
        finally {
            this.running--;
            this.waiting.shift()?.();
        }
    }
}
/**
 * One zstd frame, streamed single-threaded (about 300 MB/s at level 3). Never sets ZSTD_c_nbWorkers: with it
 * the streaming API emits nothing (see the registry notes). The content checksum is on, as Go's zstd writes it.
 */
async function* zstdStream(chunks, level) {
    const { constants } = external_node_zlib_namespaceObject;
    const compressor = external_node_zlib_namespaceObject.createZstdCompress({
        params: { [constants.ZSTD_c_compressionLevel]: level, [constants.ZSTD_c_checksumFlag]: 1 },
    });
    const feeding = (0,external_node_stream_promises_namespaceObject.pipeline)(external_node_stream_namespaceObject.Readable.from(chunks), compressor);
    feeding.catch(() => undefined); // the same error surfaces on the readable side
    for await (const out of compressor)
        yield out;
    await feeding;
}

;// CONCATENATED MODULE: ./src/oci/layer-writer.ts






/**
 * Compresses a layer tar into the store in one pass: hashes the tar (diffID) and the compressed bytes (digest)
 * as they stream, writes the compressed bytes to `sink.path`, then commits the blob with the digest and size
 * computed. On any failure the ingest is aborted (nothing is stored) and the error rethrown.
 */
async function writeLayer(tar, sink, opts) {
    const settings = compressionSettings(opts);
    const family = opts.mediaTypeFamily ?? 'oci';
    if (family === 'docker' && opts.compression !== 'gzip') {
        throw new errors/* InputError */.dz('compression', `Docker schema 2 images have no ${opts.compression} layer type`, {
            hint: 'use gzip compression, or OCI media types',
        });
    }
    const mediaType = layerMediaType(opts.compression, family);
    const tarHash = (0,external_node_crypto_namespaceObject.createHash)('sha256');
    let uncompressedSize = 0;
    async function* hashed() {
        for await (const chunk of tar) {
            tarHash.update(chunk);
            uncompressedSize += chunk.length;
            yield chunk;
        }
    }
    const blobHash = (0,external_node_crypto_namespaceObject.createHash)('sha256');
    let size = 0;
    let file;
    try {
        file = await (0,promises_.open)(sink.path, 'w');
        for await (const piece of compressStream(hashed(), settings)) {
            blobHash.update(piece);
            size += piece.length;
            await writeFully(file, piece);
        }
        await file.close();
        file = undefined;
        const stored = await sink.commit({ digest: digestFromHash(blobHash), size });
        return {
            diffId: digestFromHash(tarHash),
            digest: stored.digest,
            size: stored.size,
            uncompressedSize,
            mediaType,
        };
    }
    catch (err) {
        await file?.close().catch(() => undefined);
        await sink.abort().catch(() => undefined);
        throw err;
    }
}
async function writeFully(file, data) {
    let offset = 0;
    while (offset < data.length) {
        const { bytesWritten } = await file.write(data, offset, data.length - offset);
        offset += bytesWritten;
    }
}

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: ./src/build/rootfs/paths.ts

/**
 * Container paths are POSIX paths inside the image's root. They are handled as component lists, cleaned
 * lexically (`.` dropped, `..` clamped at the root), so no string operation can step outside the root.
 */
function splitContainerPath(p) {
    const out = [];
    for (const c of p.split('/')) {
        if (c === '' || c === '.')
            continue;
        if (c === '..')
            out.pop();
        else
            out.push(c);
    }
    return out;
}
/** `/a/b` form of a cleaned container path. */
function cleanContainerPath(p) {
    return '/' + splitContainerPath(p).join('/');
}
/** Joins a container path to a working directory the way Docker does (absolute paths win). */
function resolveAgainst(workdir, p) {
    return p.startsWith('/') ? cleanContainerPath(p) : cleanContainerPath(`${workdir}/${p}`);
}
function relativeKey(parts) {
    return parts.join('/');
}
function tooManyLinks(path) {
    return new errors/* BuildStepError */.JI(`too many levels of symbolic links resolving ${path} in the image`);
}

;// CONCATENATED MODULE: ./src/build/rootfs/layered-fs.ts



function isWhiteout(st) {
    return st.isCharacterDevice() && st.rdev === 0;
}
function lstatOrUndefined(p) {
    try {
        return (0,external_node_fs_namespaceObject.lstatSync)(p);
    }
    catch (err) {
        const code = err.code;
        if (code === 'ENOENT' || code === 'ENOTDIR')
            return undefined;
        throw err;
    }
}
/**
 * A read-only view of an image's root filesystem computed from its layer directories with overlayfs's rules
 * (topmost entry wins, whiteouts delete, opaque directories hide lower ones, a non-directory hides everything
 * below it) — what the kernel would show, without mounting anything. Lookups are synchronous (a handful of
 * lstat calls per path component), so lazy synchronous trees can be built on it; async wrappers are provided.
 */
class LayeredFs {
    layers;
    /**
     * Directory lookups already made, by container path: lower layers never change, so only a writer adding to
     * the topmost layer makes an entry stale, and it says so with `invalidate`.
     */
    dirCache = new Map();
    /** Layers topmost first. */
    constructor(layers) {
        this.layers = layers;
    }
    /** Forgets cached lookups of `path` and everything below it (after the topmost layer changed there). */
    invalidate(path) {
        const key = splitContainerPath(path).join('/');
        this.dirCache.delete(key);
        for (const k of this.dirCache.keys())
            if (key === '' || k.startsWith(`${key}/`))
                this.dirCache.delete(k);
    }
    /** The entry at a container path without following symlinks (not even intermediate ones). */
    lstatSync(path) {
        return this.lookup(splitContainerPath(path))?.entry;
    }
    async lstat(path) {
        return this.lstatSync(path);
    }
    /** The names in a merged directory, sorted by bytes (Go's order). */
    readdirSync(path) {
        const parts = splitContainerPath(path);
        const found = this.lookup(parts);
        if (!found || !found.entry.stats.isDirectory())
            return [];
        const names = new Map();
        for (const idx of found.contributors) {
            const dir = (0,external_node_path_.join)(this.layers[idx].dir, ...parts);
            let entries;
            try {
                entries = (0,external_node_fs_namespaceObject.readdirSync)(dir, { withFileTypes: true });
            }
            catch {
                continue;
            }
            for (const d of entries) {
                if (names.has(d.name))
                    continue;
                names.set(d.name, !(d.isCharacterDevice() && isWhiteout((0,external_node_fs_namespaceObject.lstatSync)((0,external_node_path_.join)(dir, d.name)))));
            }
        }
        return [...names]
            .filter(([, visible]) => visible)
            .map(([n]) => n)
            .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    }
    async readdir(path) {
        return this.readdirSync(path);
    }
    async readlink(path) {
        const e = this.lstatSync(path);
        if (!e?.stats.isSymbolicLink())
            throw new Error(`${path} is not a symbolic link`);
        return (0,external_node_fs_namespaceObject.readlinkSync)(e.hostPath);
    }
    /**
     * Resolves symlinks in a container path within the root (absolute targets restart at the root, `..` stops at
     * it). Missing trailing components are kept as written. Returns the cleaned container path.
     */
    resolveSync(path, followLast = true) {
        const todo = splitContainerPath(path);
        const done = [];
        let hops = 0;
        while (todo.length > 0) {
            const c = todo.shift();
            if (c === '..') {
                done.pop();
                continue;
            }
            const e = this.lstatSync('/' + [...done, c].join('/'));
            if (e?.stats.isSymbolicLink() && (todo.length > 0 || followLast)) {
                if (++hops > 40)
                    throw tooManyLinks(path);
                const target = (0,external_node_fs_namespaceObject.readlinkSync)(e.hostPath);
                if (target.startsWith('/'))
                    done.length = 0;
                todo.unshift(...target.split('/').filter((x) => x !== '' && x !== '.'));
                continue;
            }
            done.push(c);
        }
        return '/' + done.join('/');
    }
    async resolve(path, followLast = true) {
        return this.resolveSync(path, followLast);
    }
    lookup(parts) {
        if (parts.length === 0) {
            const top = this.layers[0];
            if (!top)
                return undefined;
            return {
                entry: { stats: (0,external_node_fs_namespaceObject.lstatSync)(top.dir), hostPath: top.dir, layer: 0 },
                contributors: this.layers.map((_, i) => i),
            };
        }
        // Start from the deepest directory already looked up.
        let depth = parts.length - 1;
        let known;
        for (; depth > 0; depth--) {
            known = this.dirCache.get(relativeKey(parts.slice(0, depth)));
            if (known)
                break;
        }
        let contributors = known ? known.contributors : this.layers.map((_, i) => i);
        let found;
        for (; depth < parts.length; depth++) {
            const rel = parts.slice(0, depth + 1);
            found = this.step(rel, contributors);
            if (!found)
                return undefined;
            if (!found.entry.stats.isDirectory())
                return depth === parts.length - 1 ? found : undefined;
            this.dirCache.set(relativeKey(rel), found);
            contributors = found.contributors;
        }
        return found;
    }
    /** One path component: the topmost layer's entry among the parent's contributors, and who merges below it. */
    step(rel, contributors) {
        const next = [];
        let entry;
        for (const idx of contributors) {
            const hostPath = (0,external_node_path_.join)(this.layers[idx].dir, ...rel);
            const st = lstatOrUndefined(hostPath);
            if (!st)
                continue;
            if (entry === undefined) {
                if (isWhiteout(st))
                    return undefined;
                entry = { stats: st, hostPath, layer: idx };
                if (!st.isDirectory())
                    break;
            }
            else if (isWhiteout(st) || !st.isDirectory()) {
                break;
            }
            next.push(idx);
            if (this.layers[idx].opaque.has(relativeKey(rel)))
                break;
        }
        return entry ? { entry, contributors: next } : undefined;
    }
}

;// CONCATENATED MODULE: ./src/build/snapshot/snapshot-upper.ts



const snapshot_upper_whiteoutPrefix = '.wh.';
const snapshot_upper_opaqueMarker = '.wh..wh..opq';
/**
 * Turns a step's upper directory into a layer tar without walking the rest of the filesystem: GNU tar reads the
 * upper dir (it can read the xattrs Node cannot), and the entries are rewritten to the OCI layer format.
 */
function snapshotUpper(req) {
    const tarArgv = req.privilege.wrap([
        'tar',
        '--create',
        '--file=-',
        `--directory=${req.upper}`,
        '--format=pax',
        '--numeric-owner',
        '--sort=name',
        '--xattrs',
        '--xattrs-include=*',
        '--one-file-system',
        '.',
    ]);
    const gnuTar = startHostProcess(tarArgv, req.hostEnv, 'snapshot of the build step');
    const writer = new TarWriter();
    const summary = rewrite(readTar(gnuTar.stdout), writer, req).then(async (s) => {
        await gnuTar.done;
        return s;
    }, (err) => {
        gnuTar.kill();
        writer.stream.destroy(err instanceof Error ? err : new Error(String(err)));
        throw err;
    });
    summary.catch(() => undefined);
    return { tar: writer.stream, summary };
}
async function rewrite(entries, out, req) {
    const whiteouts = new Set();
    const opaque = [];
    let pending;
    let count = 0;
    const emit = async (h, body) => {
        count++;
        await out.add(h, body);
    };
    const flushPending = async (nextPath) => {
        if (!pending)
            return;
        const p = pending;
        pending = undefined;
        const hasChildren = nextPath !== undefined && nextPath.startsWith(p.header.path + '/');
        if (!hasChildren && !p.opaque && (await onlyCopiedUp(p.original, p.header.path, req.below)))
            return;
        await emit(p.header);
        if (p.opaque)
            await emit(marker(`${p.header.path}/${snapshot_upper_opaqueMarker}`));
    };
    for await (const { header, body } of entries) {
        const path = header.path.replace(/^\.\//, '');
        if (path === '.' || path === '')
            continue;
        await flushPending(path);
        if (isWhiteoutDevice(header) ||
            (header.type === 'hardlink' && whiteouts.has(stripDot(header.linkname)))) {
            whiteouts.add(path);
            await emit(marker(whiteoutPath(path)));
            continue;
        }
        const clean = normalise(header, path, req.sourceDateEpoch);
        if (header.type === 'directory') {
            const isOpaque = header.xattrs?.[`${req.privilege.overlayXattrPrefix}opaque`]?.toString() === 'y';
            if (isOpaque)
                opaque.push(path);
            pending = { header: clean, original: header, opaque: isOpaque };
            continue;
        }
        await emit(clean, header.type === 'file' ? body : undefined);
    }
    await flushPending(undefined);
    await out.finish();
    return { entries: count, opaque };
}
function isWhiteoutDevice(h) {
    return h.type === 'char' && (h.devmajor ?? 0) === 0 && (h.devminor ?? 0) === 0;
}
function stripDot(p) {
    return (p ?? '').replace(/^\.\//, '');
}
function whiteoutPath(path) {
    const i = path.lastIndexOf('/');
    return i < 0 ? snapshot_upper_whiteoutPrefix + path : `${path.slice(0, i + 1)}${snapshot_upper_whiteoutPrefix}${path.slice(i + 1)}`;
}
/** Whiteout and opaque markers as containerd writes them: empty regular files, mode 0, owner 0, time 0. */
function marker(path) {
    return { path, type: 'file', mode: 0, uid: 0, gid: 0, size: 0, mtime: 0 };
}
/**
 * Numeric owners only, times clamped to the epoch if given, and of the extended attributes only
 * `security.capability` (file capabilities set with setcap), as containerd/BuildKit write layers.
 */
function normalise(h, path, epoch) {
    const xattrs = {};
    const cap = h.xattrs?.['security.capability'];
    if (cap)
        xattrs['security.capability'] = cap;
    const mtime = epoch !== undefined && h.mtime > epoch ? epoch : h.mtime;
    const out = {
        path,
        type: h.type,
        mode: h.mode,
        uid: h.uid,
        gid: h.gid,
        size: h.type === 'file' ? h.size : 0,
        mtime,
        ...(h.linkname !== undefined
            ? { linkname: h.type === 'hardlink' ? stripDot(h.linkname) : h.linkname }
            : {}),
        ...(h.type === 'char' || h.type === 'block'
            ? { devmajor: h.devmajor ?? 0, devminor: h.devminor ?? 0 }
            : {}),
        ...(Object.keys(xattrs).length > 0 ? { xattrs } : {}),
    };
    return out;
}
/**
 * An empty directory in the upper dir whose metadata equals the one below was only copied up (a mountpoint stub,
 * or a file created and removed again in the same second): it is not a change, so it is left out.
 */
async function onlyCopiedUp(h, path, below) {
    const e = await below.lstat('/' + path);
    if (!e || !e.stats.isDirectory())
        return false;
    return sameDir(h, e.stats);
}
function sameDir(h, st) {
    return ((st.mode & 0o7777) === h.mode &&
        st.uid === h.uid &&
        st.gid === h.gid &&
        Math.floor(st.mtimeMs / 1000) === h.mtime);
}

;// CONCATENATED MODULE: ./src/build/steps/fs-step.ts







/**
 * A step that changes the filesystem (RUN, COPY, ADD, WORKDIR): looked up by its chained cache key (this
 * machine's step cache, then the cross-run cache), otherwise executed into a fresh upper dir, snapshotted into
 * a layer and recorded. Either way the stage gains one layer, as in BuildKit (an unchanged filesystem still
 * gives an empty layer).
 */
async function runFsStep(s, state, info, spec) {
    // The epoch changes file times in the layer and the compression its blob: both are part of every key.
    const inputs = {
        ...spec.inputs,
        parent: spec.independent ? null : state.chainKey,
        epoch: s.req.sourceDateEpoch ?? null,
        compression: s.req.compression,
    };
    const key = stepKey(inputs);
    const found = s.req.noCache ? undefined : await lookup(s, key);
    let step;
    let status;
    let reason;
    if (found) {
        step = found.step;
        status = 'cached';
    }
    else {
        reason = await explainMiss(s, info, inputs);
        step = await execute(s, state, key, inputs, spec);
        status = 'built';
    }
    await s.stepCache.recordSlot(info.slot, inputs);
    s.host.cache?.record(step, info.slot);
    const created = s.req.sourceDateEpoch !== undefined ? new Date(s.req.sourceDateEpoch * 1000).toISOString() : step.created;
    const draft = state.draft.withLayer({ descriptor: step.layer.descriptor, diffId: step.layer.diffId }, { created, created_by: spec.history, comment: historyComment });
    report(s, info, {
        status,
        key,
        inputs,
        ...(reason ? { reason } : {}),
        layer: {
            digest: step.layer.descriptor.digest,
            diffId: step.layer.diffId,
            size: step.layer.descriptor.size,
            ...(found ? { cacheSource: found.source } : {}),
        },
    });
    return { ...state, draft, chainKey: key, lastCreated: created };
}
async function lookup(s, key) {
    const local = await s.stepCache.get(key);
    // The store may have lost the blob since (gc, a wiped work dir): then the local record is no use.
    if (local && (await s.host.store.has(local.layer.descriptor.digest)))
        return { step: local, source: 'local' };
    if (!s.host.cache || s.badKeys.has(key))
        return undefined;
    try {
        const remote = await s.host.cache.lookup(key);
        if (remote) {
            s.remoteLayers.set(remote.layer.descriptor.digest, remote);
            await s.stepCache.put(remote);
            return { step: remote, source: 'cache' };
        }
    }
    catch (err) {
        s.host.logger.warn(`layer cache lookup failed, building the step: ${(0,errors/* describeError */.Uc)(err)}`);
    }
    return undefined;
}
async function explainMiss(s, info, inputs) {
    if (s.req.noCache)
        return { kind: 'no-cache' };
    let previous = await s.stepCache.previousInputs(info.slot);
    if (!previous && s.host.cache)
        previous = await s.host.cache.previousInputs(info.slot).catch(() => undefined);
    if (!previous)
        return { kind: 'first-build' };
    if (JSON.stringify(previous['parent'] ?? null) !== JSON.stringify(inputs['parent'] ?? null)) {
        const own = diffInputs({ ...previous, parent: null }, { ...inputs, parent: null });
        return own.length > 0 ? { kind: 'inputs-changed', changes: own } : { kind: 'parent-changed' };
    }
    const changes = diffInputs(previous, inputs);
    return changes.length > 0 ? { kind: 'inputs-changed', changes } : { kind: 'first-build' };
}
async function execute(s, state, key, inputs, spec) {
    const lowers = spec.independent ? [] : await stageLowers(s, state);
    const upper = await s.layerDirs.newUpper();
    const t0 = s.host.clock.now().getTime();
    try {
        await spec.execute(upper, lowers);
        const t1 = s.host.clock.now().getTime();
        const snapshot = snapshotUpper({
            upper,
            below: new LayeredFs(lowers),
            ...(s.req.sourceDateEpoch !== undefined ? { sourceDateEpoch: s.req.sourceDateEpoch } : {}),
            privilege: s.host.privilege,
            hostEnv: s.host.hostEnv,
        });
        const written = await writeLayer(snapshot.tar, await s.host.store.ingest(), {
            compression: s.req.compression,
        });
        const summary = await snapshot.summary;
        await s.layerDirs.adopt(upper, written.diffId, summary.opaque);
        const t2 = s.host.clock.now().getTime();
        s.host.logger.debug(`step ${key.slice(7, 19)}: ran in ${t1 - t0} ms; layer of ${summary.entries} entries, ` +
            `${written.uncompressedSize} → ${written.size} bytes in ${t2 - t1} ms`);
        const step = {
            key,
            inputs,
            layer: {
                diffId: written.diffId,
                descriptor: { mediaType: written.mediaType, digest: written.digest, size: written.size },
            },
            created: s.host.clock.now().toISOString(),
        };
        await s.stepCache.put(step);
        return step;
    }
    catch (err) {
        await s.layerDirs
            .removeTree(upper)
            .catch(() => (0,promises_.rm)(upper, { recursive: true, force: true }).catch(() => undefined));
        throw err;
    }
}
/** The unpacked layer directories of the stage so far, topmost first (an empty one for scratch). */
async function stageLowers(s, state) {
    const dirs = await Promise.all(state.draft.layers.map((l, i) => s.layerDirs.get(l, `layer ${i + 1} of stage ${state.plan.label} (${l.descriptor.digest})`)));
    return dirs.reverse();
}
function report(s, info, r) {
    const full = {
        id: info.id,
        stage: info.stage,
        instruction: info.instruction,
        line: info.line,
        durationMs: s.host.clock.now().getTime() - info.started,
        ...r,
    };
    s.reports.push(full);
    s.host.onStep?.({ kind: 'end', report: full });
}

;// CONCATENATED MODULE: ./src/build/steps/config.ts




function isConfigInstruction(i) {
    return [
        'env',
        'arg',
        'label',
        'user',
        'expose',
        'volume',
        'stopsignal',
        'cmd',
        'entrypoint',
        'shell',
        'healthcheck',
        'maintainer',
        'onbuild',
    ].includes(i.kind);
}
/** Instructions that only change the image config (and the stage's env): a history entry, no layer. */
function configStep(s, state, ins, info) {
    const { instruction: e } = ins.kind === 'arg'
        ? { instruction: ins }
        : expandInstruction(ins, state.env, { escapeToken: s.plan.dockerfile.escapeToken });
    let next = state;
    let createdBy;
    const config = (change) => {
        next = { ...next, draft: next.draft.withConfig(change) };
    };
    switch (e.kind) {
        case 'env': {
            const env = next.env.applyEnv(e.variables);
            next = { ...next, env };
            config({ Env: [...env.imageEnv()] });
            createdBy = `ENV ${e.variables.map((v) => `${v.key}=${v.value}`).join(' ')}`;
            break;
        }
        case 'arg': {
            const env = next.env.declareArgs(e);
            next = { ...next, env };
            const values = e.args.map((a) => {
                const v = env.lookup(a.name);
                return v === undefined ? a.name : `${a.name}=${v}`;
            });
            createdBy = `ARG ${values.join(' ')}`;
            break;
        }
        case 'label':
            config((c) => ({
                ...c,
                Labels: { ...(c.Labels ?? {}), ...Object.fromEntries(e.labels.map((l) => [l.key, l.value])) },
            }));
            createdBy = `LABEL ${e.labels.map((l) => `${l.key}=${l.value}`).join(' ')}`;
            break;
        case 'user':
            config({ User: e.user });
            createdBy = `USER ${e.user}`;
            break;
        case 'expose': {
            const ports = e.ports.flatMap((p) => normalizePorts(p, ins));
            config((c) => ({
                ...c,
                ExposedPorts: { ...(c.ExposedPorts ?? {}), ...Object.fromEntries(ports.map((p) => [p, {}])) },
            }));
            createdBy = `EXPOSE ${goPlainSlice(ports)}`;
            break;
        }
        case 'volume':
            config((c) => ({
                ...c,
                Volumes: { ...(c.Volumes ?? {}), ...Object.fromEntries(e.volumes.map((v) => [v, {}])) },
            }));
            createdBy = `VOLUME ${goPlainSlice(e.volumes)}`;
            break;
        case 'stopsignal':
            config({ StopSignal: e.signal });
            createdBy = `STOPSIGNAL ${e.signal}`;
            break;
        case 'cmd': {
            const cmd = e.command.form === 'exec' ? [...e.command.args] : [...next.shell, e.command.command];
            config({ Cmd: cmd, ArgsEscaped: true });
            next = { ...next, cmdSet: true };
            createdBy = `CMD ${goStringSlice(cmd)}`;
            break;
        }
        case 'entrypoint': {
            const ep = e.command.form === 'exec' ? [...e.command.args] : [...next.shell, e.command.command];
            const keepCmd = next.cmdSet;
            config((c) => {
                const out = { ...c, Entrypoint: ep };
                if (!keepCmd)
                    delete out.Cmd;
                return out;
            });
            createdBy = `ENTRYPOINT ${goStringSlice(ep)}`;
            break;
        }
        case 'shell':
            config({ Shell: [...e.shell] });
            next = { ...next, shell: [...e.shell] };
            createdBy = `SHELL ${goPlainSlice(e.shell)}`;
            break;
        case 'healthcheck':
            config({
                Healthcheck: e.check.type === 'none'
                    ? { Test: ['NONE'] }
                    : {
                        Test: [...e.check.test],
                        ...(e.check.interval ? { Interval: e.check.interval } : {}),
                        ...(e.check.timeout ? { Timeout: e.check.timeout } : {}),
                        ...(e.check.startPeriod ? { StartPeriod: e.check.startPeriod } : {}),
                        ...(e.check.startInterval ? { StartInterval: e.check.startInterval } : {}),
                        ...(e.check.retries ? { Retries: e.check.retries } : {}),
                    },
            });
            createdBy = healthcheckHistory(e.check);
            break;
        case 'maintainer':
            next = { ...next, draft: next.draft.withAuthor(e.maintainer) };
            createdBy = `MAINTAINER ${e.maintainer}`;
            break;
        case 'onbuild':
            config((c) => ({ ...c, OnBuild: [...(c.OnBuild ?? []), e.expression] }));
            break;
    }
    report(s, info, { status: 'config' });
    if (createdBy === undefined)
        return next;
    const created = s.req.sourceDateEpoch !== undefined
        ? new Date(s.req.sourceDateEpoch * 1000).toISOString()
        : (next.lastCreated ?? s.host.clock.now().toISOString());
    const entry = { created, created_by: createdBy, comment: historyComment };
    return { ...next, draft: next.draft.withHistory(entry), lastCreated: created };
}
/** EXPOSE words as BuildKit stores them: `80` → `80/tcp`, ranges expanded, `ip:host:ctr` → the container port. */
function normalizePorts(word, ins) {
    const [spec, protoRaw] = word.split('/', 2);
    const proto = (protoRaw ?? 'tcp').toLowerCase();
    if (!['tcp', 'udp', 'sctp'].includes(proto))
        throw new errors/* BuildStepError */.JI(`invalid proto: ${protoRaw}`, { location: ins.location });
    const container = spec.split(':').at(-1);
    const m = /^(\d+)(?:-(\d+))?$/.exec(container);
    if (!m)
        throw new errors/* BuildStepError */.JI(`invalid containerPort: ${container}`, {
            location: ins.location,
            hint: 'EXPOSE takes port[/tcp|udp|sctp] or a range like 8000-8010',
        });
    const start = Number(m[1]);
    const end = m[2] !== undefined ? Number(m[2]) : start;
    if (end < start || end > 65535)
        throw new errors/* BuildStepError */.JI(`invalid port range: ${container}`, { location: ins.location });
    const out = [];
    for (let p = start; p <= end; p++)
        out.push(`${p}/${proto}`);
    return out;
}

;// CONCATENATED MODULE: ./src/context/checksum.ts
/**
 * The content checksum of a COPY/ADD selection, for cache keys. Following BuildKit's contenthash idea (a
 * tarsum-like header per entry plus the content sha256, directories through their contents), but with an
 * unambiguous encoding: a version tag, counts, fixed-width integers and length-prefixed strings, so no two
 * different selections serialize to the same bytes (BuildKit joins names and digests without framing).
 *
 * Per entry: destination path, type, permission bits (incl. setuid/setgid/sticky), uid, gid, and by type the size
 * and content sha256 (files; plus the hard-link target path within the same source), the link target
 * (symlinks) or the device numbers. Never mtime, atime or ctime. Directory sizes (file-system dependent) are left
 * out. Extended attributes (e.g. `security.capability`) are not included: Node cannot read xattrs, so only what
 * lstat gives is used. File contents come from the tree's per-file digest cache (read at most once).
 */


const formatTag = 'image-build/selection-checksum/v1';
const typeCodes = {
    file: 1,
    dir: 2,
    symlink: 3,
    'char-device': 4,
    'block-device': 5,
    fifo: 6,
};
/** The sha256 checksum of everything a selection copies (what, where, with which metadata). */
async function checksumSelection(ctx, selection) {
    const contents = await fileDigests(ctx, selection.items);
    const w = new FrameWriter();
    w.string(formatTag);
    w.uint(selection.items.length);
    for (const item of selection.items) {
        if (item.kind === 'contents') {
            w.byte(0x43); // 'C'
            w.uint(item.entries.length);
            for (const e of item.entries)
                writeEntry(w, e, contents);
        }
        else {
            w.byte(0x53); // 'S'
            writeEntry(w, { entry: item.entry, destPath: item.name, hardlinkTo: undefined }, contents);
        }
    }
    return w.digest();
}
/** Hashes every selected file's content once (at most 8 reads at a time). */
async function fileDigests(ctx, items) {
    const files = [];
    for (const item of items) {
        if (item.kind === 'single' && item.entry.type === 'file')
            files.push(item.entry);
        if (item.kind === 'contents')
            for (const e of item.entries)
                if (e.entry.type === 'file')
                    files.push(e.entry);
    }
    const out = new Map();
    let next = 0;
    const worker = async () => {
        while (next < files.length) {
            const file = files[next++];
            out.set(file, await ctx.contentDigest(file));
        }
    };
    await Promise.all(Array.from({ length: Math.min(8, files.length) }, worker));
    return out;
}
function writeEntry(w, copy, contents) {
    const e = copy.entry;
    w.string(copy.destPath);
    w.byte(typeCodes[e.type]);
    w.uint(e.mode);
    w.uint(e.uid);
    w.uint(e.gid);
    switch (e.type) {
        case 'file':
            w.uint(e.size);
            w.byte(copy.hardlinkTo === undefined ? 0 : 1);
            if (copy.hardlinkTo !== undefined)
                w.string(copy.hardlinkTo);
            w.bytes(Buffer.from(digestHex(contents.get(e)), 'hex'));
            break;
        case 'symlink':
            w.string(e.linkTarget);
            break;
        case 'char-device':
        case 'block-device':
            w.uint(e.devMajor);
            w.uint(e.devMinor);
            break;
        case 'dir':
        case 'fifo':
            break;
    }
}
/** Writes fixed-width integers and length-prefixed byte strings into a sha256. */
class FrameWriter {
    hash = (0,external_node_crypto_namespaceObject.createHash)('sha256');
    byte(b) {
        this.hash.update(Uint8Array.of(b));
    }
    /** An unsigned integer as 8 bytes, big-endian. */
    uint(n) {
        const buf = Buffer.alloc(8);
        buf.writeBigUInt64BE(BigInt(n));
        this.hash.update(buf);
    }
    /** A byte string preceded by its length. */
    bytes(data) {
        this.uint(data.length);
        this.hash.update(data);
    }
    string(s) {
        this.bytes(Buffer.from(s, 'utf8'));
    }
    digest() {
        return digestFromHash(this.hash);
    }
}

;// CONCATENATED MODULE: ./src/context/context-entry.ts
/** An entry type, or 'socket' (sockets are never part of a context), or undefined for unknown kinds. */
function entryTypeOf(st) {
    if (st.isFile())
        return 'file';
    if (st.isDirectory())
        return 'dir';
    if (st.isSymbolicLink())
        return 'symlink';
    if (st.isCharacterDevice())
        return 'char-device';
    if (st.isBlockDevice())
        return 'block-device';
    if (st.isFIFO())
        return 'fifo';
    if (st.isSocket())
        return 'socket';
    return undefined;
}
/** Linux `major()`/`minor()` of a device number (glibc's encoding, which fsutil also uses). */
function deviceNumbers(rdev) {
    const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
    const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
    return { devMajor: Number(major), devMinor: Number(minor) };
}
/** Builds an entry from lstat results; `linkTarget` is required for symlinks, `hardlinkOf` applies to files. */
function makeEntry(path, type, st, extra = {}) {
    const base = {
        path,
        mode: Number(st.mode & 4095n),
        uid: Number(st.uid),
        gid: Number(st.gid),
        mtimeNs: st.mtimeNs,
        ctimeNs: st.ctimeNs,
        dev: st.dev,
        ino: st.ino,
        nlink: Number(st.nlink),
    };
    switch (type) {
        case 'file':
            return { ...base, type, size: Number(st.size), hardlinkOf: extra.hardlinkOf };
        case 'symlink':
            return { ...base, type, linkTarget: extra.linkTarget ?? '' };
        case 'char-device':
        case 'block-device':
            return { ...base, type, ...deviceNumbers(st.rdev) };
        case 'dir':
        case 'fifo':
            return { ...base, type };
    }
}
/** A stable key for an inode, shared by all hard links to it. */
function inodeKey(entry) {
    return `${entry.dev}:${entry.ino}`;
}

;// CONCATENATED MODULE: ./src/context/go-glob.ts
/**
 * Go's `path/filepath.Match` on POSIX, restated over Unicode code points. BuildKit uses it to expand COPY/ADD
 * wildcards and moby/patternmatcher uses it to reject malformed .dockerignore patterns, so its quirks matter:
 * `*` and `?` never match `/`, `[…]` classes need at least one range, `-` and `]` must be escaped inside a class,
 * and a malformed pattern is an error even when the name would not match.
 */
/** Thrown for a malformed pattern (Go's `filepath.ErrBadPattern`). */
class BadPatternError extends Error {
    detail;
    constructor(detail) {
        super(`syntax error in pattern (${detail})`);
        this.detail = detail;
        this.name = 'BadPatternError';
    }
}
const SLASH = 0x2f;
const STAR = 0x2a;
const QUESTION = 0x3f;
const BACKSLASH = 0x5c;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const CARET = 0x5e;
const DASH = 0x2d;
function toRunes(s) {
    return Array.from(s, (ch) => ch.codePointAt(0) ?? 0);
}
/** Reports whether `name` matches the shell pattern; throws BadPatternError for a malformed pattern. */
function matchGlob(pattern, name) {
    let pat = toRunes(pattern);
    let rest = toRunes(name);
    nextChunk: while (pat.length > 0) {
        const scanned = scanChunk(pat);
        pat = scanned.rest;
        if (scanned.star && scanned.chunk.length === 0)
            return !rest.includes(SLASH);
        const here = matchChunk(scanned.chunk, rest);
        if (here !== undefined && (here.length === 0 || pat.length > 0)) {
            rest = here;
            continue;
        }
        if (scanned.star) {
            for (let i = 0; i < rest.length && rest[i] !== SLASH; i++) {
                const later = matchChunk(scanned.chunk, rest.slice(i + 1));
                if (later === undefined || (pat.length === 0 && later.length > 0))
                    continue;
                rest = later;
                continue nextChunk;
            }
        }
        while (pat.length > 0) {
            const remaining = scanChunk(pat);
            pat = remaining.rest;
            matchChunk(remaining.chunk, []);
        }
        return false;
    }
    return rest.length === 0;
}
/** Throws BadPatternError when Go's filepath.Match would reject the pattern. */
function validateGlob(pattern) {
    matchGlob(pattern, '.');
}
/** BuildKit's test for a wildcard path element: `*`, `?` or `[`, skipping backslash-escaped characters. */
function containsWildcards(name) {
    for (let i = 0; i < name.length; i++) {
        const ch = name[i];
        if (ch === '\\')
            i++;
        else if (ch === '*' || ch === '?' || ch === '[')
            return true;
    }
    return false;
}
function scanChunk(pattern) {
    let start = 0;
    while (start < pattern.length && pattern[start] === STAR)
        start++;
    const p = pattern.slice(start);
    let inRange = false;
    let i = 0;
    for (; i < p.length; i++) {
        const c = p[i];
        if (c === BACKSLASH) {
            if (i + 1 < p.length)
                i++;
        }
        else if (c === OPEN) {
            inRange = true;
        }
        else if (c === CLOSE) {
            inRange = false;
        }
        else if (c === STAR && !inRange) {
            break;
        }
    }
    return { star: start > 0, chunk: p.slice(0, i), rest: p.slice(i) };
}
/**
 * Matches one chunk at the start of `s`; returns the unmatched rest, or undefined when it does not match. The
 * whole chunk is always scanned so that a malformed pattern throws even after a mismatch, like Go.
 */
function matchChunk(chunk, s) {
    let failed = false;
    let c = 0;
    let i = 0;
    while (c < chunk.length) {
        if (!failed && i >= s.length)
            failed = true;
        const ch = chunk[c];
        if (ch === OPEN) {
            const r = failed ? -1 : (s[i++] ?? -1);
            const cls = matchClass(chunk, c + 1, r);
            c = cls.next;
            if (!cls.matched)
                failed = true;
        }
        else if (ch === QUESTION) {
            if (!failed) {
                if (s[i] === SLASH)
                    failed = true;
                i++;
            }
            c++;
        }
        else {
            let literal = ch;
            if (ch === BACKSLASH) {
                c++;
                if (c >= chunk.length)
                    throw new BadPatternError('trailing backslash');
                literal = chunk[c];
            }
            if (!failed) {
                if (literal !== s[i])
                    failed = true;
                i++;
            }
            c++;
        }
    }
    return failed ? undefined : s.slice(i);
}
/** Parses a `[…]` class starting after the `[` and reports whether rune `r` is in it. */
function matchClass(chunk, start, r) {
    let c = start;
    let negated = false;
    if (chunk[c] === CARET) {
        negated = true;
        c++;
    }
    let inClass = false;
    let ranges = 0;
    for (;;) {
        if (chunk[c] === CLOSE && ranges > 0) {
            c++;
            break;
        }
        const lo = classChar(chunk, c);
        let hi = lo;
        if (chunk[lo.next] === DASH)
            hi = classChar(chunk, lo.next + 1);
        c = hi.next;
        if (lo.rune <= r && r <= hi.rune)
            inClass = true;
        ranges++;
    }
    return { matched: inClass !== negated, next: c };
}
/** Go's getEsc: one possibly escaped class character, which must be followed by more pattern. */
function classChar(chunk, at) {
    let c = at;
    const first = chunk[c];
    if (first === undefined || first === DASH || first === CLOSE) {
        throw new BadPatternError(first === undefined ? 'unterminated character class' : 'unescaped "-" or "]" in class');
    }
    if (first === BACKSLASH) {
        c++;
        if (c >= chunk.length)
            throw new BadPatternError('unterminated character class');
    }
    const rune = chunk[c];
    c++;
    if (c >= chunk.length)
        throw new BadPatternError('unterminated character class');
    return { rune, next: c };
}

;// CONCATENATED MODULE: ./src/context/go-path.ts
/**
 * Go's string and slash-path helpers, restated: .dockerignore and COPY semantics are defined by Go code
 * (`filepath.Clean`, `strings.TrimSpace`, byte-order sorting), so the edge cases must behave the same here.
 */
/** Go `path.Clean` for slash-separated paths: collapse `//`, drop `.`, resolve `..` (a leading `..` stays). */
function cleanPath(p) {
    if (p === '')
        return '.';
    const rooted = p.startsWith('/');
    const out = [];
    for (const part of p.split('/')) {
        if (part === '' || part === '.')
            continue;
        if (part !== '..') {
            out.push(part);
        }
        else if (out.length > 0 && out[out.length - 1] !== '..') {
            out.pop();
        }
        else if (!rooted) {
            out.push('..');
        }
    }
    const joined = out.join('/');
    if (rooted)
        return `/${joined}`;
    return joined === '' ? '.' : joined;
}
/** Go `path.Dir`: everything before the last slash, cleaned. */
function dirName(p) {
    const i = p.lastIndexOf('/');
    return cleanPath(i < 0 ? '' : p.slice(0, i + 1));
}
/** Go `path.Base`: the last element; `.` for an empty path, `/` for the root. */
function baseName(p) {
    if (p === '')
        return '.';
    const trimmed = p.replace(/\/+$/, '');
    if (trimmed === '')
        return '/';
    return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
/** Joins context-relative paths; the empty string is the context root. */
function joinRel(dir, name) {
    return dir === '' ? name : `${dir}/${name}`;
}
// unicode.IsSpace: ASCII blanks, NEL, NBSP and the White_Space characters of category Z.
const goSpace = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;
const goSpaceEnd = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/u;
/** Go `strings.TrimSpace` (unlike `String.prototype.trim`, it keeps U+FEFF and trims U+0085). */
function go_path_goTrimSpace(s) {
    return s.replace(goSpace, '').replace(goSpaceEnd, '');
}
/**
 * Compares strings by their UTF-8 bytes, the order Go's sort and directory walks use. UTF-8 byte order is code
 * point order, which differs from JavaScript's UTF-16 order once surrogate pairs meet U+E000..U+FFFF.
 */
function compareGoStrings(a, b) {
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
        const ca = a.codePointAt(i) ?? 0;
        const cb = b.codePointAt(j) ?? 0;
        if (ca !== cb)
            return ca < cb ? -1 : 1;
        i += ca > 0xffff ? 2 : 1;
        j += cb > 0xffff ? 2 : 1;
    }
    if (i < a.length)
        return 1;
    return j < b.length ? -1 : 0;
}

;// CONCATENATED MODULE: ./src/context/copy-walk.ts



function splitWildcards(path) {
    const elements = path === '' ? [] : path.split('/');
    const first = elements.findIndex(containsWildcards);
    if (first < 0)
        return { base: path, pattern: undefined };
    return { base: elements.slice(0, first).join('/'), pattern: elements.slice(first).join('/') };
}
/**
 * The context paths below directory `base` whose path relative to `base` matches `pattern`, in walk order.
 * A malformed pattern matches nothing (Go ignores filepath.Match's error there).
 */
function expandWildcard(ctx, base, pattern) {
    const out = [];
    const visit = (dir, relDir) => {
        for (const child of ctx.children(dir)) {
            const rel = joinRel(relDir, baseName(child.path));
            if (globMatches(pattern, rel))
                out.push(child.path);
            else if (child.type === 'dir')
                visit(child.path, rel);
        }
    };
    if (ctx.entry(base)?.type === 'dir')
        visit(base, '');
    return out;
}
function globMatches(pattern, rel) {
    try {
        return matchGlob(pattern, rel);
    }
    catch (err) {
        if (err instanceof BadPatternError)
            return false;
        throw err;
    }
}
/** The entries below `dir` that a copy of its contents writes, parents before children. */
function collectContents(ctx, dir, include, exclude) {
    const walk = { ctx, include, exclude, out: [], inodes: new Map() };
    visitContents(walk, dir.path, '', undefined, undefined, []);
    return walk.out;
}
function visitContents(walk, dir, relDir, includeInfo, excludeInfo, pending) {
    for (const child of walk.ctx.children(dir)) {
        const rel = joinRel(relDir, baseName(child.path));
        const inc = walk.include?.matchesUsingParentResults(rel, includeInfo);
        const exc = walk.exclude?.matchesUsingParentResults(rel, excludeInfo);
        const included = (inc?.matched ?? true) && !(exc?.matched ?? false);
        if (included) {
            for (const p of pending.filter((d) => !d.emitted)) {
                p.emitted = true;
                walk.out.push({ entry: p.entry, destPath: p.destPath, hardlinkTo: undefined });
            }
            walk.out.push({ entry: child, destPath: rel, hardlinkTo: hardlinkTarget(walk.inodes, child, rel) });
        }
        if (child.type !== 'dir')
            continue;
        // Nothing below an excluded directory can come back without an exception pattern.
        if (exc?.matched && !walk.exclude?.hasExceptions)
            continue;
        const below = included ? [] : [...pending, { entry: child, destPath: rel, emitted: false }];
        visitContents(walk, child.path, rel, inc?.info, exc?.info, below);
    }
}
function hardlinkTarget(inodes, entry, destPath) {
    if (entry.type !== 'file' || entry.nlink < 2)
        return undefined;
    const key = inodeKey(entry);
    const first = inodes.get(key);
    if (first === undefined)
        inodes.set(key, destPath);
    return first;
}

;// CONCATENATED MODULE: ./src/context/go-regexp-classes.ts
/** Character-class tables and helpers for the Go regexp translation (go-regexp.ts): Go's ASCII-only classes. */
const MAX_RUNE = 0x10ffff;
/** The code point of a one-character string. */
const r = (ch) => ch.codePointAt(0) ?? 0;
const span = (a, b) => [r(a), r(b)];
const perlClasses = {
    d: [span('0', '9')],
    s: [span('\t', '\n'), span('\f', '\r'), span(' ', ' ')],
    w: [span('0', '9'), span('A', 'Z'), span('_', '_'), span('a', 'z')],
};
const posixClasses = {
    alnum: [span('0', '9'), span('A', 'Z'), span('a', 'z')],
    alpha: [span('A', 'Z'), span('a', 'z')],
    ascii: [[0, 0x7f]],
    blank: [span('\t', '\t'), span(' ', ' ')],
    cntrl: [
        [0, 0x1f],
        [0x7f, 0x7f],
    ],
    digit: [span('0', '9')],
    graph: [span('!', '~')],
    lower: [span('a', 'z')],
    print: [span(' ', '~')],
    punct: [span('!', '/'), span(':', '@'), span('[', '`'), span('{', '~')],
    space: [span('\t', '\r'), span(' ', ' ')],
    upper: [span('A', 'Z')],
    word: [span('0', '9'), span('A', 'Z'), span('_', '_'), span('a', 'z')],
    xdigit: [span('0', '9'), span('A', 'F'), span('a', 'f')],
};
const simpleEscapes = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
function literal(cp) {
    return `\\u{${cp.toString(16)}}`;
}
function complement(ranges) {
    const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
    const out = [];
    let next = 0;
    for (const [lo, hi] of sorted) {
        if (lo > next)
            out.push([next, lo - 1]);
        next = Math.max(next, hi + 1);
    }
    if (next <= MAX_RUNE)
        out.push([next, MAX_RUNE]);
    return out;
}
function classBody(ranges) {
    return ranges.map(([lo, hi]) => (lo === hi ? literal(lo) : `${literal(lo)}-${literal(hi)}`)).join('');
}

;// CONCATENATED MODULE: ./src/context/go-regexp.ts
/**
 * Translates the Go (RE2, Perl-flags) regular expressions that moby/patternmatcher builds from .dockerignore
 * patterns into JavaScript RegExps with the same meaning. patternmatcher passes `\x` escapes and `[…]` classes of
 * the user's pattern straight into Go's regexp syntax, so `[[:alpha:]]`, `\d` or `a^b` mean what Go says they mean.
 *
 * Covered: literals, `^ $ .`, groups, `* + ? {n,m}` repetition, classes with ranges, negation, POSIX `[:name:]`,
 * Perl `\d \s \w` (ASCII, as in Go), `\pN`/`\p{Name}` (general categories and scripts), escapes (`\a \f \n \r \t \v`,
 * octal, `\x..`, `\x{…}`, punctuation), `\A \z \b \B` and `\Q…\E`. Anything Go rejects is an error here too.
 */

/** A pattern Go's regexp package would reject (or that this translation cannot express). */
class GoRegexpError extends Error {
    detail;
    constructor(detail) {
        super(`invalid regular expression: ${detail}`);
        this.detail = detail;
        this.name = 'GoRegexpError';
    }
}
/** Compiles Go regexp syntax into an equivalent JavaScript RegExp; throws GoRegexpError when Go would. */
function compileGoRegexp(source) {
    const js = new GoRegexpTranslator(Array.from(source)).translate();
    try {
        return new RegExp(js, 'u');
    }
    catch (err) {
        throw new GoRegexpError(err instanceof Error ? err.message : String(err));
    }
}
class GoRegexpTranslator {
    src;
    i = 0;
    depth = 0;
    constructor(src) {
        this.src = src;
    }
    translate() {
        let out = '';
        while (this.i < this.src.length)
            out += this.next();
        if (this.depth > 0)
            throw new GoRegexpError('missing closing )');
        return out;
    }
    peek(offset = 0) {
        return this.src[this.i + offset];
    }
    next() {
        const ch = this.src[this.i++];
        switch (ch) {
            case '(':
                if (this.peek() === '?')
                    throw new GoRegexpError('unsupported group syntax');
                this.depth++;
                return '(?:';
            case ')':
                if (this.depth === 0)
                    throw new GoRegexpError('unexpected )');
                this.depth--;
                return ')';
            case '|':
            case '^':
            case '$':
            case '*':
            case '+':
            case '?':
                return ch;
            case '.':
                return '[^\\n]';
            case '{':
                return this.repeatOrBrace();
            case '[':
                return this.characterClass();
            case '\\':
                return this.escapeOutsideClass();
            default:
                return literal(r(ch));
        }
    }
    repeatOrBrace() {
        const rest = this.src.slice(this.i, this.i + 24).join('');
        const m = /^(\d+)(,(\d*))?\}/.exec(rest);
        if (!m)
            return literal(r('{'));
        this.i += Array.from(m[0]).length;
        return `{${m[1]}${m[2] ?? ''}}`;
    }
    escapeOutsideClass() {
        const c = this.peek();
        if (c === undefined)
            throw new GoRegexpError('trailing backslash at end of expression');
        switch (c) {
            case 'A':
                this.i++;
                return '^';
            case 'z':
                this.i++;
                return '$';
            case 'b':
            case 'B':
                this.i++;
                return `\\${c}`;
            case 'Q':
                return this.quotedLiteral();
            case 'p':
            case 'P':
                return this.unicodeClass(false);
            default: {
                const perl = this.perlClass();
                if (perl)
                    return `[${perl}]`;
                return literal(this.escapedRune());
            }
        }
    }
    quotedLiteral() {
        this.i++;
        let out = '';
        while (this.i < this.src.length) {
            if (this.peek() === '\\' && this.peek(1) === 'E') {
                this.i += 2;
                break;
            }
            out += literal(r(this.src[this.i++]));
        }
        return out;
    }
    /** `\d \D \s \S \w \W` at the current position (after the backslash) as class-body text, or undefined. */
    perlClass() {
        const c = this.peek();
        if (c === undefined)
            return undefined;
        const ranges = perlClasses[c.toLowerCase()];
        if (!ranges || !'dswDSW'.includes(c))
            return undefined;
        this.i++;
        return classBody(c === c.toLowerCase() ? ranges : complement(ranges));
    }
    /** `\pX`, `\p{Name}`, `\p{^Name}`, `\PX` at the current position (the p/P after the backslash). */
    unicodeClass(inClass) {
        let negate = this.src[this.i++] === 'P';
        let name;
        if (this.peek() === '{') {
            const end = this.src.indexOf('}', this.i);
            if (end < 0)
                throw new GoRegexpError('invalid character class range');
            name = this.src.slice(this.i + 1, end).join('');
            this.i = end + 1;
        }
        else {
            name = this.src[this.i++] ?? '';
        }
        if (name.startsWith('^')) {
            negate = !negate;
            name = name.slice(1);
        }
        if (!/^[A-Za-z_]+$/.test(name))
            throw new GoRegexpError(`invalid character class range: ${name}`);
        const property = name === 'Any' || name.length <= 2 ? name : `Script=${name}`;
        const text = `\\${negate ? 'P' : 'p'}{${property}}`;
        return inClass ? text : `[${text}]`;
    }
    /** Go's parseEscape: the rune named by the escape at the current position (after the backslash). */
    escapedRune() {
        const c = this.src[this.i++];
        if (c === undefined)
            throw new GoRegexpError('trailing backslash at end of expression');
        const code = r(c);
        if (code < 0x80 && !/[0-9A-Za-z]/.test(c))
            return code;
        if (c in simpleEscapes)
            return simpleEscapes[c];
        if (c >= '0' && c <= '7')
            return this.octal(c);
        if (c === 'x')
            return this.hex();
        throw new GoRegexpError(`invalid escape sequence: \\${c}`);
    }
    octal(first) {
        const isOctal = (s) => s !== undefined && s >= '0' && s <= '7';
        if (first !== '0' && !isOctal(this.peek())) {
            throw new GoRegexpError(`invalid escape sequence: \\${first} (backreferences are not supported)`);
        }
        let value = r(first) - r('0');
        for (let n = 1; n < 3 && isOctal(this.peek()); n++)
            value = value * 8 + r(this.src[this.i++]) - r('0');
        return value;
    }
    hex() {
        let digits;
        if (this.peek() === '{') {
            const end = this.src.indexOf('}', this.i);
            digits = end < 0 ? '' : this.src.slice(this.i + 1, end).join('');
            this.i = end < 0 ? this.src.length : end + 1;
        }
        else {
            digits = this.src.slice(this.i, this.i + 2).join('');
            this.i += 2;
            if (digits.length !== 2)
                digits = '';
        }
        const value = /^[0-9A-Fa-f]+$/.test(digits) ? parseInt(digits, 16) : NaN;
        if (!(value <= MAX_RUNE))
            throw new GoRegexpError('invalid escape sequence: \\x');
        return value;
    }
    characterClass() {
        const negate = this.peek() === '^';
        if (negate)
            this.i++;
        const ranges = [];
        let extra = '';
        let first = true;
        while (this.peek() !== ']' || first) {
            if (this.peek() === undefined)
                throw new GoRegexpError('missing closing ]');
            first = false;
            const named = this.posixClass();
            if (named) {
                ranges.push(...named);
                continue;
            }
            if (this.peek() === '\\' && (this.peek(1) === 'p' || this.peek(1) === 'P')) {
                this.i++;
                extra += this.unicodeClass(true);
                continue;
            }
            if (this.peek() === '\\') {
                this.i++;
                const perl = this.perlClass();
                if (perl) {
                    extra += perl;
                    continue;
                }
                this.i--;
            }
            ranges.push(this.classRange());
        }
        this.i++;
        return `[${negate ? '^' : ''}${classBody(ranges)}${extra}]`;
    }
    posixClass() {
        if (this.peek() !== '[' || this.peek(1) !== ':')
            return undefined;
        const text = this.src.slice(this.i + 2).join('');
        const end = text.indexOf(':]');
        if (end < 0)
            return undefined;
        const raw = text.slice(0, end);
        const negated = raw.startsWith('^');
        const ranges = posixClasses[negated ? raw.slice(1) : raw];
        if (!ranges)
            throw new GoRegexpError(`invalid character class range: [:${raw}:]`);
        this.i += 2 + Array.from(text.slice(0, end + 2)).length;
        return negated ? complement(ranges) : ranges;
    }
    classRange() {
        const lo = this.classChar();
        let hi = lo;
        if (this.peek() === '-' && this.peek(1) !== undefined && this.peek(1) !== ']') {
            this.i++;
            hi = this.classChar();
            if (hi < lo) {
                const [a, b] = [String.fromCodePoint(lo), String.fromCodePoint(hi)];
                throw new GoRegexpError(`invalid character class range ${a}-${b} (the range goes backwards)`);
            }
        }
        return [lo, hi];
    }
    classChar() {
        const c = this.peek();
        if (c === undefined)
            throw new GoRegexpError('missing closing ]');
        this.i++;
        return c === '\\' ? this.escapedRune() : r(c);
    }
}

;// CONCATENATED MODULE: ./src/context/pattern.ts
/**
 * One compiled .dockerignore-style pattern, with moby/patternmatcher's exact matching rules: a pattern is an exact
 * string, a prefix (`dir/**`), a suffix (`**\/name`) or a Go regular expression built from the glob.
 */


// Regexp metacharacters that are not glob metacharacters; patternmatcher escapes them.
const escaped = new Set(['.', '+', '(', ')', '|', '{', '}', '$']);
/** Compiles a cleaned pattern; throws BadPatternError when the Go regexp it becomes is invalid. */
function compilePattern(text, exception) {
    const { kind, regexpSource } = translateGlob(text);
    let test;
    switch (kind) {
        case 'exact':
            test = (path) => path === text;
            break;
        case 'prefix': {
            const prefix = text.slice(0, -2);
            test = (path) => path.startsWith(prefix);
            break;
        }
        case 'suffix': {
            const suffix = text.slice(2);
            test = (path) => path.endsWith(suffix) || (suffix.startsWith('/') && path === suffix.slice(1));
            break;
        }
        case 'regexp': {
            const re = compileRegexp(regexpSource);
            test = (path) => re.test(path);
            break;
        }
    }
    return { text, exception, kind, depth: text.split('/').length, matches: test };
}
function compileRegexp(source) {
    try {
        return compileGoRegexp(source);
    }
    catch (err) {
        if (err instanceof GoRegexpError)
            throw new BadPatternError(err.detail);
        throw err;
    }
}
/** patternmatcher's Pattern.compile: the match kind and, for `regexp`, the Go regexp source. */
function translateGlob(pattern) {
    const chars = Array.from(pattern);
    let re = '^';
    let kind = 'exact';
    for (let pos = 0, i = 0; pos < chars.length; i++) {
        const ch = chars[pos++];
        if (ch === '*' && chars[pos] === '*') {
            pos++;
            if (chars[pos] === '/')
                pos++;
            if (pos >= chars.length) {
                // "**" at the end matches everything below, like .gitignore.
                if (kind === 'exact')
                    kind = 'prefix';
                else {
                    re += '.*';
                    kind = 'regexp';
                }
            }
            else {
                re += '(.*/)?';
                kind = 'regexp';
            }
            if (i === 0)
                kind = 'suffix';
        }
        else if (ch === '*') {
            re += '[^/]*';
            kind = 'regexp';
        }
        else if (ch === '?') {
            re += '[^/]';
            kind = 'regexp';
        }
        else if (escaped.has(ch)) {
            re += `\\${ch}`;
        }
        else if (ch === '\\') {
            if (pos < chars.length) {
                re += `\\${chars[pos++]}`;
                kind = 'regexp';
            }
            else {
                re += '\\';
            }
        }
        else if (ch === '[' || ch === ']') {
            re += ch;
            kind = 'regexp';
        }
        else {
            re += ch;
        }
    }
    return { kind, regexpSource: `${re}$` };
}

;// CONCATENATED MODULE: ./src/context/dockerignore.ts
/**
 * .dockerignore files and pattern lists with Docker's exact semantics: moby/patternmatcher's `ignorefile.ReadAll`,
 * `New`, `MatchesOrParentMatches` and `MatchesUsingParentResults`, restated.
 */




const utf8Bom = '\ufeff';
/**
 * Reads ignore-file text exactly like `ignorefile.ReadAll`: strips a UTF-8 BOM, skips lines starting with `#` in
 * column 1, trims blanks, skips empty lines, keeps `!` exceptions, cleans each path and drops one leading `/`.
 */
function readIgnoreFile(text) {
    return readIgnorePatterns(text).map((p) => p.pattern);
}
/** readIgnoreFile with the line number of every pattern. */
function readIgnorePatterns(text) {
    const decoded = typeof text === 'string' ? text : Buffer.from(text).toString('utf8');
    const lines = decoded.split('\n');
    if (lines.length > 0 && lines[lines.length - 1] === '')
        lines.pop();
    const out = [];
    lines.forEach((raw, index) => {
        let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        if (index === 0 && line.startsWith(utf8Bom))
            line = line.slice(1);
        if (line.startsWith('#'))
            return;
        let pattern = go_path_goTrimSpace(line);
        if (pattern === '')
            return;
        const invert = pattern.startsWith('!');
        if (invert)
            pattern = go_path_goTrimSpace(pattern.slice(1));
        if (pattern.length > 0) {
            pattern = cleanPath(pattern);
            if (pattern.length > 1 && pattern.startsWith('/'))
                pattern = pattern.slice(1);
        }
        out.push({ pattern: invert ? `!${pattern}` : pattern, raw: go_path_goTrimSpace(line), line: index + 1 });
    });
    return out;
}
/**
 * A compiled list of patterns. Later patterns win; `!` patterns re-include. All patterns are compiled when the
 * matcher is built, so a malformed pattern fails the build up front as a DockerfileError naming its origin.
 */
class PatternMatcher {
    patterns;
    origin;
    constructor(patterns, origin) {
        this.patterns = patterns;
        this.origin = origin;
    }
    /** Builds a matcher (patternmatcher.New plus eager compilation). */
    static compile(patterns, origin) {
        const compiled = [];
        for (const entry of patterns) {
            const { pattern, raw, line } = typeof entry === 'string' ? { pattern: entry, raw: entry, line: undefined } : entry;
            const text = go_path_goTrimSpace(pattern);
            if (text === '')
                continue;
            compiled.push(compileOne(cleanPath(text), raw, line, origin));
        }
        return new PatternMatcher(compiled, origin);
    }
    /** True when some pattern is an exception (`!…`). */
    get hasExceptions() {
        return this.patterns.some((p) => p.exception);
    }
    /** MatchesOrParentMatches: the path, or one of its parent directories, is matched and not re-included. */
    matches(path) {
        const parents = parentPrefixes(path);
        let matched = false;
        for (const pattern of this.patterns) {
            if (pattern.exception !== matched)
                continue;
            if (pattern.matches(path) || parents.some((p) => pattern.matches(p)))
                matched = !pattern.exception;
        }
        return matched;
    }
    /** MatchesExact: like matches, without looking at parent directories. */
    matchesExact(path) {
        let matched = false;
        for (const pattern of this.patterns) {
            if (pattern.exception !== matched)
                continue;
            if (pattern.matches(path))
                matched = !pattern.exception;
        }
        return matched;
    }
    /**
     * MatchesUsingParentResults: the walker variant. `parent` is the info returned for the path's parent directory
     * (undefined at the top of a walk, which makes it look at all parents like `matches`).
     */
    matchesUsingParentResults(path, parent) {
        const known = parent !== undefined && parent.length === this.patterns.length ? parent : undefined;
        const info = [];
        let matched = false;
        this.patterns.forEach((pattern, i) => {
            let hit = known?.[i] ?? false;
            if (!hit && pattern.exception === matched) {
                hit =
                    pattern.matches(path) ||
                        (known === undefined && parentPrefixes(path).some((p) => pattern.matches(p)));
            }
            info.push(hit);
            if (hit)
                matched = !pattern.exception;
        });
        return { matched, info };
    }
}
/** `a`, `a/b` for `a/b/c`: the parent directories MatchesOrParentMatches also tries. */
function parentPrefixes(path) {
    const parts = path.split('/');
    const out = [];
    for (let i = 1; i < parts.length; i++)
        out.push(parts.slice(0, i).join('/'));
    return out;
}
function compileOne(cleaned, raw, line, origin) {
    let text = cleaned;
    const exception = text.startsWith('!');
    if (exception) {
        if (text.length === 1)
            throw patternError(raw, 'a "!" needs a pattern after it', line, origin);
        text = text.slice(1);
    }
    try {
        validateGlob(text);
        return compilePattern(text, exception);
    }
    catch (err) {
        if (err instanceof BadPatternError)
            throw patternError(raw, err.detail, line, origin);
        throw err;
    }
}
function patternError(raw, detail, line, origin) {
    const quoted = `"${go_path_goTrimSpace(raw).replace(/"/g, '\\"')}"`;
    const hint = detail.includes('"!"')
        ? 'write the path to re-include after "!", or remove the line'
        : 'fix or remove the pattern; a literal "[" is written "\\["';
    if (origin.kind === 'ignore-file') {
        return new errors/* DockerfileError */.tP(`invalid pattern ${quoted} in ${origin.file}: ${detail}`, {
            hint,
            location: { file: origin.file, ...(line === undefined ? {} : { line }) },
        });
    }
    return new errors/* DockerfileError */.tP(`invalid ${origin.flag} pattern ${quoted}: ${detail}`, {
        hint,
        ...(origin.location ? { location: origin.location } : {}),
    });
}

;// CONCATENATED MODULE: ./src/context/resolve-path.ts
/**
 * Resolving a context-relative path through symlinks without ever leaving the context. Two policies:
 * - 'refuse': a path that points outside (`..` above the root, an absolute path or symlink target) is an error;
 *   used when the builder reads a context file.
 * - 'clamp': BuildKit's scoped resolution (containerd's `fs.RootPath`): absolute targets start at the context
 *   root and `..` stops at the root; used for COPY/ADD sources and the `.dockerignore` lookup, like BuildKit.
 * The lookup is a parameter so the same walk runs over the disk or over the filtered context index.
 */
/** Thrown (policy 'refuse') when a path or a symlink on the way points outside the context. */
class OutsideContextError extends Error {
    path;
    via;
    constructor(path, via) {
        super(via === undefined
            ? `"${path}" is outside the build context`
            : `"${path}" resolves outside the build context through the symlink "${via}"`);
        this.path = path;
        this.via = via;
        this.name = 'OutsideContextError';
    }
}
/** Thrown when resolving takes more than 255 symlinks (a loop). */
class SymlinkLoopError extends Error {
    path;
    constructor(path) {
        super(`too many levels of symbolic links resolving "${path}"`);
        this.path = path;
        this.name = 'SymlinkLoopError';
    }
}
const maxSymlinks = 255;
/**
 * Resolves `path` (context-relative; a leading '/' means the context root) to a context-relative path with no
 * symlinks on the way. Missing components are kept as they are, so the result may not exist. With
 * `followFinal: false` a symlink in the last position is returned itself.
 */
async function resolveInContext(path, lookup, options) {
    if (options.policy === 'refuse' && path.startsWith('/'))
        throw new OutsideContextError(path, undefined);
    const done = [];
    let pending = splitElements(path);
    let links = 0;
    let via;
    while (pending.length > 0) {
        const [element, ...rest] = pending;
        pending = rest;
        if (element === '..') {
            if (done.length === 0 && options.policy === 'refuse')
                throw new OutsideContextError(path, via);
            done.pop();
            continue;
        }
        const candidate = [...done, element].join('/');
        const kind = await lookup(candidate);
        if (kind?.kind !== 'symlink' || (pending.length === 0 && !options.followFinal)) {
            done.push(element);
            continue;
        }
        if (++links > maxSymlinks)
            throw new SymlinkLoopError(path);
        via = candidate;
        if (kind.target.startsWith('/')) {
            if (options.policy === 'refuse')
                throw new OutsideContextError(path, via);
            done.length = 0;
        }
        pending = [...splitElements(kind.target), ...pending];
    }
    return done.join('/');
}
function splitElements(path) {
    return path.split('/').filter((e) => e !== '' && e !== '.');
}
/**
 * Lexically checks a COPY/ADD source: returns its context-relative form (leading '/' meaning the root) or
 * undefined when `..` would climb above the context root.
 */
function lexicalContextPath(source) {
    const out = [];
    for (const element of splitElements(source)) {
        if (element !== '..')
            out.push(element);
        else if (out.length === 0)
            return undefined;
        else
            out.pop();
    }
    return out.join('/');
}

;// CONCATENATED MODULE: ./src/context/source-resolver.ts
/**
 * Resolves one COPY/ADD source inside the filtered context: wildcard expansion, symlinks followed with
 * BuildKit's scoped rules (never out of the context), and the errors a user sees, each naming the source and
 * the Dockerfile line.
 */



class SourceResolver {
    ctx;
    source;
    instruction;
    location;
    constructor(ctx, 
    /** The source as written in the Dockerfile. */
    source, instruction, location) {
        this.ctx = ctx;
        this.source = source;
        this.instruction = instruction;
        this.location = location;
    }
    /**
     * The context paths a source path names: itself when it has no wildcard, else the wildcard's matches
     * (undefined when there are none). The directory before the first wildcard must exist.
     */
    async paths(path) {
        const { base, pattern } = splitWildcards(path);
        if (pattern === undefined)
            return [path];
        const dir = await this.resolve(base, true);
        if (this.ctx.entry(dir) === undefined) {
            throw this.fail(`directory "${base}" not found in ${this.ctx.description}`, 'the part of a wildcard source before the first wildcard must exist');
        }
        const matches = expandWildcard(this.ctx, dir, pattern);
        return matches.length > 0 ? matches : undefined;
    }
    /** Follows a path through symlinks (inside the context) to the entry that is copied. */
    async follow(path) {
        const resolved = await this.resolve(path, true);
        const entry = this.ctx.entry(resolved);
        if (entry !== undefined && entry.type !== 'symlink')
            return entry;
        if (resolved !== path || this.ctx.entry(path)?.type === 'symlink') {
            throw this.fail(`the symlink "${path}" points to "${resolved}", which is not in ${this.ctx.description}`, 'symlinks are followed inside the context only; fix the link or copy its target');
        }
        throw await this.notFound(path);
    }
    /** Fails unless the path exists (a `--parents` source without wildcards). */
    async require(path) {
        const resolved = await this.resolve(path, false);
        if (this.ctx.entry(resolved) === undefined)
            throw await this.notFound(path);
    }
    async resolve(path, followFinal) {
        const lookup = (rel) => Promise.resolve(this.kindOf(rel));
        try {
            return await resolveInContext(path, lookup, { policy: 'clamp', followFinal });
        }
        catch (err) {
            if (err instanceof SymlinkLoopError)
                throw this.fail(err.message, 'fix the symlink loop');
            throw err;
        }
    }
    kindOf(rel) {
        const entry = this.ctx.entry(rel);
        if (entry === undefined)
            return undefined;
        return entry.type === 'symlink' ? { kind: 'symlink', target: entry.linkTarget } : { kind: 'other' };
    }
    async notFound(path) {
        const where = `${this.instruction} source "${this.source}"`;
        if (this.ctx.isIgnored(path) && (await this.ctx.diskEntry(path)) !== undefined) {
            return new errors/* BuildStepError */.JI(`${where} is excluded by .dockerignore`, {
                hint: 'remove the matching .dockerignore pattern or add a "!" exception for it',
                location: this.location,
            });
        }
        return new errors/* BuildStepError */.JI(`${where} not found in ${this.ctx.description}`, {
            hint: 'sources are relative to the context directory; check the path and the context',
            location: this.location,
        });
    }
    fail(detail, hint) {
        return new errors/* BuildStepError */.JI(`${this.instruction} source "${this.source}": ${detail}`, {
            hint,
            location: this.location,
        });
    }
}

;// CONCATENATED MODULE: ./src/context/select-sources.ts
/**
 * COPY/ADD source selection against a SourceTree (the build context or a stage's filesystem), with BuildKit's semantics (dockerfile2llb + fsutil copy):
 * sources are context-relative (a leading `/` is the root), wildcards expand per element with Go's
 * filepath.Match, the source itself is followed through symlinks (never out of the context), a directory means
 * its contents, `--exclude` applies below each copied source, and `--parents` keeps the path below the `/./`
 * pivot (or the root). See README.md for what the destination paths mean.
 */







/** Resolves COPY/ADD sources to the context entries to copy. */
async function selectSources(ctx, request) {
    const instruction = request.instruction ?? 'COPY';
    const exclude = request.exclude && request.exclude.length > 0
        ? PatternMatcher.compile(request.exclude, flagOrigin('--exclude', request.location))
        : undefined;
    const items = [];
    const emptyWildcards = [];
    for (const source of request.sources) {
        const job = planSource(source, request, instruction);
        const resolver = new SourceResolver(ctx, source, instruction, request.location);
        if (job.required !== undefined)
            await resolver.require(job.required);
        const paths = await resolver.paths(job.path);
        if (paths === undefined)
            emptyWildcards.push(source);
        for (const path of paths ?? []) {
            const entry = await resolver.follow(path);
            items.push(entry.type === 'dir'
                ? {
                    kind: 'contents',
                    source,
                    dir: entry,
                    entries: collectContents(ctx, entry, job.include, exclude),
                }
                : { kind: 'single', source, entry, name: baseName(path) });
        }
    }
    const multipleSources = request.sources.length > 1 || request.sources.some(containsWildcards);
    return { items, emptyWildcards, multipleSources };
}
/** Splits a source into the path to resolve and, with `--parents`, the include pattern below its pivot. */
function planSource(source, request, instruction) {
    let pivot = source;
    let pattern;
    if (request.parents) {
        const cut = source.indexOf('/./');
        pivot = cut < 0 ? '/' : source.slice(0, cut);
        pattern = cut < 0 ? source : source.slice(cut + 3);
    }
    const path = lexicalContextPath(pivot);
    const within = pattern === undefined ? '' : lexicalContextPath(pattern);
    if (path === undefined || within === undefined)
        throw outsideError(source, instruction, request.location);
    if (pattern === undefined)
        return { path, include: undefined, required: undefined };
    const cleaned = cleanPath(`/${pattern}`).slice(1);
    const include = PatternMatcher.compile([cleaned], flagOrigin('--parents', request.location));
    const literal = !containsWildcards(path) && !containsWildcards(within);
    const required = literal ? [path, within].filter((p) => p !== '').join('/') : undefined;
    return { path, include, required };
}
function outsideError(source, instruction, location) {
    return new errors/* DockerfileError */.tP(`${instruction} source "${source}" is outside the build context`, {
        hint: 'sources cannot use ".." to leave the context; move the file into it or use a larger context',
        ...(location ? { location } : {}),
    });
}
function flagOrigin(flag, location) {
    return location ? { kind: 'flag', flag, location } : { kind: 'flag', flag };
}

;// CONCATENATED MODULE: ./src/build/chmod.ts

/**
 * `--chmod` as BuildKit reads it: octal (up to 07777; the permission and special bits are replaced) or
 * symbolic like chmod(1) (`u=rwX,go=rX`, `+x`, `a-w`), applied to each entry's current mode.
 */
function parseChmod(spec, location) {
    if (/^[0-7]+$/.test(spec)) {
        const value = parseInt(spec, 8);
        if (value > 0o7777)
            throw badChmod(spec, location);
        return () => value;
    }
    const clauses = spec.split(',').map((c) => parseClause(c, spec, location));
    return (mode, isDir) => clauses.reduce((m, apply) => apply(m, isDir), mode & 0o7777);
}
function parseClause(clause, spec, location) {
    const m = /^([ugoa]*)([+=-])([rwxXst]*)$/.exec(clause);
    if (!m)
        throw badChmod(spec, location);
    const who = m[1] === '' || m[1].includes('a') ? 'ugo' : m[1];
    const op = m[2];
    const perms = m[3];
    return (mode, isDir) => {
        let bits = 0;
        const anyExec = (mode & 0o111) !== 0;
        for (const w of who) {
            const shift = w === 'u' ? 6 : w === 'g' ? 3 : 0;
            if (perms.includes('r'))
                bits |= 4 << shift;
            if (perms.includes('w'))
                bits |= 2 << shift;
            if (perms.includes('x') || (perms.includes('X') && (isDir || anyExec)))
                bits |= 1 << shift;
            if (perms.includes('s') && w === 'u')
                bits |= 0o4000;
            if (perms.includes('s') && w === 'g')
                bits |= 0o2000;
        }
        if (perms.includes('t'))
            bits |= 0o1000;
        if (op === '+')
            return mode | bits;
        if (op === '-')
            return mode & ~bits;
        let clear = 0;
        for (const w of who)
            clear |= w === 'u' ? 0o4700 : w === 'g' ? 0o2070 : 0o1007;
        return (mode & ~clear) | bits;
    };
}
function badChmod(spec, location) {
    return new errors/* BuildStepError */.JI(`invalid chmod parameter: '${spec}'. it should be octal string and between 0 and 07777, or symbolic like u=rwX,go=rX`, {
        ...(location ? { location } : {}),
    });
}

;// CONCATENATED MODULE: ./src/build/file-owner.ts

/**
 * Owner of files a FileOp writes (`COPY --chown`, `ADD --chown`, WORKDIR under USER), with BuildKit's FileOp
 * rules — different from RUN's: `N` alone means N:N, names come from the destination image's /etc/passwd and
 * /etc/group, and an unknown name (or a missing file) silently means 0.
 */
async function resolveFileOwner(spec, fs) {
    const colon = spec.indexOf(':');
    const userPart = colon < 0 ? spec : spec.slice(0, colon);
    const groupPart = colon < 0 ? undefined : spec.slice(colon + 1);
    let uid = 0;
    let gid = 0;
    const numericUser = parseId(userPart);
    if (numericUser !== undefined) {
        uid = numericUser;
        gid = numericUser;
    }
    else if (userPart !== '') {
        const entry = (await readDb(fs, '/etc/passwd')).find((f) => f[0] === userPart);
        if (entry) {
            uid = parseId(entry[2] ?? '') ?? 0;
            gid = parseId(entry[3] ?? '') ?? 0;
        }
    }
    if (groupPart !== undefined) {
        const numericGroup = parseId(groupPart);
        if (numericGroup !== undefined)
            gid = numericGroup;
        else if (groupPart === '')
            gid = 0;
        else {
            const entry = (await readDb(fs, '/etc/group')).find((f) => f[0] === groupPart);
            gid = entry ? (parseId(entry[2] ?? '') ?? 0) : 0;
        }
    }
    return { uid, gid };
}
function parseId(s) {
    if (s === 'root')
        return 0;
    if (!/^\d+$/.test(s))
        return undefined;
    const n = Number(s);
    return n <= 0x7fffffff ? n : undefined;
}
async function readDb(fs, path) {
    try {
        const resolved = await fs.resolve(path);
        const e = await fs.lstat(resolved);
        if (!e || !e.stats.isFile())
            return [];
        const text = await (0,promises_.readFile)(e.hostPath, 'utf8');
        return text
            .split('\n')
            .filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'))
            .map((l) => l.split(':'));
    }
    catch {
        return [];
    }
}

;// CONCATENATED MODULE: ./src/build/rootfs/upper-writer.ts








/** The owner and umask new files get without asking: attributes equal to these need no syscall. */
const upper_writer_self = {
    uid: process.geteuid?.() ?? 0,
    gid: process.getegid?.() ?? 0,
    umask: process.umask(),
};
/**
 * Writes a step's changes into a fresh upper directory stacked on an image's layers, the way overlayfs would
 * record them: existing parent directories are copied up with their metadata, new entries are created with the
 * attributes given. Used for COPY, ADD and WORKDIR, which need no privileges beyond owning the files.
 * Directories it has made sure of and paths it has written are remembered, so copying thousands of files does
 * not look the same parents up again and again.
 */
class UpperWriter {
    upper;
    view;
    /** Container paths (no leading '/') known to be directories in the upper dir. */
    dirs = new Set(['']);
    /** Container paths this writer created a non-directory at. */
    written = new Set();
    constructor(upper, below) {
        this.upper = upper;
        this.view = new LayeredFs([{ dir: upper, opaque: new Set() }, ...below]);
    }
    host(parts) {
        return (0,external_node_path_.join)(this.upper, ...parts);
    }
    /**
     * Makes every component of a (symlink-resolved) container path a directory: existing ones are copied up,
     * missing ones are created with `attrs`. A non-directory in the way is an error naming the path.
     */
    async mkdirp(path, attrs) {
        const parts = splitContainerPath(path);
        if (this.dirs.has(parts.join('/')))
            return;
        for (let i = 1; i <= parts.length; i++) {
            const sub = parts.slice(0, i);
            const key = sub.join('/');
            if (this.dirs.has(key))
                continue;
            const e = this.view.lstatSync('/' + key);
            if (e === undefined) {
                await (0,promises_.mkdir)(this.host(sub), { mode: attrs.mode & 0o7777 });
                await applyAttrs(this.host(sub), attrs, 'new');
            }
            else if (e.stats.isDirectory()) {
                if (e.layer !== 0)
                    await this.copyUpDir(sub, e.stats);
            }
            else {
                throw new errors/* BuildStepError */.JI(`cannot create directory /${key}: a ${kindOf(e.stats)} is in the way`);
            }
            this.dirs.add(key);
            this.view.invalidate(key);
        }
    }
    /** Ensures the parent directories of an entry exist in the upper dir (copying up existing ones). */
    async prepareParent(path, attrs) {
        const parts = splitContainerPath(path);
        if (parts.length === 0)
            throw new errors/* BuildStepError */.JI('cannot replace the root directory of the image');
        await this.mkdirp('/' + parts.slice(0, -1).join('/'), attrs);
        await this.clearUpper(parts);
        return parts;
    }
    async writeFile(path, content, attrs, parentAttrs = attrs) {
        const parts = await this.prepareParent(path, parentAttrs);
        const dest = this.host(parts);
        const mode = attrs.mode & 0o7777;
        if ('data' in content) {
            await (0,promises_.writeFile)(dest, content.data, { mode, flag: 'wx' });
        }
        else {
            const source = 'hostPath' in content ? (0,external_node_fs_namespaceObject.createReadStream)(content.hostPath) : content.stream;
            await (0,external_node_stream_promises_namespaceObject.pipeline)(source, (0,external_node_fs_namespaceObject.createWriteStream)(dest, { mode, flags: 'wx' }));
        }
        await applyAttrs(dest, attrs, 'new');
        this.wrote(parts);
    }
    async symlink(path, target, attrs, parentAttrs = attrs) {
        const parts = await this.prepareParent(path, parentAttrs);
        await (0,promises_.symlink)(target, this.host(parts));
        await applyAttrs(this.host(parts), attrs, 'link');
        this.wrote(parts);
    }
    /** A hard link to an entry this step already wrote (both paths container paths). */
    async hardlink(path, existing, parentAttrs) {
        const parts = await this.prepareParent(path, parentAttrs);
        await (0,promises_.link)(this.host(splitContainerPath(existing)), this.host(parts));
        this.wrote(parts);
    }
    /** A device node or FIFO (needs root: mknod). */
    async special(path, kind, major, minor, attrs, parentAttrs) {
        const parts = await this.prepareParent(path, parentAttrs);
        const dest = this.host(parts);
        const argv = kind === 'fifo'
            ? ['mkfifo', dest]
            : ['mknod', dest, kind === 'char' ? 'c' : 'b', String(major), String(minor)];
        await new Promise((resolve, reject) => {
            (0,external_node_child_process_.execFile)(argv[0], argv.slice(1), (err) => err ? reject(new errors/* BuildStepError */.JI(`cannot create ${kind} ${path}: ${err.message}`)) : resolve());
        });
        await applyAttrs(dest, attrs, 'existing');
        this.wrote(parts);
    }
    /** Creates (or copies up) a directory entry at exactly this path and gives it `attrs`. */
    async directory(path, attrs, parentAttrs = attrs) {
        const parts = splitContainerPath(path);
        const key = parts.join('/');
        if (!this.dirs.has(key)) {
            const e = this.view.lstatSync('/' + key);
            if (e && !e.stats.isDirectory())
                await this.prepareParent(path, parentAttrs);
            else
                await this.mkdirp('/' + parts.slice(0, -1).join('/'), parentAttrs);
            const dest = this.host(parts);
            await (0,promises_.mkdir)(dest, { recursive: true, mode: attrs.mode & 0o7777 });
            this.dirs.add(key);
            this.view.invalidate(key);
        }
        await applyAttrs(this.host(parts), attrs, 'existing');
    }
    /** Sets the attributes of a directory after its contents were written (contents change its mtime). */
    async finishDirectory(path, attrs) {
        await applyAttrs(this.host(splitContainerPath(path)), attrs, 'existing');
    }
    wrote(parts) {
        const key = parts.join('/');
        this.written.add(key);
        this.view.invalidate(key);
    }
    async copyUpDir(parts, st) {
        const dest = this.host(parts);
        await (0,promises_.mkdir)(dest);
        await (0,promises_.lchown)(dest, st.uid, st.gid);
        await (0,promises_.chmod)(dest, st.mode & 0o7777);
        await (0,promises_.utimes)(dest, st.atime, st.mtime);
    }
    /** Removes whatever this step wrote earlier at the path, so a new entry can take its place. */
    async clearUpper(parts) {
        const key = parts.join('/');
        if (!this.written.has(key) && !this.dirs.has(key))
            return;
        const dest = this.host(parts);
        const st = await (0,promises_.lstat)(dest).catch(() => undefined);
        this.written.delete(key);
        this.view.invalidate(key);
        if (!st)
            return;
        if (st.isDirectory()) {
            await (0,promises_.rm)(dest, { recursive: true, force: true });
            for (const d of [...this.dirs])
                if (d === key || d.startsWith(`${key}/`))
                    this.dirs.delete(d);
        }
        else
            await (0,promises_.unlink)(dest);
    }
}
/**
 * Gives an entry its owner, permissions and time. A `new` file or directory was created with the mode already
 * (open/mkdir apply it minus the umask), so chmod is needed only when the umask or special bits interfere, and
 * chown only for an owner other than ours. chown always comes before chmod (it clears setuid/setgid).
 */
async function applyAttrs(p, a, kind) {
    const mode = a.mode & 0o7777;
    const chowned = a.uid !== upper_writer_self.uid || a.gid !== upper_writer_self.gid;
    if (chowned || kind === 'existing')
        await (0,promises_.lchown)(p, a.uid, a.gid);
    if (kind !== 'link' && (kind === 'existing' || chowned || (mode & ~upper_writer_self.umask) !== mode || mode > 0o777))
        await (0,promises_.chmod)(p, mode);
    if (a.mtime !== undefined) {
        if (kind === 'link')
            await (0,promises_.lutimes)(p, a.mtime, a.mtime);
        else
            await (0,promises_.utimes)(p, a.mtime, a.mtime);
    }
}
function kindOf(st) {
    if (st.isSymbolicLink())
        return 'symbolic link';
    if (st.isFile())
        return 'file';
    return 'special file';
}

;// CONCATENATED MODULE: ./src/build/rootfs-tree.ts




/**
 * Another stage's (or image's) root filesystem as a COPY source: entries are looked up lazily through the
 * layer directories, so `COPY --from=builder /app/dist /dist` touches only /app/dist, however big the stage.
 * Owners and modes are the stage's own (BuildKit preserves them unless --chown is given).
 */
class RootfsTree {
    fs;
    description;
    entries = new Map();
    kids = new Map();
    digests = new Map();
    constructor(fs, description) {
        this.fs = fs;
        this.description = description;
    }
    entry(path) {
        return this.lookup(path)?.entry;
    }
    children(path) {
        let list = this.kids.get(path);
        if (!list) {
            const names = this.fs.readdirSync('/' + path);
            list = names.flatMap((n) => {
                const e = this.entry(path === '' ? n : `${path}/${n}`);
                return e ? [e] : [];
            });
            this.kids.set(path, list);
        }
        return list;
    }
    isIgnored() {
        return false;
    }
    async diskEntry(path) {
        return this.entry(path);
    }
    contentDigest(file) {
        let d = this.digests.get(file.path);
        if (!d) {
            d = digestOfStream((0,external_node_fs_namespaceObject.createReadStream)(this.hostPath(file))).then((r) => r.digest);
            this.digests.set(file.path, d);
        }
        return d;
    }
    async openFile(file) {
        return (0,external_node_fs_namespaceObject.createReadStream)(this.hostPath(file));
    }
    readFile(file) {
        return (0,promises_.readFile)(this.hostPath(file));
    }
    /** Where an entry's bytes live on the host (for copying). */
    hostPath(entry) {
        const found = this.lookup(entry.path);
        if (!found)
            throw new Error(`${entry.path} is not in ${this.description}`);
        return found.hostPath;
    }
    lookup(path) {
        const cached = this.entries.get(path);
        if (cached !== undefined)
            return cached ?? undefined;
        const merged = path === '' ? this.fs.lstatSync('/') : this.fs.lstatSync('/' + path);
        let result = null;
        if (merged) {
            const st = (0,external_node_fs_namespaceObject.lstatSync)(merged.hostPath, { bigint: true });
            const type = entryTypeOf(st);
            if (type !== undefined && type !== 'socket') {
                const linkTarget = type === 'symlink' ? (0,external_node_fs_namespaceObject.readlinkSync)(merged.hostPath) : undefined;
                result = {
                    entry: makeEntry(path, type, st, linkTarget !== undefined ? { linkTarget } : {}),
                    hostPath: merged.hostPath,
                };
            }
        }
        this.entries.set(path, result);
        return result ?? undefined;
    }
}

;// CONCATENATED MODULE: ./src/build/steps/add-sources.ts







const gitLike = /^(git@|git:\/\/|ssh:\/\/)|\.git(#|$)|^github\.com\//;
/** True for an ADD source that is fetched rather than read from the context. */
function isRemoteSource(src) {
    return /^https?:\/\//i.test(src) || gitLike.test(src);
}
/**
 * Downloads ADD's URL sources (every build, since only the content can say whether the step changed, as BuildKit
 * keys HTTP sources by content). `--checksum=sha256:…` is verified: a mismatch fails the step and keeps nothing.
 */
async function prepareRemoteSources(s, urls, checksum, unpack, location) {
    const out = [];
    for (const url of urls) {
        if (gitLike.test(url) && !/^https?:\/\/.*\.(tar|tgz|gz|zip)$/.test(url)) {
            throw new errors/* BuildStepError */.JI(`ADD of a git repository (${url}) is not supported by image-build`, {
                location,
                hint: 'clone it in a RUN step, or ADD a release archive URL',
            });
        }
        out.push(await download(s, url, checksum, unpack === true, location));
    }
    return out;
}
async function download(s, url, checksum, unpack, location) {
    if (checksum !== undefined && !isDigest(checksum)) {
        throw new errors/* BuildStepError */.JI(`invalid --checksum ${JSON.stringify(checksum)}`, {
            location,
            hint: 'use sha256: followed by 64 hex digits',
        });
    }
    let res;
    try {
        res = await fetch(url, { redirect: 'follow', ...(s.host.signal ? { signal: s.host.signal } : {}) });
    }
    catch (err) {
        throw new errors/* BuildStepError */.JI(`ADD cannot download ${url}: ${err.message}`, {
            location,
            hint: 'check the URL and the network',
            cause: err,
        });
    }
    if (!res.ok || !res.body) {
        throw new errors/* BuildStepError */.JI(`ADD cannot download ${url}: HTTP ${res.status}`, {
            location,
            hint: 'check the URL',
        });
    }
    const path = (0,external_node_path_.join)(s.tmp, `download-${(0,external_node_crypto_namespaceObject.randomBytes)(6).toString('hex')}`);
    const hash = (0,external_node_crypto_namespaceObject.createHash)('sha256');
    const body = external_node_stream_namespaceObject.Readable.fromWeb(res.body);
    body.on('data', (c) => hash.update(c));
    await (0,external_node_stream_promises_namespaceObject.pipeline)(body, (0,external_node_fs_namespaceObject.createWriteStream)(path, { mode: 0o600 }));
    const digest = `sha256:${hash.digest('hex')}`;
    if (checksum !== undefined && digest !== checksum) {
        throw new errors/* BuildStepError */.JI(`digest mismatch for ${url}: expected ${checksum}, got ${digest}`, {
            location,
            hint: 'the file changed or the --checksum is wrong',
        });
    }
    const lastModified = res.headers.get('last-modified');
    const mtime = lastModified ? Date.parse(lastModified) / 1000 : undefined;
    const base = new URL(url).pathname.split('/').pop() ?? '';
    return {
        url,
        path,
        name: base === '' || base === '.' ? '__unnamed__' : decodeURIComponent(base),
        digest,
        ...(mtime !== undefined && !Number.isNaN(mtime) ? { mtime } : {}),
        unpack,
    };
}

;// CONCATENATED MODULE: ./src/oci/tar/index.ts





;// CONCATENATED MODULE: ./src/build/steps/add-archive.ts





/** A local ADD source is unpacked when, decompressed (gzip, bzip2, xz, zstd or none), it starts with a tar header. */
async function isArchive(open) {
    const stream = decompressStream(await open());
    const chunks = [];
    let length = 0;
    try {
        for await (const c of stream) {
            chunks.push(c);
            length += c.length;
            if (length >= 512)
                break;
        }
    }
    catch {
        return false;
    }
    finally {
        stream.destroy();
    }
    const head = Buffer.concat(chunks);
    return head.length >= 512 && hasValidChecksum(head.subarray(0, 512));
}
/**
 * Extracts archives into the destination directory. Paths stay inside it (`..` and absolute names are cleaned
 * against it, an escaping path is an error), an entry written through a symlink the archive itself created is
 * refused, hard links must point at earlier members, devices and FIFOs are refused; symlinks already in the image
 * are followed inside the image, as BuildKit's extraction does. --chown applies to every entry.
 */
async function writeArchives(a) {
    const view = a.writer.view;
    const destDir = a.resolveDest ? view.resolveSync(cleanContainerPath(a.dest)) : cleanContainerPath(a.dest);
    const created = {
        uid: a.owner?.uid ?? 0,
        gid: a.owner?.gid ?? 0,
        mode: 0o755,
        ...(a.epoch !== undefined ? { mtime: a.epoch } : {}),
    };
    await a.writer.mkdirp(destDir, created);
    for (const item of a.items)
        await extractOne(a, item, destDir, created);
}
async function extractOne(a, item, destDir, created) {
    const view = a.writer.view;
    const archiveLinks = new Set();
    const written = new Map();
    const dirs = [];
    const fail = (path, why) => new errors/* BuildStepError */.JI(`ADD ${item.name}: archive entry ${JSON.stringify(path)} ${why}`, {
        location: a.location,
        hint: 'the archive is corrupt or hostile; nothing was extracted outside the image',
    });
    for await (const { header, body } of readTar(decompressStream(await item.open()))) {
        const rel = cleanMember(header.path);
        if (rel === undefined)
            throw fail(header.path, 'is outside the extraction root');
        if (rel === '')
            continue;
        const parts = rel.split('/');
        for (let i = 1; i < parts.length; i++) {
            if (archiveLinks.has(parts.slice(0, i).join('/')))
                throw fail(header.path, 'is written through a symbolic link of the same archive');
        }
        const parent = view.resolveSync(cleanContainerPath(`${destDir}/${parts.slice(0, -1).join('/')}`));
        const to = cleanContainerPath(`${parent}/${parts.at(-1)}`);
        const attrs = {
            uid: a.owner?.uid ?? header.uid,
            gid: a.owner?.gid ?? header.gid,
            mode: header.mode,
            mtime: header.mtime,
        };
        switch (header.type) {
            case 'directory':
                await a.writer.mkdirp(parent, created);
                await a.writer.directory(to, attrs, created);
                dirs.push([to, attrs]);
                break;
            case 'file':
                await a.writer.mkdirp(parent, created);
                await a.writer.writeFile(to, { stream: body }, attrs, created);
                break;
            case 'symlink':
                await a.writer.mkdirp(parent, created);
                await a.writer.symlink(to, header.linkname ?? '', attrs, created);
                archiveLinks.add(rel);
                break;
            case 'hardlink': {
                const target = cleanMember(header.linkname ?? '');
                const earlier = target === undefined ? undefined : written.get(target);
                if (earlier === undefined)
                    throw fail(header.path, `is a hard link to something outside the archive (${header.linkname ?? ''})`);
                await a.writer.mkdirp(parent, created);
                await a.writer.hardlink(to, earlier, created);
                break;
            }
            default:
                throw fail(header.path, `is a ${header.type === 'fifo' ? 'FIFO' : `${header.type} device`}, which ADD does not extract`);
        }
        if (header.type !== 'symlink')
            archiveLinks.delete(rel);
        written.set(rel, to);
    }
    for (const [path, attrs] of dirs.reverse())
        await a.writer.finishDirectory(path, attrs);
}
/** A member path relative to the extraction root; undefined when it climbs out. */
function cleanMember(raw) {
    const out = [];
    for (const c of raw.split('/')) {
        if (c === '' || c === '.')
            continue;
        if (c === '..') {
            if (out.length === 0)
                return undefined;
            out.pop();
        }
        else
            out.push(c);
    }
    return splitContainerPath(out.join('/')).join('/');
}

;// CONCATENATED MODULE: ./src/registry/bounded.ts
/** Runs `fn` over `items` with at most `limit` calls in flight; rejects with the first failure (after the rest settle). */
async function mapBounded(items, limit, fn) {
    const results = new Array(items.length);
    let next = 0;
    let failure;
    const worker = async () => {
        while (failure === undefined && next < items.length) {
            const i = next++;
            try {
                results[i] = await fn(items[i], i);
            }
            catch (error) {
                failure ??= { error };
            }
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
    if (failure)
        throw failure.error;
    return results;
}

;// CONCATENATED MODULE: ./src/build/steps/copy-write.ts



/** Files up to this size are copied from memory (the build context keeps those it hashed). */
const smallFile = 1 << 20;
/** Writes a COPY's selection into the step's upper dir with fsutil's copy rules (docs/buildkit-semantics.md §3). */
async function writeCopy(p) {
    const view = p.writer.view;
    const dirSyntax = /\/\.?$/.test(p.dest) || p.dest === '.';
    const dest = p.resolveDest ? view.resolveSync(cleanContainerPath(p.dest)) : cleanContainerPath(p.dest);
    const created = {
        uid: p.owner?.uid ?? 0,
        gid: p.owner?.gid ?? 0,
        mode: 0o755,
        ...(p.epoch !== undefined ? { mtime: p.epoch } : {}),
    };
    const dirsToFinish = [];
    const destIsDir = () => dirSyntax || (view.lstatSync(dest)?.stats.isDirectory() ?? false);
    for (const item of p.selection.items) {
        if (item.kind === 'contents') {
            await p.writer.mkdirp(dest, created);
            await writeContents(p, item.entries, dest, created, dirsToFinish);
        }
        else {
            const to = destIsDir() ? copy_write_join(dest, item.name) : dest;
            await p.writer.mkdirp(parentOf(to), created);
            await copy_write_writeEntry(p, item.entry, to, created, dirsToFinish);
        }
    }
    for (const extra of p.extras) {
        const to = destIsDir() ? copy_write_join(dest, extra.name) : dest;
        await p.writer.mkdirp(parentOf(to), created);
        refuseDirectoryTarget(p, to);
        const mode = p.chmod ? p.chmod(extra.mode, false) : extra.mode;
        const mtime = p.epoch ?? extra.mtime;
        await p.writer.writeFile(to, extra.content, { uid: created.uid, gid: created.gid, mode, ...(mtime !== undefined ? { mtime } : {}) }, created);
    }
    for (const [path, attrs] of dirsToFinish.reverse())
        await p.writer.finishDirectory(path, attrs);
}
/** Files written at once: the writes are latency-bound (open, write, close, utimes), not CPU-bound. */
const fileWriteConcurrency = 16;
/**
 * A directory's contents: directories first, in walk order (parents before children); then the files, links and
 * special files, several at a time (their parents exist by then); then the hard links to files written here.
 */
async function writeContents(p, entries, dest, created, dirs) {
    for (const e of entries)
        if (e.entry.type === 'dir')
            await copy_write_writeEntry(p, e.entry, copy_write_join(dest, e.destPath), created, dirs);
    const others = entries.filter((e) => e.entry.type !== 'dir' && e.hardlinkTo === undefined);
    await mapBounded(others, fileWriteConcurrency, (e) => copy_write_writeEntry(p, e.entry, copy_write_join(dest, e.destPath), created, dirs));
    for (const e of entries) {
        if (e.hardlinkTo !== undefined)
            await p.writer.hardlink(copy_write_join(dest, e.destPath), copy_write_join(dest, e.hardlinkTo), created);
    }
}
async function copy_write_writeEntry(p, e, to, created, dirs) {
    const uid = p.owner?.uid ?? (p.treeOwner === 'root' ? 0 : e.uid);
    const gid = p.owner?.gid ?? (p.treeOwner === 'root' ? 0 : e.gid);
    const isDir = e.type === 'dir';
    const mode = p.chmod && e.type !== 'symlink' ? p.chmod(e.mode, isDir) : e.mode;
    const mtime = p.epoch ?? Number(e.mtimeNs) / 1e9;
    const attrs = { uid, gid, mode, mtime };
    const existing = p.writer.view.lstatSync(to);
    switch (e.type) {
        case 'dir':
            if (existing && !existing.stats.isDirectory())
                throw new errors/* BuildStepError */.JI(`cannot copy to non-directory: ${to}`, { location: p.location });
            await p.writer.directory(to, attrs, created);
            dirs.push([to, attrs]);
            return;
        case 'file': {
            refuseDirectoryTarget(p, to);
            const content = e.size <= smallFile ? { data: await p.tree.readFile(e) } : { stream: await p.tree.openFile(e) };
            await p.writer.writeFile(to, content, attrs, created);
            return;
        }
        case 'symlink':
            refuseDirectoryTarget(p, to);
            await p.writer.symlink(to, e.linkTarget, attrs, created);
            return;
        case 'char-device':
        case 'block-device':
            refuseDirectoryTarget(p, to);
            await p.writer.special(to, e.type === 'char-device' ? 'char' : 'block', e.devMajor, e.devMinor, attrs, created);
            return;
        case 'fifo':
            refuseDirectoryTarget(p, to);
            await p.writer.special(to, 'fifo', 0, 0, attrs, created);
            return;
    }
}
function refuseDirectoryTarget(p, to) {
    if (p.writer.view.lstatSync(to)?.stats.isDirectory()) {
        throw new errors/* BuildStepError */.JI(`cannot replace to directory ${to} with file`, { location: p.location });
    }
}
function copy_write_join(dir, rel) {
    return cleanContainerPath(`${dir}/${rel}`);
}
function parentOf(path) {
    return '/' + splitContainerPath(path).slice(0, -1).join('/');
}

;// CONCATENATED MODULE: ./src/build/steps/copy.ts


















/** COPY and ADD: select the sources, key the step by their content, write them into a new layer. */
async function copyStep(s, state, ins, info) {
    const { instruction: c } = expandInstruction(ins, state.env, {
        escapeToken: s.plan.dockerfile.escapeToken,
    });
    const isAdd = c.kind === 'add';
    const remote = isAdd ? c.sources.filter(isRemoteSource) : [];
    const local = c.sources.filter((src) => !remote.includes(src));
    if (isAdd && remote.length > 0 && c.checksum !== undefined && c.sources.length > 1) {
        throw new errors/* BuildStepError */.JI('ADD --checksum works with a single source only', { location: ins.location });
    }
    const source = await sourceOf(s, state, c);
    const selectFrom = async (tree) => {
        const selection = local.length > 0
            ? await selectSources(tree, {
                sources: local,
                exclude: c.exclude,
                parents: c.kind === 'copy' && c.parents,
                instruction: isAdd ? 'ADD' : 'COPY',
                location: ins.location,
            })
            : { items: [], emptyWildcards: [], multipleSources: false };
        for (const w of selection.emptyWildcards)
            s.warnings.push(`${ins.location.file}:${ins.location.line}: ${isAdd ? 'ADD' : 'COPY'} source ${JSON.stringify(w)} matched no files`);
        return selection;
    };
    // The build context is selected now: its content keys the step. Another stage or an image is opened only if
    // the step runs — on a cache hit its layers need not even be downloaded.
    const contextTree = source.kind === 'context' ? source.tree : undefined;
    const contextSelection = contextTree ? await selectFrom(contextTree) : undefined;
    const downloads = remote.length > 0
        ? await prepareRemoteSources(s, remote, isAdd ? c.checksum : undefined, isAdd ? c.unpack : undefined, ins.location)
        : [];
    const chmod = c.chmod !== undefined ? parseChmod(c.chmod, ins.location) : undefined;
    const link = c.link && c.chmod === undefined;
    const dest = resolveAgainst(state.workdir, c.destination) +
        (/\/\.?$/.test(c.destination) || c.destination === '.' ? '/' : '');
    const unpack = isAdd ? (c.unpack ?? true) : false;
    const archives = unpack && contextTree && contextSelection ? await findArchives(contextTree, contextSelection) : [];
    const inputs = {
        op: isAdd ? 'add' : 'copy',
        sources: [...c.sources],
        inline: c.inlineFiles.map((f) => ({ name: f.name, content: sha256(f.content) })),
        dest,
        chown: c.chown ?? null,
        chmod: c.chmod ?? null,
        link,
        parents: c.kind === 'copy' ? c.parents : false,
        exclude: [...c.exclude],
        from: source.key,
        // Context files are keyed by content. Another stage's files are determined by that stage's key (and an
        // image's by its digest), already in `from`: hashing them again on every build would read the whole selection.
        files: contextTree && contextSelection ? await checksumSelection(contextTree, contextSelection) : null,
        remote: downloads.map((d) => ({ url: d.url, digest: d.digest })),
        unpack,
    };
    return runFsStep(s, state, info, {
        inputs,
        independent: link,
        history: copyHistory(isAdd ? 'ADD' : 'COPY', {
            parents: c.kind === 'copy' && c.parents,
            ...(c.chown ? { chown: c.chown } : {}),
            ...(c.chmod ? { chmod: c.chmod } : {}),
        }, c.sources, c.inlineFiles.map((f) => f.name), c.destination),
        execute: async (upper, lowers) => {
            const writer = new UpperWriter(upper, lowers);
            const owner = c.chown !== undefined
                ? await resolveFileOwner(c.chown, link ? new LayeredFs(await stageLowers(s, state)) : writer.view)
                : undefined;
            const epoch = s.req.sourceDateEpoch;
            const extras = [
                ...c.inlineFiles.map((f) => ({ name: f.name, content: { data: f.content }, mode: 0o644 })),
                ...downloads
                    .filter((d) => !d.unpack)
                    .map((d) => ({
                    name: d.name,
                    content: { hostPath: d.path },
                    mode: 0o600,
                    ...(d.mtime !== undefined ? { mtime: d.mtime } : {}),
                })),
            ];
            const tree = source.kind === 'context' ? source.tree : await source.open();
            const selection = contextSelection ?? (await selectFrom(tree));
            const plain = archives.length > 0 ? withoutArchives(selection, archives) : selection;
            await writeCopy({
                writer,
                tree,
                selection: plain,
                extras,
                dest,
                resolveDest: !link,
                owner,
                treeOwner: source.owner,
                chmod,
                epoch,
                location: ins.location,
            });
            const toUnpack = [
                ...archives,
                ...downloads
                    .filter((d) => d.unpack)
                    .map((d) => ({
                    open: async () => (0,external_node_fs_namespaceObject.createReadStream)(d.path),
                    name: d.name,
                })),
            ];
            if (toUnpack.length > 0)
                await writeArchives({
                    writer,
                    items: toUnpack,
                    dest,
                    resolveDest: !link,
                    owner,
                    epoch,
                    location: ins.location,
                });
        },
    });
}
async function sourceOf(s, state, c) {
    const from = c.kind === 'copy' ? c.from : undefined;
    if (from === undefined)
        return { kind: 'context', tree: s.req.context, key: 'context', owner: 'root' };
    const src = resolveSource(s.plan.dockerfile, state.plan.stage, from, c);
    if (src.kind === 'stage') {
        const stage = s.stages.get(src.index);
        if (!stage)
            throw new errors/* BuildStepError */.JI(`stage ${from} was not built`, { location: c.location });
        return {
            kind: 'rootfs',
            open: async () => new RootfsTree(new LayeredFs(await stageLowers(s, stage)), `stage ${stage.plan.label}`),
            key: { stage: stage.chainKey },
            owner: 'preserve',
        };
    }
    const img = await s.bases.resolve(src.ref, state.plan.platform, c.location);
    return {
        kind: 'rootfs',
        open: async () => {
            const dirs = await Promise.all(img.image.layers.map((l) => s.layerDirs.get(l, `layer of ${src.ref}`)));
            return new RootfsTree(new LayeredFs(dirs.reverse()), `image ${src.ref}`);
        },
        key: { image: img.digest },
        owner: 'preserve',
    };
}
/** ADD unpacks local files that are archives (by content: a tar, compressed or not). */
async function findArchives(tree, selection) {
    const out = [];
    for (const item of selection.items) {
        if (item.kind !== 'single' || item.entry.type !== 'file')
            continue;
        const entry = item.entry;
        if (await isArchive(() => tree.openFile(entry)))
            out.push({ open: () => tree.openFile(entry), name: item.name, source: item });
    }
    return out;
}
function withoutArchives(selection, archives) {
    const skip = new Set(archives.map((a) => a.source));
    return { ...selection, items: selection.items.filter((i) => !skip.has(i)) };
}

;// CONCATENATED MODULE: ./src/oci/image-draft.ts
/**
 * ImageDraft: a pure, immutable builder for a new image. Every `with…` returns a new draft; nothing touches a
 * store until `write`, which encodes the config and manifest (manifest-codec: BuildKit's bytes), stores both and
 * returns the resulting Image. Layer media types are converted to the draft's family (OCI or Docker schema 2),
 * so a Docker base image plus new layers never mixes the two.
 */




class ImageDraft {
    family;
    config;
    layers;
    annotations;
    constructor(family, 
    /** The config without rootfs (derived from `layers` when written). */
    config, layers, 
    /** Manifest annotations (OCI only; Docker schema 2 manifests have none). */
    annotations = {}) {
        this.family = family;
        this.config = config;
        this.layers = layers;
        this.annotations = annotations;
    }
    /** An empty image (`FROM scratch`) for `platform`. */
    static scratch(platform, family = 'oci') {
        const config = {
            architecture: platform.architecture,
            os: platform.os,
        };
        if (platform.variant)
            config.variant = platform.variant;
        if (platform['os.version'])
            config['os.version'] = platform['os.version'];
        return new ImageDraft(family, config, []);
    }
    /** A draft that starts from an existing image (`FROM base`): its config, history and layers. */
    static from(base, family = base.family) {
        const { rootfs: _rootfs, ...config } = base.config;
        return new ImageDraft(family, config, base.layers);
    }
    /** Appends a layer with the history entry that created it. */
    withLayer(layer, history) {
        const entry = { ...history };
        delete entry.empty_layer;
        return this.next({ layers: [...this.layers, layer], config: this.withHistoryEntry(entry) });
    }
    /** Records a metadata-only step (ENV, LABEL, CMD…) in the history, as an empty layer. */
    withHistory(history) {
        return this.next({ config: this.withHistoryEntry({ ...history, empty_layer: true }) });
    }
    /** Changes the runtime config: a partial object is merged over the current one; a function maps it. */
    withConfig(change) {
        const current = this.config.config ?? {};
        const config = typeof change === 'function' ? change(current) : { ...current, ...change };
        return this.next({ config: { ...this.config, config } });
    }
    withCreated(created) {
        return this.next({ config: setOrDelete(this.config, 'created', created) });
    }
    withAuthor(author) {
        return this.next({ config: setOrDelete(this.config, 'author', author) });
    }
    withPlatform(platform) {
        let config = {
            ...this.config,
            architecture: platform.architecture,
            os: platform.os,
        };
        config = setOrDelete(config, 'variant', platform.variant);
        config = setOrDelete(config, 'os.version', platform['os.version']);
        return this.next({ config });
    }
    withAnnotations(annotations) {
        return this.next({ annotations: { ...this.annotations, ...annotations } });
    }
    withFamily(family) {
        return this.next({ family });
    }
    /** The complete config this draft writes. */
    toConfig() {
        return { ...this.config, rootfs: { type: 'layers', diff_ids: this.layers.map((l) => l.diffId) } };
    }
    /** The manifest for a config blob described by `config`. */
    toManifest(config) {
        const docker = this.family === 'docker';
        const manifest = {
            schemaVersion: 2,
            mediaType: docker ? media_types_MediaType.dockerManifest : media_types_MediaType.ociManifest,
            config,
            layers: this.layers.map((l) => convertLayer(l.descriptor, this.family)),
        };
        if (!docker && Object.keys(this.annotations).length > 0)
            manifest.annotations = { ...this.annotations };
        return manifest;
    }
    /** Stores the config and manifest blobs (layers must already be stored) and returns the new image. */
    async write(blobs) {
        const config = this.toConfig();
        const configBytes = encodeConfig(config);
        const configType = this.family === 'docker' ? media_types_MediaType.dockerConfig : media_types_MediaType.ociConfig;
        const configDesc = manifest_codec_describeBytes(configBytes, configType);
        const manifest = this.toManifest(configDesc);
        const manifestBytes = encodeManifest(manifest);
        const descriptor = manifest_codec_describeBytes(manifestBytes, manifest.mediaType);
        await blobs.put(configBytes, configDesc);
        await blobs.put(manifestBytes, descriptor);
        const layers = manifest.layers.map((d, i) => ({ descriptor: d, diffId: this.layers[i].diffId }));
        return { descriptor, manifest, config, layers, platform: platformOfConfig(config), family: this.family };
    }
    withHistoryEntry(entry) {
        return { ...this.config, history: [...(this.config.history ?? []), entry] };
    }
    next(change) {
        return new ImageDraft(change.family ?? this.family, change.config ?? this.config, change.layers ?? this.layers, change.annotations ?? this.annotations);
    }
}
/**
 * Writes an index over `images` (one entry per image, with its platform) and returns its descriptor. The
 * index's family follows the images' (an OCI index of Docker manifests would mix the two).
 */
async function writeIndex(blobs, images, annotations = {}) {
    const families = new Set(images.map((i) => i.family));
    if (families.size > 1)
        throw new InternalError('cannot index OCI and Docker manifests together');
    const docker = families.has('docker');
    const index = {
        schemaVersion: 2,
        mediaType: docker ? MediaType.dockerManifestList : MediaType.ociIndex,
        manifests: images.map((i) => ({
            mediaType: i.descriptor.mediaType,
            digest: i.descriptor.digest,
            size: i.descriptor.size,
            platform: i.platform,
        })),
    };
    if (!docker && Object.keys(annotations).length > 0)
        index.annotations = { ...annotations };
    const bytes = encodeIndex(index);
    const descriptor = describeBytes(bytes, index.mediaType);
    await blobs.put(bytes, descriptor);
    return descriptor;
}
const ociToDocker = {
    [media_types_MediaType.ociLayerGzip]: media_types_MediaType.dockerLayerGzip,
    [media_types_MediaType.ociLayer]: 'application/vnd.docker.image.rootfs.diff.tar',
    [media_types_MediaType.ociLayerNondistributableGzip]: media_types_MediaType.dockerForeignLayerGzip,
};
const dockerToOci = Object.fromEntries(Object.entries(ociToDocker).map(([oci, docker]) => [docker, oci]));
/** A layer descriptor in `family`'s media types (Docker manifests carry no layer annotations, as BuildKit). */
function convertLayer(d, family) {
    if (family === 'oci') {
        const mediaType = dockerToOci[d.mediaType] ?? d.mediaType;
        return mediaType === d.mediaType ? d : { ...d, mediaType };
    }
    const mediaType = ociToDocker[d.mediaType] ?? d.mediaType;
    if (!mediaType.startsWith('application/vnd.docker.')) {
        throw new errors/* InternalError */.Gd(`layer ${d.digest} (${d.mediaType}) has no Docker schema 2 media type`, {
            hint: 'zstd layers need OCI media types; build with OCI media types or gzip compression',
        });
    }
    const { annotations: _a, ...rest } = d;
    return { ...rest, mediaType };
}
function setOrDelete(obj, key, value) {
    const out = { ...obj };
    if (value === undefined || value === '')
        delete out[key];
    else
        out[key] = value;
    return out;
}

;// CONCATENATED MODULE: ./src/build/context-mount.ts





/** What `RUN --mount=type=bind` (from the context) selects: the same rules as a COPY source. */
async function selectContextPath(ctx, source, location) {
    const selection = await selectSources(ctx, { sources: [source], instruction: 'COPY', location });
    return { selection, checksum: await checksumSelection(ctx, selection) };
}
/**
 * A private copy of the part of the build context a bind mount shows — only what .dockerignore lets through,
 * owned by root as BuildKit's context is — so the RUN step cannot see ignored files or change the originals.
 * Returns the directory to mount (a single-file source is placed in a directory of its own: `file`).
 */
async function materializeContext(ctx, source, dest, location) {
    const { selection } = await selectContextPath(ctx, source, location);
    await (0,promises_.mkdir)(dest, { recursive: true, mode: 0o755 });
    for (const item of selection.items) {
        if (item.kind === 'contents') {
            await (0,promises_.chmod)(dest, item.dir.mode);
            for (const e of item.entries)
                await place(ctx, e.entry, (0,external_node_path_.join)(dest, e.destPath));
        }
        else {
            await place(ctx, item.entry, (0,external_node_path_.join)(dest, item.name));
            return { dir: dest, file: item.name };
        }
    }
    return { dir: dest };
}
async function place(ctx, e, to) {
    await (0,promises_.mkdir)((0,external_node_path_.dirname)(to), { recursive: true });
    switch (e.type) {
        case 'dir':
            await (0,promises_.mkdir)(to, { recursive: true });
            await (0,promises_.chmod)(to, e.mode);
            break;
        case 'file':
            await (0,promises_.copyFile)((0,external_node_path_.join)(ctx.root, e.path), to, external_node_fs_namespaceObject.constants.COPYFILE_FICLONE);
            await (0,promises_.chmod)(to, e.mode);
            break;
        case 'symlink':
            await (0,promises_.symlink)(e.linkTarget, to);
            break;
        default:
            return;
    }
    await (0,promises_.lchown)(to, 0, 0);
}

;// CONCATENATED MODULE: ./src/build/secrets.ts


/** A build secret's bytes, or undefined when the build was not given that id. Never logged. */
async function readSecret(secrets, id) {
    const src = secrets.get(id);
    if (!src)
        return undefined;
    if (src.kind === 'value')
        return Buffer.from(src.value, 'utf8');
    try {
        return await (0,promises_.readFile)(src.path);
    }
    catch (err) {
        throw new errors/* BuildStepError */.JI(`cannot read the file of secret ${JSON.stringify(id)}: ${err.code ?? 'error'}`, {
            hint: 'check the src= path given for this secret',
        });
    }
}

;// CONCATENATED MODULE: ./src/build/steps/run-mounts.ts









/** Key parts of the mounts; computed without touching any file so cache hits stay cheap. */
async function mountKeys(s, state, run, specs) {
    const out = [];
    for (const m of specs) {
        const target = m.type === 'secret' || m.type === 'ssh' ? (m.target ?? '') : resolveAgainst(state.workdir, m.target);
        switch (m.type) {
            case 'cache':
                out.push({
                    type: 'cache',
                    target,
                    id: m.id ?? '',
                    sharing: m.sharing,
                    readOnly: m.readOnly,
                    mode: m.mode,
                    uid: m.uid,
                    gid: m.gid,
                    from: await sourceKey(s, state, run, m.from, m.source),
                });
                break;
            case 'bind':
                out.push({
                    type: 'bind',
                    target,
                    readOnly: m.readOnly,
                    from: await sourceKey(s, state, run, m.from, m.source ?? '/', true),
                });
                break;
            case 'tmpfs':
                out.push({ type: 'tmpfs', target, size: m.sizeBytes ?? null });
                break;
            case 'secret':
                out.push({
                    type: 'secret',
                    id: m.id,
                    target: m.target ?? null,
                    env: m.env ?? null,
                    required: m.required,
                    mode: m.mode,
                    uid: m.uid,
                    gid: m.gid,
                });
                break;
            case 'ssh':
                throw new errors/* BuildStepError */.JI('RUN --mount=type=ssh is not supported by image-build', {
                    location: run.location,
                    hint: 'fetch private dependencies with a secret mount (--mount=type=secret,id=…) and a token instead',
                });
        }
    }
    return out;
}
/** What a bind/cache `from` contributes to the key: the source filesystem's key and the path. */
async function sourceKey(s, state, run, from, source, context = false) {
    if (from === undefined || from === '') {
        if (!context)
            return null;
        const path = source ?? '/';
        const { checksum } = await selectContextPath(s.req.context, path, run.location);
        return { context: path, checksum };
    }
    const src = resolveSource(s.plan.dockerfile, state.plan.stage, from, run);
    if (src.kind === 'stage')
        return { stage: s.stages.get(src.index)?.chainKey ?? null, path: source ?? '/' };
    const img = await s.bases.resolve(src.ref, state.plan.platform, run.location);
    return { image: img.digest, path: source ?? '/' };
}
/** Creates the host side of every mount: cache dirs, secret files, context copies, stage views. */
async function prepareMounts(s, state, run, specs, scratch) {
    const mounts = [];
    const secretEnv = [];
    let n = 0;
    for (const m of specs) {
        n++;
        const target = m.type === 'secret' || m.type === 'ssh' ? (m.target ?? '') : resolveAgainst(state.workdir, m.target);
        switch (m.type) {
            case 'tmpfs':
                mounts.push({
                    kind: 'tmpfs',
                    target,
                    options: m.sizeBytes !== undefined ? `size=${m.sizeBytes}` : '',
                });
                break;
            case 'cache':
                if (m.from)
                    throw new errors/* BuildStepError */.JI('RUN --mount=type=cache with from= is not supported yet', {
                        location: run.location,
                        hint: 'seed the cache in a RUN step instead',
                    });
                mounts.push({
                    kind: 'bind',
                    source: await cacheDir(s, m.id ?? target, m.mode, m.uid, m.gid),
                    target,
                    readonly: m.readOnly,
                    file: false,
                });
                break;
            case 'secret': {
                const value = await readSecret(s.req.secrets, m.id);
                if (value === undefined) {
                    if (m.required)
                        throw new errors/* BuildStepError */.JI(`secret ${JSON.stringify(m.id)} is required but was not given`, {
                            location: run.location,
                            hint: `pass it with --secret id=${m.id},src=<file> (CLI) or the secrets input`,
                        });
                    break;
                }
                if (m.env)
                    secretEnv.push(`${m.env}=${value.toString('utf8')}`);
                if (m.target !== undefined) {
                    const file = (0,external_node_path_.join)(scratch, `secret-${n}`);
                    await (0,promises_.writeFile)(file, value, { mode: 0o600 });
                    await (0,promises_.chown)(file, m.uid, m.gid);
                    await (0,promises_.chmod)(file, m.mode);
                    mounts.push({ kind: 'bind', source: file, target: m.target, readonly: true, file: true });
                }
                break;
            }
            case 'bind':
                mounts.push(await bindMount(s, state, run, m.from, m.source ?? '/', target, m.readOnly, (0,external_node_path_.join)(scratch, `bind-${n}`)));
                break;
            case 'ssh':
                throw new errors/* BuildStepError */.JI('RUN --mount=type=ssh is not supported by image-build', {
                    location: run.location,
                });
        }
    }
    return { mounts, secretEnv, key: [] };
}
async function bindMount(s, state, run, from, source, target, readOnly, scratch) {
    const upper = readOnly ? undefined : { dir: (0,external_node_path_.join)(scratch, 'upper'), work: (0,external_node_path_.join)(scratch, 'work') };
    if (upper) {
        await (0,promises_.mkdir)(upper.dir, { recursive: true });
        await (0,promises_.mkdir)(upper.work, { recursive: true });
    }
    if (from === undefined || from === '') {
        const copy = await materializeContext(s.req.context, source, (0,external_node_path_.join)(scratch, 'context'), run.location);
        if (copy.file !== undefined)
            return { kind: 'bind', source: (0,external_node_path_.join)(copy.dir, copy.file), target, readonly: readOnly, file: true };
        return { kind: 'overlay', target, lowers: [copy.dir], ...(upper ? { upper } : {}) };
    }
    const src = resolveSource(s.plan.dockerfile, state.plan.stage, from, run);
    const lowers = src.kind === 'stage'
        ? await stageLowers(s, s.stages.get(src.index))
        : await imageLowers(s, src.ref, state, run.location);
    if (lowers.length === 0)
        lowers.push({ dir: await emptyDir((0,external_node_path_.join)(scratch, 'empty')), opaque: new Set() });
    return {
        kind: 'overlay',
        target,
        lowers: lowers.map((l) => l.dir),
        subpath: source,
        ...(upper ? { upper } : {}),
    };
}
async function imageLowers(s, ref, state, location) {
    const img = await s.bases.resolve(ref, state.plan.platform, location);
    const dirs = await Promise.all(img.image.layers.map((l) => s.layerDirs.get(l, `layer of ${ref}`)));
    return dirs.reverse();
}
async function emptyDir(dir) {
    await (0,promises_.mkdir)(dir, { recursive: true });
    return dir;
}
/** A persistent cache-mount directory (kept across builds on this machine and saved by the cache backends). */
async function cacheDir(s, id, mode, uid, gid) {
    const name = (0,external_node_crypto_namespaceObject.createHash)('sha256').update(id).digest('hex').slice(0, 32);
    const dir = (0,external_node_path_.join)(s.host.workRoot, 'cache-mounts', name);
    await s.host.cache
        ?.openCacheMount?.(id, dir)
        .catch((err) => s.host.logger.warn(`cache mount ${JSON.stringify(id)} was not restored: ${(0,errors/* describeError */.Uc)(err)}`));
    try {
        await (0,promises_.mkdir)(dir, { recursive: false, mode });
        await (0,promises_.chown)(dir, uid, gid);
        await (0,promises_.chmod)(dir, mode);
    }
    catch (err) {
        if (err.code === 'ENOENT') {
            await (0,promises_.mkdir)((0,external_node_path_.join)(s.host.workRoot, 'cache-mounts'), { recursive: true });
            return cacheDir(s, id, mode, uid, gid);
        }
        if (err.code !== 'EEXIST')
            throw err;
    }
    return dir;
}

;// CONCATENATED MODULE: ./src/build/steps/run.ts









/** BuildKit's default PATH, added to a RUN's env when none is set. */
const defaultPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const outputTailLines = 20;
async function runStep(s, state, ins, info) {
    const { instruction: run } = expandInstruction(ins, state.env, {
        escapeToken: s.plan.dockerfile.escapeToken,
    });
    if (run.security === 'insecure') {
        throw new errors/* BuildStepError */.JI('RUN --security=insecure is not allowed', {
            location: ins.location,
            hint: 'image-build never grants the insecure entitlement',
        });
    }
    if (run.devices.length > 0) {
        throw new errors/* BuildStepError */.JI('RUN --device is not supported by image-build', { location: ins.location });
    }
    const script = runScript(ins);
    const argv = script.form === 'exec' ? [...script.args] : [...state.shell, script.command];
    if (argv.length === 0)
        throw new errors/* BuildStepError */.JI('RUN has no command', { location: ins.location });
    const env = withDefaultPath(state.env.runEnv());
    const user = state.draft.config.config?.User ?? '';
    const stageArgs = state.env
        .declaredArgs()
        .map((a) => [a.name, state.env.lookup(a.name) ?? a.value ?? '']);
    const inputs = {
        op: 'run',
        args: argv,
        env,
        cwd: state.workdir,
        user,
        network: run.network,
        mounts: await mountKeys(s, state, ins, run.mountSpecs),
        inline: script.form === 'shell' && script.file ? script.file.content : null,
        platform: formatPlatform(state.plan.platform),
    };
    return runFsStep(s, state, info, {
        inputs,
        history: runHistory(argv, stageArgs),
        execute: async (upper, lowers) => {
            const scratch = (0,external_node_path_.join)(s.tmp, `run-${info.id.replace(/[^a-z0-9]/gi, '-')}`);
            await (0,promises_.mkdir)(scratch, { recursive: true, mode: 0o700 });
            const work = `${upper}.work`;
            // The step's scratch (secret files, context copies) and the overlay's work dir go when the step ends,
            // whatever happens: a secret is on disk only while its step runs; an interrupted build leaves neither.
            try {
                const prepared = await prepareMounts(s, state, ins, run.mountSpecs, scratch);
                const mounts = [...prepared.mounts];
                if (script.form === 'shell' && script.file) {
                    const pipes = (0,external_node_path_.join)(scratch, 'pipes');
                    await (0,promises_.mkdir)(pipes, { recursive: true });
                    await (0,promises_.writeFile)((0,external_node_path_.join)(pipes, script.file.name), script.file.content);
                    await (0,promises_.chmod)((0,external_node_path_.join)(pipes, script.file.name), script.file.mode);
                    mounts.push({
                        kind: 'bind',
                        source: pipes,
                        target: script.file.directory,
                        readonly: true,
                        file: false,
                    });
                }
                const mnt = (0,external_node_path_.join)(scratch, 'rootfs');
                await (0,promises_.mkdir)(work, { recursive: true });
                await (0,promises_.mkdir)(mnt, { recursive: true });
                const empty = (0,external_node_path_.join)(scratch, 'empty');
                await (0,promises_.mkdir)(empty, { recursive: true });
                const tail = [];
                let partial = '';
                const outcome = await atInstruction(ins.location, runInSandbox(s.sandbox, {
                    rootfs: {
                        mountpoint: mnt,
                        lowers: lowers.length > 0 ? lowers.map((l) => l.dir) : [empty],
                        upper,
                        work,
                    },
                    argv,
                    env: [...env, ...state.env.proxyEnv(), ...prepared.secretEnv],
                    cwd: state.workdir,
                    user,
                    network: run.network === 'none' ? 'none' : 'host',
                    hostname: 'buildkitsandbox',
                    hostsFile: s.hostsFile,
                    resolvConfFile: s.resolvConfFile,
                    mounts,
                    scratchDir: scratch,
                    ...(s.host.signal ? { signal: s.host.signal } : {}),
                    onOutput: (chunk) => {
                        const text = chunk.toString('utf8');
                        s.host.onStep?.({ kind: 'output', id: info.id, text });
                        const lines = (partial + text).split('\n');
                        partial = lines.pop() ?? '';
                        tail.push(...lines);
                        if (tail.length > outputTailLines)
                            tail.splice(0, tail.length - outputTailLines);
                    },
                }));
                if (partial)
                    tail.push(partial);
                if (outcome.kind !== 'exit' || outcome.code !== 0) {
                    const how = outcome.kind === 'exit' ? `exit code: ${outcome.code}` : `killed by signal ${outcome.signal}`;
                    throw new errors/* BuildStepError */.JI(`process ${JSON.stringify(argv.join(' '))} did not complete successfully: ${how}`, {
                        location: ins.location,
                        ...(outcome.kind === 'exit' ? { exitCode: outcome.code } : {}),
                        outputTail: tail.slice(-outputTailLines),
                        hint: tail.length > 0
                            ? `last output: ${tail.slice(-3).join(' | ')}`
                            : 'the command printed nothing',
                    });
                }
            }
            finally {
                await s.layerDirs.removeTree(work).catch(() => undefined);
                await s.layerDirs.removeTree(scratch).catch(() => undefined);
            }
        },
    });
}
/** A sandbox failure (it could not mount or exec) names the RUN's Dockerfile line, like the command's own failures. */
async function atInstruction(location, run) {
    try {
        return await run;
    }
    catch (err) {
        if (!(err instanceof errors/* BuildStepError */.JI) || err.location !== undefined)
            throw err;
        throw new errors/* BuildStepError */.JI(err.message, { location, ...(err.hint ? { hint: err.hint } : {}), cause: err });
    }
}
function withDefaultPath(env) {
    return env.some((e) => e.startsWith('PATH=')) ? [...env] : [...env, `PATH=${defaultPath}`];
}

;// CONCATENATED MODULE: ./src/build/steps/from.ts





const defaultShell = ['/bin/sh', '-c'];
/** FROM: the stage's starting image (scratch, an earlier stage, or a registry image) and environment. */
async function startStage(s, plan) {
    const globals = s.plan.globals;
    const from = plan.stage.from;
    let start;
    switch (plan.base.kind) {
        case 'scratch': {
            const draft = ImageDraft.scratch(plan.platform, 'oci').withConfig({
                Env: [`PATH=${defaultPath}`],
                WorkingDir: '/',
            });
            start = {
                state: initial(plan, draft, BuildEnv.forStage(globals, [`PATH=${defaultPath}`]), '/', defaultShell, stepKey({ op: 'scratch', platform: formatPlatform(plan.platform) })),
                triggers: [],
            };
            break;
        }
        case 'stage': {
            const parent = s.stages.get(plan.base.index);
            const triggers = parent.draft.config.config?.OnBuild ?? [];
            const draft = parent.draft.withConfig((c) => withoutOnBuild(c));
            start = {
                state: { ...parent, plan, draft, cmdSet: false },
                triggers: triggers.map((t) => parseOnbuildTrigger(t, from.location)),
            };
            break;
        }
        case 'image': {
            const base = await s.bases.resolve(plan.base.ref, plan.platform, from.location);
            const cfg = base.image.config.config ?? {};
            const draft = ImageDraft.from(base.image, 'oci')
                .withCreated(undefined)
                .withConfig((c) => withoutOnBuild(c));
            const env = BuildEnv.forStage(globals, cfg.Env ?? []);
            start = {
                state: initial(plan, draft, env, cfg.WorkingDir || '/', cfg.Shell ?? defaultShell, stepKey({ op: 'from', image: base.digest, platform: formatPlatform(plan.platform) })),
                triggers: (cfg.OnBuild ?? []).map((t) => parseOnbuildTrigger(t, from.location)),
            };
            break;
        }
    }
    return { ...start, state: ensurePath(start.state) };
}
function initial(plan, draft, env, workdir, shell, chainKey) {
    return { plan, draft, env, workdir, shell: [...shell], chainKey, cmdSet: false, lastCreated: undefined };
}
function withoutOnBuild(c) {
    const out = { ...c };
    delete out.OnBuild;
    return out;
}
/** BuildKit adds the default PATH to the config of every stage whose base has none. */
function ensurePath(state) {
    const env = state.draft.config.config?.Env ?? [];
    if (env.some((e) => e.startsWith('PATH=')))
        return state;
    return {
        ...state,
        env: state.env.setEnv('PATH', defaultPath),
        draft: state.draft.withConfig({ Env: [...env, `PATH=${defaultPath}`] }),
    };
}

;// CONCATENATED MODULE: ./src/build/steps/workdir.ts






/**
 * WORKDIR: BuildKit mkdirs the directory (0755, owned by the current USER with FileOp rules) as its own layer —
 * an empty layer when it already exists — except for `/`, which only changes the config.
 */
async function workdirStep(s, state, ins, info) {
    const { instruction } = expandInstruction(ins, state.env, { escapeToken: s.plan.dockerfile.escapeToken });
    const path = resolveAgainst(state.workdir, instruction.path);
    const draft0 = state.draft.withConfig({ WorkingDir: path });
    const next = { ...state, draft: draft0, workdir: path };
    if (path === '/') {
        const created = state.lastCreated ?? epochTime(s);
        report(s, info, { status: 'config' });
        return {
            ...next,
            draft: draft0.withHistory({
                ...(created ? { created } : {}),
                created_by: 'WORKDIR /',
                comment: historyComment,
            }),
        };
    }
    const user = state.draft.config.config?.User ?? '';
    return runFsStep(s, next, info, {
        inputs: { op: 'mkdir', path, user },
        history: `WORKDIR ${path}`,
        execute: async (upper, lowers) => {
            const writer = new UpperWriter(upper, lowers);
            const owner = user === '' ? { uid: 0, gid: 0 } : await resolveFileOwner(user, writer.view);
            const existing = writer.view.lstatSync(writer.view.resolveSync(path));
            if (existing?.stats.isDirectory())
                return;
            const epoch = s.req.sourceDateEpoch;
            await writer.mkdirp(writer.view.resolveSync(path), {
                ...owner,
                mode: 0o755,
                ...(epoch !== undefined ? { mtime: epoch } : {}),
            });
        },
    });
}
function epochTime(s) {
    return s.req.sourceDateEpoch !== undefined
        ? new Date(s.req.sourceDateEpoch * 1000).toISOString()
        : undefined;
}

;// CONCATENATED MODULE: ./src/build/executor.ts
















/**
 * Builds the Dockerfile's target into the store: the stages it needs, in dependency order, each step reused
 * from the cache when its key matches. Returns the image (manifest, config and layers are in the store, except
 * cached layers nobody needed to unpack — the lazy restore — which the cache or registry can still provide).
 */
async function buildImage(req, host) {
    const plan = planBuild(req.dockerfile, {
        ...(req.target !== undefined ? { target: req.target } : {}),
        buildArgs: req.buildArgs,
        targetPlatform: req.platform,
        buildPlatform: hostPlatform(),
    });
    const badKeys = new Set(req.avoidCacheKeys ?? []);
    for (let attempt = 0;; attempt++) {
        try {
            return await buildOnce(req, host, plan, badKeys);
        }
        catch (err) {
            // A cached layer the cache could not deliver (corrupt, truncated, evicted): build again with that step
            // treated as a miss. Steps built meanwhile are in the local step cache, so the retry is quick.
            if (!(err instanceof LayerUnavailableError) || attempt >= maxCacheRetries)
                throw err;
            // the cache has warned about its broken entry already: once is enough
            host.logger.debug(`cached layer of step ${err.key.slice(7, 19)} could not be restored (${(0,errors/* describeError */.Uc)(err.cause)}); rebuilding it`);
            badKeys.add(err.key);
        }
    }
}
const maxCacheRetries = 8;
/** A cache hit whose layer cannot be fetched when its files are needed. */
class LayerUnavailableError extends Error {
    key;
    cause;
    constructor(key, cause) {
        super(`cached layer for step ${key} is unavailable`);
        this.key = key;
        this.cause = cause;
    }
}
async function buildOnce(req, host, plan, badKeys) {
    const session = await openSession(req, host, plan, badKeys);
    try {
        for (const index of plan.order) {
            session.stages.set(index, await buildStage(session, index));
        }
        const target = session.stages.get(plan.target);
        const unused = BuildEnv.unusedBuildArgs([...session.stages.values()].map((st) => st.env));
        for (const name of unused)
            session.warnings.push(`build arg ${name} was given but no stage declares it with ARG`);
        let draft = target.draft;
        if (Object.keys(req.labels).length > 0)
            draft = draft.withConfig((c) => ({ ...c, Labels: { ...(c.Labels ?? {}), ...req.labels } }));
        if (Object.keys(req.annotations).length > 0)
            draft = draft.withAnnotations(req.annotations);
        const history = draft.config.history ?? [];
        const created = req.sourceDateEpoch !== undefined
            ? new Date(req.sourceDateEpoch * 1000).toISOString()
            : (history.at(-1)?.created ?? host.clock.now().toISOString());
        const image = await draft.withCreated(created).write(host.store);
        const bases = new Map();
        for (const [ref, d] of session.baseDigests)
            bases.set(ref, d);
        return {
            image,
            steps: session.reports,
            warnings: session.warnings,
            bases,
            fetchMissing: (blob) => fetchResultBlob(session, blob),
        };
    }
    finally {
        await session.layerDirs.removeTree(session.tmp).catch(() => undefined);
    }
}
/**
 * Brings a blob of the result into the store: a cached layer nobody unpacked comes from the layer cache, a base
 * layer from its registry. Push calls this only for blobs the target registry cannot get otherwise.
 */
async function fetchResultBlob(s, blob) {
    if (await s.host.store.has(blob.digest))
        return;
    const cached = s.remoteLayers.get(blob.digest);
    if (cached && s.host.cache)
        return s.host.cache.fetchLayer(cached, s.host.store);
    if (s.bases.knows(blob))
        return s.bases.fetchBlob(blob);
    throw new errors/* BuildStepError */.JI(`blob ${blob.digest} of the built image is neither stored nor known to any cache or registry`);
}
async function openSession(req, host, plan, badKeys) {
    const tmp = (0,external_node_path_.join)(host.workRoot, 'tmp', (0,external_node_crypto_namespaceObject.randomBytes)(6).toString('hex'));
    await (0,promises_.mkdir)(tmp, { recursive: true, mode: 0o700 });
    const remoteLayers = new Map();
    const bases = new BaseImages({
        store: host.store,
        registry: host.registry,
        logger: host.logger,
        pull: req.pull,
    });
    const source = {
        fetch: async (layer) => {
            const cached = remoteLayers.get(layer.descriptor.digest);
            if (!cached || !host.cache)
                return bases.fetchBlob(layer.descriptor);
            try {
                await host.cache.fetchLayer(cached, host.store);
            }
            catch (err) {
                throw new LayerUnavailableError(cached.key, err);
            }
        },
        // a registry layer is unpacked while it downloads
        open: async (layer) => remoteLayers.has(layer.descriptor.digest) || !bases.knows(layer.descriptor)
            ? undefined
            : bases.openBlob(layer.descriptor),
    };
    const layerDirs = new LayerDirs((0,external_node_path_.join)(host.workRoot, 'layers'), host.store, host.privilege, host.hostEnv, host.logger, source);
    await layerDirs.init();
    const stepCache = new StepCache(host.workRoot);
    await stepCache.init();
    const scriptPath = (0,external_node_path_.join)(host.workRoot, 'sandbox.pl');
    await installSandboxScript(scriptPath);
    const hostsFile = (0,external_node_path_.join)(tmp, 'hosts');
    await (0,promises_.writeFile)(hostsFile, '127.0.0.1\tlocalhost buildkitsandbox\n::1\tlocalhost ip6-localhost ip6-loopback\n', { mode: 0o644 });
    const resolvConfFile = (0,external_node_path_.join)(tmp, 'resolv.conf');
    await copyResolvConf(host.resolvConf, resolvConfFile);
    const session = {
        req,
        host,
        plan,
        layerDirs,
        stepCache,
        bases,
        sandbox: { privilege: host.privilege, hostEnv: host.hostEnv, scriptPath },
        tmp,
        hostsFile,
        resolvConfFile,
        stages: new Map(),
        reports: [],
        warnings: [],
        remoteLayers,
        badKeys,
        baseDigests: new Map(),
    };
    return session;
}
/** The host's resolver config; systemd-resolved's stub (127.0.0.53) is replaced by its upstream servers, as BuildKit does. */
async function copyResolvConf(from, to) {
    let text = await (0,promises_.readFile)(from, 'utf8').catch(() => '');
    const servers = text.split('\n').filter((l) => /^\s*nameserver\s/.test(l));
    if (servers.length === 1 && servers[0].includes('127.0.0.53')) {
        text = await (0,promises_.readFile)('/run/systemd/resolve/resolv.conf', 'utf8').catch(() => text);
    }
    if (text === '') {
        await (0,promises_.copyFile)('/dev/null', to);
        return;
    }
    await (0,promises_.writeFile)(to, text, { mode: 0o644 });
}
async function buildStage(s, index) {
    const plan = s.plan.stages[index];
    const started = s.host.clock.now().getTime();
    const { state: initial, triggers } = await startStage(s, plan);
    if (plan.base.kind === 'image')
        s.baseDigests.set(plan.base.ref, (await s.bases.resolve(plan.base.ref, plan.platform, plan.stage.from.location)).digest);
    s.host.onStep?.({
        kind: 'start',
        id: `${index + 1}.0`,
        title: `[${plan.label}] ${plan.stage.from.source}`,
    });
    s.reports.push({
        id: `${index + 1}.0`,
        stage: plan.label,
        instruction: plan.stage.from.source,
        line: plan.stage.from.location.line,
        status: 'config',
        durationMs: s.host.clock.now().getTime() - started,
        key: initial.chainKey,
    });
    const instructions = [...triggers, ...plan.stage.instructions];
    let state = initial;
    for (const [i, ins] of instructions.entries()) {
        if (s.host.signal?.aborted)
            throw new errors/* BuildStepError */.JI('build interrupted');
        const info = {
            id: `${index + 1}.${i + 1}`,
            stage: plan.label,
            instruction: ins.source,
            line: ins.location.line,
            slot: `${s.plan.dockerfile.file}|${plan.label}|${i}|${ins.kind}`,
            started: s.host.clock.now().getTime(),
        };
        s.host.onStep?.({
            kind: 'start',
            id: info.id,
            title: `[${plan.label} ${i + 1}/${instructions.length}] ${ins.source}`,
        });
        state = await executor_dispatch(s, state, ins, info);
    }
    return state;
}
async function executor_dispatch(s, state, ins, info) {
    switch (ins.kind) {
        case 'run':
            return runStep(s, state, ins, info);
        case 'copy':
        case 'add':
            return copyStep(s, state, ins, info);
        case 'workdir':
            return workdirStep(s, state, ins, info);
        case 'from':
            throw new errors/* BuildStepError */.JI('FROM inside a stage', { location: ins.location });
        default:
            if (isConfigInstruction(ins))
                return configStep(s, state, ins, info);
            throw new errors/* BuildStepError */.JI(`unsupported instruction ${ins.kind}`, {
                location: ins.location,
            });
    }
}

;// CONCATENATED MODULE: ./src/build/ship-ready.ts


/**
 * Gets a lazily built image ready for its exports and pushes. The builder leaves layers it never had to unpack
 * out of the store (cross-run cache hits, base layers under config-only steps). An export gets every one; a push
 * needs only the cache hits that are not already in every target repository — fetched now, so a broken cache
 * entry shows before anything is pushed (base layers are left to the push: mounted from their repository when
 * it is on the same registry, else downloaded by `pushImage` through `result.fetchMissing`).
 */
async function readyToShip(result, store, needs, logger) {
    const cacheHits = new Map();
    for (const s of result.steps)
        if (s.layer?.cacheSource === 'cache' && s.key)
            cacheHits.set(s.layer.digest, s.key);
    let fetched = 0;
    const undeliverable = [];
    for (const layer of result.image.manifest.layers) {
        if (await store.has(layer.digest))
            continue;
        const key = cacheHits.get(layer.digest);
        if (!needs.export) {
            if (key === undefined || needs.pushTo.length === 0)
                continue;
            if (await everyTargetHas(needs.pushTo, layer.digest))
                continue;
        }
        try {
            await result.fetchMissing(layer);
            fetched++;
        }
        catch (err) {
            if (!(err instanceof errors/* CacheError */.xA) || key === undefined)
                throw err;
            // the cache has warned about its broken entry already: once is enough
            logger.debug(`the layer cache could not deliver ${layer.digest} (${(0,errors/* describeError */.Uc)(err)}); rebuilding that step`);
            undeliverable.push(key);
        }
    }
    return { fetched, undeliverable };
}
async function everyTargetHas(targets, digest) {
    for (const t of targets) {
        if (!(await t.client.blobExists(t.repository, digest, { push: true }).catch(() => false)))
            return false;
    }
    return true;
}
/**
 * Builds, then readies the image for shipping; when the cache could not deliver a cached layer, builds once more
 * with those steps rebuilt (everything built in between is in the local step cache, so this is quick).
 */
async function buildReadyToShip(req, host, needs) {
    let avoid = new Set(req.avoidCacheKeys ?? []);
    for (let attempt = 0;; attempt++) {
        const result = await buildImage({ ...req, avoidCacheKeys: avoid }, host);
        const ready = await readyToShip(result, host.store, needs, host.logger);
        if (ready.undeliverable.length === 0)
            return result;
        if (attempt >= 2)
            throw new errors/* BuildStepError */.JI('the layer cache keeps failing to deliver layers', {
                hint: 'build with no-cache',
            });
        avoid = new Set([...avoid, ...ready.undeliverable]);
    }
}

;// CONCATENATED MODULE: ./src/context/walk-context.ts





/** Walks `rootAbs` (a real directory path) into a ContextIndex. */
async function walkContext(rootAbs, ignore, counters, log) {
    counters.lstat++;
    const root = makeEntry('', 'dir', await (0,promises_.lstat)(rootAbs, { bigint: true }));
    const state = {
        rootAbs,
        ignore,
        prune: pruneRule(ignore),
        counters,
        log,
        entries: [],
        seenInodes: new Map(),
    };
    await walkDir(state, '', undefined, []);
    return indexEntries(root, state.entries);
}
async function walkDir(state, dir, parentInfo, pending) {
    // An unreadable directory that is excluded anyway is skipped, like fsutil does.
    const excluded = pending.length > 0;
    const names = await readNames(state, dir, excluded);
    const stats = await Promise.all(names.map((name) => lstatEntry(state, joinRel(dir, name))));
    for (const [i, name] of names.entries()) {
        const st = stats[i];
        if (st === undefined)
            continue; // vanished during the walk
        const path = joinRel(dir, name);
        const type = entryTypeOf(st);
        if (type === 'socket' || type === undefined) {
            state.log?.debug(`context: skipping ${type ?? 'special file'} "${path}"`);
            continue;
        }
        const verdict = state.ignore?.matchesUsingParentResults(path, parentInfo);
        if (verdict?.matched) {
            if (type === 'dir' && !state.prune(path)) {
                const entry = makeEntry(path, type, st);
                await walkDir(state, path, verdict.info, [...pending, { entry, emitted: false }]);
            }
            continue;
        }
        for (const p of pending.filter((d) => !d.emitted)) {
            p.emitted = true;
            state.entries.push(p.entry);
        }
        const entry = await buildEntry(state, path, type, st);
        state.entries.push(entry);
        if (type === 'dir')
            await walkDir(state, path, verdict?.info, []);
    }
}
async function readNames(state, dir, excluded) {
    state.counters.readdir++;
    let raw;
    try {
        raw = await (0,promises_.readdir)((0,external_node_path_.join)(state.rootAbs, dir), { encoding: 'buffer' });
    }
    catch (err) {
        const code = err.code;
        if (excluded && (code === 'EACCES' || code === 'EPERM'))
            return [];
        throw contextReadError(dir, err);
    }
    const names = raw.map((b) => {
        const name = b.toString('utf8');
        if (!Buffer.from(name, 'utf8').equals(b)) {
            throw new errors/* InputError */.dz('context', `a file name in "${dir || '.'}" is not valid UTF-8 (${JSON.stringify(name)})`, {
                hint: 'rename the file or exclude it in .dockerignore',
            });
        }
        return name;
    });
    return names.sort(compareGoStrings);
}
async function lstatEntry(state, path) {
    state.counters.lstat++;
    try {
        return await (0,promises_.lstat)((0,external_node_path_.join)(state.rootAbs, path), { bigint: true });
    }
    catch (err) {
        if (err.code === 'ENOENT')
            return undefined;
        throw contextReadError(path, err);
    }
}
async function buildEntry(state, path, type, st) {
    if (type === 'symlink') {
        state.counters.readlink++;
        const target = await (0,promises_.readlink)((0,external_node_path_.join)(state.rootAbs, path), { encoding: 'buffer' });
        return makeEntry(path, type, st, { linkTarget: target.toString('utf8') });
    }
    if (type !== 'file' || st.nlink < 2n)
        return makeEntry(path, type, st);
    const key = inodeKey(st);
    const first = state.seenInodes.get(key);
    if (first === undefined)
        state.seenInodes.set(key, path);
    return makeEntry(path, type, st, first === undefined ? {} : { hardlinkOf: first });
}
/**
 * fsutil's rule for skipping an excluded directory: always when there are no exceptions; never when an
 * exception has wildcards; otherwise only when no exception names a path below it.
 */
function pruneRule(ignore) {
    const exceptions = ignore?.patterns.filter((p) => p.exception) ?? [];
    if (exceptions.length === 0)
        return () => true;
    const prefixes = exceptions.map((p) => p.text.replace(/\/\*\*$/, '').replace(/\/\*$/, ''));
    if (prefixes.some((p) => /[*[\]?^\\]/.test(p)))
        return () => false;
    return (dir) => !prefixes.some((p) => `${p}/`.startsWith(`${dir}/`));
}
function indexEntries(root, entries) {
    const byPath = new Map([['', root]]);
    const children = new Map([['', []]]);
    for (const entry of entries) {
        byPath.set(entry.path, entry);
        const slash = entry.path.lastIndexOf('/');
        children.get(slash < 0 ? '' : entry.path.slice(0, slash))?.push(entry);
        if (entry.type === 'dir')
            children.set(entry.path, []);
    }
    return { root, entries, byPath, children };
}
function contextReadError(path, err) {
    const code = err.code ?? 'error';
    return new errors/* InputError */.dz('context', `cannot read "${path || '.'}" in the build context (${code})`, {
        hint: 'make it readable by the build user, or exclude it in .dockerignore',
        cause: err,
    });
}

;// CONCATENATED MODULE: ./src/context/build-context.ts
/**
 * The build context of one build: the directory walked once (filtered by .dockerignore), every entry stat'ed
 * once, file contents hashed at most once (per inode) and small files kept in memory so the copy after a cache
 * miss does not read them again. Reads never leave the context.
 */









const maxCachedFile = 1024 * 1024;
/** Opens a context directory and walks it. Throws InputError when it is missing or not a directory. */
async function openBuildContext(options) {
    let root;
    try {
        root = await (0,promises_.realpath)(options.dir);
        if (!(await (0,promises_.stat)(root)).isDirectory())
            throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    }
    catch (err) {
        const code = err.code ?? 'error';
        throw new errors/* InputError */.dz('context', `build context "${options.dir}" is not a readable directory (${code})`, {
            hint: 'pass the directory that holds the files the Dockerfile copies',
            cause: err,
        });
    }
    const counters = { lstat: 0, readdir: 0, readlink: 0 };
    const index = await walkContext(root, options.ignore, counters, options.log);
    return new BuildContext(root, options.ignore, index, counters, options.contentCacheBytes ?? 64 * 1024 * 1024, options.digestCache);
}
class BuildContext {
    root;
    ignore;
    index;
    digestCache;
    description = 'the build context';
    digests = new Map();
    contents = new Map();
    outsideIndex = new Map();
    cacheLeft;
    counters;
    constructor(
    /** The real path of the context directory. */
    root, ignore, index, walkCounters, contentCacheBytes, digestCache) {
        this.root = root;
        this.ignore = ignore;
        this.index = index;
        this.digestCache = digestCache;
        this.cacheLeft = contentCacheBytes;
        this.counters = Object.assign(walkCounters, {
            entries: index.entries.length,
            contentReads: 0,
            bytesRead: 0,
        });
    }
    /** The non-ignored entries in walk order (sorted, a directory before its children); the root is not listed. */
    get entries() {
        return this.index.entries;
    }
    /** The entry at a context-relative path ('' is the root), or undefined when it is absent or ignored. */
    entry(path) {
        return this.index.byPath.get(path);
    }
    /** The children of a directory of the context, in walk order. */
    children(path) {
        return this.index.children.get(path) ?? [];
    }
    /** True when .dockerignore excludes the path (or one of its parents). */
    isIgnored(path) {
        return this.ignore?.matches(path) ?? false;
    }
    /** The entry at a path on disk whether or not .dockerignore excludes it (not following symlinks). */
    async diskEntry(path) {
        return this.entry(path) ?? this.statOutsideIndex(path);
    }
    stats() {
        return { ...this.counters };
    }
    /**
     * Reads a context file, given by path or by entry, wherever .dockerignore says (the Dockerfile and
     * .dockerignore stay readable). A path that leaves the context (`..`, absolute, a symlink out) is refused.
     */
    async readFile(file) {
        const entry = await this.fileOf(file);
        return this.contents.get(inodeKey(entry)) ?? this.readWhole(entry);
    }
    /** Streams a context file (same rules as readFile); records its digest, fails if its size changed. */
    async openFile(file) {
        const entry = await this.fileOf(file);
        const key = inodeKey(entry);
        const cached = this.contents.get(key);
        if (cached)
            return external_node_stream_namespaceObject.Readable.from([cached]);
        this.counters.contentReads++;
        const source = (0,external_node_fs_namespaceObject.createReadStream)((0,external_node_path_.join)(this.root, entry.path));
        const checked = new SizeCheckedDigestStream(entry, (digest) => {
            this.counters.bytesRead += entry.size;
            if (!this.digests.has(key))
                this.digests.set(key, Promise.resolve(digest));
        });
        source.on('error', (err) => checked.destroy(err));
        return source.pipe(checked);
    }
    /** The sha256 of a file entry's content; computed once per inode and build (and remembered across builds). */
    contentDigest(file) {
        const key = inodeKey(file);
        let digest = this.digests.get(key);
        if (!digest) {
            const remembered = this.digestCache?.get(file);
            digest = remembered
                ? Promise.resolve(remembered)
                : (file.size <= maxCachedFile ? this.readWhole(file).then(sha256) : this.streamDigest(file)).then((d) => {
                    this.digestCache?.set(file, d);
                    return d;
                });
            this.digests.set(key, digest);
            digest.catch(() => this.digests.delete(key));
        }
        return digest;
    }
    async fileOf(file) {
        if (typeof file === 'string')
            return this.regularFile(file);
        if (this.entry(file.path) !== file && (await this.statOutsideIndex(file.path)) !== file) {
            throw new errors/* InternalError */.Gd(`"${file.path}" is not an entry of this build context`);
        }
        return file;
    }
    /** Resolves `path` strictly inside the context and returns the regular file it names. */
    async regularFile(path) {
        let resolved;
        try {
            resolved = await resolveInContext(path, (rel) => this.diskKind(rel), {
                policy: 'refuse',
                followFinal: true,
            });
        }
        catch (err) {
            if (err instanceof OutsideContextError || err instanceof SymlinkLoopError) {
                throw new errors/* BuildStepError */.JI(`cannot read ${err.message}`, {
                    hint: 'only files inside the build context can be read',
                });
            }
            throw err;
        }
        const entry = this.entry(resolved) ?? (await this.statOutsideIndex(resolved));
        if (entry?.type !== 'file') {
            const what = entry === undefined ? 'does not exist' : `is a ${entry.type}, not a regular file`;
            throw new errors/* BuildStepError */.JI(`cannot read "${path}" from the build context: it ${what}`, {
                hint: 'check the path relative to the context directory',
            });
        }
        return entry;
    }
    async diskKind(rel) {
        const entry = this.entry(rel) ?? (await this.statOutsideIndex(rel));
        if (entry === undefined)
            return undefined;
        return entry.type === 'symlink' ? { kind: 'symlink', target: entry.linkTarget } : { kind: 'other' };
    }
    /** lstat for paths the walk skipped (ignored ones); each at most once. */
    statOutsideIndex(rel) {
        let pending = this.outsideIndex.get(rel);
        if (!pending) {
            pending = this.lstatOnce(rel);
            this.outsideIndex.set(rel, pending);
        }
        return pending;
    }
    async lstatOnce(rel) {
        if (rel === '')
            return this.index.root;
        if (lexicalContextPath(rel) !== rel)
            return undefined; // never look outside the context
        this.counters.lstat++;
        const abs = (0,external_node_path_.join)(this.root, rel);
        const st = await (0,promises_.lstat)(abs, { bigint: true }).catch(() => undefined);
        const type = st && entryTypeOf(st);
        if (!st || type === undefined || type === 'socket')
            return undefined;
        if (type !== 'symlink')
            return makeEntry(rel, type, st);
        this.counters.readlink++;
        return makeEntry(rel, type, st, {
            linkTarget: (await (0,promises_.readlink)(abs, { encoding: 'buffer' })).toString('utf8'),
        });
    }
    /** Hashes a large file without holding it in memory. */
    async streamDigest(file) {
        this.counters.contentReads++;
        const { digest, size } = await digestOfStream((0,external_node_fs_namespaceObject.createReadStream)((0,external_node_path_.join)(this.root, file.path)));
        this.counters.bytesRead += size;
        if (size !== file.size)
            throw changedError(file);
        return digest;
    }
    /** Reads a whole file once, checks it did not change size since the walk, and caches small contents. */
    async readWhole(file) {
        const key = inodeKey(file);
        const cached = this.contents.get(key);
        if (cached)
            return cached;
        this.counters.contentReads++;
        const data = await (0,promises_.readFile)((0,external_node_path_.join)(this.root, file.path));
        this.counters.bytesRead += data.length;
        if (data.length !== file.size)
            throw changedError(file);
        if (data.length <= maxCachedFile && data.length <= this.cacheLeft) {
            this.contents.set(key, data);
            this.cacheLeft -= data.length;
        }
        if (!this.digests.has(key))
            this.digests.set(key, Promise.resolve(sha256(data)));
        return data;
    }
}
function changedError(file) {
    return new errors/* BuildStepError */.JI(`"${file.path}" changed while the build was reading the context`, {
        hint: 'do not modify the build context during a build',
    });
}
/** Hashes a stream of a file's content and fails it when the size differs from the walk's lstat. */
class SizeCheckedDigestStream extends DigestStream {
    file;
    onDigest;
    constructor(file, onDigest) {
        super();
        this.file = file;
        this.onDigest = onDigest;
    }
    _flush(cb) {
        super._flush((err) => {
            if (err)
                return cb(err);
            if (this.size !== this.file.size)
                return cb(changedError(this.file));
            this.onDigest(this.digest());
            cb();
        });
    }
}

;// CONCATENATED MODULE: ./src/context/digest-cache.ts



function fileIdentity(f) {
    return `${f.dev}:${f.ino}:${f.size}:${f.mtimeNs}:${f.ctimeNs}`;
}
/** A DigestCache in one JSON file; `save` keeps only the entries looked up or added in this run. */
class FileDigestCache {
    path;
    known;
    used = new Map();
    constructor(path, known) {
        this.path = path;
        this.known = known;
    }
    /** Loads the cache; a missing or unreadable file is an empty cache. */
    static async load(path) {
        const known = new Map();
        try {
            const data = JSON.parse(await (0,promises_.readFile)(path, 'utf8'));
            if (data && typeof data === 'object' && !Array.isArray(data)) {
                for (const [k, v] of Object.entries(data))
                    if (typeof v === 'string' && isDigest(v))
                        known.set(k, v);
            }
        }
        catch {
            // no cache yet, or a damaged one: start empty
        }
        return new FileDigestCache(path, known);
    }
    get(file) {
        const key = fileIdentity(file);
        const d = this.known.get(key);
        if (d)
            this.used.set(key, d);
        return d;
    }
    set(file, digest) {
        this.used.set(fileIdentity(file), digest);
    }
    /** Writes the entries this run used (atomically); stale ones drop out. */
    async save() {
        const tmp = `${this.path}.${(0,external_node_crypto_namespaceObject.randomBytes)(4).toString('hex')}`;
        await (0,promises_.writeFile)(tmp, JSON.stringify(Object.fromEntries(this.used)));
        await (0,promises_.rename)(tmp, this.path);
    }
}

;// CONCATENATED MODULE: ./src/context/find-ignore-file.ts
/**
 * Finds the ignore file for a build the way BuildKit's dockerfile frontend does (frontend/dockerui/config.go):
 * `<Dockerfile path>.dockerignore` (next to the Dockerfile, named after its file name, e.g.
 * `path/to/app.Dockerfile.dockerignore` for `-f path/to/app.Dockerfile`) takes precedence, even when empty;
 * otherwise `<context>/.dockerignore`, resolved inside the context like BuildKit's FollowPaths. A missing file, or
 * a directory in its place, means no ignore file.
 */





/** Reads and compiles the build's ignore file; undefined when there is none. Bad patterns throw DockerfileError. */
async function findIgnoreFile(options) {
    if (options.dockerfile !== undefined) {
        const path = `${options.dockerfile}.dockerignore`;
        const text = await readIfFile(path);
        if (text !== undefined)
            return compileIgnoreFile(path, (0,external_node_path_.basename)(path), 'dockerfile', text);
    }
    const lookup = async (rel) => {
        const st = await (0,promises_.lstat)((0,external_node_path_.join)(options.contextDir, rel)).catch(() => undefined);
        if (st === undefined)
            return undefined;
        if (!st.isSymbolicLink())
            return { kind: 'other' };
        return { kind: 'symlink', target: await (0,promises_.readlink)((0,external_node_path_.join)(options.contextDir, rel)) };
    };
    const rel = await resolveInContext('.dockerignore', lookup, { policy: 'clamp', followFinal: true });
    const path = (0,external_node_path_.join)(options.contextDir, rel);
    const text = await readIfFile(path);
    return text === undefined ? undefined : compileIgnoreFile(path, '.dockerignore', 'context', text);
}
function compileIgnoreFile(path, name, source, text) {
    const patterns = readIgnorePatterns(text);
    const matcher = PatternMatcher.compile(patterns, { kind: 'ignore-file', file: name });
    return { path, name, source, patterns, matcher };
}
async function readIfFile(path) {
    try {
        return await (0,promises_.readFile)(path);
    }
    catch (err) {
        const code = err.code;
        if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR' || code === 'ELOOP')
            return undefined;
        throw new errors/* InputError */.dz('context', `cannot read ${JSON.stringify(path)} (${code ?? 'error'})`, {
            hint: 'make the ignore file readable or remove it',
            cause: err,
        });
    }
}

;// CONCATENATED MODULE: ./src/context/git.ts
/**
 * Reads the git facts of `dir`. Undefined when `dir` is not inside a git work tree or HEAD has no commit yet;
 * a repository git refuses to read (e.g. "dubious ownership") is logged as a warning and also gives undefined.
 */
async function readGitFacts(dir, runGit, log) {
    const git = (...args) => runGit(['-C', dir, ...args]);
    const inside = await git('rev-parse', '--is-inside-work-tree');
    if (inside.code !== 0 || inside.stdout.trim() !== 'true') {
        if (inside.stderr?.includes('dubious ownership')) {
            log?.warn(`git refuses to read ${dir} (dubious ownership); tags and labels will not use git facts`);
            log?.warn(`run: git config --global --add safe.directory ${JSON.stringify(dir)}`);
        }
        return undefined;
    }
    const commit = await git('-c', 'log.showSignature=false', 'show', '-s', '--format=%H %ct', 'HEAD');
    const match = /^([0-9a-f]{40,64}) (\d+)$/.exec(commit.stdout.trim());
    if (commit.code !== 0 || !match)
        return undefined;
    const [symbolic, tags, status, remote] = await Promise.all([
        git('symbolic-ref', '-q', 'HEAD'),
        git('tag', '--points-at', 'HEAD'),
        git('--no-optional-locks', 'status', '--porcelain', '--untracked-files=normal'),
        git('config', '--get', 'remote.origin.url'),
    ]);
    return {
        sha: match[1],
        head: parseHead(symbolic),
        tags: tags.code === 0 ? lines(tags.stdout) : [],
        commitTime: Number(match[2]),
        dirty: status.code !== 0 || lines(status.stdout).length > 0,
        remoteUrl: remote.code === 0 && remote.stdout.trim() !== '' ? withoutCredentials(remote.stdout.trim()) : undefined,
    };
}
function parseHead(symbolic) {
    const ref = symbolic.stdout.trim();
    if (symbolic.code !== 0 || !ref.startsWith('refs/heads/'))
        return { kind: 'detached' };
    return { kind: 'branch', name: ref.slice('refs/heads/'.length), ref };
}
function lines(text) {
    return text.split('\n').filter((l) => l.trim() !== '');
}
/**
 * Removes credentials from a remote URL so tokens never reach labels or logs: http(s) URLs lose their whole
 * `user:password@` part, other URLs (ssh://git@…) only the password; scp-style `git@host:path` is unchanged.
 */
function withoutCredentials(url) {
    const m = /^([a-z][a-z0-9+.-]*):\/\/([^/@]*)@(.*)$/i.exec(url);
    if (!m)
        return url;
    const [, scheme = '', userinfo = '', rest = ''] = m;
    if (/^https?$/i.test(scheme))
        return `${scheme}://${rest}`;
    const user = userinfo.split(':')[0] ?? '';
    return `${scheme}://${user === '' ? '' : `${user}@`}${rest}`;
}

;// CONCATENATED MODULE: ./src/context/run-git.ts
/** The real RunGit: `git` from PATH through execFile, output as UTF-8, never rejecting on a non-zero exit. */

/** Exit code reported when git itself cannot be started (not installed, not on PATH). */
const gitNotRunnable = 127;
const runGit = (args) => new Promise((resolve) => {
    (0,external_node_child_process_.execFile)('git', [...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err === null) {
            resolve({ stdout, stderr, code: 0 });
            return;
        }
        const code = typeof err.code === 'number' ? err.code : gitNotRunnable;
        resolve({ stdout, stderr: stderr || err.message, code });
    });
});

;// CONCATENATED MODULE: ./src/context/index.ts
/** The build context module's public surface; see README.md. */









;// CONCATENATED MODULE: ./src/log.ts
/** A logger that drops everything; for callers that have nothing to say. */
const silentLogger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
};
/** Records lines in memory; used by tests and by the report to collect warnings. */
class MemoryLogger {
    lines = [];
    debug(message) {
        this.lines.push({ level: 'debug', message });
    }
    info(message) {
        this.lines.push({ level: 'info', message });
    }
    warn(message) {
        this.lines.push({ level: 'warn', message });
    }
    error(message) {
        this.lines.push({ level: 'error', message });
    }
    text(level) {
        return this.lines
            .filter((l) => level === undefined || l.level === level)
            .map((l) => l.message)
            .join('\n');
    }
}
const systemClock = { now: () => new Date() };

;// CONCATENATED MODULE: ./src/cache/session-state.ts

const sessionFormat = 'image-build.cache-session.v1';
/** Reads a suspended session (`suspend`); undefined when the file is missing or not one. */
async function session_state_readSessionState(file) {
    try {
        const raw = JSON.parse(await readFile(file, 'utf8'));
        return raw.format === sessionFormat ? raw : undefined;
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/cache/local-cache-store.ts




const metaFile = '.entry.json';
const keyPattern = /^[A-Za-z0-9._-]{1,512}$/;
/**
 * Cache entries in a directory: `entries/<key>/` holds an entry's files plus `.entry.json`. A save fills a
 * directory under `tmp/` and renames it into place, so an entry is complete or absent, and two processes
 * saving the same key cannot mix their files (the second rename fails: the entry exists). A restore hands out
 * the entry directory itself (nothing is copied).
 */
class LocalCacheStore {
    root;
    clock;
    kind = 'local';
    constructor(root, clock) {
        this.root = root;
        this.clock = clock;
    }
    async restore(_kind, key, prefixes = []) {
        const exact = await this.info(key);
        if (exact)
            return { key, dir: this.dirOf(key), bytes: exact.bytes };
        for (const prefix of prefixes) {
            const newest = (await this.list()).filter((e) => e.key.startsWith(prefix)).sort(newestFirst)[0];
            if (newest)
                return { key: newest.key, dir: this.dirOf(newest.key), bytes: newest.bytes };
        }
        return undefined;
    }
    async has(_kind, key) {
        return (await this.info(key)) !== undefined;
    }
    async prepare(kind) {
        await this.io('prepare an entry in', () => (0,promises_.mkdir)((0,external_node_path_.join)(this.root, 'tmp'), { recursive: true }));
        return this.io('prepare an entry in', () => (0,promises_.mkdtemp)((0,external_node_path_.join)(this.root, 'tmp', `${kind}-`)));
    }
    async save(_kind, key, dir) {
        try {
            checkKey(key);
            if (await this.has(_kind, key)) {
                await (0,promises_.rm)(dir, { recursive: true, force: true });
                return { kind: 'exists' };
            }
            const bytes = await treeBytes(dir);
            const info = { key, savedAt: this.clock.now().getTime(), bytes };
            await (0,promises_.writeFile)((0,external_node_path_.join)(dir, metaFile), JSON.stringify(info));
            await (0,promises_.mkdir)((0,external_node_path_.join)(this.root, 'entries'), { recursive: true });
            try {
                await (0,promises_.rename)(dir, this.dirOf(key));
            }
            catch (err) {
                const code = err.code;
                if (code !== 'EEXIST' && code !== 'ENOTEMPTY')
                    throw err;
                await (0,promises_.rm)(dir, { recursive: true, force: true });
                return { kind: 'exists' };
            }
            return { kind: 'saved', bytes };
        }
        catch (err) {
            return { kind: 'failed', message: `cannot save ${key} in ${this.root}: ${(0,errors/* describeError */.Uc)(err)}` };
        }
    }
    async remove(keys) {
        for (const key of keys) {
            checkKey(key);
            // Renamed away first, so a reader never sees half an entry.
            const doomed = (0,external_node_path_.join)(this.root, 'tmp', `removed-${key}-${(0,external_node_crypto_namespaceObject.randomBytes)(6).toString('hex')}`);
            await this.io('remove an entry from', async () => {
                await (0,promises_.mkdir)((0,external_node_path_.join)(this.root, 'tmp'), { recursive: true });
                try {
                    await (0,promises_.rename)(this.dirOf(key), doomed);
                }
                catch (err) {
                    if (err.code === 'ENOENT')
                        return;
                    throw err;
                }
                await (0,promises_.rm)(doomed, { recursive: true, force: true });
            });
        }
    }
    async list() {
        let names;
        try {
            names = await (0,promises_.readdir)((0,external_node_path_.join)(this.root, 'entries'));
        }
        catch (err) {
            if (err.code === 'ENOENT')
                return [];
            throw new errors/* CacheError */.xA(`cannot list the cache directory ${this.root}: ${(0,errors/* describeError */.Uc)(err)}`);
        }
        const infos = await Promise.all(names.map((n) => this.info(n)));
        return infos.filter((i) => i !== undefined);
    }
    /** Bytes of every file under the cache directory (entries and leftovers). */
    async sizeOnDisk() {
        return treeBytes(this.root).catch(() => 0);
    }
    dirOf(key) {
        checkKey(key);
        return (0,external_node_path_.join)(this.root, 'entries', key);
    }
    async info(key) {
        if (!keyPattern.test(key))
            return undefined;
        try {
            const raw = JSON.parse(await (0,promises_.readFile)((0,external_node_path_.join)(this.dirOf(key), metaFile), 'utf8'));
            return { key, savedAt: Number(raw.savedAt) || 0, bytes: Number(raw.bytes) || 0 };
        }
        catch (err) {
            const code = err.code;
            if (code === 'ENOENT' || code === 'ENOTDIR' || err instanceof SyntaxError)
                return undefined;
            throw new errors/* CacheError */.xA(`cannot read cache entry ${key} in ${this.root}: ${(0,errors/* describeError */.Uc)(err)}`);
        }
    }
    async io(what, fn) {
        try {
            return await fn();
        }
        catch (err) {
            throw new errors/* CacheError */.xA(`cannot ${what} the cache directory ${this.root}: ${(0,errors/* describeError */.Uc)(err)}`, {
                hint: 'check that the cache directory is writable and its disk is not full',
            });
        }
    }
}
function newestFirst(a, b) {
    return b.savedAt - a.savedAt || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0);
}
function checkKey(key) {
    if (!keyPattern.test(key) || key === '.' || key === '..')
        throw new errors/* CacheError */.xA(`invalid cache entry key ${JSON.stringify(key)}`);
}
/** Total size of the regular files under a directory. */
async function treeBytes(dir) {
    let total = 0;
    for (const e of await (0,promises_.readdir)(dir, { withFileTypes: true })) {
        const p = (0,external_node_path_.join)(dir, e.name);
        if (e.isDirectory())
            total += await treeBytes(p);
        else if (e.isFile())
            total += (await (0,promises_.stat)(p)).size;
    }
    return total;
}

;// CONCATENATED MODULE: ./src/cache/cache-index.ts





const indexFormat = 'image-build.cache.v1';
function emptyIndex(scope) {
    return { format: indexFormat, scope, savedAt: 0, steps: {}, slots: {}, packs: {}, mounts: {}, bases: {} };
}
/** Parses an index entry; entries that do not have the expected shape are dropped, not trusted. */
function parseIndex(text, source) {
    let raw;
    try {
        raw = JSON.parse(text);
    }
    catch {
        throw new errors/* CacheError */.xA(`cache index ${source} is not valid JSON`, {
            hint: 'it is ignored; the next save replaces it',
        });
    }
    if (!cache_index_isRecord(raw) || raw['format'] !== indexFormat || typeof raw['scope'] !== 'string') {
        throw new errors/* CacheError */.xA(`cache index ${source} has an unknown format`, {
            hint: 'it was written by another image-build version; the next save replaces it',
        });
    }
    return {
        format: indexFormat,
        scope: raw['scope'],
        savedAt: typeof raw['savedAt'] === 'number' ? raw['savedAt'] : 0,
        steps: filterRecord(raw['steps'], isIndexedStep),
        slots: filterRecord(raw['slots'], (v) => cache_index_isRecord(v) && cache_index_isRecord(v['inputs']) && isTime(v['lastUsed'])),
        packs: filterRecord(raw['packs'], isIndexedPack),
        mounts: filterRecord(raw['mounts'], isIndexedMount),
        bases: filterRecord(raw['bases'], (v) => typeof v === 'string' && isDigest(v)),
    };
}
/** The file of an index entry (gha, local): gzip'd JSON, a few kilobytes even with hundreds of steps. */
const indexFileName = 'index.json.gz';
async function writeIndexFile(dir, index) {
    await (0,promises_.writeFile)((0,external_node_path_.join)(dir, indexFileName), (0,external_node_zlib_namespaceObject.gzipSync)(JSON.stringify(index)));
}
async function readIndexFile(dir, source) {
    let text;
    try {
        text = (0,external_node_zlib_namespaceObject.gunzipSync)(await (0,promises_.readFile)((0,external_node_path_.join)(dir, indexFileName))).toString('utf8');
    }
    catch (err) {
        throw new errors/* CacheError */.xA(`cache index ${source} cannot be read: ${(0,errors/* describeError */.Uc)(err)}`, {
            hint: 'it is ignored; the next save replaces it',
        });
    }
    return parseIndex(text, source);
}
/** Where each blob lives: digest → pack key (the first good pack holding it). */
function blobLocations(index, bad = new Set()) {
    const out = new Map();
    for (const [key, pack] of Object.entries(index.packs)) {
        if (bad.has(key))
            continue;
        for (const m of pack.members)
            if (!out.has(m.digest))
                out.set(m.digest, key);
    }
    return out;
}
function isIndexedStep(v) {
    if (!cache_index_isRecord(v) || typeof v['key'] !== 'string' || !isDigest(v['key']))
        return false;
    if (!cache_index_isRecord(v['inputs']) || typeof v['created'] !== 'string' || !isTime(v['lastUsed']))
        return false;
    if (v['slot'] !== undefined && typeof v['slot'] !== 'string')
        return false;
    const layer = v['layer'];
    if (!cache_index_isRecord(layer) || typeof layer['diffId'] !== 'string' || !isDigest(layer['diffId']))
        return false;
    const d = layer['descriptor'];
    return cache_index_isRecord(d) && typeof d['mediaType'] === 'string' && isMember(d);
}
function isIndexedPack(v) {
    return (cache_index_isRecord(v) &&
        Array.isArray(v['members']) &&
        v['members'].every(isMember) &&
        isSize(v['size']) &&
        (v['digest'] === undefined || (typeof v['digest'] === 'string' && isDigest(v['digest']))) &&
        isTime(v['lastUsed']));
}
function isIndexedMount(v) {
    return (cache_index_isRecord(v) &&
        typeof v['entry'] === 'string' &&
        typeof v['fingerprint'] === 'string' &&
        isSize(v['size']) &&
        isTime(v['lastUsed']));
}
function isMember(v) {
    return cache_index_isRecord(v) && typeof v['digest'] === 'string' && isDigest(v['digest']) && isSize(v['size']);
}
function isSize(v) {
    return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}
function isTime(v) {
    return typeof v === 'number' && Number.isFinite(v);
}
function cache_index_isRecord(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function filterRecord(v, keep) {
    const out = {};
    if (!cache_index_isRecord(v))
        return out;
    for (const [k, x] of Object.entries(v))
        if (keep(x))
            out[k] = x;
    return out;
}

;// CONCATENATED MODULE: ./src/cache/mount-snapshot.ts








/**
 * A fingerprint of a directory tree: path, type, mode, owner, size (files), whole-second mtime (not for
 * symlinks) and link target of every entry, sorted. It survives a tar round trip, and any write changes it.
 * Undefined when the directory does not exist or is empty.
 */
async function fingerprintDir(dir, tools) {
    if (!(await isDir(dir)))
        return undefined;
    const p = startHostProcess(tools.privilege.wrap(['find', dir, '-printf', '%y\\037%m\\037%U\\037%G\\037%s\\037%T@\\037%l\\037%P\\0']), tools.hostEnv, 'cache mount fingerprint');
    const chunks = [];
    p.stdout.on('data', (c) => chunks.push(c));
    await guard('fingerprint', dir, p.done);
    const records = Buffer.concat(chunks)
        .toString('utf8')
        .split('\0')
        .filter((r) => r !== '')
        .map(normalizeRecord)
        .sort();
    if (records.length <= 1)
        return undefined;
    const h = (0,external_node_crypto_namespaceObject.createHash)('sha256');
    for (const r of records)
        h.update(`${r}\n`);
    return h.digest('hex');
}
function normalizeRecord(r) {
    const [type, mode, uid, gid, size, mtime, target, path] = r.split('\x1f');
    const seconds = String(Math.floor(Number(mtime)));
    return [path, type, mode, uid, gid, type === 'd' ? '' : size, type === 'l' ? '' : seconds, target].join('\x1f');
}
/** Writes `dir` as a gzip'd tar to `file`; returns the file's size and digest. */
async function snapshotDir(dir, file, tools) {
    const p = startHostProcess(tools.privilege.wrap(['tar', '--create', '--file=-', '--numeric-owner', '--xattrs', '-C', dir, '.']), tools.hostEnv, 'cache mount snapshot');
    const hash = new DigestStream();
    await Promise.all([
        guard('snapshot', dir, (0,external_node_stream_promises_namespaceObject.pipeline)(p.stdout, (0,external_node_zlib_namespaceObject.createGzip)({ level: 1 }), hash, (0,external_node_fs_namespaceObject.createWriteStream)(file))),
        guard('snapshot', dir, p.done),
    ]);
    return { size: (await (0,promises_.stat)(file)).size, digest: hash.digest() };
}
/** Throws when a restored snapshot file is not the one saved (a truncated or altered cache entry). */
async function verifySnapshot(file, expected, entry) {
    const { digest } = await digestOfStream((0,external_node_fs_namespaceObject.createReadStream)(file));
    if (digest !== expected)
        throw new errors/* CacheError */.xA(`cache entry ${entry} is corrupt (its digest is ${digest}, ${expected} was saved)`);
}
/** Extracts a snapshot into `dir` (created), owners and modes as saved. */
async function restoreDir(file, dir, tools) {
    await (0,promises_.mkdir)(dir, { recursive: true });
    const p = startHostProcess(tools.privilege.wrap([
        'tar',
        '--extract',
        '--file=-',
        '--numeric-owner',
        '--same-owner',
        '--same-permissions',
        '--xattrs',
        '-C',
        dir,
    ]), tools.hostEnv, 'cache mount restore');
    await Promise.all([
        guard('restore', dir, (0,external_node_stream_promises_namespaceObject.pipeline)((0,external_node_fs_namespaceObject.createReadStream)(file), (0,external_node_zlib_namespaceObject.createGunzip)(), p.stdin)),
        guard('restore', dir, p.done),
    ]);
}
async function isDir(dir) {
    try {
        return (await (0,promises_.stat)(dir)).isDirectory();
    }
    catch {
        return false;
    }
}
async function guard(what, dir, p) {
    try {
        return await p;
    }
    catch (err) {
        throw new errors/* CacheError */.xA(`cache mount ${what} of ${dir} failed: ${(0,errors/* describeError */.Uc)(err)}`);
    }
}

;// CONCATENATED MODULE: ./src/cache/cache-session.ts






/**
 * The part every backend shares: answering the builder from the restored index, recording what the build used,
 * opening cache mounts, warnings and the report. Backends say how units (packs or blobs) and mount snapshots
 * are fetched, and how a save is written.
 */
class CacheSession {
    o;
    scope;
    index;
    origin;
    access;
    steps = new Map();
    slots = new Map();
    stepSlots = new Map();
    bases = {};
    badUnits = new Set();
    mounts = new Map();
    /** Keys, not calls: a build retried after an undeliverable layer looks its steps up again. */
    lookups = { hits: new Set(), misses: new Set() };
    restored = { entries: 0, bytes: 0 };
    warnings = [];
    totals = {
        saved: { entries: 0, bytes: 0, keys: [] },
        mounted: { entries: 0, bytes: 0 },
        pruned: { entries: 0, bytes: 0 },
        sizeBytes: 0,
    };
    locations;
    saving;
    constructor(o, scope, loaded, state) {
        this.o = o;
        this.scope = scope;
        this.index = loaded.index;
        this.origin = loaded.origin;
        this.access = o.readOnly
            ? { kind: 'read-only', reason: o.readOnlyReason ?? 'the cache is read-only for this run' }
            : { kind: 'read-write' };
        if (state)
            this.adopt(state);
    }
    async lookup(key) {
        const step = this.index.steps[key];
        if (!step || !this.where().has(step.layer.descriptor.digest)) {
            this.lookups.misses.add(key);
            return undefined;
        }
        this.lookups.hits.add(key);
        return { key: step.key, inputs: step.inputs, layer: step.layer, created: step.created };
    }
    async previousInputs(slot) {
        return this.index.slots[slot]?.inputs;
    }
    record(step, slot) {
        this.steps.set(step.key, step);
        this.slots.set(slot, step.inputs);
        this.stepSlots.set(step.key, slot);
    }
    async fetchLayer(step, into) {
        if (!(await this.fetchBlob(step.layer.descriptor, into)))
            throw new errors/* CacheError */.xA(`layer ${step.layer.descriptor.digest} is not in the cache any more`);
    }
    async fetchBlob(d, into) {
        if (await into.has(d.digest))
            return true;
        let failure;
        for (let unit = this.where().get(d.digest); unit !== undefined; unit = this.where().get(d.digest)) {
            let problem;
            try {
                problem = await this.fetchUnit(unit, d.digest, into);
            }
            catch (err) {
                problem = (0,errors/* describeError */.Uc)(err);
            }
            if (await into.has(d.digest)) {
                if (problem !== undefined)
                    this.markBad(unit, problem);
                return true;
            }
            problem ??= `it does not hold layer ${d.digest}`;
            this.markBad(unit, problem);
            failure = new errors/* CacheError */.xA(`cache entry ${unit} could not deliver layer ${d.digest}: ${problem}`);
        }
        if (failure)
            throw failure;
        return false;
    }
    openCacheMount(id, dir) {
        let p = this.mounts.get(id);
        if (!p) {
            p = this.openMount(id, dir);
            this.mounts.set(id, p);
        }
        return p.then(() => undefined);
    }
    noteBuild(build) {
        for (const [ref, digest] of build.bases)
            this.bases[ref] = digest;
    }
    previousBases() {
        return new Map(Object.entries(this.index.bases));
    }
    async suspend(file) {
        const mounts = (await Promise.all(this.mounts.values())).filter((m) => m !== undefined);
        const state = {
            format: sessionFormat,
            backend: this.backend,
            index: this.index,
            origin: this.origin,
            steps: [...this.steps.values()],
            slots: [...this.slots],
            stepSlots: [...this.stepSlots],
            bases: this.bases,
            badUnits: [...this.badUnits],
            mounts,
            lookups: { hits: [...this.lookups.hits], misses: [...this.lookups.misses] },
            restored: this.restored,
            access: this.access,
            warnings: this.warnings,
        };
        await (0,promises_.mkdir)((0,external_node_path_.dirname)(file), { recursive: true });
        await (0,promises_.writeFile)(`${file}.tmp`, JSON.stringify(state));
        await (0,promises_.rename)(`${file}.tmp`, file);
    }
    save() {
        this.saving ??= this.saveOnce();
        return this.saving;
    }
    report() {
        return {
            backend: this.backend,
            scope: this.scope,
            index: this.origin,
            lookups: {
                hits: this.lookups.hits.size,
                misses: [...this.lookups.misses].filter((k) => !this.lookups.hits.has(k)).length,
            },
            restored: { ...this.restored },
            saved: { ...this.totals.saved, keys: [...this.totals.saved.keys] },
            mounted: { ...this.totals.mounted },
            pruned: { ...this.totals.pruned },
            sizeBytes: this.totals.sizeBytes,
            access: this.access,
            warnings: [...this.warnings],
        };
    }
    warn(message) {
        this.o.logger.warn(message);
        this.warnings.push(message);
    }
    get tools() {
        return { privilege: this.o.privilege, hostEnv: this.o.hostEnv };
    }
    get ioRoot() {
        return (0,external_node_path_.join)(this.o.workRoot, 'cache-io');
    }
    setReadOnly(reason) {
        if (this.access.kind === 'read-only')
            return;
        this.access = { kind: 'read-only', reason };
        this.warn(`cache: restore only from now on — ${reason}`);
    }
    where() {
        this.locations ??= blobLocations(this.index, this.badUnits);
        return this.locations;
    }
    markBad(unit, problem) {
        // layers of one entry are fetched in parallel: the first to find it broken says so
        if (this.badUnits.has(unit))
            return;
        this.badUnits.add(unit);
        this.locations = undefined;
        this.warn(`cache entry ${unit} is unusable (${problem}); its layers are rebuilt and saved again`);
    }
    async openMount(id, dir) {
        const snapshot = this.index.mounts[id];
        if (!snapshot || (await exists(dir)))
            return { id, dir };
        try {
            this.restored.bytes += await this.restoreMount(id, snapshot, dir);
            this.restored.entries++;
            const restoredFingerprint = await fingerprintDir(dir, this.tools);
            return { id, dir, ...(restoredFingerprint ? { restoredFingerprint } : {}) };
        }
        catch (err) {
            this.warn(`cache mount ${JSON.stringify(id)} was not restored: ${(0,errors/* describeError */.Uc)(err)}`);
            return { id, dir };
        }
    }
    async saveOnce() {
        if (this.access.kind === 'read-only') {
            this.o.logger.info(`cache: nothing saved (${this.access.reason})`);
            return this.report();
        }
        try {
            const mounts = (await Promise.all(this.mounts.values())).filter((m) => m !== undefined);
            const run = {
                steps: this.steps,
                slots: this.slots,
                stepSlots: this.stepSlots,
                bases: this.bases,
                badPacks: this.badUnits,
            };
            await this.persist(run, mounts);
        }
        catch (err) {
            this.warn(`cache was not saved: ${(0,errors/* describeError */.Uc)(err)}`);
        }
        return this.report();
    }
    adopt(state) {
        for (const s of state.steps)
            this.steps.set(s.key, s);
        for (const [slot, inputs] of state.slots)
            this.slots.set(slot, inputs);
        for (const [key, slot] of state.stepSlots)
            this.stepSlots.set(key, slot);
        this.bases = { ...state.bases };
        for (const u of state.badUnits)
            this.badUnits.add(u);
        for (const m of state.mounts)
            this.mounts.set(m.id, Promise.resolve(m));
        for (const k of state.lookups.hits)
            this.lookups.hits.add(k);
        for (const k of state.lookups.misses)
            this.lookups.misses.add(k);
        Object.assign(this.restored, state.restored);
        this.access = state.access;
        this.warnings.push(...state.warnings);
    }
}
async function exists(path) {
    try {
        await (0,promises_.access)(path);
        return true;
    }
    catch {
        return false;
    }
}

;// CONCATENATED MODULE: ./src/cache/scope.ts



/**
 * Entry keys. Every key starts with `image-build-`, has no commas and stays far below GitHub's 512 characters.
 *
 * - index: `image-build-index-<scope>-<run>-<attempt>-<nonce>` (unique: keys are immutable, and two jobs of one
 *   run may build the same scope), restored by the prefix `image-build-index-<scope>-`, then the default
 *   branch's scope prefix.
 * - pack: `image-build-pack-<hash of the member digests>` (content-addressed, shared by every scope).
 * - mount: `image-build-mount-<scope>-<mount>-<fingerprint>`.
 */
const keyPrefix = 'image-build-';
/** The scope id: a hash of ref, platform and Dockerfile path (16 hex digits). */
function scopeId(facts, ref = facts.ref) {
    const text = JSON.stringify([
        'image-build.scope.v1',
        ref,
        formatPlatform(facts.platform),
        facts.dockerfile,
    ]);
    return shortHash(text);
}
/** Scope ids to restore from, best first: this ref's, then the default branch's (when it is another ref). */
function restoreScopes(facts) {
    const own = { id: scopeId(facts), from: 'scope' };
    if (facts.defaultRef === undefined || facts.defaultRef === facts.ref)
        return [own];
    return [own, { id: scopeId(facts, facts.defaultRef), from: 'default-branch' }];
}
function indexPrefix(scope) {
    return `${keyPrefix}index-${scope}-`;
}
/** `nonce`: time and randomness of the saving process (`indexNonce`), so no two saves share a key. */
function indexKey(scope, run, nonce) {
    return `${indexPrefix(scope)}${sanitize(run.id)}-${run.attempt}-${sanitize(nonce)}`;
}
function indexNonce(nowMs) {
    return `${nowMs.toString(36)}${(0,external_node_crypto_namespaceObject.randomBytes)(3).toString('hex')}`;
}
function packKey(members, salt = '') {
    const h = (0,external_node_crypto_namespaceObject.createHash)('sha256');
    for (const d of [...members].sort())
        h.update(`${digestHex(d)}\n`);
    return `${keyPrefix}pack-${h.digest('hex').slice(0, 32)}${salt ? `-${sanitize(salt)}` : ''}`;
}
function mountKey(scope, mountId, fingerprint) {
    return `${keyPrefix}mount-${scope}-${shortHash(mountId)}-${fingerprint.slice(0, 16)}`;
}
/** Registry tag holding a scope's cache manifest: `<prefix>-<scope>` (the prefix is the cache-ref's tag, if any). */
function registryTag(scope, prefix = 'image-build-cache') {
    return `${prefix}-${scope}`.slice(0, 128);
}
function shortHash(text) {
    return (0,external_node_crypto_namespaceObject.createHash)('sha256').update(text).digest('hex').slice(0, 16);
}
/** Run ids come from the environment; keep keys to `[A-Za-z0-9._-]`. */
function sanitize(s) {
    return s.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);
}

;// CONCATENATED MODULE: ./src/cache/local-gc.ts


const indexPattern = new RegExp(`^${keyPrefix}index-([0-9a-f]{16})-`);
/**
 * Keeps a local cache directory bounded: the newest index entries of each scope stay, older ones go, and a
 * pack or mount snapshot that no kept index references is deleted (at once when this save dropped it, else
 * after the grace period). Packs are shared between scopes, so one scope's budget never deletes what another
 * scope's index still uses.
 */
async function collectLocalGarbage(store, o) {
    const all = await store.list();
    if (!all)
        return { entries: 0, bytes: 0 };
    const byScope = new Map();
    for (const e of all) {
        const scope = indexPattern.exec(e.key)?.[1];
        if (scope !== undefined)
            byScope.set(scope, [...(byScope.get(scope) ?? []), e]);
    }
    const doomed = [];
    const referenced = new Set();
    for (const entries of byScope.values()) {
        entries.sort((a, b) => b.savedAt - a.savedAt || (a.key < b.key ? 1 : -1));
        const keep = entries.slice(0, o.keepIndexes ?? 1);
        doomed.push(...entries.slice(keep.length));
        for (const e of keep)
            for (const key of await referencedBy(store, e.key))
                referenced.add(key);
    }
    const grace = o.graceMs ?? 3600_000;
    for (const e of all) {
        if (indexPattern.test(e.key) || referenced.has(e.key))
            continue;
        if (o.dropped.has(e.key) || o.now - e.savedAt > grace)
            doomed.push(e);
    }
    await store.remove(doomed.map((e) => e.key));
    return { entries: doomed.length, bytes: doomed.reduce((n, e) => n + e.bytes, 0) };
}
/** The pack and mount entries an index references (none when it cannot be read: then it protects nothing). */
async function referencedBy(store, indexKey) {
    try {
        const entry = await store.restore('index', indexKey);
        if (!entry)
            return [];
        const index = await readIndexFile(entry.dir, indexKey);
        return [...Object.keys(index.packs), ...Object.values(index.mounts).map((m) => m.entry)];
    }
    catch {
        return [];
    }
}

;// CONCATENATED MODULE: ./src/cache/budget.ts
/**
 * Least-recently-used fitting: items are taken most recently used first (ties by key, so the result is
 * deterministic) and kept while they fit; an item that does not fit is dropped and smaller, older ones may
 * still fit after it. The kept bytes never exceed the budget.
 */
function fitToBudget(items, budgetBytes) {
    const ordered = [...items].sort((a, b) => b.lastUsed - a.lastUsed || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const keep = new Set();
    const drop = [];
    let keptBytes = 0;
    let droppedBytes = 0;
    for (const item of ordered) {
        if (keptBytes + item.size <= budgetBytes) {
            keep.add(item.key);
            keptBytes += item.size;
        }
        else {
            drop.push(item);
            droppedBytes += item.size;
        }
    }
    return { keep, drop, keptBytes, droppedBytes };
}

;// CONCATENATED MODULE: ./src/cache/mount-save.ts






/**
 * Snapshots the cache mounts whose contents changed, keeps the most recently used snapshots within the mount
 * budget and stores the new ones that fit. Unchanged mounts only get a new last-used time.
 */
async function saveMounts(c) {
    const next = { ...c.previous };
    const candidates = [];
    await (0,promises_.mkdir)(c.scratch, { recursive: true });
    try {
        for (const m of c.mounts) {
            try {
                const fingerprint = await fingerprintDir(m.dir, c.tools);
                if (fingerprint === undefined)
                    continue;
                const before = m.restoredFingerprint ?? c.previous[m.id]?.fingerprint;
                if (fingerprint === before && c.previous[m.id]) {
                    next[m.id] = { ...c.previous[m.id], lastUsed: c.now };
                    continue;
                }
                const file = (0,external_node_path_.join)(c.scratch, `mount-${(0,external_node_crypto_namespaceObject.randomBytes)(6).toString('hex')}.tar.gz`);
                candidates.push({ id: m.id, fingerprint, file, ...(await snapshotDir(m.dir, file, c.tools)) });
            }
            catch (err) {
                c.warn(`cache mount ${JSON.stringify(m.id)} was not saved: ${(0,errors/* describeError */.Uc)(err)}`);
            }
        }
        const items = Object.entries(next).map(([key, m]) => ({ key, size: m.size, lastUsed: m.lastUsed }));
        for (const cand of candidates) {
            const i = items.findIndex((x) => x.key === cand.id);
            if (i >= 0)
                items.splice(i, 1);
            items.push({ key: cand.id, size: cand.size, lastUsed: c.now });
        }
        const fit = fitToBudget(items, c.budgetBytes);
        let changed = false;
        for (const cand of candidates) {
            if (!fit.keep.has(cand.id))
                continue;
            const entry = await c.store(cand.id, cand.fingerprint, cand.file, cand.size);
            if (entry === undefined)
                continue;
            next[cand.id] = {
                entry,
                fingerprint: cand.fingerprint,
                size: cand.size,
                digest: cand.digest,
                lastUsed: c.now,
            };
            changed = true;
        }
        for (const id of Object.keys(next))
            if (!fit.keep.has(id))
                delete next[id];
        const dropped = fit.drop.filter((d) => c.previous[d.key] !== undefined);
        return { mounts: next, changed: changed || dropped.length > 0, dropped };
    }
    finally {
        for (const cand of candidates)
            await (0,promises_.rm)(cand.file, { force: true });
    }
}
/** Moves a file, copying when it crosses file systems. */
async function moveFile(from, to) {
    try {
        await (0,promises_.rename)(from, to);
    }
    catch (err) {
        if (err.code !== 'EXDEV')
            throw err;
        await (0,promises_.copyFile)(from, to);
        await (0,promises_.rm)(from, { force: true });
    }
}

;// CONCATENATED MODULE: ./src/cache/pack.ts





/**
 * A pack is a directory of layer blobs exactly as stored (compressed), one file per blob named by its digest's
 * hex; the index lists the members. The gha store tars and compresses the directory into one cache entry; the
 * local store keeps it as it is. Packs are immutable and named by their members.
 */
/** Fills `dir` with the members' blob files from the store (hard links when possible); returns their bytes. */
async function writePack(dir, members, store) {
    let bytes = 0;
    for (const m of members) {
        const to = (0,external_node_path_.join)(dir, digestHex(m.digest));
        const from = store.blobPath(m.digest);
        await (0,promises_.link)(from, to).catch(() => (0,promises_.copyFile)(from, to));
        bytes += m.size;
    }
    return bytes;
}
/**
 * Copies a restored pack's blobs into the store. Every blob is verified by the store's own writes (digest and
 * size); a corrupt or truncated one stores nothing and is reported as failed, with the others still stored.
 */
async function ingestPack(dir, members, into) {
    const stored = [];
    const failed = [];
    for (const m of members) {
        try {
            if (!(await into.has(m.digest)))
                await into.putStream((0,external_node_fs_namespaceObject.createReadStream)((0,external_node_path_.join)(dir, digestHex(m.digest))), {
                    digest: m.digest,
                    size: m.size,
                });
            stored.push(m.digest);
        }
        catch (err) {
            const code = err.code;
            failed.push({
                digest: m.digest,
                reason: code === 'ENOENT' ? 'missing from the pack' : (0,errors/* describeError */.Uc)(err),
            });
        }
    }
    return { stored, failed };
}

;// CONCATENATED MODULE: ./src/cache/save-plan.ts



const slotLimit = 1000;
const day = 24 * 3600 * 1000;
/** Computes the next index of a scope: which layers to pack, what the budget drops, what to remember. */
async function planSave(previous, run, o) {
    const sorted = await sortSteps(previous, run, o);
    const created = groupUnits(sorted.fresh, o);
    const units = {};
    for (const [key, pack] of Object.entries(previous.packs)) {
        if (run.badPacks.has(key))
            continue;
        units[key] = sorted.usedUnits.has(key) ? { ...pack, lastUsed: o.now } : pack;
    }
    for (const u of created)
        units[u.key] = { members: u.members, size: sum(u.members), lastUsed: o.now };
    const fit = fitToBudget(Object.entries(units).map(([key, p]) => ({ key, size: p.size, lastUsed: p.lastUsed })), o.budgetBytes);
    const fitted = pick(units, (k) => fit.keep.has(k));
    const located = blobLocations({ ...previous, packs: fitted });
    const steps = nextSteps(previous, sorted.saveable, run.stepSlots, located, o);
    // Units no kept step needs any more (their steps were older versions of a slot) go too.
    const needed = new Set(Object.values(steps).map((s) => s.layer.descriptor.digest));
    const packs = pick(fitted, (_, u) => u.members.some((m) => needed.has(m.digest)));
    const createdKeys = new Set(created.map((u) => u.key));
    const dropped = [
        ...fit.drop.map((d) => ({ key: d.key, size: d.size, isNew: createdKeys.has(d.key) })),
        ...Object.entries(fitted)
            .filter(([k]) => !(k in packs))
            .map(([key, u]) => ({ key, size: u.size, isNew: createdKeys.has(key) })),
    ];
    const slots = nextSlots(previous.slots, run.slots, o.now);
    const index = { ...previous, steps, slots, packs, bases: { ...previous.bases, ...run.bases } };
    const newUnits = created.filter((u) => u.key in packs);
    const refreshed = differs(previous, index, o.refreshAfterMs ?? day, o.now);
    return {
        index,
        newUnits,
        dropped,
        unsaveable: sorted.unsaveable,
        changed: newUnits.length > 0 || dropped.length > 0 || refreshed,
    };
}
/** This run's steps: in an existing unit, new (their blob is in the store), or lost. */
async function sortSteps(previous, run, o) {
    const where = blobLocations(previous, run.badPacks);
    const usedUnits = new Set();
    const fresh = new Map();
    const saveable = new Map();
    let unsaveable = 0;
    for (const step of run.steps.values()) {
        const d = step.layer.descriptor;
        const unit = where.get(d.digest);
        if (unit !== undefined)
            usedUnits.add(unit);
        else if (fresh.has(d.digest) || (await o.available(d.digest)))
            fresh.set(d.digest, d.size);
        else {
            unsaveable++;
            continue;
        }
        saveable.set(step.key, step);
    }
    return {
        usedUnits,
        saveable,
        unsaveable,
        fresh: [...fresh].map(([digest, size]) => ({ digest, size })),
    };
}
function pick(record, keep) {
    return Object.fromEntries(Object.entries(record).filter(([k, v]) => keep(k, v)));
}
function groupUnits(blobs, o) {
    if (o.packing === 'blobs')
        return blobs.map((b) => ({ key: o.unitKey([b.digest]), members: [b] }));
    const groups = [];
    let current = [];
    for (const b of blobs) {
        if (current.length > 0 && sum(current) + b.size > o.packMaxBytes) {
            groups.push(current);
            current = [];
        }
        current.push(b);
    }
    if (current.length > 0)
        groups.push(current);
    return groups.map((members) => ({ key: o.unitKey(members.map((m) => m.digest)), members }));
}
/**
 * Previous steps that still have a layer, plus this run's (with a fresh last-used time), at most
 * `versionsPerSlot` per slot, most recently used first.
 */
function nextSteps(previous, used, slotOf, kept, o) {
    const all = [];
    for (const step of Object.values(previous.steps))
        if (kept.has(step.layer.descriptor.digest) && !used.has(step.key))
            all.push(step);
    for (const step of used.values()) {
        if (!kept.has(step.layer.descriptor.digest))
            continue;
        const slot = slotOf.get(step.key);
        const { key, inputs, layer, created } = step;
        all.push({ key, inputs, layer, created, lastUsed: o.now, ...(slot !== undefined ? { slot } : {}) });
    }
    all.sort((a, b) => b.lastUsed - a.lastUsed || (a.key < b.key ? -1 : 1));
    const perSlot = new Map();
    const out = {};
    for (const step of all) {
        const group = step.slot ?? step.key;
        const n = perSlot.get(group) ?? 0;
        if (n >= (o.versionsPerSlot ?? 4))
            continue;
        perSlot.set(group, n + 1);
        out[step.key] = step;
    }
    return out;
}
function nextSlots(previous, used, now) {
    const all = Object.entries(previous).filter(([k]) => !used.has(k));
    for (const [slot, inputs] of used)
        all.push([slot, { inputs, lastUsed: now }]);
    all.sort((a, b) => b[1].lastUsed - a[1].lastUsed);
    return Object.fromEntries(all.slice(0, slotLimit));
}
/** Whether the next index says anything new: other content, or last-used times that had gone stale. */
function differs(previous, next, refreshAfterMs, now) {
    const strip = (i) => canonicalJson(JSON.parse(JSON.stringify({ ...i, savedAt: 0 }, (k, v) => (k === 'lastUsed' ? undefined : v))));
    if (strip(previous) !== strip(next))
        return true;
    const stale = (before, after) => after.lastUsed === now && (before === undefined || now - before.lastUsed > refreshAfterMs);
    for (const [k, p] of Object.entries(next.packs))
        if (stale(previous.packs[k], p))
            return true;
    for (const [k, s] of Object.entries(next.steps))
        if (stale(previous.steps[k], s))
            return true;
    return false;
}
function sum(members) {
    return members.reduce((n, m) => n + m.size, 0);
}

;// CONCATENATED MODULE: ./src/cache/types.ts
const defaultBudgetBytes = 2 * 1024 ** 3;
const defaultMountBudgetBytes = 1024 ** 3;
const defaultPackMaxBytes = 1024 ** 3;

;// CONCATENATED MODULE: ./src/cache/packed-cache.ts











const mountFile = 'mount.tar.gz';
/**
 * The gha and local backends: layers in a few content-addressed packs, one small index per scope, cache-mount
 * snapshots as their own entries, all through a `CacheStore`.
 */
class PackedCache extends CacheSession {
    entries;
    backend;
    queue = Promise.resolve();
    /** A save outcome said to stop writing (read-only token, rate limit, service failure). */
    blocked = false;
    packFetches = new Map();
    constructor(o, entries, state) {
        const scope = scopeId(o.scope);
        super(o, scope, state ?? { index: emptyIndex(scope), origin: { kind: 'none' } }, state);
        this.entries = entries;
        this.backend = entries.kind;
    }
    /**
     * Restores this scope's newest index, else the default branch's. A failure is one warning and a cold cache;
     * when the store itself failed (the service is unreachable or erring, not a miss), nothing is saved this run
     * either: its saves would fail the same way, and one warning says it all. An index that cannot be read is
     * replaced by this run's save.
     */
    async loadIndex() {
        const scopes = restoreScopes(this.o.scope);
        let entry;
        try {
            // Index keys are unique, so the "exact" key is the scope's prefix: the newest entry under it wins.
            entry = await this.entries.restore('index', indexPrefix(this.scope), scopes.map((s) => indexPrefix(s.id)));
        }
        catch (err) {
            this.warn(`cache index was not restored, building without the cache: ${(0,errors/* describeError */.Uc)(err)}`);
            if (this.access.kind === 'read-write')
                this.access = { kind: 'read-only', reason: 'the cache could not be restored' };
            return;
        }
        if (!entry)
            return;
        try {
            const index = await readIndexFile(entry.dir, entry.key);
            const from = scopes.find((s) => entry.key.startsWith(indexPrefix(s.id)))?.from ?? 'scope';
            this.index = { ...index, scope: this.scope };
            this.origin = { kind: 'restored', key: entry.key, from };
            this.restored.entries++;
            this.restored.bytes += entry.bytes;
        }
        catch (err) {
            this.warn(`cache index was not restored, building without the cache: ${(0,errors/* describeError */.Uc)(err)}`);
        }
    }
    fetchUnit(unit, _digest, into) {
        let p = this.packFetches.get(unit);
        if (!p) {
            // One pack at a time: the gha store restores every pack into the same staging directory.
            p = this.queue.then(() => this.fetchPack(unit, into));
            this.queue = p.catch(() => undefined);
            this.packFetches.set(unit, p);
        }
        return p;
    }
    async restoreMount(_id, mount, dir) {
        const entry = await this.entries.restore('mount', mount.entry);
        if (!entry)
            throw new errors/* CacheError */.xA(`cache entry ${mount.entry} is missing (evicted or never saved)`);
        if (mount.digest)
            await verifySnapshot((0,external_node_path_.join)(entry.dir, mountFile), mount.digest, mount.entry);
        await restoreDir((0,external_node_path_.join)(entry.dir, mountFile), dir, this.tools);
        return entry.bytes;
    }
    async persist(run, mounts) {
        const now = this.o.clock.now().getTime();
        const salt = `${this.o.run.id}-${this.o.run.attempt}`;
        const plan = await planSave(this.index, run, {
            now,
            budgetBytes: this.o.budgetBytes ?? defaultBudgetBytes,
            packMaxBytes: this.o.packMaxBytes ?? defaultPackMaxBytes,
            packing: 'packs',
            // A pack found corrupt in this run must not be "found" again by its content name.
            unitKey: (m) => (this.badUnits.has(packKey(m)) ? packKey(m, salt) : packKey(m)),
            available: (d) => this.o.store.has(d),
        });
        this.noteDropped(plan.dropped);
        const failed = new Set();
        for (const unit of plan.newUnits) {
            const outcome = this.blocked ? undefined : await this.savePack(unit);
            if (outcome)
                this.count(unit.key, outcome);
            if (outcome?.kind !== 'saved' && outcome?.kind !== 'exists')
                failed.add(unit.key);
        }
        let index = withoutUnits(plan.index, failed);
        let mountsChanged = false;
        if (!this.blocked) {
            const r = await saveMounts({
                mounts,
                previous: index.mounts,
                budgetBytes: this.o.mountBudgetBytes ?? defaultMountBudgetBytes,
                now,
                scratch: (0,external_node_path_.join)(this.ioRoot, 'tmp'),
                tools: this.tools,
                store: (id, fp, file) => (this.blocked ? Promise.resolve(undefined) : this.saveMount(id, fp, file)),
                warn: (m) => this.warn(m),
            });
            index = { ...index, mounts: r.mounts };
            mountsChanged = r.changed;
            for (const d of r.dropped)
                this.prune(d.size);
        }
        this.totals.sizeBytes = Object.values(index.packs).reduce((n, p) => n + p.size, 0);
        if (!this.blocked && (plan.changed || mountsChanged || failed.size > 0)) {
            const key = indexKey(this.scope, this.o.run, indexNonce(now));
            this.count(key, await this.saveIndex(key, { ...index, savedAt: now }));
        }
        if (this.entries.kind === 'local' && !this.blocked) {
            const kept = new Set(references(index));
            const gc = await collectLocalGarbage(this.entries, {
                dropped: new Set(references(this.index).filter((k) => !kept.has(k))),
                now,
            }).catch((err) => {
                this.warn(`cache directory clean-up failed: ${(0,errors/* describeError */.Uc)(err)}`);
                return { entries: 0, bytes: 0 };
            });
            // Physical deletions of what the index dropped (counted in `pruned` already) and of older indexes.
            this.o.logger.debug(`cache directory: ${gc.entries} entries (${gc.bytes} bytes) deleted`);
        }
    }
    async fetchPack(unit, into) {
        const pack = this.index.packs[unit];
        if (!pack)
            return 'it is not in the index';
        const entry = await this.entries.restore('pack', unit);
        if (!entry)
            return 'it is missing (evicted or never saved)';
        this.restored.entries++;
        this.restored.bytes += entry.bytes;
        const r = await ingestPack(entry.dir, pack.members, into);
        const first = r.failed[0];
        return first ? `layer ${first.digest}: ${first.reason}` : undefined;
    }
    async savePack(unit) {
        if (await this.entries.has('pack', unit.key))
            return { kind: 'exists' };
        const dir = await this.entries.prepare('pack');
        await writePack(dir, unit.members, this.o.store);
        return this.entries.save('pack', unit.key, dir);
    }
    async saveMount(id, fingerprint, file) {
        const key = mountKey(this.scope, id, fingerprint);
        const dir = await this.entries.prepare('mount');
        await moveFile(file, (0,external_node_path_.join)(dir, mountFile));
        const outcome = await this.entries.save('mount', key, dir);
        this.count(key, outcome);
        return outcome.kind === 'saved' || outcome.kind === 'exists' ? key : undefined;
    }
    async saveIndex(key, index) {
        const dir = await this.entries.prepare('index');
        await writeIndexFile(dir, index);
        return this.entries.save('index', key, dir);
    }
    /** Folds an outcome into the totals; an outcome that says "stop writing" blocks the rest of the save. */
    count(key, outcome) {
        this.blocked ||= this.stops(key, outcome);
    }
    stops(key, outcome) {
        switch (outcome.kind) {
            case 'saved':
                this.totals.saved.entries++;
                this.totals.saved.bytes += outcome.bytes;
                this.totals.saved.keys.push(key);
                return false;
            case 'exists':
                this.o.logger.debug(`cache entry ${key} exists already`);
                return false;
            case 'read-only':
                this.setReadOnly(outcome.reason);
                return true;
            case 'rate-limited':
                this.warn(`cache: too many new cache entries right now${outcome.retryAfterSeconds !== undefined ? ` (retry after ${outcome.retryAfterSeconds} s)` : ''}; the rest of this save is skipped and the next run saves it`);
                return true;
            case 'failed':
                this.warn(`cache entry ${key} was not saved, the rest of this save is skipped: ${outcome.message}`);
                return true;
        }
    }
    noteDropped(dropped) {
        const fresh = dropped.filter((d) => d.isNew);
        for (const d of dropped)
            if (!d.isNew)
                this.prune(d.size);
        if (fresh.length > 0) {
            const bytes = fresh.reduce((n, d) => n + d.size, 0);
            this.warn(`cache: ${bytes} bytes of this build's new layers do not fit in the cache budget of ${this.o.budgetBytes ?? defaultBudgetBytes} bytes and are not saved — raise the cache budget`);
        }
    }
    prune(size) {
        this.totals.pruned.entries++;
        this.totals.pruned.bytes += size;
    }
}
/** The entries an index references. */
function references(index) {
    return [...Object.keys(index.packs), ...Object.values(index.mounts).map((m) => m.entry)];
}
/** The index without some units and the steps whose layers only they held. */
function withoutUnits(index, units) {
    if (units.size === 0)
        return index;
    const packs = Object.fromEntries(Object.entries(index.packs).filter(([k]) => !units.has(k)));
    const held = new Set(Object.values(packs).flatMap((p) => p.members.map((m) => m.digest)));
    const steps = Object.fromEntries(Object.entries(index.steps).filter(([, s]) => held.has(s.layer.descriptor.digest)));
    return { ...index, packs, steps };
}

;// CONCATENATED MODULE: ./src/cache/registry-manifest.ts



/** Media type of a cache-mount snapshot layer in the cache artifact (a gzip'd tar of the mount directory). */
const mountMediaType = 'application/vnd.image-build.cache.mount.v1.tar+gzip';
/**
 * The registry cache artifact: an OCI image manifest with an `artifactType`, the scope's index as its config
 * and every cached layer and mount snapshot as a layer (so the registry keeps them while the tag exists).
 */
const cacheManifest = {
    artifactType: 'application/vnd.image-build.cache.v1',
    configMediaType: 'application/vnd.image-build.cache.index.v1+json',
    build(config, layers) {
        return {
            schemaVersion: 2,
            mediaType: media_types_MediaType.ociManifest,
            artifactType: cacheManifest.artifactType,
            config: { mediaType: config.mediaType, digest: config.digest, size: config.size },
            layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
        };
    },
};
/** The index (config) descriptor of a cache artifact manifest; CacheError when it is not one of ours. */
function indexOfManifest(bytes, source) {
    let raw;
    try {
        raw = JSON.parse(bytes.toString('utf8'));
    }
    catch {
        throw new errors/* CacheError */.xA(`${source} is not a JSON manifest`);
    }
    const config = raw?.config;
    if (raw.artifactType !== cacheManifest.artifactType ||
        !config ||
        config.mediaType !== cacheManifest.configMediaType ||
        typeof config.digest !== 'string' ||
        !isDigest(config.digest) ||
        typeof config.size !== 'number') {
        throw new errors/* CacheError */.xA(`${source} is not an image-build cache`, {
            hint: 'point the registry cache at a repository (or tag) that only image-build writes to',
        });
    }
    return { mediaType: config.mediaType, digest: config.digest, size: config.size };
}

;// CONCATENATED MODULE: ./src/cache/registry-cache.ts

















/**
 * The registry backend: the cache is an OCI artifact in a repository (tag per scope) whose config is the index
 * and whose layers are the cached layer blobs and mount snapshots, so the registry keeps them. No packing
 * (registries have no entry-rate limit); blobs the repository lacks are mounted from the image repositories
 * when they are there, else uploaded.
 */
class RegistryCache extends CacheSession {
    r;
    backend = 'registry';
    blocked = false;
    constructor(o, r, state) {
        const scope = scopeId(o.scope);
        super(o, scope, state ?? { index: emptyIndex(scope), origin: { kind: 'none' } }, state);
        this.r = r;
    }
    get location() {
        return `${this.r.client.registry}/${this.r.repository}`;
    }
    async loadIndex() {
        try {
            for (const s of restoreScopes(this.o.scope)) {
                const tag = registryTag(s.id, this.r.tagPrefix);
                if (!(await this.r.client.headManifest(this.r.repository, tag)))
                    continue;
                const m = await this.r.client.getManifest(this.r.repository, tag, [media_types_MediaType.ociManifest]);
                const config = indexOfManifest(m.bytes, `${this.location}:${tag}`);
                const bytes = await this.readBlob(config);
                const index = parseIndex(bytes.toString('utf8'), `${this.location}:${tag}`);
                this.index = { ...index, scope: this.scope };
                this.origin = { kind: 'restored', key: `${this.location}:${tag}`, from: s.from };
                this.restored.entries++;
                this.restored.bytes += m.bytes.length + bytes.length;
                return;
            }
        }
        catch (err) {
            this.warn(`cache index was not restored from ${this.location}, building without the cache: ${(0,errors/* describeError */.Uc)(err)}`);
        }
    }
    async fetchUnit(unit, digest, into) {
        const size = this.index.packs[unit]?.members.find((m) => m.digest === digest)?.size;
        await into.putStream(await this.r.client.fetchBlob(this.r.repository, digest, size), {
            digest,
            ...(size !== undefined ? { size } : {}),
        });
        this.restored.entries++;
        this.restored.bytes += size ?? 0;
        return undefined;
    }
    async restoreMount(_id, mount, dir) {
        const tmp = (0,external_node_path_.join)(this.ioRoot, 'tmp', `mount-${(0,external_node_crypto_namespaceObject.randomBytes)(6).toString('hex')}.tar.gz`);
        await (0,promises_.mkdir)((0,external_node_path_.join)(this.ioRoot, 'tmp'), { recursive: true });
        try {
            const stream = await this.r.client.fetchBlob(this.r.repository, mount.entry, mount.size);
            await (0,external_node_stream_promises_namespaceObject.pipeline)(stream, (0,external_node_fs_namespaceObject.createWriteStream)(tmp));
            await restoreDir(tmp, dir, this.tools);
            return mount.size;
        }
        finally {
            await (0,promises_.rm)(tmp, { force: true });
        }
    }
    async persist(run, mounts) {
        const now = this.o.clock.now().getTime();
        const plan = await planSave(this.index, run, {
            now,
            budgetBytes: this.o.budgetBytes ?? defaultBudgetBytes,
            packMaxBytes: Number.MAX_SAFE_INTEGER,
            packing: 'blobs',
            unitKey: (members) => members[0],
            available: (d) => this.o.store.has(d),
        });
        for (const d of plan.dropped)
            if (!d.isNew)
                this.prune(d.size);
        const types = mediaTypes(plan.index, run);
        for (const unit of plan.newUnits) {
            if (this.blocked)
                break;
            const m = unit.members[0];
            await this.pushBlob({ mediaType: types.get(m.digest) ?? media_types_MediaType.ociLayerGzip, ...m });
        }
        if (this.blocked)
            return;
        const r = await saveMounts({
            mounts,
            previous: plan.index.mounts,
            budgetBytes: this.o.mountBudgetBytes ?? defaultMountBudgetBytes,
            now,
            scratch: (0,external_node_path_.join)(this.ioRoot, 'tmp'),
            tools: this.tools,
            store: (_id, _fp, file, size) => this.pushFile(file, size),
            warn: (msg) => this.warn(msg),
        });
        for (const d of r.dropped)
            this.prune(d.size);
        const index = { ...plan.index, mounts: r.mounts, savedAt: now };
        this.totals.sizeBytes = Object.values(index.packs).reduce((n, p) => n + p.size, 0);
        if (this.blocked || !(plan.changed || r.changed))
            return;
        await this.pushIndex(index, types);
    }
    async pushIndex(index, types) {
        const json = Buffer.from(JSON.stringify(index));
        const config = { mediaType: cacheManifest.configMediaType, digest: sha256(json), size: json.length };
        await this.pushBlob(config, json);
        if (this.blocked)
            return;
        const layers = [
            ...Object.entries(index.packs).map(([digest, p]) => ({
                mediaType: types.get(digest) ?? media_types_MediaType.ociLayerGzip,
                digest: digest,
                size: p.size,
            })),
            ...Object.values(index.mounts).map((m) => ({
                mediaType: mountMediaType,
                digest: m.entry,
                size: m.size,
            })),
        ];
        const bytes = Buffer.from(JSON.stringify(cacheManifest.build(config, layers)));
        const tag = registryTag(this.scope, this.r.tagPrefix);
        try {
            await this.r.client.putManifest(this.r.repository, tag, bytes, media_types_MediaType.ociManifest, this.writeAccess());
            this.totals.saved.entries++;
            this.totals.saved.bytes += bytes.length;
            this.totals.saved.keys.push(`${this.location}:${tag}`);
        }
        catch (err) {
            this.fail(err);
        }
    }
    /** HEAD → mount from an image repository → upload (from `data` or the store). */
    async pushBlob(d, data) {
        const { client, repository } = this.r;
        const access = this.writeAccess();
        try {
            if (await client.blobExists(repository, d.digest, access))
                return;
            let session;
            for (const from of this.r.mountFrom ?? []) {
                const m = await client.mountBlob(repository, d.digest, from, access);
                if (m.kind === 'mounted') {
                    this.totals.mounted.entries++;
                    this.totals.mounted.bytes += d.size;
                    return;
                }
                session = m.location;
            }
            const open = data ? () => external_node_stream_namespaceObject.Readable.from([data]) : () => this.o.store.open(d.digest);
            await client.uploadBlob(repository, { digest: d.digest, size: d.size, open }, access, session);
            this.totals.saved.entries++;
            this.totals.saved.bytes += d.size;
            this.totals.saved.keys.push(d.digest);
        }
        catch (err) {
            this.fail(err);
        }
    }
    async pushFile(file, size) {
        const { digest } = await digestOfStream((0,external_node_fs_namespaceObject.createReadStream)(file));
        const { client, repository } = this.r;
        try {
            if (!(await client.blobExists(repository, digest, this.writeAccess()))) {
                await client.uploadBlob(repository, { digest, size, open: () => (0,external_node_fs_namespaceObject.createReadStream)(file) }, this.writeAccess());
                this.totals.saved.entries++;
                this.totals.saved.bytes += size;
                this.totals.saved.keys.push(digest);
            }
            return digest;
        }
        catch (err) {
            this.fail(err);
            return undefined;
        }
    }
    fail(err) {
        this.blocked = true;
        if (err instanceof errors/* RegistryError */.gl && (err.status === 401 || err.status === 403)) {
            this.setReadOnly(`${this.location} refused a write (${err.status}): ${(0,errors/* describeError */.Uc)(err)}`);
            return;
        }
        this.warn(`cache was not saved to ${this.location}: ${(0,errors/* describeError */.Uc)(err)}`);
    }
    writeAccess() {
        return { push: true, ...(this.r.mountFrom?.length ? { mountFrom: [...this.r.mountFrom] } : {}) };
    }
    async readBlob(d) {
        const chunks = [];
        for await (const c of await this.r.client.fetchBlob(this.r.repository, d.digest, d.size))
            chunks.push(c);
        const bytes = Buffer.concat(chunks);
        if (sha256(bytes) !== d.digest)
            throw new errors/* CacheError */.xA(`cache index blob ${d.digest} in ${this.location} is corrupt`);
        return bytes;
    }
    prune(size) {
        this.totals.pruned.entries++;
        this.totals.pruned.bytes += size;
    }
}
/** Layer media types by digest, from the steps that made them. */
function mediaTypes(index, run) {
    const out = new Map();
    for (const s of Object.values(index.steps))
        out.set(s.layer.descriptor.digest, s.layer.descriptor.mediaType);
    for (const s of run.steps.values())
        out.set(s.layer.descriptor.digest, s.layer.descriptor.mediaType);
    return out;
}

;// CONCATENATED MODULE: ./src/cache/open-cache.ts






/**
 * Opens the cross-run cache for one build: restores the scope's index (or the default branch's) and returns
 * the `LayerCache` to hand to the builder. Never throws for cache trouble: a cache that cannot be read is a
 * warning (in the report) and a cache that misses everything.
 */
async function openCache(options) {
    const cache = create(options);
    await cache.loadIndex();
    return cache;
}
/**
 * The cache of a run whose main process called `suspend(file)`: the action's post step saves with it. When the
 * file is missing (main stopped before the build), the cache has nothing recorded and saves nothing.
 */
async function resumeCache(options, file) {
    const state = await readSessionState(file);
    if (state && state.backend !== options.backend.kind)
        throw new CacheError(`cache state ${file} is for the ${state.backend} backend, not ${options.backend.kind}`);
    return create(options, state);
}
/** Where the action keeps the suspended session between main and post. */
function sessionFile(workRoot) {
    return join(workRoot, 'cache-io', 'session.json');
}
function create(options, state) {
    const { backend, ...rest } = options;
    const o = rest;
    switch (backend.kind) {
        case 'gha':
            return new PackedCache(o, backend.store, state);
        case 'local':
            return new PackedCache(o, new LocalCacheStore(backend.dir, options.clock), state);
        case 'registry':
            return new RegistryCache(o, backend, state);
    }
}

;// CONCATENATED MODULE: ./src/cache/explain.ts
/** Explains every filesystem step of a build (config-only steps are never cached and are left out). */
function explainSteps(steps, bases) {
    const out = [];
    for (const [i, s] of steps.entries()) {
        if (s.status === 'config')
            continue;
        const where = { id: s.id, stage: s.stage, instruction: s.instruction, line: s.line };
        if (s.status === 'cached') {
            out.push({
                ...where,
                outcome: 'hit',
                ...(s.layer?.cacheSource ? { source: s.layer.cacheSource } : {}),
                changes: [],
            });
            continue;
        }
        const { reason, changes } = missReason(steps, i, bases);
        out.push({ ...where, outcome: 'miss', reason, changes });
    }
    return out;
}
function missReason(steps, i, bases) {
    const r = steps[i].reason;
    switch (r?.kind) {
        case undefined:
        case 'first-build':
            return { reason: 'not built before in this cache scope', changes: [] };
        case 'no-cache':
            return { reason: 'the cache is disabled for this build (no-cache)', changes: [] };
        case 'inputs-changed': {
            const changes = r.changes.map(describeChange);
            return {
                reason: changes
                    .map((c) => c.what)
                    .filter(unique)
                    .join('; '),
                changes,
            };
        }
        case 'parent-changed':
            return parentReason(steps, i, bases);
    }
}
/** The step starts from a different filesystem: an earlier step of the stage changed, or its base image. */
function parentReason(steps, i, bases) {
    const stage = steps[i].stage;
    for (let j = i - 1; j >= 0; j--) {
        const s = steps[j];
        if (s.stage !== stage)
            break;
        if (s.status === 'built')
            return { reason: `an earlier step changed (${s.id} ${clip(s.instruction, 40)})`, changes: [] };
        if (s.status === 'config' && s.id.endsWith('.0')) {
            const ref = fromReference(s.instruction);
            const before = ref !== undefined ? bases?.previous.get(ref) : undefined;
            const after = ref !== undefined ? bases?.current.get(ref) : undefined;
            if (ref !== undefined && before !== undefined && after !== undefined && before !== after) {
                return {
                    reason: `the base image ${ref} changed (${explain_short(before)} → ${explain_short(after)})`,
                    changes: [{ input: 'base', what: `base image ${ref}`, before, after }],
                };
            }
            return { reason: `the stage's starting point changed (${clip(s.instruction, 40)})`, changes: [] };
        }
    }
    return { reason: 'an earlier step changed', changes: [] };
}
const inputNames = {
    files: 'the files it copies changed',
    args: 'the command changed',
    inline: 'the heredoc changed',
    sources: 'the sources of the instruction changed',
    dest: 'the destination changed',
    from: 'the stage or image it copies from changed',
    user: 'the USER changed',
    cwd: 'the WORKDIR changed',
    path: 'the WORKDIR path changed',
    network: 'RUN --network changed',
    mounts: 'the RUN --mount options (or what they mount) changed',
    platform: 'the target platform changed',
    epoch: 'SOURCE_DATE_EPOCH changed',
    compression: 'the layer compression changed',
    remote: 'the content of a downloaded ADD source changed',
    op: 'the instruction changed',
};
function describeChange(c) {
    const [head, ...rest] = c.input.split('.');
    // ARG/ENV values may be secrets passed as build args: name the variable, never show its value.
    if (head === 'env')
        return {
            input: c.input,
            what: rest.length > 0 ? `ARG/ENV ${rest.join('.')} changed` : 'ARG/ENV changed',
        };
    return {
        input: c.input,
        what: inputNames[head ?? ''] ?? `the instruction's ${head} changed`,
        ...(c.before !== undefined ? { before: show(c.before) } : {}),
        ...(c.after !== undefined ? { after: show(c.after) } : {}),
    };
}
/** `hit  1.2 COPY . /app (cache)` / `miss 1.3 RUN npm ci — the files it copies changed`. */
function formatExplanation(e) {
    if (e.outcome === 'hit')
        return `hit  ${e.id} ${e.instruction}${e.source ? ` (${e.source})` : ''}`;
    const detail = e.changes
        .filter((c) => c.before !== undefined || c.after !== undefined)
        .slice(0, 3)
        .map((c) => `${c.input}: ${explain_short(c.before ?? '∅')} → ${explain_short(c.after ?? '∅')}`);
    return `miss ${e.id} ${e.instruction} — ${e.reason ?? ''}${detail.length ? ` [${detail.join('; ')}]` : ''}`;
}
/** A Markdown table for the job summary. */
function explanationMarkdown(explanations) {
    const rows = explanations.map((e) => `| ${e.id} | \`${escapeCell(clip(e.instruction, 60))}\` | ${e.outcome === 'hit' ? `hit${e.source ? ` (${e.source})` : ''}` : 'miss'} | ${escapeCell(e.reason ?? '')} |`);
    return ['| Step | Instruction | Cache | Why |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
/** The image reference of a `FROM [--platform=…] ref [AS name]` line (undefined for scratch). */
function fromReference(instruction) {
    const words = instruction
        .trim()
        .split(/\s+/)
        .slice(1)
        .filter((w) => !w.startsWith('--'));
    const ref = words[0];
    return ref === undefined || ref === 'scratch' ? undefined : ref;
}
function show(v) {
    if (typeof v === 'string')
        return /^sha256:[0-9a-f]{64}$/.test(v) ? explain_short(v) : clip(v, 60);
    return clip(JSON.stringify(v), 60);
}
function explain_short(d) {
    return d.startsWith('sha256:') ? d.slice(0, 19) : d;
}
function clip(s, n) {
    return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
function escapeCell(s) {
    return s.replace(/\|/g, '\\|').replace(/`/g, "'").replace(/\n/g, ' ');
}
function unique(v, i, all) {
    return all.indexOf(v) === i;
}

;// CONCATENATED MODULE: ./src/cache/byte-size.ts

const units = {
    '': 1,
    b: 1,
    k: 1024,
    kb: 1024,
    kib: 1024,
    m: 1024 ** 2,
    mb: 1024 ** 2,
    mib: 1024 ** 2,
    g: 1024 ** 3,
    gb: 1024 ** 3,
    gib: 1024 ** 3,
    t: 1024 ** 4,
    tb: 1024 ** 4,
    tib: 1024 ** 4,
};
/**
 * Parses a byte size for a budget input: `1073741824`, `512m`, `2GB`, `1.5 GiB` (binary units, case-insensitive).
 * Throws InputError naming the input for anything else, or for a size below one MiB.
 */
function parseByteSize(input, value) {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
    const unit = units[(m?.[2] ?? '').toLowerCase()];
    if (!m || unit === undefined) {
        throw new errors/* InputError */.dz(input, `${JSON.stringify(value)} is not a size`, {
            hint: 'write bytes or a number with a unit, e.g. 2g, 500m, 1073741824',
        });
    }
    const bytes = Math.floor(Number(m[1]) * unit);
    if (bytes < 1024 ** 2) {
        throw new errors/* InputError */.dz(input, `${JSON.stringify(value)} is too small for a cache`, {
            hint: 'use at least 1m',
        });
    }
    return bytes;
}

;// CONCATENATED MODULE: ./src/cache/index.ts








;// CONCATENATED MODULE: ./src/cli/output-target.ts


const kinds = ['oci', 'docker', 'oci-archive'];
/**
 * Parses `oci:DIR`, `docker:FILE` or `oci-archive:FILE` (paths relative to `cwd`). Docker's
 * `type=oci,dest=DIR` form is accepted too, for pasted commands.
 */
function parseOutput(text, cwd) {
    const { kind, path } = splitOutput(text);
    if (!kinds.includes(kind)) {
        throw new errors/* InputError */.dz('--output', `unknown output ${JSON.stringify(text)}`, {
            hint: 'use oci:DIR, docker:FILE or oci-archive:FILE',
        });
    }
    if (path === '')
        throw new errors/* InputError */.dz('--output', `${JSON.stringify(text)} has no path`, { hint: `write ${kind}:PATH` });
    return { kind: kind, path: (0,external_node_path_.resolve)(cwd, path), spec: text };
}
function splitOutput(text) {
    if (/^type=/.test(text)) {
        const fields = new Map(text.split(',').map((f) => {
            const eq = f.indexOf('=');
            return [eq < 0 ? f : f.slice(0, eq), eq < 0 ? '' : f.slice(eq + 1)];
        }));
        const extra = [...fields.keys()].filter((k) => k !== 'type' && k !== 'dest');
        if (extra.length > 0)
            throw new errors/* InputError */.dz('--output', `unsupported option ${JSON.stringify(extra[0])} in ${JSON.stringify(text)}`, {
                hint: 'only type= and dest= are supported',
            });
        const type = fields.get('type') ?? '';
        return { kind: type === 'tar' ? 'unknown' : type, path: fields.get('dest') ?? '' };
    }
    const colon = text.indexOf(':');
    if (colon < 0)
        return { kind: 'missing', path: text };
    return { kind: text.slice(0, colon), path: text.slice(colon + 1) };
}

;// CONCATENATED MODULE: external "node:util"
const external_node_util_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");
;// CONCATENATED MODULE: ./src/cli/parse-flags.ts



/**
 * `node:util` parseArgs in strict mode, with its errors turned into one-line InputErrors that name the flag and
 * point at the command's --help.
 */
function parse_flags_parseFlags(command, args, options) {
    try {
        const { values, positionals } = (0,external_node_util_namespaceObject.parseArgs)({
            args: [...args],
            options,
            allowPositionals: true,
            strict: true,
        });
        return { values, positionals };
    }
    catch (err) {
        throw flagError(command, err, options);
    }
}
function flagError(command, err, options) {
    const e = err;
    const hint = `see image-build ${command} --help`;
    const quoted = /'([^']+)'/.exec(e.message)?.[1] ?? '';
    switch (e.code) {
        case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
            const name = flagName(quoted);
            const near = closestMatch(name.replace(/^-+/, ''), Object.keys(options));
            return new errors/* InputError */.dz(name, near ? `unknown flag (did you mean --${near}?)` : 'unknown flag', { hint });
        }
        case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
            const name = flagName(/^Option '([^']+)'/.exec(e.message)?.[1] ?? quoted);
            return /argument missing/.test(e.message)
                ? new errors/* InputError */.dz(name, 'needs a value', { hint })
                : new errors/* InputError */.dz(name, 'takes no value', { hint });
        }
        default:
            return new errors/* InputError */.dz(command, e.message, { hint });
    }
}
/** `-t, --tag <value>` → `--tag`; `--foo` stays. */
function flagName(text) {
    const long = /--[\w-]+/.exec(text)?.[0];
    return long ?? (text || 'flag');
}
/** The strings given for a repeatable string flag (never undefined). */
function stringList(value) {
    if (value === undefined)
        return [];
    return (Array.isArray(value) ? value : [value]).filter((v) => typeof v === 'string');
}
function stringValue(value) {
    return typeof value === 'string' ? value : undefined;
}
/** Splits `K=V`; `K` alone gives no value. An empty key is an InputError naming `flag`. */
function splitKeyValue(flag, text) {
    const eq = text.indexOf('=');
    const key = eq < 0 ? text : text.slice(0, eq);
    if (key.trim() === '') {
        throw new errors/* InputError */.dz(flag, `${JSON.stringify(text)} has no name before "="`, {
            hint: `write ${flag} KEY=VALUE`,
        });
    }
    return { key, value: eq < 0 ? undefined : text.slice(eq + 1) };
}

;// CONCATENATED MODULE: ./src/cli/secret-spec.ts
/**
 * `--secret` specs as docker buildx reads them: CSV fields `id=`, `src=`/`source=`, `env=`, `type=file|env`.
 * `type=env,src=X` means the variable X. Without src and env, the variable named like the id is used when it is
 * set, else the file named like the id (BuildKit's secretsprovider rule). Secret values are never printed.
 */




function parseSecret(spec, io) {
    const fields = fieldsOf(spec);
    let type;
    let id = '';
    let src;
    let env;
    for (const [key, value] of fields) {
        switch (key) {
            case 'type':
                if (value !== 'file' && value !== 'env')
                    throw bad(spec, `unsupported secret type ${JSON.stringify(value)}`);
                type = value;
                break;
            case 'id':
                id = value;
                break;
            case 'src':
            case 'source':
                src = value;
                break;
            case 'env':
                env = value;
                break;
            default:
                throw bad(spec, `unknown field ${JSON.stringify(key)}`);
        }
    }
    if (type === 'env' && env === undefined)
        [env, src] = [src, undefined];
    if (id === '')
        throw bad(spec, 'the secret has no id');
    if (src === undefined && env === undefined) {
        if (io.env[id] !== undefined)
            env = id;
        else
            src = id;
    }
    return { id, source: env !== undefined ? fromEnv(spec, env, io) : fromFile(spec, src ?? id, io) };
}
function fieldsOf(spec) {
    let raw;
    try {
        raw = csvFields(spec);
    }
    catch {
        throw bad(spec, 'it is not valid CSV');
    }
    return raw.map((field) => {
        const eq = field.indexOf('=');
        if (eq < 0)
            throw bad(spec, `field ${JSON.stringify(field)} is not key=value`);
        return [field.slice(0, eq).toLowerCase(), field.slice(eq + 1)];
    });
}
function fromEnv(spec, name, io) {
    const value = io.env[name];
    if (value === undefined)
        throw bad(spec, `the environment variable ${name} is not set`, 'export it before running the build');
    return { kind: 'value', value };
}
function fromFile(spec, file, io) {
    const path = (0,external_node_path_.resolve)(io.cwd, file);
    try {
        if (!(0,external_node_fs_namespaceObject.statSync)(path).isFile())
            throw new Error('not a file');
        (0,external_node_fs_namespaceObject.accessSync)(path, external_node_fs_namespaceObject.constants.R_OK);
    }
    catch {
        throw bad(spec, `${JSON.stringify(file)} is not a readable file`, 'give src=PATH of an existing file, or env=VAR');
    }
    return { kind: 'file', path };
}
function bad(spec, why, hint = 'write --secret id=ID,src=FILE or --secret id=ID,env=VAR') {
    // The spec names files and variables, never values: safe to quote.
    return new errors/* InputError */.dz('--secret', `${JSON.stringify(spec)}: ${why}`, { hint });
}

;// CONCATENATED MODULE: ./src/store/blob-errors.ts

/**
 * Content did not match what the writer promised: nothing was stored. Callers that fetched the content (a
 * registry pull) catch this to report the source; `expected`/`actual` carry the facts.
 */
class BlobMismatchError extends errors/* InternalError */.Gd {
    expected;
    actual;
    constructor(expected, actual) {
        super(describeMismatch(expected, actual), {
            hint: 'the content was corrupted or truncated in transit; retry, and if it persists the source is broken',
        });
        this.expected = expected;
        this.actual = actual;
    }
}
/** A blob the caller asked for is not in the store. */
class BlobNotFoundError extends errors/* InternalError */.Gd {
    digest;
    root;
    constructor(digest, root) {
        super(`blob ${digest} is not in the image store ${root}`, {
            hint: 'the store is incomplete (interrupted pull or removed files); pull or build the image again',
        });
        this.digest = digest;
        this.root = root;
    }
}
function describeMismatch(expected, actual) {
    if (expected.size !== undefined && actual.size !== expected.size) {
        return `blob ${expected.digest} has the wrong size: expected ${expected.size} bytes, got ${actual.size}${actual.digest === undefined ? ' or more' : ''}`;
    }
    return `blob content does not match its digest: expected ${expected.digest}, got ${actual.digest ?? '?'}`;
}

;// CONCATENATED MODULE: ./src/store/temp-files.ts




/**
 * Temp files live in `<store>/.ingest/` (same file system as the blobs, so the final rename is atomic) and are
 * named `tmp_<host>_<pid>_<random>` so that a sweeper can tell a dead writer's leftovers from a live writer's
 * work: on the same host a file whose writer process is gone is stale at once; a file from another host (a
 * container sharing the directory has its own pid namespace and host name) only after `maxAgeMs`.
 */
const ingestDirName = '.ingest';
const tempPattern = /^tmp_([A-Za-z0-9.-]*)_(\d+)_[0-9a-f]+(?:\.[a-z-]+)?$/;
function tempFileName(purpose) {
    return `tmp_${safeHostname()}_${process.pid}_${(0,external_node_crypto_namespaceObject.randomBytes)(8).toString('hex')}${purpose ? `.${purpose}` : ''}`;
}
/** True when `pid` names a live process on this machine (EPERM: alive but not ours). */
function isProcessAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (err) {
        return err.code === 'EPERM';
    }
}
/** Whether a temp file (by its name and mtime) was left behind by a writer that will never finish it. */
function isStaleTemp(name, mtimeMs, check) {
    const m = tempPattern.exec(name);
    if (m && m[1] === safeHostname() && !isProcessAlive(Number(m[2])))
        return true;
    return check.now - mtimeMs > check.maxAgeMs;
}
/** Removes stale temp files from the ingest directory; returns how many files and bytes were freed. */
async function sweepStaleTemps(ingestDir, check) {
    let names;
    try {
        names = await (0,promises_.readdir)(ingestDir);
    }
    catch (err) {
        if (err.code === 'ENOENT')
            return { removed: 0, bytes: 0 };
        throw err;
    }
    let removed = 0;
    let bytes = 0;
    for (const name of names) {
        const path = (0,external_node_path_.join)(ingestDir, name);
        const st = await (0,promises_.stat)(path).catch(() => undefined);
        if (!st || !isStaleTemp(name, st.mtimeMs, check))
            continue;
        await (0,promises_.rm)(path, { force: true, recursive: true });
        removed++;
        bytes += st.size;
    }
    return { removed, bytes };
}
function safeHostname() {
    return (0,external_node_os_.hostname)().replace(/[^A-Za-z0-9.-]/g, '-');
}

;// CONCATENATED MODULE: ./src/store/blob-files.ts









/**
 * The blob half of the store: `blobs/sha256/<hex>` files. Every write goes to a fresh temp file in the ingest
 * directory (same file system), is hashed as it is written, verified against what the caller expected,
 * fsync'ed, and renamed into place; the blob directory is fsync'ed after the rename. A failed or mismatched
 * write removes its temp file, so a blob path only ever holds complete, verified content. Concurrent writers of
 * the same blob each write their own temp file; the renames replace identical content atomically.
 */
class BlobFiles {
    root;
    ingestDir;
    clock;
    blobDir;
    constructor(root, ingestDir, clock) {
        this.root = root;
        this.ingestDir = ingestDir;
        this.clock = clock;
        this.blobDir = (0,external_node_path_.join)(root, 'blobs', 'sha256');
    }
    blobPath(digest) {
        if (!isDigest(digest))
            throw new errors/* InternalError */.Gd(`invalid blob digest ${JSON.stringify(digest)}`);
        return (0,external_node_path_.join)(this.blobDir, digestHex(digest));
    }
    async has(digest) {
        return (await this.stat(digest)) !== undefined;
    }
    async stat(digest) {
        try {
            const st = await (0,promises_.stat)(this.blobPath(digest));
            return st.isFile() ? { digest, size: st.size } : undefined;
        }
        catch (err) {
            if (isNotFound(err))
                return undefined;
            throw err;
        }
    }
    open(digest) {
        const out = new external_node_stream_namespaceObject.PassThrough();
        const file = (0,external_node_fs_namespaceObject.createReadStream)(this.blobPath(digest));
        file.on('error', (err) => out.destroy(isNotFound(err) ? new BlobNotFoundError(digest, this.root) : err));
        // A consumer that stops early (destroys `out`) must not leave the file open.
        out.on('close', () => file.destroy());
        return file.pipe(out);
    }
    async read(digest) {
        try {
            return await (0,promises_.readFile)(this.blobPath(digest));
        }
        catch (err) {
            if (isNotFound(err))
                throw new BlobNotFoundError(digest, this.root);
            throw err;
        }
    }
    async put(data, expected) {
        const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
        const actual = { digest: sha256(bytes), size: bytes.length };
        verify(actual, expected);
        if (await this.touchIfPresent(actual.digest))
            return actual;
        const temp = await this.createTemp();
        try {
            await writeAll(temp.handle, bytes);
            return await this.commitOpenTemp(temp, actual);
        }
        finally {
            await temp.discard();
        }
    }
    async putStream(source, expected) {
        if (expected && (await this.touchIfPresent(expected.digest))) {
            await source[Symbol.asyncIterator]().return?.();
            const stored = await this.stat(expected.digest);
            const size = stored?.size ?? 0;
            if (expected.size !== undefined && expected.size !== size)
                throw new BlobMismatchError(expected, stored ?? { size });
            return { digest: expected.digest, size };
        }
        const temp = await this.createTemp();
        try {
            const hash = (0,external_node_crypto_namespaceObject.createHash)('sha256');
            let size = 0;
            for await (const chunk of source) {
                size += chunk.length;
                if (expected?.size !== undefined && size > expected.size)
                    throw new BlobMismatchError(expected, { size });
                hash.update(chunk);
                await writeAll(temp.handle, chunk);
            }
            const actual = { digest: digestFromHash(hash), size };
            verify(actual, expected);
            return await this.commitOpenTemp(temp, actual);
        }
        finally {
            await temp.discard();
        }
    }
    async ingest() {
        const temp = await this.createTemp();
        await temp.handle.close();
        let done = false;
        return {
            path: temp.path,
            commit: async (expected) => {
                if (done)
                    throw new errors/* InternalError */.Gd(`blob ingest ${temp.path} was already committed or aborted`);
                done = true;
                try {
                    const actual = await hashFile(temp.path);
                    verify(actual, expected);
                    await this.moveIntoPlace(temp.path, actual.digest, true);
                    return actual;
                }
                finally {
                    await (0,promises_.rm)(temp.path, { force: true });
                }
            },
            abort: async () => {
                done = true;
                await (0,promises_.rm)(temp.path, { force: true });
            },
        };
    }
    /** A blob that is already stored gets its mtime refreshed, so a concurrent gc's grace period protects it. */
    async touchIfPresent(digest) {
        const path = this.blobPath(digest);
        const now = this.clock.now();
        try {
            await (0,promises_.utimes)(path, now, now);
            return true;
        }
        catch (err) {
            if (isNotFound(err))
                return false;
            throw err;
        }
    }
    async createTemp() {
        const path = (0,external_node_path_.join)(this.ingestDir, tempFileName('blob'));
        const handle = await (0,promises_.open)(path, 'wx', 0o644);
        let closed = false;
        return {
            path,
            handle,
            close: async () => {
                if (!closed) {
                    closed = true;
                    await handle.close();
                }
            },
            discard: async () => {
                if (!closed) {
                    closed = true;
                    await handle.close().catch(() => undefined);
                }
                await (0,promises_.rm)(path, { force: true });
            },
        };
    }
    async commitOpenTemp(temp, actual) {
        await temp.handle.sync();
        await temp.close();
        await this.moveIntoPlace(temp.path, actual.digest, false);
        return actual;
    }
    async moveIntoPlace(tempPath, digest, syncFile) {
        if (syncFile)
            await syncPath(tempPath);
        await (0,promises_.rename)(tempPath, this.blobPath(digest));
        await syncPath(this.blobDir);
    }
}
function verify(actual, expected) {
    if (!expected)
        return;
    const sizeOk = expected.size === undefined || expected.size === actual.size;
    if (!sizeOk || expected.digest !== actual.digest)
        throw new BlobMismatchError(expected, actual);
}
async function hashFile(path) {
    const hash = (0,external_node_crypto_namespaceObject.createHash)('sha256');
    let size = 0;
    for await (const chunk of (0,external_node_fs_namespaceObject.createReadStream)(path, { highWaterMark: 1 << 20 })) {
        hash.update(chunk);
        size += chunk.length;
    }
    return { digest: digestFromHash(hash), size };
}
async function writeAll(handle, data) {
    let offset = 0;
    while (offset < data.length) {
        const { bytesWritten } = await handle.write(data, offset, data.length - offset);
        offset += bytesWritten;
    }
}
/** fsync a file or directory by path (directories: makes a rename inside them durable). */
async function syncPath(path) {
    const fh = await (0,promises_.open)(path, 'r');
    try {
        await fh.sync();
    }
    finally {
        await fh.close();
    }
}
function isNotFound(err) {
    return err?.code === 'ENOENT';
}

;// CONCATENATED MODULE: ./src/store/file-lock.ts






async function withFileLock(path, opts, fn) {
    const token = await acquire(path, opts);
    try {
        return await fn();
    }
    finally {
        await release(path, token);
    }
}
async function acquire(path, opts) {
    const token = `${(0,external_node_os_.hostname)()}\n${process.pid}\n${(0,external_node_crypto_namespaceObject.randomBytes)(12).toString('hex')}\n`;
    const mine = (0,external_node_path_.join)(opts.tempDir, tempFileName('lock'));
    await (0,promises_.writeFile)(mine, token);
    const started = opts.clock.now().getTime();
    try {
        for (let attempt = 0;; attempt++) {
            if (await tryLink(mine, path))
                return token;
            const held = await readLock(path);
            if (held === undefined)
                continue;
            if (isStale(held, opts)) {
                await breakStale(path, held, opts.tempDir);
                continue;
            }
            if (opts.clock.now().getTime() - started > opts.timeoutMs)
                throw lockTimeout(path, held);
            await sleep(Math.min(50, 2 + attempt * 2) * (0.5 + Math.random()));
        }
    }
    finally {
        await (0,promises_.unlink)(mine).catch(() => undefined);
    }
}
async function release(path, token) {
    const held = await readLock(path);
    if (held?.token === token)
        await (0,promises_.unlink)(path).catch(() => undefined);
}
async function tryLink(from, to) {
    try {
        await (0,promises_.link)(from, to);
        return true;
    }
    catch (err) {
        if (err.code === 'EEXIST')
            return false;
        throw err;
    }
}
async function readLock(path) {
    try {
        const [text, st] = await Promise.all([(0,promises_.readFile)(path, 'utf8'), (0,promises_.stat)(path)]);
        const [host = '', pid = '0'] = text.split('\n');
        return { token: text, host, pid: Number(pid), mtimeMs: st.mtimeMs };
    }
    catch (err) {
        if (err.code === 'ENOENT')
            return undefined;
        throw err;
    }
}
function isStale(held, opts) {
    if (held.host === (0,external_node_os_.hostname)() && held.pid > 0 && !isProcessAlive(held.pid))
        return true;
    return opts.clock.now().getTime() - held.mtimeMs > opts.staleMs;
}
async function breakStale(path, held, tempDir) {
    const moved = (0,external_node_path_.join)(tempDir, tempFileName('stale-lock'));
    try {
        await (0,promises_.rename)(path, moved);
    }
    catch (err) {
        if (err.code === 'ENOENT')
            return; // someone else broke it first
        throw err;
    }
    const what = await readLock(moved);
    if (what !== undefined && what.token !== held.token) {
        // We moved a fresh lock taken after our check: put it back for its owner.
        await tryLink(moved, path);
    }
    await (0,promises_.unlink)(moved).catch(() => undefined);
}
function lockTimeout(path, held) {
    return new errors/* InternalError */.Gd(`the image store is locked by process ${held.pid} on ${held.host} (${path})`, {
        hint: 'wait for the other image-build to finish; if none is running, delete the lock file',
    });
}
function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

;// CONCATENATED MODULE: ./src/store/gc.ts






/**
 * Every blob reachable from `roots`: the roots, and for each manifest its config, layers and subject, for each
 * index its manifests, recursively. Missing blobs are skipped (a partial image keeps what it has). A manifest
 * that cannot be parsed aborts the walk: deleting blobs it might reference would destroy data.
 */
async function reachableBlobs(blobs, roots) {
    const seen = new Set();
    const queue = [...roots];
    for (let d = queue.pop(); d !== undefined; d = queue.pop()) {
        if (seen.has(d.digest))
            continue;
        seen.add(d.digest);
        if (!isManifestMediaType(d.mediaType) || !(await blobs.has(d.digest)))
            continue;
        queue.push(...childrenOf(await blobs.read(d.digest), d));
    }
    return seen;
}
function childrenOf(bytes, d) {
    try {
        const parsed = parseManifest(bytes, { mediaType: d.mediaType, source: `manifest ${d.digest}` });
        const own = parsed.kind === 'index'
            ? [...parsed.index.manifests]
            : [parsed.manifest.config, ...parsed.manifest.layers];
        const subject = parsed.kind === 'index' ? parsed.index.subject : parsed.manifest.subject;
        return subject ? [...own, subject] : own;
    }
    catch (err) {
        throw new errors/* InternalError */.Gd(`image store garbage collection stopped: cannot read manifest ${d.digest}`, {
            hint: 'remove the image that references it (untag) or fix the store; no blob was deleted',
            cause: err,
        });
    }
}
/** Deletes every blob file not in `keep` and older than the grace period. */
async function sweepBlobs(blobs, keep, opts) {
    let removed = 0;
    let bytes = 0;
    for (const name of await (0,promises_.readdir)(blobs.blobDir)) {
        const digest = `sha256:${name}`;
        if (!isDigest(digest) || keep.has(digest))
            continue;
        const path = (0,external_node_path_.join)(blobs.blobDir, name);
        const st = await (0,promises_.stat)(path).catch(() => undefined);
        if (!st?.isFile() || opts.now - st.mtimeMs < opts.graceMs)
            continue;
        if (!(await removeFile(path)))
            continue;
        removed++;
        bytes += st.size;
    }
    return { removed, bytes };
}
/** Unlinks a file; false when it was already gone (another gc got there first). */
async function removeFile(path) {
    try {
        await (0,promises_.unlink)(path);
        return true;
    }
    catch (err) {
        if (err.code === 'ENOENT')
            return false;
        throw err;
    }
}

;// CONCATENATED MODULE: ./src/store/layout-index.ts







/** The annotation that names an image in an OCI layout's index.json (what `skopeo … oci:DIR:NAME` matches). */
const refNameAnnotation = 'org.opencontainers.image.ref.name';
/** The content of the `oci-layout` file. */
const ociLayoutContent = '{"imageLayoutVersion":"1.0.0"}';
const layout_index_emptyIndex = { schemaVersion: 2, mediaType: media_types_MediaType.ociIndex, manifests: [] };
/**
 * Reference names: the image-spec grammar (`component ("/" component)*`, components of alphanumerics joined by
 * `-._:@+` or `--`), plus `_` inside components, because Docker tags (`[\w][\w.-]*`) allow it.
 */
const refNamePattern = /^[A-Za-z0-9_]+(?:(?:[-._:@+]|--)[A-Za-z0-9_]+)*(?:\/[A-Za-z0-9_]+(?:(?:[-._:@+]|--)[A-Za-z0-9_]+)*)*$/;
function checkRefName(name) {
    if (name.length > 1024 || !refNamePattern.test(name)) {
        throw new errors/* InternalError */.Gd(`invalid image name ${JSON.stringify(name)} for the local image store`, {
            hint: 'use letters, digits and . _ - : @ + / (e.g. app:1.0 or ghcr.io/owner/app:1.0)',
        });
    }
}
function refNameOf(d) {
    return d.annotations?.[refNameAnnotation];
}
function refsOf(index) {
    const out = [];
    for (const descriptor of index.manifests) {
        const name = refNameOf(descriptor);
        if (name !== undefined)
            out.push({ name, descriptor });
    }
    return out;
}
/** A new index with `name` pointing at `descriptor` (earlier entries of that name removed). */
function withTag(index, name, descriptor) {
    const entry = {
        ...descriptor,
        annotations: { ...descriptor.annotations, [refNameAnnotation]: name },
    };
    return { ...index, manifests: [...withoutTag(index, name).manifests, entry] };
}
function withoutTag(index, name) {
    return { ...index, manifests: index.manifests.filter((d) => refNameOf(d) !== name) };
}
async function readLayoutIndex(root) {
    const path = (0,external_node_path_.join)(root, 'index.json');
    let bytes;
    try {
        bytes = await (0,promises_.readFile)(path);
    }
    catch (err) {
        if (isNotFound(err))
            return layout_index_emptyIndex;
        throw err;
    }
    try {
        return parseImageIndex(bytes, { source: path, mediaType: media_types_MediaType.ociIndex });
    }
    catch (err) {
        if (!(err instanceof manifest_codec_fields_ManifestFormatError))
            throw err;
        throw new errors/* InternalError */.Gd(`the image store's index is corrupt: ${err.message}`, {
            hint: `fix or delete ${path} (deleting it forgets the stored image names)`,
            cause: err,
        });
    }
}
/** Replaces index.json atomically (temp file, fsync, rename, fsync of the directory). */
async function writeLayoutIndex(root, tempDir, index) {
    const temp = (0,external_node_path_.join)(tempDir, tempFileName('index'));
    try {
        await (0,promises_.writeFile)(temp, manifest_codec_encodeIndex(index), { mode: 0o644, flush: true });
        await (0,promises_.rename)(temp, (0,external_node_path_.join)(root, 'index.json'));
        await syncPath(root);
    }
    finally {
        await (0,promises_.rm)(temp, { force: true });
    }
}
/** Creates `name` in `root` with `content` unless it exists (atomic: concurrent creators never clobber). */
async function createFileOnce(root, tempDir, name, content) {
    const temp = (0,external_node_path_.join)(tempDir, tempFileName('init'));
    try {
        await (0,promises_.writeFile)(temp, content, { mode: 0o644, flush: true });
        await (0,promises_.link)(temp, (0,external_node_path_.join)(root, name));
    }
    catch (err) {
        if (err.code !== 'EEXIST')
            throw err;
    }
    finally {
        await (0,promises_.rm)(temp, { force: true });
    }
}

;// CONCATENATED MODULE: ./src/store/open-store.ts











const layoutEntries = new Set(['oci-layout', 'index.json', 'blobs', ingestDirName, 'index.json.lock']);
/**
 * Opens (creating if needed) an OCI image layout directory as an ImageStore. Safe to call concurrently from
 * several processes on the same directory. Refuses a non-empty directory that is not an OCI layout.
 */
async function openStore(dir, options = {}) {
    const root = (0,external_node_path_.resolve)(dir);
    const ingestDir = (0,external_node_path_.join)(root, ingestDirName);
    await (0,promises_.mkdir)(root, { recursive: true });
    await checkLayoutDir(root);
    await (0,promises_.mkdir)((0,external_node_path_.join)(root, 'blobs', 'sha256'), { recursive: true });
    await (0,promises_.mkdir)(ingestDir, { recursive: true });
    await createFileOnce(root, ingestDir, 'oci-layout', Buffer.from(ociLayoutContent));
    await createFileOnce(root, ingestDir, 'index.json', manifest_codec_encodeIndex(layout_index_emptyIndex));
    return new LayoutStore(root, ingestDir, options);
}
async function checkLayoutDir(root) {
    let layout;
    try {
        layout = await (0,promises_.readFile)((0,external_node_path_.join)(root, 'oci-layout'), 'utf8');
    }
    catch (err) {
        if (err.code !== 'ENOENT')
            throw err;
    }
    if (layout === undefined) {
        const foreign = (await (0,promises_.readdir)(root)).filter((n) => !layoutEntries.has(n));
        if (foreign.length > 0) {
            throw new errors/* InternalError */.Gd(`${root} is not an OCI image layout and is not empty (it holds ${foreign[0]})`, {
                hint: 'point the image store at an empty or new directory',
            });
        }
        return;
    }
    let version;
    try {
        version = JSON.parse(layout).imageLayoutVersion;
    }
    catch {
        version = undefined;
    }
    if (typeof version !== 'string' || !version.startsWith('1.')) {
        throw new errors/* InternalError */.Gd(`${root}/oci-layout has unsupported content ${JSON.stringify(layout.slice(0, 80))}`, {
            hint: 'expected {"imageLayoutVersion":"1.0.0"}; point the image store at an OCI image layout directory',
        });
    }
}
class LayoutStore {
    root;
    ingestDir;
    options;
    blobs;
    clock;
    constructor(root, ingestDir, options) {
        this.root = root;
        this.ingestDir = ingestDir;
        this.options = options;
        this.clock = options.clock ?? systemClock;
        this.blobs = new BlobFiles(root, ingestDir, this.clock);
    }
    has(digest) {
        return this.blobs.has(digest);
    }
    stat(digest) {
        return this.blobs.stat(digest);
    }
    blobPath(digest) {
        return this.blobs.blobPath(digest);
    }
    open(digest) {
        return this.blobs.open(digest);
    }
    read(digest) {
        return this.blobs.read(digest);
    }
    put(data, expected) {
        return this.blobs.put(data, expected);
    }
    putStream(source, expected) {
        return this.blobs.putStream(source, expected);
    }
    ingest() {
        return this.blobs.ingest();
    }
    async listRefs() {
        return refsOf(await readLayoutIndex(this.root));
    }
    async resolve(name) {
        const refs = await this.listRefs();
        return refs.find((r) => r.name === name)?.descriptor;
    }
    async tag(name, descriptor) {
        checkRefName(name);
        await this.locked(async () => {
            // Checked under the lock so that a concurrent gc cannot delete the image between check and tag.
            if (!(await this.blobs.has(descriptor.digest)))
                throw new BlobNotFoundError(descriptor.digest, this.root);
            const index = await readLayoutIndex(this.root);
            await writeLayoutIndex(this.root, this.ingestDir, withTag(index, name, descriptor));
        });
    }
    async untag(name) {
        await this.updateIndex((index) => withoutTag(index, name));
    }
    async gc(keep = [], options = {}) {
        return this.locked(async () => {
            const index = await readLayoutIndex(this.root);
            const reachable = await reachableBlobs(this.blobs, index.manifests);
            for (const d of keep)
                reachable.add(d);
            const now = this.clock.now().getTime();
            const graceMs = options.graceMs ?? this.options.gcGraceMs ?? 10 * 60_000;
            const swept = await sweepBlobs(this.blobs, reachable, { now, graceMs });
            const maxAgeMs = this.options.tempMaxAgeMs ?? 24 * 3600_000;
            const temps = await sweepStaleTemps(this.ingestDir, { now, maxAgeMs });
            return { removed: swept.removed, bytes: swept.bytes, tempFiles: temps.removed };
        });
    }
    async updateIndex(change) {
        await this.locked(async () => {
            const next = change(await readLayoutIndex(this.root));
            await writeLayoutIndex(this.root, this.ingestDir, next);
        });
    }
    locked(fn) {
        return withFileLock((0,external_node_path_.join)(this.root, 'index.json.lock'), {
            clock: this.clock,
            tempDir: this.ingestDir,
            staleMs: this.options.lockStaleMs ?? 30_000,
            timeoutMs: this.options.lockTimeoutMs ?? 60_000,
        }, fn);
    }
}

;// CONCATENATED MODULE: ./src/store/export.ts
/**
 * Archive exports of one image from the store, written atomically (temp file in the target directory, fsync,
 * rename):
 * - `exportOciArchive`: a tar of an OCI image layout holding just that image (what `skopeo copy oci-archive:…`,
 *   `podman load` and `docker buildx … --output type=oci` use);
 * - `exportDockerArchive`: what `docker save` writes since Docker 25 — the same OCI layout plus `manifest.json`
 *   (`[{Config, RepoTags, Layers}]`, paths relative to the archive root) and `repositories` — read by `docker
 *   load` (any version: it follows manifest.json, decompresses layers by sniffing and checks each diffID) and by
 *   skopeo's `docker-archive:` transport. index.json names each tag with `io.containerd.image.name` (the full
 *   name, as containerd's importer expects) and `org.opencontainers.image.ref.name` (the tag).
 * Layer blobs are stored as they are in the store (compressed); entries are sorted, owned by 0:0, mtime 0, so
 * the same image gives the same archive bytes.
 */















async function exportOciArchive(store, source, out) {
    const { descriptor, name } = await export_resolveSource(store, source);
    const blobs = await collectBlobs(store, descriptor);
    const entry = name === undefined ? descriptor : withAnnotations(descriptor, { [refNameAnnotation]: name });
    const index = { schemaVersion: 2, mediaType: media_types_MediaType.ociIndex, manifests: [entry] };
    await writeArchive(out, export_layoutEntries(store, blobs, index, []));
}
async function exportDockerArchive(store, source, out, options = {}) {
    const repoTags = (options.repoTags ?? []).map(checkRepoTag);
    const { descriptor, name } = await export_resolveSource(store, source);
    const image = await loadImage(store, descriptor, {
        platform: options.platform,
        name: name ?? descriptor.digest,
    });
    const blobs = await collectBlobs(store, image.descriptor);
    const entries = repoTags.map((tag) => withAnnotations(image.descriptor, {
        'io.containerd.image.name': fullImageName(tag),
        [refNameAnnotation]: tag.slice(tag.lastIndexOf(':') + 1),
    }));
    const index = {
        schemaVersion: 2,
        mediaType: media_types_MediaType.ociIndex,
        manifests: entries.length > 0 ? entries : [image.descriptor],
    };
    const manifestJson = [
        {
            Config: blobEntryPath(image.manifest.config.digest),
            RepoTags: repoTags,
            Layers: image.layers.map((l) => blobEntryPath(l.descriptor.digest)),
        },
    ];
    const lastDiffId = image.layers.at(-1)?.diffId;
    const repositories = {};
    for (const tag of repoTags) {
        const colon = tag.lastIndexOf(':');
        (repositories[tag.slice(0, colon)] ??= {})[tag.slice(colon + 1)] = lastDiffId
            ? digestHex(lastDiffId)
            : '';
    }
    const extra = [{ name: 'manifest.json', data: goJsonLine(manifestJson, manifestJsonShape) }];
    if (repoTags.length > 0)
        extra.push({ name: 'repositories', data: goJsonLine(repositories, { kind: 'any' }) });
    await writeArchive(out, export_layoutEntries(store, blobs, index, extra));
}
async function export_resolveSource(store, source) {
    if (typeof source !== 'string')
        return { descriptor: source };
    const descriptor = await store.resolve(source);
    if (!descriptor) {
        throw new errors/* InternalError */.Gd(`image ${JSON.stringify(source)} is not in the image store ${store.root}`, {
            hint: 'build or pull it first, or use one of the names the store lists',
        });
    }
    const { [refNameAnnotation]: _name, ...rest } = descriptor.annotations ?? {};
    const clean = { ...descriptor, annotations: rest };
    if (Object.keys(rest).length === 0)
        delete clean.annotations;
    return { descriptor: clean, name: source };
}
/** Every blob the image needs, in a stable order; a missing one is an error (the archive would be broken). */
async function collectBlobs(store, root) {
    const digests = [...(await reachableBlobs(store, [root]))].sort();
    const out = [];
    for (const digest of digests) {
        const info = await store.stat(digest);
        if (!info) {
            throw new errors/* InternalError */.Gd(`cannot export ${root.digest}: blob ${digest} is not in the image store ${store.root}`, {
                hint: 'pull or build the image again so that the store holds all of it',
            });
        }
        out.push(info);
    }
    return out;
}
/** The archive's entries, sorted by path as Docker's tar of a directory is. */
async function* export_layoutEntries(store, blobs, index, extra) {
    yield { header: dirHeader('blobs') };
    yield { header: dirHeader('blobs/sha256') };
    for (const b of blobs)
        yield { header: fileHeader(blobEntryPath(b.digest), b.size), body: store.open(b.digest) };
    const files = [
        { name: 'index.json', data: manifest_codec_encodeIndex(index) },
        { name: 'oci-layout', data: Buffer.from(ociLayoutContent) },
        ...extra,
    ].sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const f of files)
        yield { header: fileHeader(f.name, f.data.length), body: f.data };
}
/** Streams the entries into `out` via a temp file next to it, renamed into place once complete and synced. */
async function writeArchive(out, entries) {
    const target = (0,external_node_path_.resolve)(out);
    const temp = (0,external_node_path_.join)((0,external_node_path_.dirname)(target), `.${(0,external_node_path_.basename)(target)}.${(0,external_node_crypto_namespaceObject.randomBytes)(6).toString('hex')}.tmp`);
    try {
        await (0,external_node_stream_promises_namespaceObject.pipeline)(tarStream(entries), (0,external_node_fs_namespaceObject.createWriteStream)(temp, { mode: 0o644, flush: true }));
        await (0,promises_.rename)(temp, target);
        await syncPath((0,external_node_path_.dirname)(target));
    }
    catch (err) {
        await (0,promises_.rm)(temp, { force: true });
        throw err;
    }
}
function blobEntryPath(digest) {
    return `blobs/sha256/${digestHex(digest)}`;
}
function dirHeader(path) {
    return { path, type: 'directory', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: 0 };
}
function fileHeader(path, size) {
    return { path, type: 'file', mode: 0o644, uid: 0, gid: 0, size, mtime: 0 };
}
function withAnnotations(d, annotations) {
    return { ...d, annotations: { ...d.annotations, ...annotations } };
}
const export_field = (name) => ({ name, shape: { kind: 'any' }, omitEmpty: false });
/** Docker's manifestItem struct: Config, RepoTags, Layers. */
const manifestJsonShape = {
    kind: 'array',
    items: { kind: 'struct', fields: [export_field('Config'), export_field('RepoTags'), export_field('Layers')] },
};
/** As Go's json.Encoder writes: compact, then a newline. */
function goJsonLine(value, shape) {
    return Buffer.from(`${manifest_codec_json_encodeGoJson(value, shape)}\n`, 'utf8');
}
const export_tagPattern = /^\w[\w.-]{0,127}$/;
const componentPattern = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const domainPattern = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:]+\])(?::\d+)?$/;
/** A docker-archive RepoTag must be `name:tag` in Docker's grammar (docker load rejects digests and bare names). */
function checkRepoTag(repoTag) {
    const { domain, path, tag } = splitRepoTag(repoTag);
    const ok = tag !== undefined &&
        export_tagPattern.test(tag) &&
        path.every((c) => componentPattern.test(c)) &&
        (domain === undefined || domainPattern.test(domain));
    if (!ok || repoTag.includes('@')) {
        throw new errors/* InputError */.dz('tags', `${JSON.stringify(repoTag)} cannot name an image in a Docker archive`, {
            hint: 'use a lower-case name:tag such as app:1.0 or ghcr.io/owner/app:1.0',
        });
    }
    return repoTag;
}
/** Docker's rule: the first component is a registry when it has a `.` or `:` or is `localhost`. */
function splitRepoTag(repoTag) {
    const colon = repoTag.lastIndexOf(':');
    const hasTag = colon > repoTag.lastIndexOf('/');
    const name = hasTag ? repoTag.slice(0, colon) : repoTag;
    const parts = name.split('/');
    const first = parts[0];
    const domain = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')
        ? first
        : undefined;
    return {
        domain,
        path: domain ? parts.slice(1) : parts,
        tag: hasTag ? repoTag.slice(colon + 1) : undefined,
    };
}
/** Docker's normalised name, for containerd: `app:1` → `docker.io/library/app:1`. */
function fullImageName(repoTag) {
    const { domain, path, tag } = splitRepoTag(repoTag);
    const registry = domain ?? 'docker.io';
    const repo = registry === 'docker.io' && path.length === 1 ? ['library', ...path] : path;
    return `${registry}/${repo.join('/')}:${tag}`;
}

;// CONCATENATED MODULE: ./src/store/index.ts





;// CONCATENATED MODULE: ./src/cli/work-dir.ts



/**
 * The directory a build keeps between runs: `store/` (an OCI image layout with every layer and image built or
 * pulled) and `build/` (unpacked layers, the step cache, temp files). Reusing it makes a second build warm.
 * `$XDG_CACHE_HOME/image-build`, else `~/.cache/image-build`, unless `--work-dir` says otherwise.
 */
function defaultWorkDir(env, homeDir) {
    const xdg = env['XDG_CACHE_HOME'];
    if (xdg !== undefined && (0,external_node_path_.isAbsolute)(xdg))
        return (0,external_node_path_.join)(xdg, 'image-build');
    return (0,external_node_path_.join)(homeDir, '.cache', 'image-build');
}
function workDirLayout(dir, cwd) {
    const root = (0,external_node_path_.resolve)(cwd, dir);
    return { root, store: (0,external_node_path_.join)(root, 'store'), build: (0,external_node_path_.join)(root, 'build') };
}
/** Opens (creating it if needed) the work dir's store; a directory we cannot use is an InputError naming --work-dir. */
async function openWorkStore(layout) {
    try {
        return await openStore(layout.store);
    }
    catch (err) {
        const code = err.code;
        const why = code ? `(${code})` : `(${err.message})`;
        throw new errors/* InputError */.dz('--work-dir', `cannot use ${JSON.stringify(layout.root)} as the work directory ${why}`, {
            hint: 'give --work-dir a directory this user can write',
            cause: err,
        });
    }
}

;// CONCATENATED MODULE: ./src/cli/build-options.ts
/**
 * `image-build build` flags → one typed, validated BuildOptions value. Defaults follow `docker build`: context
 * `.`, Dockerfile `<context>/Dockerfile` (`-f` is relative to the working directory; `-f -` reads stdin),
 * `--build-arg K` takes K's value from the environment (and is skipped when it is not set).
 */









const buildFlags = {
    file: { type: 'string', short: 'f' },
    tag: { type: 'string', short: 't', multiple: true },
    target: { type: 'string' },
    'build-arg': { type: 'string', multiple: true },
    secret: { type: 'string', multiple: true },
    platform: { type: 'string' },
    output: { type: 'string', short: 'o', multiple: true },
    label: { type: 'string', multiple: true },
    'no-cache': { type: 'boolean' },
    pull: { type: 'boolean' },
    'source-date-epoch': { type: 'string' },
    compression: { type: 'string' },
    'work-dir': { type: 'string' },
    progress: { type: 'string' },
    push: { type: 'boolean' },
    'insecure-registry': { type: 'string', multiple: true },
    iidfile: { type: 'string' },
    'metadata-file': { type: 'string' },
    'cache-dir': { type: 'string' },
    'cache-budget': { type: 'string' },
    'cache-mount-budget': { type: 'string' },
    debug: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
};
/** Parses and validates the flags; every problem is an InputError naming the flag. */
function parseBuildOptions(args, io) {
    const { values: v, positionals } = parse_flags_parseFlags('build', args, buildFlags);
    if (positionals.length > 1) {
        throw new errors/* InputError */.dz('CONTEXT', `one build context expected, got ${positionals.length}: ${positionals.join(' ')}`, {
            hint: 'put flags before or after the context directory, and quote values with spaces',
        });
    }
    const contextDir = (0,external_node_path_.resolve)(io.cwd, positionals[0] ?? '.');
    const tags = stringList(v['tag']).map(parseTag);
    const push = v['push'] === true;
    if (push && tags.length === 0)
        throw new errors/* InputError */.dz('--push', 'needs at least one -t NAME:TAG to push to', {
            hint: 'add -t registry/repository:tag',
        });
    const workDirFlag = stringValue(v['work-dir']);
    const target = stringValue(v['target']);
    const iidFile = stringValue(v['iidfile']);
    const metadataFile = stringValue(v['metadata-file']);
    return {
        contextDir,
        dockerfile: dockerfileSource(stringValue(v['file']), contextDir, io.cwd),
        tags,
        ...(target !== undefined ? { target: nonEmpty('--target', target) } : {}),
        buildArgs: buildArgs(stringList(v['build-arg']), io.env),
        secrets: secrets(stringList(v['secret']), io),
        platform: platform(stringValue(v['platform'])),
        outputs: stringList(v['output']).map((o) => parseOutput(o, io.cwd)),
        labels: labels(stringList(v['label'])),
        noCache: v['no-cache'] === true,
        pull: v['pull'] === true,
        push,
        sourceDateEpoch: sourceDateEpoch(stringValue(v['source-date-epoch']), io.env),
        compression: compression(stringValue(v['compression'])),
        workDir: (0,external_node_path_.resolve)(io.cwd, workDirFlag ?? defaultWorkDir(io.env, io.homeDir)),
        workDirGiven: workDirFlag !== undefined,
        progress: progressMode(stringValue(v['progress'])),
        insecureRegistries: stringList(v['insecure-registry']).map((h) => nonEmpty('--insecure-registry', h)),
        ...(iidFile !== undefined ? { iidFile: (0,external_node_path_.resolve)(io.cwd, iidFile) } : {}),
        ...(metadataFile !== undefined ? { metadataFile: (0,external_node_path_.resolve)(io.cwd, metadataFile) } : {}),
        ...build_options_cacheDir(v, io.cwd),
    };
}
function build_options_cacheDir(v, cwd) {
    const dir = stringValue(v['cache-dir']);
    const budget = stringValue(v['cache-budget']);
    const mountBudget = stringValue(v['cache-mount-budget']);
    if (dir === undefined) {
        const orphan = budget !== undefined
            ? '--cache-budget'
            : mountBudget !== undefined
                ? '--cache-mount-budget'
                : undefined;
        if (orphan)
            throw new errors/* InputError */.dz(orphan, 'needs --cache-dir', { hint: 'add --cache-dir DIR' });
        return {};
    }
    return {
        cache: {
            dir: (0,external_node_path_.resolve)(cwd, nonEmpty('--cache-dir', dir)),
            ...(budget !== undefined ? { budgetBytes: parseByteSize('--cache-budget', budget) } : {}),
            ...(mountBudget !== undefined
                ? { mountBudgetBytes: parseByteSize('--cache-mount-budget', mountBudget) }
                : {}),
        },
    };
}
function parseTag(text) {
    const ref = parseReference(text, { input: '--tag' });
    if (ref.digest !== undefined)
        throw new errors/* InputError */.dz('--tag', `${JSON.stringify(text)} names a digest; a tag is NAME[:TAG]`, {
            hint: 'drop the @sha256:… part',
        });
    return ref;
}
function dockerfileSource(file, contextDir, cwd) {
    if (file === '-')
        return { kind: 'stdin' };
    const path = file === undefined ? (0,external_node_path_.join)(contextDir, 'Dockerfile') : (0,external_node_path_.resolve)(cwd, nonEmpty('--file', file));
    const rel = (0,external_node_path_.relative)(cwd, path);
    return { kind: 'file', path, display: rel === '' || (0,external_node_path_.isAbsolute)(rel) || rel.startsWith('..') ? path : rel };
}
function buildArgs(list, env) {
    const out = {};
    for (const item of list) {
        const { key, value } = splitKeyValue('--build-arg', item);
        const resolved = value ?? env[key];
        if (resolved !== undefined)
            out[key] = resolved;
    }
    return out;
}
function labels(list) {
    const out = {};
    for (const item of list) {
        const { key, value } = splitKeyValue('--label', item);
        out[key] = value ?? '';
    }
    return out;
}
function secrets(list, io) {
    const out = new Map();
    for (const spec of list) {
        const { id, source } = parseSecret(spec, io);
        out.set(id, source);
    }
    return out;
}
function platform(text) {
    if (text === undefined)
        return hostPlatform();
    if (text.includes(','))
        throw new errors/* InputError */.dz('--platform', `one platform per build, got ${JSON.stringify(text)}`, {
            hint: 'build each platform separately',
        });
    try {
        return parsePlatform(text);
    }
    catch (err) {
        throw new errors/* InputError */.dz('--platform', err.message);
    }
}
function sourceDateEpoch(text, env) {
    const value = text ?? env['SOURCE_DATE_EPOCH'];
    const flag = text !== undefined ? '--source-date-epoch' : 'SOURCE_DATE_EPOCH';
    if (value === undefined || (text === undefined && value === ''))
        return { kind: 'unset' };
    if (value === 'git' && text !== undefined)
        return { kind: 'git' };
    if (!/^\d{1,12}$/.test(value))
        throw new errors/* InputError */.dz(flag, `${JSON.stringify(value)} is not a number of seconds since 1970`, {
            hint: text !== undefined
                ? 'give seconds, e.g. 1700000000, or git for the commit time'
                : 'unset it or give seconds',
        });
    return { kind: 'seconds', seconds: Number(value) };
}
function compression(text) {
    if (text === undefined || text === 'gzip')
        return 'gzip';
    if (text === 'zstd')
        return 'zstd';
    throw new errors/* InputError */.dz('--compression', `${JSON.stringify(text)} is not gzip or zstd`);
}
function progressMode(text) {
    if (text === undefined)
        return 'auto';
    if (text === 'auto' || text === 'plain' || text === 'tty')
        return text;
    throw new errors/* InputError */.dz('--progress', `${JSON.stringify(text)} is not auto, plain or tty`);
}
function nonEmpty(flag, value) {
    if (value.trim() === '')
        throw new errors/* InputError */.dz(flag, 'is empty');
    return value;
}

;// CONCATENATED MODULE: ./src/cli/build-request.ts
/**
 * From BuildOptions to the builder's BuildRequest: read and parse the Dockerfile, find its ignore file, walk the
 * context, and resolve SOURCE_DATE_EPOCH (`git` = HEAD's commit time).
 */




async function prepareBuildRequest(options, io, logger, digestCache) {
    const text = await readDockerfile(options, io);
    const file = options.dockerfile.kind === 'file' ? options.dockerfile.display : 'Dockerfile';
    const dockerfile = parseDockerfile(text, { file });
    for (const w of dockerfile.warnings)
        logger.warn(`${(0,errors/* formatLocation */.j$)(w.location)}: ${w.message} (${w.rule})`);
    const ignore = await findIgnoreFile({
        contextDir: options.contextDir,
        ...(options.dockerfile.kind === 'file' ? { dockerfile: options.dockerfile.path } : {}),
    });
    if (ignore)
        logger.debug(`using ${ignore.path} (${ignore.patterns.length} patterns)`);
    const context = await openBuildContext({
        dir: options.contextDir,
        ...(ignore ? { ignore: ignore.matcher } : {}),
        log: logger,
        ...(digestCache ? { digestCache } : {}),
    });
    const sourceDateEpoch = await resolveSourceDateEpoch(options, logger);
    return {
        dockerfile,
        context,
        ...(options.target !== undefined ? { target: options.target } : {}),
        buildArgs: options.buildArgs,
        platform: options.platform,
        secrets: options.secrets,
        labels: options.labels,
        annotations: {},
        ...(sourceDateEpoch !== undefined ? { sourceDateEpoch } : {}),
        noCache: options.noCache,
        pull: options.pull,
        compression: options.compression,
    };
}
async function readDockerfile(options, io) {
    if (options.dockerfile.kind === 'stdin')
        return io.readStdin();
    try {
        return await (0,promises_.readFile)(options.dockerfile.path, 'utf8');
    }
    catch (err) {
        const code = err.code ?? 'error';
        throw new errors/* InputError */.dz('--file', `cannot read the Dockerfile ${JSON.stringify(options.dockerfile.display)} (${code})`, {
            hint: 'give its path with -f, or run from the directory that holds it',
            cause: err,
        });
    }
}
async function resolveSourceDateEpoch(options, logger) {
    const sde = options.sourceDateEpoch;
    if (sde.kind === 'unset')
        return undefined;
    if (sde.kind === 'seconds')
        return sde.seconds;
    const facts = await readGitFacts(options.contextDir, runGit, logger);
    if (!facts) {
        throw new errors/* InputError */.dz('--source-date-epoch', `git: ${JSON.stringify(options.contextDir)} is not in a git checkout with a commit`, {
            hint: 'give the seconds instead, e.g. --source-date-epoch 1700000000',
        });
    }
    return facts.commitTime;
}

;// CONCATENATED MODULE: ./src/cli/cli-cache.ts



/** Opens the cache when --cache-dir is given. The scope's ref is the context's git branch, else `local`. */
async function openCliCache(options, c) {
    if (!options.cache)
        return undefined;
    const git = await readGitFacts(options.contextDir, runGit);
    const ref = git?.head.kind === 'branch' ? git.head.ref : 'local';
    return openCache({
        backend: { kind: 'local', dir: options.cache.dir },
        scope: {
            ref,
            platform: options.platform,
            dockerfile: options.dockerfile.kind === 'file' ? options.dockerfile.display : 'Dockerfile',
        },
        run: { id: c.runId, attempt: 1 },
        store: c.store,
        workRoot: c.workRoot,
        ...(options.cache.budgetBytes !== undefined ? { budgetBytes: options.cache.budgetBytes } : {}),
        ...(options.cache.mountBudgetBytes !== undefined
            ? { mountBudgetBytes: options.cache.mountBudgetBytes }
            : {}),
        privilege: c.privilege,
        hostEnv: c.hostEnv,
        logger: c.logger,
        clock: systemClock,
    });
}
/** After the build: why steps missed (debug), then save and say what the cache did in one line. */
async function saveCliCache(cache, result, logger) {
    if (!cache)
        return;
    cache.noteBuild({ bases: result.bases });
    for (const e of explainSteps(result.steps, { previous: cache.previousBases(), current: result.bases }))
        if (e.outcome === 'miss')
            logger.debug(formatExplanation(e));
    // the cache's warnings went to this logger as they happened: the report's list is for summaries
    const report = await cache.save();
    logger.info(`cache ${report.scope}: ${report.lookups.hits} hits, ${report.lookups.misses} misses; ` +
        `restored ${report.restored.entries} entries (${report.restored.bytes} bytes), ` +
        `saved ${report.saved.entries} (${report.saved.bytes} bytes)`);
}

;// CONCATENATED MODULE: ./src/cli/cli-logger.ts
/**
 * The Logger the core gets from the CLI: warnings as `warning: …`, info lines as they are, debug lines only with
 * --debug. Everything goes to stderr through the progress display, so stdout carries only results.
 */
class CliLogger {
    sink;
    verbose;
    constructor(sink, verbose) {
        this.sink = sink;
        this.verbose = verbose;
    }
    debug(message) {
        if (this.verbose)
            this.sink.message(`debug: ${message}`);
    }
    info(message) {
        this.sink.message(message);
    }
    warn(message) {
        this.sink.message(`warning: ${message}`);
    }
    error(message) {
        this.sink.message(`error: ${message}`);
    }
}
/** A sink writing straight to a stream (commands without a progress display). */
function streamSink(stream) {
    return { message: (text) => stream.write(`${text}\n`) };
}

;// CONCATENATED MODULE: ./src/cli/progress/failure-block.ts

/**
 * What a failed step shows before the one-line error, as BuildKit does: the step's title and its last output
 * lines between rules (`lines`: the error's output tail unless the caller kept more). Empty for other errors
 * and for a step that printed nothing (then the one-line error says it all).
 */
function failureBlock(err, step, lines = err instanceof errors/* BuildStepError */.JI ? err.outputTail : []) {
    if (!(err instanceof errors/* BuildStepError */.JI) || lines.length === 0)
        return [];
    const title = step?.title ?? (err.location ? `${err.location.file}:${err.location.line ?? ''}` : 'the failed step');
    const prefix = step ? `#${step.number} ` : '';
    return ['------', ` > ${title}:`, ...lines.map((l) => `${prefix}${l}`), '------'];
}
/** The step line for a failed step: `#3 ERROR: <message>` (the location and hint come in the final line). */
function errorLine(err, step) {
    const message = err instanceof errors/* ImageBuildError */.qY ? err.message.replace(/\s*[\r\n]+\s*/g, ' ') : (0,errors/* describeError */.Uc)(err);
    return `#${step.number} ERROR: ${message}`;
}
/** How long a finished step took: the builder's own measure when it sent one. */
function stepDuration(step) {
    return step.report?.durationMs ?? (step.ended ?? step.started) - step.started;
}

;// CONCATENATED MODULE: ./src/cli/progress/step-tracker.ts
/**
 * Turns the builder's events into numbered steps. The builder runs one step at a time; a step that never sends
 * `end` (FROM) is finished when the next one starts, or when the build ends.
 */
class StepTracker {
    now;
    keepLines;
    next = 1;
    byId = new Map();
    open = [];
    constructor(now, keepLines = 200) {
        this.now = now;
        this.keepLines = keepLines;
    }
    get running() {
        return this.open;
    }
    apply(event) {
        switch (event.kind) {
            case 'start': {
                const finished = this.finishOpen();
                const step = {
                    number: this.next++,
                    title: oneLine(event.title),
                    started: this.now(),
                    lines: [],
                    partial: '',
                };
                this.byId.set(event.id, step);
                this.open.push(step);
                return { started: step, finished, output: [] };
            }
            case 'output': {
                const step = this.byId.get(event.id);
                if (!step)
                    return { finished: [], output: [] };
                return { finished: [], output: this.addOutput(step, event.text) };
            }
            case 'end': {
                const step = this.byId.get(event.report.id);
                if (!step || step.ended !== undefined)
                    return { finished: [], output: [] };
                const output = this.flushPartial(step);
                step.report = event.report;
                this.close(step);
                return { finished: [step], output };
            }
        }
    }
    /** Starts a task of the CLI's own (export, push). */
    startTask(title) {
        const finished = this.finishOpen();
        const step = { number: this.next++, title, started: this.now(), lines: [], partial: '' };
        this.open.push(step);
        return { started: step, finished, output: [] };
    }
    endTask(step) {
        this.close(step);
    }
    /** Finishes every open step (the build ended or the next step started). */
    finishOpen() {
        const done = [...this.open];
        for (const s of done)
            this.close(s);
        return done;
    }
    close(step) {
        step.ended ??= this.now();
        const i = this.open.indexOf(step);
        if (i >= 0)
            this.open.splice(i, 1);
    }
    addOutput(step, text) {
        const parts = (step.partial + text.replace(/\r\n/g, '\n')).split('\n');
        step.partial = parts.pop() ?? '';
        const out = parts.map((line) => ({ step, line: lastCarriageSegment(line) }));
        this.keep(step, out.map((o) => o.line));
        return out;
    }
    flushPartial(step) {
        if (step.partial === '')
            return [];
        const line = lastCarriageSegment(step.partial);
        step.partial = '';
        this.keep(step, [line]);
        return [{ step, line }];
    }
    keep(step, lines) {
        step.lines.push(...lines);
        if (step.lines.length > this.keepLines)
            step.lines.splice(0, step.lines.length - this.keepLines);
    }
}
/** An instruction continued over several lines shows on one, its runs of blanks collapsed. */
function oneLine(title) {
    return title.replace(/\s+/g, ' ').trim();
}
/** A progress bar redrawn with `\r` shows as its last state. */
function lastCarriageSegment(line) {
    const segments = line.split('\r').filter((s) => s !== '');
    return segments.at(-1) ?? '';
}

;// CONCATENATED MODULE: ./src/cli/progress/plain-progress.ts



/**
 * Plain progress, one line per event, for logs and pipes (BuildKit's `--progress=plain` shape):
 *
 *   #3 [build 2/5] RUN make
 *   #3 cc -o hello hello.c
 *   #3 DONE 1.2s
 *   #4 [build 3/5] COPY . .
 *   #4 CACHED
 */
class PlainProgress {
    out;
    tracker;
    constructor(out, now) {
        this.out = out;
        this.tracker = new StepTracker(now);
    }
    step(event) {
        this.show(this.tracker.apply(event));
    }
    begin(title) {
        const update = this.tracker.startTask(title);
        this.show(update);
        const step = update.started;
        return {
            done: (note) => {
                this.tracker.endTask(step);
                if (note)
                    this.line(`#${step.number} ${note}`);
                this.line(`#${step.number} DONE ${formatSeconds((step.ended ?? step.started) - step.started)}`);
            },
            failed: (message) => {
                this.tracker.endTask(step);
                this.line(`#${step.number} ERROR: ${message}`);
            },
        };
    }
    message(text) {
        this.line(text);
    }
    failed(err) {
        const step = this.tracker.running.at(-1);
        if (step) {
            this.tracker.endTask(step);
            this.line(errorLine(err, step));
        }
        for (const l of failureBlock(err, step))
            this.line(l);
    }
    close() {
        for (const s of this.tracker.finishOpen())
            this.finished(s);
    }
    /** Output lines first (an end event flushes the last one), then finished steps, then the new one. */
    show(update) {
        for (const o of update.output)
            this.line(`#${o.step.number} ${o.line}`);
        for (const s of update.finished)
            this.finished(s);
        if (update.started)
            this.line(`#${update.started.number} ${update.started.title}`);
    }
    finished(s) {
        if (s.report?.status === 'cached')
            this.line(`#${s.number} CACHED`);
        else
            this.line(`#${s.number} DONE ${formatSeconds(stepDuration(s))}`);
    }
    line(text) {
        this.out.write(`${text}\n`);
    }
}

;// CONCATENATED MODULE: ./src/cli/progress/tty-progress.ts



const redrawMs = 100;
const liveOutputLines = 6;
const clearBelow = '\x1b[0J';
const dim = (s) => `\x1b[2m${s}\x1b[0m`;
/**
 * The live display for terminals. Finished steps are printed once, collapsed to one line
 * (` => CACHED [build 2/5] COPY . .`, ` => [build 3/5] RUN make   1.2s`); below them a live region shows the
 * running steps with their elapsed time and last output lines, redrawn in place with ANSI escapes at most
 * every 100 ms. A failed step's output is printed in full, plainly, when the build fails.
 */
class TtyProgress {
    out;
    now;
    tracker;
    startedAt;
    pending = [];
    liveHeight = 0;
    finishedCount = 0;
    dirty = true;
    timer;
    constructor(out, now) {
        this.out = out;
        this.now = now;
        this.tracker = new StepTracker(now);
        this.startedAt = now();
        this.timer = setInterval(() => this.tick(), redrawMs);
        this.timer.unref();
    }
    step(event) {
        this.take(this.tracker.apply(event));
    }
    begin(title) {
        const update = this.tracker.startTask(title);
        this.take(update);
        const step = update.started;
        return {
            done: (note) => {
                this.tracker.endTask(step);
                this.finished(step, note);
                this.dirty = true;
            },
            failed: (message) => {
                this.tracker.endTask(step);
                this.pending.push(` => ERROR ${step.title}: ${message}`);
                this.dirty = true;
            },
        };
    }
    message(text) {
        this.pending.push(text);
        this.redraw(true);
    }
    failed(err) {
        const step = this.tracker.running.at(-1);
        if (step) {
            this.tracker.endTask(step);
            this.pending.push(` => ERROR ${step.title}`, errorLine(err, step));
        }
        this.pending.push(...failureBlock(err, step, step && step.lines.length > 0 ? step.lines : undefined));
        this.redraw(true);
    }
    close() {
        clearInterval(this.timer);
        for (const s of this.tracker.finishOpen())
            this.finished(s);
        this.pending.push(`[+] Building ${formatSeconds(this.now() - this.startedAt)} (${this.finishedCount} steps) FINISHED`);
        this.redraw(true, false);
    }
    /** What the timer runs every 100 ms: redraw if something changed or a step is running (its time ticks). */
    tick() {
        this.redraw(false);
    }
    /** Redraws (`force`: even when nothing changed); `live` false leaves the live region off (at close). */
    redraw(force, live = true) {
        if (!force && !this.dirty && this.tracker.running.length === 0)
            return;
        const width = this.width();
        let text = this.liveHeight > 0 ? `\r\x1b[${this.liveHeight}A${clearBelow}` : '';
        for (const l of this.pending.splice(0))
            text += `${l}\n`;
        const region = live ? this.liveRegion(width) : [];
        for (const l of region)
            text += `${l}\n`;
        this.liveHeight = region.length;
        this.dirty = false;
        if (text !== '')
            this.out.write(text);
    }
    /** Usable line width: one less than the terminal's (no auto-wrap at the last column); 80 when unknown. */
    width() {
        const columns = this.out.columns !== undefined && this.out.columns > 0 ? this.out.columns : 80;
        return Math.max(20, columns - 1);
    }
    liveRegion(width) {
        const lines = [
            fit(`[+] Building ${formatSeconds(this.now() - this.startedAt)} (${this.finishedCount} steps done)`, width),
        ];
        for (const s of this.tracker.running) {
            lines.push(withTime(` => ${s.title}`, formatSeconds(this.now() - s.started), width));
            for (const l of s.lines.slice(-liveOutputLines))
                lines.push(dim(fit(` => # ${tty_progress_printable(l)}`, width)));
        }
        return lines;
    }
    take(update) {
        for (const s of update.finished)
            this.finished(s);
        if (update.started || update.output.length > 0)
            this.dirty = true;
    }
    finished(s, note) {
        this.finishedCount++;
        const cached = s.report?.status === 'cached';
        const title = ` => ${cached ? 'CACHED ' : ''}${s.title}${note ? ` ${note}` : ''}`;
        this.pending.push(withTime(title, formatSeconds(stepDuration(s)), this.width()));
        this.dirty = true;
    }
}
/** The text cut to `width` characters, with the time right-aligned after it. */
function withTime(text, time, width) {
    const room = Math.max(10, width - time.length - 1);
    const head = fit(tty_progress_printable(text), room);
    return `${head}${' '.repeat(Math.max(1, width - head.length - time.length))}${time}`;
}
function fit(text, width) {
    return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
/** Output as one display line: escape sequences and control characters removed, tabs as spaces. */
function tty_progress_printable(text) {
    // Matching control characters is the point here: RUN output must not move the cursor inside the live region.
    // eslint-disable-next-line no-control-regex
    const escapes = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
    // eslint-disable-next-line no-control-regex
    const controls = /[\x00-\x1f\x7f]/g;
    return text.replace(escapes, '').replace(/\t/g, '  ').replace(controls, '');
}

;// CONCATENATED MODULE: ./src/cli/progress/progress.ts


/** `auto` means the live display on a terminal (unless TERM=dumb), plain lines otherwise. */
function createProgress(mode, stream, now, env) {
    const tty = mode === 'tty' || (mode === 'auto' && stream.isTTY === true && env['TERM'] !== 'dumb');
    return tty ? new TtyProgress(stream, now) : new PlainProgress(stream, now);
}
/** `0.0s`, `1.2s`, `75.3s` — BuildKit's step timing format. */
function formatSeconds(ms) {
    return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
}

;// CONCATENATED MODULE: ./src/cli/push-summary.ts
/** `sha256:… (2 uploaded, 1 mounted, 3 already there)` for a push's progress line. */
function pushSummary(result) {
    const { uploaded, mounted, exists } = result.blobs;
    const parts = [
        `${uploaded.count} uploaded`,
        ...(mounted.count > 0 ? [`${mounted.count} mounted`] : []),
        `${exists.count} already there`,
    ];
    return `${result.digest} (blobs: ${parts.join(', ')})`;
}

;// CONCATENATED MODULE: ./src/push/image-tree.ts
/**
 * The pieces of a stored image in push order: its blobs (configs and layers, each once), the image manifests
 * of an index (children), and the top manifest or index whose bytes go to the tags.
 */


const maxDepth = 4;
/**
 * Manifests must be in the store. Blobs must be too, unless `lazy` is set: then a blob may be missing (a cached
 * layer the build never needed to download) and is fetched only if the target registry has no way to get it.
 */
async function collectImageTree(store, source, name, lazy = false) {
    const children = [];
    const blobs = new Map();
    const top = await readManifest(store, source, name);
    await walk(store, top, name, 0, children, blobs);
    await checkBlobsStored(store, [...blobs.values()], name, lazy);
    return { top, children, blobs: [...blobs.values()] };
}
/** Every blob in the store has its descriptor's size; without `lazy`, every blob is there, before anything is pushed. */
async function checkBlobsStored(store, blobs, name, lazy) {
    for (const d of blobs) {
        const info = await store.stat(d.digest);
        if (!info && lazy)
            continue;
        if (!info || info.size !== d.size) {
            const what = info ? `has ${info.size} bytes, not ${d.size}` : 'is missing';
            throw new errors/* InternalError */.Gd(`image ${name} is incomplete in the local store: blob ${d.digest} ${what}`, {
                hint: 'rebuild or re-pull the image',
            });
        }
    }
}
async function walk(store, node, name, depth, children, blobs) {
    const parsed = parseManifest(node.bytes, {
        mediaType: node.descriptor.mediaType,
        source: `manifest ${node.descriptor.digest} of ${name}`,
    });
    if (parsed.kind === 'image')
        return addBlobs(parsed.manifest, blobs);
    if (depth >= maxDepth)
        throw new errors/* InternalError */.Gd(`image ${name}: indexes are nested too deeply`);
    for (const d of parsed.index.manifests) {
        const child = await readManifest(store, d, name);
        if (!children.some((c) => c.descriptor.digest === d.digest)) {
            await walk(store, child, name, depth + 1, children, blobs);
            children.push(child);
        }
    }
}
function addBlobs(m, blobs) {
    for (const d of [m.config, ...m.layers]) {
        if (d.urls && d.urls.length > 0 && d.mediaType.includes('nondistributable'))
            continue;
        if (d.urls && d.urls.length > 0 && d.mediaType.includes('foreign'))
            continue;
        if (!blobs.has(d.digest))
            blobs.set(d.digest, d);
    }
}
async function readManifest(store, d, name) {
    if (!(await store.has(d.digest))) {
        throw new errors/* InternalError */.Gd(`image ${name} is incomplete in the local store: manifest ${d.digest} is missing`, {
            hint: 'rebuild or re-pull the image',
        });
    }
    return { descriptor: d, bytes: await store.read(d.digest) };
}

;// CONCATENATED MODULE: ./src/push/types.ts
function emptyStats() {
    return {
        exists: { count: 0, bytes: 0 },
        mounted: { count: 0, bytes: 0 },
        uploaded: { count: 0, bytes: 0 },
    };
}
function addToStats(stats, outcome, bytes) {
    const cur = stats[outcome];
    return { ...stats, [outcome]: { count: cur.count + 1, bytes: cur.bytes + bytes } };
}
function sumStats(a, b) {
    const add = (k) => ({
        count: a[k].count + b[k].count,
        bytes: a[k].bytes + b[k].bytes,
    });
    return { exists: add('exists'), mounted: add('mounted'), uploaded: add('uploaded') };
}

;// CONCATENATED MODULE: ./src/push/push-blobs.ts
/**
 * The blob stage of a push into one repository: every blob once, in parallel: HEAD → mount from a known
 * repository of the same registry → upload (reusing the session a refused mount opened).
 */



async function pushBlobs(stage) {
    const outcomes = await mapBounded(stage.blobs, stage.concurrency, (d) => pushBlob(stage, d));
    return outcomes.reduce((stats, outcome, i) => addToStats(stats, outcome, stage.blobs[i].size), emptyStats());
}
async function pushBlob(stage, d) {
    stage.checkNotAborted?.();
    const outcome = await transfer(stage, d);
    stage.logger.debug(`blob ${d.digest} (${d.size} bytes) → ${stage.repository}: ${outcome}`);
    stage.onProgress?.({ kind: 'blob', repository: stage.repository, digest: d.digest, size: d.size, outcome });
    return outcome;
}
async function transfer(stage, d) {
    const { client, repository, access } = stage;
    if (await client.blobExists(repository, d.digest, access))
        return 'exists';
    // The store's file, read in 1 MiB chunks: Content-Length is known, and each retry re-opens it.
    const path = stage.store.blobPath(d.digest);
    const content = {
        digest: d.digest,
        size: d.size,
        open: () => (0,external_node_fs_namespaceObject.createReadStream)(path, { highWaterMark: 1 << 20 }),
    };
    const from = stage.sources.find((s) => s !== repository);
    if (from !== undefined) {
        const mount = await client.mountBlob(repository, d.digest, from, access);
        if (mount.kind === 'mounted')
            return 'mounted';
        await ensureStored(stage, d);
        await client.uploadBlob(repository, content, access, mount.location);
        return 'uploaded';
    }
    await ensureStored(stage, d);
    await client.uploadBlob(repository, content, access);
    return 'uploaded';
}
/** Only a blob that really has to be uploaded is downloaded first (lazy restore). */
async function ensureStored(stage, d) {
    if (!stage.fetchMissing || (await stage.store.has(d.digest)))
        return;
    stage.logger.debug(`blob ${d.digest} is not stored locally: fetching it to upload`);
    await stage.fetchMissing(d);
}

;// CONCATENATED MODULE: ./src/push/push-image.ts
/**
 * pushImage: a stored image (manifest or index) to one or more references on one registry. Per repository:
 * every blob once (HEAD → mount → upload, in parallel), then an index's image manifests by digest, then each
 * tag — only after all blobs and child manifests are confirmed, so no tag ever points at an incomplete image.
 * A tag already pointing at the digest is left alone. Later repositories mount blobs from earlier ones.
 */





async function pushImage(options) {
    checkTargets(options);
    const name = formatReference(options.targets[0]);
    const tree = await collectImageTree(options.store, options.source, name, options.fetchMissing !== undefined);
    const sources = [...(options.mountFrom ?? [])];
    const results = [];
    let total = emptyStats();
    for (const [repository, targets] of groupByRepository(options.targets)) {
        const blobs = await pushRepository(options, tree, repository, sources);
        total = sumStats(total, blobs.stats);
        for (const t of targets) {
            checkNotAborted(options);
            const outcome = await pushTarget(options, tree.top, t, blobs.access);
            results.push({ reference: t, digest: tree.top.descriptor.digest, outcome, blobs: blobs.stats });
        }
        sources.unshift(repository);
    }
    const top = tree.top.descriptor;
    return { digest: top.digest, mediaType: top.mediaType, size: top.size, targets: results, blobs: total };
}
/** Blobs, then child manifests by digest: everything a tag needs, confirmed, before any tag is written. */
async function pushRepository(options, tree, repository, sources) {
    const mountFrom = sources.filter((s) => s !== repository);
    const access = { push: true, ...(mountFrom.length ? { mountFrom } : {}) };
    const stats = await pushBlobs({
        client: options.client,
        store: options.store,
        repository,
        blobs: tree.blobs,
        sources: mountFrom,
        access,
        concurrency: Math.max(1, Math.min(options.concurrency ?? 5, 16)),
        logger: options.logger,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.fetchMissing ? { fetchMissing: options.fetchMissing } : {}),
        checkNotAborted: () => checkNotAborted(options),
    });
    for (const child of tree.children) {
        checkNotAborted(options);
        const outcome = await putIfDifferent(options.client, repository, child.descriptor.digest, child, access);
        options.onProgress?.({ kind: 'manifest', repository, digest: child.descriptor.digest, outcome });
    }
    return { stats, access };
}
async function pushTarget(options, top, target, access) {
    const ref = target.tag ?? top.descriptor.digest;
    const outcome = await putIfDifferent(options.client, target.repository, ref, top, access);
    options.logger.debug(`${formatReference(target)} → ${top.descriptor.digest}: ${outcome}`);
    options.onProgress?.({ kind: 'tag', reference: target, digest: top.descriptor.digest, outcome });
    return outcome;
}
/** HEAD first: a tag (or digest) already pointing at these bytes is left alone. */
async function putIfDifferent(client, repository, ref, manifest, access) {
    const head = await client.headManifest(repository, ref, access);
    if (head?.digest === manifest.descriptor.digest)
        return 'unchanged';
    await client.putManifest(repository, ref, manifest.bytes, manifest.descriptor.mediaType, access);
    return 'pushed';
}
function checkNotAborted(options) {
    if (!options.signal?.aborted)
        return;
    const name = formatReference(options.targets[0]);
    throw new errors/* RegistryError */.gl(`push of ${name} interrupted; no further tag is written`, {
        hint: 'run the push again',
        registry: options.client.registry,
    });
}
function groupByRepository(targets) {
    const groups = new Map();
    for (const t of targets)
        groups.set(t.repository, [...(groups.get(t.repository) ?? []), t]);
    return groups;
}
function checkTargets(options) {
    if (options.targets.length === 0)
        throw new errors/* InputError */.dz('tags', 'nothing to push to: no target references given');
    for (const t of options.targets) {
        if (t.registry !== options.client.registry) {
            throw new errors/* InputError */.dz('tags', `${formatReference(t)} is not on registry ${options.client.registry}`, {
                hint: 'push to each registry with its own client',
            });
        }
        if (t.digest !== undefined && t.digest !== options.source.digest) {
            throw new errors/* InputError */.dz('tags', `${formatReference(t)} names digest ${t.digest}, but the image is ${options.source.digest}`, {
                hint: 'drop the digest from the target, or push the image it names',
            });
        }
    }
}

;// CONCATENATED MODULE: ./src/push/index.ts


;// CONCATENATED MODULE: ./src/cli/push-targets.ts

/** Pushes to every target, one `pushImage` per registry (targets grouped by registry, in the order given). */
async function pushToTargets(options) {
    const byRegistry = new Map();
    for (const t of options.targets)
        byRegistry.set(t.registry, [...(byRegistry.get(t.registry) ?? []), t]);
    const results = [];
    for (const [registry, targets] of byRegistry) {
        const shown = options.onRegistry?.(registry, targets);
        const mountFrom = [
            ...new Set((options.origins ?? []).filter((o) => o.registry === registry).map((o) => o.repository)),
        ];
        const result = await pushImage({
            client: options.clients.get(registry),
            store: options.store,
            source: options.source,
            targets,
            logger: options.logger,
            ...(mountFrom.length > 0 ? { mountFrom } : {}),
            ...(options.signal ? { signal: options.signal } : {}),
            ...(options.fetchMissing ? { fetchMissing: options.fetchMissing } : {}),
        });
        shown?.done(result);
        results.push(result);
    }
    return results;
}

;// CONCATENATED MODULE: ./src/registry/auth/docker-config.ts
/**
 * Docker's `config.json`: `auths` (base64 `auth`, `username`/`password`, `identitytoken`, `registrytoken`),
 * `credHelpers` and `credsStore`. Keys are matched the way the Docker CLI does (`https://`/`http://` prefixes
 * and paths stripped), and Docker Hub's credentials live under `https://index.docker.io/v1/`.
 */



const dockerHubConfigKey = 'https://index.docker.io/v1/';
const dockerHubHosts = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
/** Reads a config.json; a missing file is `undefined`, an unreadable or malformed one a RegistryError. */
async function readDockerConfig(path, registry) {
    let text;
    try {
        text = await (0,promises_.readFile)(path, 'utf8');
    }
    catch (err) {
        if (err.code === 'ENOENT')
            return undefined;
        throw new errors/* RegistryError */.gl(`cannot read docker config ${path} (${err.code})`, {
            hint: 'check the file permissions',
            registry,
        });
    }
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        throw new errors/* RegistryError */.gl(`docker config ${path} is not valid JSON`, {
            hint: 'fix the file or run docker login again',
            registry,
        });
    }
    const obj = (parsed ?? {});
    return {
        path,
        auths: docker_config_isRecord(obj.auths) ? obj.auths : {},
        credHelpers: docker_config_isRecord(obj.credHelpers) ? obj.credHelpers : {},
        ...(typeof obj.credsStore === 'string' && obj.credsStore !== '' ? { credsStore: obj.credsStore } : {}),
    };
}
/** The key Docker stores a registry's credentials under (and passes to credential helpers). */
function dockerConfigKey(registry) {
    return dockerHubHosts.has(registry.toLowerCase()) ? dockerHubConfigKey : registry;
}
/** Docker CLI's ConvertToHostname, plus Docker Hub's aliases folded into one. */
function normalizeConfigKey(key) {
    const host = key
        .trim()
        .replace(/^https?:\/\//i, '')
        .split('/', 1)[0]
        .toLowerCase();
    return dockerHubHosts.has(host) ? 'docker.io' : host;
}
/** Finds the value for `registry` in a map keyed like config.json: exact key first, then normalised keys. */
function lookupByRegistry(map, registry) {
    const exact = map[dockerConfigKey(registry)];
    if (exact !== undefined)
        return exact;
    const want = normalizeConfigKey(registry);
    for (const [k, v] of Object.entries(map))
        if (normalizeConfigKey(k) === want)
            return v;
    return undefined;
}
/** The credential helper configured for a registry: `credHelpers` first, then `credsStore`. */
function credentialHelperFor(config, registry) {
    const helper = lookupByRegistry(config.credHelpers, registry);
    if (typeof helper === 'string' && helper !== '')
        return helper;
    return config.credsStore;
}
/** Decodes an `auths` entry; undefined when it holds no credentials (e.g. `{}` next to a credsStore). */
function credentialsFromEntry(entry, where, registry) {
    let username = entry.username;
    let password = entry.password;
    if (typeof entry.auth === 'string' && entry.auth !== '') {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new errors/* RegistryError */.gl(`the auth entry for ${registry} in ${where} is malformed (expected base64 of user:password)`, {
                hint: `run docker login ${registry} again`,
                registry,
            });
        }
        username = decoded.slice(0, colon);
        password = decoded.slice(colon + 1);
    }
    if (entry.identitytoken) {
        return { kind: 'identity-token', token: entry.identitytoken, ...(username ? { username } : {}) };
    }
    if (entry.registrytoken)
        return { kind: 'registry-token', token: entry.registrytoken };
    if (username !== undefined && username !== '' && password !== undefined) {
        return { kind: 'basic', username, password };
    }
    return undefined;
}
function docker_config_isRecord(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/** Docker's config file: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
function dockerConfigPath(env, homeDir) {
    const dir = env['DOCKER_CONFIG'];
    return dir ? (0,external_node_path_.join)(dir, 'config.json') : (0,external_node_path_.join)(homeDir, '.docker', 'config.json');
}

;// CONCATENATED MODULE: ./src/registry/retry.ts
const defaultRetryPolicy = {
    maxAttempts: 5,
    baseDelayMs: 500,
    maxDelayMs: 10_000,
    maxElapsedMs: 120_000,
    maxRetryAfterMs: 60_000,
    jitter: 0.25,
};
const retryableNetworkCodes = new Set([
    'ECONNRESET',
    'EPIPE',
    'ETIMEDOUT',
    'ECONNABORTED',
    'EAI_AGAIN',
    'UND_ERR_SOCKET',
]);
function isRetryableStatus(status) {
    return (status === 408 || status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505));
}
function isRetryableNetworkError(err) {
    // Duck-typed: errors from Node's own modules may come from another realm (jest's VM), failing instanceof.
    if (typeof err !== 'object' || err === null)
        return false;
    const { code, message } = err;
    if (typeof code === 'string' && retryableNetworkCodes.has(code))
        return true;
    return typeof message === 'string' && /socket hang up|aborted|premature close/i.test(message);
}
/** Parses Retry-After: delta-seconds or an HTTP date (relative to `nowMs`); undefined when absent or invalid. */
function parseRetryAfter(value, nowMs) {
    if (value === undefined)
        return undefined;
    const v = value.trim();
    if (/^\d+$/.test(v))
        return Number(v) * 1000;
    const at = Date.parse(v);
    if (Number.isNaN(at) || !/[a-z]/i.test(v))
        return undefined;
    return Math.max(0, at - nowMs);
}
/** The wait before retry number `retry` (1-based): base × 2^(retry-1), capped, ± jitter. */
function backoffDelay(retry, policy, random) {
    const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
    const spread = raw * policy.jitter * (2 * random() - 1);
    return Math.max(0, Math.round(raw + spread));
}
/** Runs `attempt` until it succeeds, fails with a non-retryable error, or the policy's bounds are reached. */
async function withRetry(ctx, attempt) {
    const started = ctx.timer.nowMs();
    for (let n = 1;; n++) {
        try {
            return await attempt(n);
        }
        catch (err) {
            const hint = ctx.classify(err);
            if (hint === undefined || n >= ctx.policy.maxAttempts)
                throw err;
            const wait = nextWait(ctx, n, hint);
            const elapsed = ctx.timer.nowMs() - started;
            if (wait === undefined || elapsed + wait > ctx.policy.maxElapsedMs)
                throw err;
            ctx.logger.debug(`retrying ${ctx.what} after ${hint.reason} (attempt ${n + 1}/${ctx.policy.maxAttempts}, waiting ${formatMs(wait)})`);
            await ctx.timer.sleep(wait);
        }
    }
}
function nextWait(ctx, n, hint) {
    if (hint.retryAfterMs !== undefined) {
        return hint.retryAfterMs > ctx.policy.maxRetryAfterMs ? undefined : hint.retryAfterMs;
    }
    return backoffDelay(n, ctx.policy, () => ctx.timer.random());
}
function formatMs(ms) {
    return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

;// CONCATENATED MODULE: ./src/registry/errors.ts
/**
 * RegistryError construction: one line that names the image and registry, the status and registry error code,
 * and a hint that says what to do. Secrets never enter these messages (only status, code and the registry's
 * own short message are used).
 */


/** A RegistryError that may carry a retry hint (transient status or network failure). */
class RegistryRequestError extends errors/* RegistryError */.gl {
    retry;
}
function describeOperation(op) {
    const name = op.repository ? `${op.registry}/${op.repository}` : op.registry;
    const ref = op.ref === undefined ? '' : op.ref.includes(':') ? `@${op.ref}` : `:${op.ref}`;
    switch (op.kind) {
        case 'pull':
            return `pull of ${name}${ref}`;
        case 'push':
            return `push to ${name}${ref}`;
        case 'list':
            return `listing tags of ${name}`;
        case 'delete':
            return `delete of ${name}${ref}`;
        case 'ping':
            return `connecting to registry ${op.registry}`;
    }
}
/** Reads `{"errors":[{"code","message"}]}`; tolerates HTML and other non-JSON bodies. */
function parseErrorBody(body) {
    if (!body || body.length === 0)
        return {};
    try {
        const parsed = JSON.parse(body.toString());
        const first = Array.isArray(parsed.errors) ? parsed.errors[0] : undefined;
        if (!first)
            return {};
        return {
            ...(typeof first.code === 'string' ? { code: first.code } : {}),
            ...(typeof first.message === 'string' ? { message: first.message } : {}),
        };
    }
    catch {
        return {};
    }
}
const defaultCodes = {
    401: 'UNAUTHORIZED',
    403: 'DENIED',
    429: 'TOOMANYREQUESTS',
};
/** The error for an unexpected HTTP status. */
function httpError(op, status, body, ctx) {
    const code = body.code ?? defaultCodes[status];
    const { reason, hint } = explain(op, status, code, body.message, ctx);
    const err = new RegistryRequestError(`${describeOperation(op)} failed: ${reason} (${status}${code ? ` ${code}` : ''})`, {
        hint,
        registry: op.registry,
        ...(op.repository !== undefined ? { repository: op.repository } : {}),
        status,
        ...(code !== undefined ? { code } : {}),
        retryable: isRetryableStatus(status),
    });
    if (isRetryableStatus(status)) {
        err.retry = {
            reason: `${status}${code ? ` ${code}` : ''}`,
            ...(ctx.retryAfterMs !== undefined ? { retryAfterMs: ctx.retryAfterMs } : {}),
        };
    }
    return err;
}
const errors_corrupt = 'the local content changed or is corrupt; rebuild and push again';
/** Registry error codes (distribution spec) → reason and hint. */
const byCode = {
    MANIFEST_UNKNOWN: () => ({ reason: 'not found', hint: 'check the image name and tag' }),
    NAME_UNKNOWN: () => ({
        reason: 'repository not found',
        hint: 'check the repository name; some registries need the repository created first',
    }),
    BLOB_UNKNOWN: (p) => ({
        reason: `blob${p.subject} not found`,
        hint: 'the image in the registry is incomplete; push it again',
    }),
    MANIFEST_BLOB_UNKNOWN: (p) => ({
        reason: `the manifest references a blob the registry does not have${p.detail}`,
        hint: 'push the image again; if it keeps failing, report it',
    }),
    MANIFEST_INVALID: (p) => ({
        reason: `the registry rejected the manifest${p.detail}`,
        hint: `check that ${p.reg} accepts this manifest type (OCI or Docker)`,
    }),
    DIGEST_INVALID: (p) => ({ reason: `digest mismatch${p.subject}`, hint: errors_corrupt }),
    SIZE_INVALID: (p) => ({ reason: `size mismatch${p.subject}`, hint: errors_corrupt }),
    NAME_INVALID: (p) => ({
        reason: 'invalid repository name',
        hint: `use a lowercase repository name that ${p.reg} allows`,
    }),
    TAG_INVALID: () => ({
        reason: 'invalid tag',
        hint: 'use a tag of letters, digits, _, . and - (at most 128)',
    }),
    BLOB_UPLOAD_UNKNOWN: (p) => ({ reason: `blob upload failed${p.detail}`, hint: 'push again' }),
    UNSUPPORTED: (p) => ({
        reason: `the registry does not support this operation${p.detail}`,
        hint: `check that ${p.reg} supports OCI images`,
    }),
};
const aliases = {
    MANIFEST_UNVERIFIED: 'MANIFEST_INVALID',
    BLOB_UPLOAD_INVALID: 'BLOB_UPLOAD_UNKNOWN',
};
function explain(op, status, code, message, ctx) {
    const detail = message && message.length <= 200 && !/[\r\n]/.test(message) ? `: ${message}` : '';
    const byThisCode = code === undefined ? undefined : byCode[aliases[code] ?? code];
    if (byThisCode)
        return byThisCode({ reg: op.registry, detail, subject: ctx.subject ? ` ${ctx.subject}` : '' });
    return explainStatus(op, status, detail, ctx);
}
function explainStatus(op, status, detail, ctx) {
    const reg = op.registry;
    if (status === 401 && ctx.authenticated && ctx.insufficientScope) {
        const may = op.kind === 'push' || op.kind === 'delete' ? 'push to' : 'pull';
        return {
            reason: 'access denied',
            hint: `check that your credentials for ${reg} may ${may} ${op.repository ?? 'this repository'}`,
        };
    }
    if (status === 401) {
        return {
            reason: ctx.authenticated ? 'credentials rejected' : 'authentication required',
            hint: `check the username/password for ${reg} or run docker login`,
        };
    }
    if (status === 403) {
        const may = op.kind === 'push' || op.kind === 'delete' ? 'push to' : 'pull';
        return {
            reason: 'access denied',
            hint: `check that your credentials for ${reg} may ${may} ${op.repository ?? 'this repository'}`,
        };
    }
    if (status === 404)
        return { reason: 'not found', hint: 'check the image name and tag' };
    if (status === 413)
        return { reason: `too large${detail}`, hint: `${reg} refused the size of this content` };
    if (status === 429)
        return { reason: 'rate limited', hint: `wait and retry later, or log in to ${reg} for a higher limit` };
    if (status >= 500)
        return { reason: 'registry error', hint: `${reg} is having trouble; retry later` };
    return {
        reason: `unexpected response${detail}`,
        hint: `check that ${reg} is an OCI distribution registry`,
    };
}
const tlsCodes = /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_\w+|ERR_TLS_CERT_ALTNAME_INVALID)$/;
/** The error for a failed connection (refused, reset, DNS, TLS…). */
function networkError(registry, err) {
    const code = (err?.code ?? 'network error').toString();
    let message;
    let hint;
    if (tlsCodes.test(code)) {
        message = `cannot verify the TLS certificate of registry ${registry} (${code})`;
        hint = `fix the registry's certificate, or list ${registry} as an insecure registry if you trust it`;
    }
    else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
        message = `cannot resolve registry host ${registry} (${code})`;
        hint = 'check the registry name';
    }
    else if (code === 'EPROTO' || code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
        message = `registry ${registry} does not answer HTTPS (${code})`;
        hint = `list ${registry} as an insecure registry to allow plain HTTP`;
    }
    else {
        message = `cannot reach registry ${registry} (${code})`;
        hint = 'is the registry running and the address right?';
    }
    const retryable = isRetryableNetworkError(err);
    const out = new RegistryRequestError(message, { hint, registry, code, retryable, cause: err });
    if (retryable)
        out.retry = { reason: code };
    return out;
}
/** The retry classifier for client requests. */
function retryHintOf(err) {
    return err instanceof RegistryRequestError ? err.retry : undefined;
}

;// CONCATENATED MODULE: ./src/registry/auth/challenge.ts
/**
 * `WWW-Authenticate` parsing (RFC 7235 §4.1): one header may carry several challenges, each a scheme followed by
 * a token68 or comma-separated `name=value` parameters whose quoted values may themselves contain commas
 * (`scope="repository:a:pull,push"`).
 */
const tchar = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;
/** Parses every challenge in a WWW-Authenticate header (or several joined by commas). Never throws. */
function parseChallenges(header) {
    if (header === undefined)
        return [];
    const text = typeof header === 'string' ? header : header.join(', ');
    return new ChallengeScanner(text).all();
}
/** The typed challenges; a Bearer challenge without a realm is dropped (unusable). */
function typedChallenges(header) {
    const out = [];
    for (const c of parseChallenges(header)) {
        if (c.scheme === 'bearer') {
            const { realm, service, scope, error } = c.params;
            if (!realm)
                continue;
            out.push({
                kind: 'bearer',
                realm,
                ...(service !== undefined ? { service } : {}),
                ...(scope !== undefined ? { scope } : {}),
                ...(error !== undefined ? { error } : {}),
            });
        }
        else if (c.scheme === 'basic') {
            out.push({ kind: 'basic', ...(c.params.realm !== undefined ? { realm: c.params.realm } : {}) });
        }
        else {
            out.push({ kind: 'other', scheme: c.scheme });
        }
    }
    return out;
}
class ChallengeScanner {
    s;
    pos = 0;
    constructor(s) {
        this.s = s;
    }
    all() {
        const out = [];
        for (;;) {
            this.skip(/[\s,]/);
            const scheme = this.token();
            if (scheme === '') {
                if (this.pos >= this.s.length)
                    return out;
                this.pos++; // junk character: skip it
                continue;
            }
            out.push(this.challenge(scheme.toLowerCase()));
        }
    }
    challenge(scheme) {
        const params = {};
        this.skip(/[ \t]/);
        const token68 = this.token68();
        if (token68 !== undefined)
            return { scheme, params, token68 };
        for (;;) {
            const save = this.pos;
            this.skip(/[\s,]/);
            const name = this.token();
            this.skip(/[ \t]/);
            if (name === '' || this.s[this.pos] !== '=') {
                this.pos = save;
                return { scheme, params };
            }
            this.pos++;
            this.skip(/[ \t]/);
            params[name.toLowerCase()] = this.value();
        }
    }
    /** A token68 is the whole credential after the scheme, ending at a comma or the end (`abc==`, not `a=b`). */
    token68() {
        const m = /^([A-Za-z0-9\-._~+/]+=*)[ \t]*(?:,|$)/.exec(this.s.slice(this.pos));
        if (!m)
            return undefined;
        this.pos += m[1].length;
        return m[1];
    }
    value() {
        if (this.s[this.pos] !== '"') {
            const start = this.pos;
            while (this.pos < this.s.length && !/[\s,]/.test(this.s[this.pos]))
                this.pos++;
            return this.s.slice(start, this.pos);
        }
        this.pos++;
        let out = '';
        while (this.pos < this.s.length && this.s[this.pos] !== '"') {
            if (this.s[this.pos] === '\\' && this.pos + 1 < this.s.length)
                this.pos++;
            out += this.s[this.pos++];
        }
        this.pos++; // closing quote (or past the end)
        return out;
    }
    token() {
        const start = this.pos;
        while (this.pos < this.s.length && tchar.test(this.s[this.pos]))
            this.pos++;
        return this.s.slice(start, this.pos);
    }
    skip(re) {
        while (this.pos < this.s.length && re.test(this.s[this.pos]))
            this.pos++;
    }
}

;// CONCATENATED MODULE: ./src/registry/auth/credentials.ts
/** Registry credentials and where they came from (for messages; the secrets themselves never reach a log). */
const anonymous = { kind: 'anonymous' };
function basicAuthorization(username, password) {
    return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

;// CONCATENATED MODULE: ./src/registry/auth/scope.ts
/** Token scopes (distribution `docs/spec/auth/scope.md`): `repository:<name>:<action>[,<action>…]`. */
const noScopes = { required: [], optional: [] };
function formatScope(s) {
    return `repository:${s.repository}:${s.actions.join(',')}`;
}
/** Parses `repository:name:a,b`; other resource types and malformed scopes give undefined. */
function parseScope(s) {
    const first = s.indexOf(':');
    const last = s.lastIndexOf(':');
    if (first < 0 || last <= first || s.slice(0, first) !== 'repository')
        return undefined;
    const actions = s
        .slice(last + 1)
        .split(',')
        .filter((a) => a === 'pull' || a === 'push' || a === 'delete');
    return { repository: s.slice(first + 1, last), actions };
}
/** Merges scopes per repository, keeping first-seen order (so the push scope stays first). */
function mergeScopes(scopes) {
    const byRepo = new Map();
    for (const s of scopes) {
        const actions = byRepo.get(s.repository) ?? [];
        for (const a of s.actions)
            if (!actions.includes(a))
                actions.push(a);
        byRepo.set(s.repository, actions);
    }
    return [...byRepo].map(([repository, actions]) => ({ repository, actions: sortActions(actions) }));
}
/** Every scope of `needed` is contained in `granted`. */
function coversScopes(granted, needed) {
    return needed.every((n) => {
        const g = granted.find((s) => s.repository === n.repository);
        return g !== undefined && n.actions.every((a) => g.actions.includes(a));
    });
}
/** A stable cache key for a scope list. */
function scopeKey(scopes) {
    return mergeScopes(scopes).map(formatScope).sort().join(' ');
}
/** The scopes for pulling from, or pushing to, a repository (Docker writes `pull,push`). */
function repositoryScope(repository, push) {
    return { repository, actions: push ? ['pull', 'push'] : ['pull'] };
}
const actionOrder = ['pull', 'push', 'delete'];
function sortActions(actions) {
    return actionOrder.filter((a) => actions.includes(a));
}

;// CONCATENATED MODULE: external "node:http"
const external_node_http_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");
;// CONCATENATED MODULE: external "node:https"
const external_node_https_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");
;// CONCATENATED MODULE: ./src/registry/transport.ts
/**
 * HTTP(S) for the registry client on `node:http`/`node:https`: keep-alive agents, an idle timeout, exact
 * `Content-Length` on streamed bodies, and redirects (GET/HEAD only) that never forward `Authorization` to
 * another origin.
 */


const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const maxRedirects = 5;
class Transport {
    options;
    http;
    https;
    httpsInsecure;
    constructor(options) {
        this.options = options;
        const common = { keepAlive: true, maxSockets: options.maxSockets ?? 16, scheduling: 'lifo' };
        this.http = new external_node_http_namespaceObject.Agent(common);
        this.https = new external_node_https_namespaceObject.Agent(common);
        this.httpsInsecure = new external_node_https_namespaceObject.Agent({ ...common, rejectUnauthorized: false });
    }
    async send(req) {
        let current = req;
        for (let hop = 0;; hop++) {
            const res = await this.sendOnce(current);
            const location = res.headers.location;
            const follow = current.followRedirects && redirectStatuses.has(res.status) && location;
            if (!follow || hop >= maxRedirects)
                return res;
            res.body.resume();
            current = redirected(current, new URL(location, current.url), req.url);
        }
    }
    close() {
        this.http.destroy();
        this.https.destroy();
        this.httpsInsecure.destroy();
    }
    sendOnce(req) {
        const isHttps = req.url.protocol === 'https:';
        const agent = isHttps ? (req.verifyTls ? this.https : this.httpsInsecure) : this.http;
        const headers = { 'user-agent': this.options.userAgent, ...(req.headers ?? {}) };
        if (req.body)
            headers['content-length'] = String(bodySize(req.body));
        else if (req.method === 'PUT' || req.method === 'POST' || req.method === 'PATCH')
            headers['content-length'] = '0';
        const send = isHttps ? external_node_https_namespaceObject.request : external_node_http_namespaceObject.request;
        return new Promise((resolve, reject) => {
            const r = send(req.url, { method: req.method, headers, agent }, (res) => {
                res.setTimeout(this.options.timeoutMs, () => res.destroy(timeoutError(req)));
                resolve(wrapResponse(res, req.url));
            });
            r.setTimeout(this.options.timeoutMs, () => r.destroy(timeoutError(req)));
            r.on('error', reject);
            writeBody(r, req.body, reject);
        });
    }
}
function bodySize(body) {
    return body.kind === 'bytes' ? body.data.byteLength : body.size;
}
function writeBody(r, body, fail) {
    if (!body)
        return void r.end();
    if (body.kind === 'bytes')
        return void r.end(body.data);
    const stream = body.open();
    stream.on('error', (err) => {
        fail(err);
        r.destroy(err);
    });
    stream.pipe(r);
}
function wrapResponse(res, url) {
    return {
        status: res.statusCode ?? 0,
        headers: res.headers,
        url,
        body: res,
        header(name) {
            const v = res.headers[name.toLowerCase()];
            return Array.isArray(v) ? v.join(', ') : v;
        },
    };
}
/** The request to send to a redirect target: GET/HEAD only, no Authorization across origins. */
function redirected(prev, target, original) {
    const sameOrigin = target.origin === original.origin;
    const headers = {};
    for (const [k, v] of Object.entries(prev.headers ?? {})) {
        if (k.toLowerCase() === 'authorization' && !sameOrigin)
            continue;
        headers[k] = v;
    }
    return {
        method: prev.method === 'HEAD' ? 'HEAD' : 'GET',
        url: target,
        headers,
        verifyTls: sameOrigin ? prev.verifyTls : true,
        followRedirects: true,
    };
}
function timeoutError(req) {
    const err = new Error(`${req.method} ${req.url.host} timed out`);
    err.code = 'ETIMEDOUT';
    return err;
}
/** Reads a whole response body, failing beyond `limit` bytes. */
async function readResponseBody(res, limit) {
    const chunks = [];
    let size = 0;
    for await (const chunk of res.body) {
        size += chunk.length;
        if (size > limit) {
            res.body.destroy();
            throw new Error(`response body larger than ${limit} bytes`);
        }
        chunks.push(chunk);
    }
    return Buffer.concat(chunks);
}
/** Drains a response so its socket can be reused. */
async function discardResponse(res) {
    if (res.body.readableEnded)
        return;
    res.body.resume();
    await new Promise((resolve) => {
        res.body.once('end', resolve);
        res.body.once('close', resolve);
        res.body.once('error', () => resolve());
    });
}

;// CONCATENATED MODULE: ./src/registry/auth/token.ts
/**
 * Bearer token requests (distribution `docs/spec/auth/token.md`, `oauth.md`): `GET <realm>?service=…&scope=…`
 * (repeated `scope`) with Basic credentials or anonymously; identity tokens use the OAuth2 `refresh_token` grant
 * by POST, falling back to GET when the endpoint answers 404. The answer's `token` or `access_token` is used;
 * `expires_in` defaults to 60 seconds.
 */



/** A token endpoint said no (or said something unusable). */
class TokenRequestError extends Error {
    status;
    retryAfterMs;
    constructor(message, status, retryAfterMs) {
        super(message);
        this.status = status;
        this.retryAfterMs = retryAfterMs;
        this.name = 'TokenRequestError';
    }
}
const defaultExpiresInSeconds = 60;
const maxTokenResponse = 1 << 20;
async function fetchToken(send, req, nowMs) {
    if (req.credentials.kind === 'identity-token') {
        const res = await send(oauthRequest(req, req.credentials.token));
        if (res.status !== 404)
            return grantFrom(res, nowMs);
        await discardResponse(res);
        const user = req.credentials.username || '<token>';
        return grantFrom(await send(getRequest(req, basicAuthorization(user, req.credentials.token))), nowMs);
    }
    const authorization = req.credentials.kind === 'basic'
        ? basicAuthorization(req.credentials.username, req.credentials.password)
        : undefined;
    return grantFrom(await send(getRequest(req, authorization)), nowMs);
}
function getRequest(req, authorization) {
    const url = new URL(req.realm);
    if (req.service !== undefined)
        url.searchParams.set('service', req.service);
    for (const s of req.scopes)
        url.searchParams.append('scope', s);
    return { method: 'GET', url, verifyTls: req.verifyTls, headers: authorization ? { authorization } : {} };
}
function oauthRequest(req, refreshToken) {
    const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: req.clientId,
    });
    if (req.service !== undefined)
        form.set('service', req.service);
    if (req.scopes.length > 0)
        form.set('scope', req.scopes.join(' '));
    return {
        method: 'POST',
        url: req.realm,
        verifyTls: req.verifyTls,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: { kind: 'bytes', data: Buffer.from(form.toString()) },
    };
}
async function grantFrom(res, nowMs) {
    const body = await readResponseBody(res, maxTokenResponse).catch(() => Buffer.alloc(0));
    if (res.status !== 200) {
        const retryAfter = parseRetryAfter(res.header('retry-after'), nowMs());
        throw new TokenRequestError(`token request to ${res.url.host} answered ${res.status}`, res.status, retryAfter);
    }
    let parsed;
    try {
        parsed = JSON.parse(body.toString('utf8'));
    }
    catch {
        throw new TokenRequestError(`token response from ${res.url.host} is not JSON`, res.status);
    }
    const token = typeof parsed.token === 'string' && parsed.token ? parsed.token : parsed.access_token;
    if (typeof token !== 'string' || token === '') {
        throw new TokenRequestError(`token response from ${res.url.host} has no token`, res.status);
    }
    const expiresIn = typeof parsed.expires_in === 'number' && parsed.expires_in > 0
        ? parsed.expires_in
        : defaultExpiresInSeconds;
    const now = nowMs();
    return {
        token,
        obtainedAtMs: now,
        expiresAtMs: now + expiresIn * 1000,
        ...(typeof parsed.refresh_token === 'string' && parsed.refresh_token
            ? { refreshToken: parsed.refresh_token }
            : {}),
    };
}

;// CONCATENATED MODULE: ./src/registry/auth/authorizer.ts
/**
 * Per-registry authorization: remembers the registry's challenge (from the ping or a 401), sends Basic
 * credentials or fetches Bearer tokens, and caches tokens per scope set until shortly before they expire.
 * Optional scopes (mount sources) are dropped when the token service refuses them.
 */






const earlyRefreshMs = 30_000;
class Authorizer {
    o;
    challenge;
    tokens = new Map();
    inflight = new Map();
    refreshToken;
    constructor(o) {
        this.o = o;
    }
    /** Learns the challenge from a WWW-Authenticate header; true when it names a usable scheme. */
    learn(header) {
        const challenges = typedChallenges(header);
        const chosen = challenges.find((c) => c.kind === 'bearer') ?? challenges.find((c) => c.kind === 'basic');
        if (chosen)
            this.challenge = chosen;
        return chosen !== undefined;
    }
    /** The scopes a Bearer challenge asked for (e.g. with `error="insufficient_scope"`); space-separated. */
    challengeScopes() {
        if (this.challenge?.kind !== 'bearer' || !this.challenge.scope)
            return [];
        return this.challenge.scope
            .split(' ')
            .map(parseScope)
            .filter((s) => s !== undefined && s.actions.length > 0);
    }
    /** Forgets cached tokens that would serve `scopes` (after the registry refused one). */
    invalidate(scopes) {
        const needed = mergeScopes(scopes.required);
        for (const [key, t] of this.tokens)
            if (coversScopes(t.scopes, needed))
                this.tokens.delete(key);
    }
    async authorize(scopes, op) {
        const { credentials } = await this.o.credentials();
        const authenticated = credentials.kind !== 'anonymous';
        const ch = this.challenge;
        if (credentials.kind === 'registry-token' && ch) {
            return { header: `Bearer ${credentials.token}`, authenticated, optionalGranted: true };
        }
        if (ch?.kind === 'basic') {
            const header = credentials.kind === 'basic'
                ? basicAuthorization(credentials.username, credentials.password)
                : undefined;
            return { header, authenticated: header !== undefined, optionalGranted: true };
        }
        if (ch?.kind !== 'bearer')
            return { header: undefined, authenticated: false, optionalGranted: true };
        const token = await this.token(ch, scopes, credentials, op);
        return { header: `Bearer ${token.grant.token}`, authenticated, optionalGranted: token.optionalGranted };
    }
    token(ch, scopes, creds, op) {
        const all = mergeScopes([...scopes.required, ...scopes.optional]);
        const key = scopeKey(all);
        const now = this.o.nowMs();
        const hit = this.tokens.get(key);
        if (hit && fresh(hit, now))
            return Promise.resolve(hit);
        for (const t of this.tokens.values())
            if (fresh(t, now) && coversScopes(t.scopes, all))
                return Promise.resolve(t);
        const pending = this.inflight.get(key);
        if (pending)
            return pending;
        const p = this.obtain(ch, scopes, all, creds, op).finally(() => this.inflight.delete(key));
        this.inflight.set(key, p);
        return p.then((t) => {
            this.tokens.set(key, t);
            return t;
        });
    }
    async obtain(ch, scopes, all, creds, op) {
        try {
            return { scopes: all, grant: await this.fetch(ch, all, creds), optionalGranted: true };
        }
        catch (err) {
            const refused = err instanceof TokenRequestError && err.status >= 400 && err.status < 500 && err.status !== 429;
            if (!refused || scopes.optional.length === 0)
                throw this.toRegistryError(err, op, creds);
            this.o.logger.debug(`token for ${this.o.registry} refused with mount scopes (${err.status}); retrying without them`);
            const required = mergeScopes(scopes.required);
            try {
                return { scopes: required, grant: await this.fetch(ch, required, creds), optionalGranted: false };
            }
            catch (err2) {
                throw this.toRegistryError(err2, op, creds);
            }
        }
    }
    async fetch(ch, scopes, creds) {
        let realm;
        try {
            realm = new URL(ch.realm);
        }
        catch {
            throw new errors/* RegistryError */.gl(`registry ${this.o.registry} sent an invalid token realm ${JSON.stringify(ch.realm)}`, {
                hint: 'check the registry configuration',
                registry: this.o.registry,
            });
        }
        const verifyTls = this.o.realmTls(realm);
        const effective = creds.kind === 'identity-token' && this.refreshToken ? { ...creds, token: this.refreshToken } : creds;
        const strings = scopes.map(formatScope);
        const grant = await this.o.retry(`token request to ${realm.host}`, () => fetchToken(this.o.send, {
            realm,
            ...(ch.service !== undefined ? { service: ch.service } : {}),
            scopes: strings,
            credentials: effective,
            clientId: this.o.clientId,
            verifyTls,
        }, this.o.nowMs));
        if (grant.refreshToken)
            this.refreshToken = grant.refreshToken;
        const seconds = Math.round((grant.expiresAtMs - grant.obtainedAtMs) / 1000);
        this.o.logger.debug(`token for ${this.o.registry} scope ${strings.join(' ') || '(none)'}: valid ${seconds} s`);
        return grant;
    }
    toRegistryError(err, op, creds) {
        if (!(err instanceof TokenRequestError))
            return err;
        if (err.status === 200) {
            return new errors/* RegistryError */.gl(`${err.message} for ${this.o.registry}`, {
                hint: 'check the registry token service',
                registry: this.o.registry,
            });
        }
        return httpError(op, err.status, {}, { authenticated: creds.kind !== 'anonymous' });
    }
}
/** Usable until 30 s (or half its lifetime, if shorter) before it expires. */
function fresh(t, now) {
    const lifetime = t.grant.expiresAtMs - t.grant.obtainedAtMs;
    return now < t.grant.expiresAtMs - Math.min(earlyRefreshMs, lifetime / 2);
}

;// CONCATENATED MODULE: ./src/registry/auth/credential-helper.ts
/**
 * Docker credential helpers: `docker-credential-<name> get` with the server URL on stdin, answering
 * `{"ServerURL","Username","Secret"}` on stdout. Username `<token>` means Secret is an identity token.
 * "credentials not found" is not an error: the registry is then used anonymously.
 */


async function runCredentialHelper(run) {
    const program = `docker-credential-${run.helper}`;
    let out;
    try {
        out = await execHelper(program, run);
    }
    catch (err) {
        const code = err.code;
        throw new errors/* RegistryError */.gl(`credential helper ${program} for ${run.registry} could not be run (${code ?? 'error'})`, {
            hint: code === 'ENOENT'
                ? `install ${program} or remove it from the docker config`
                : `check that ${program} works`,
            registry: run.registry,
        });
    }
    if (out.code !== 0) {
        if (/credentials not found/i.test(out.stdout + out.stderr))
            return undefined;
        const first = firstLine(out.stderr) || firstLine(out.stdout) || `exit code ${out.code}`;
        throw new errors/* RegistryError */.gl(`credential helper ${program} failed for ${run.registry}: ${first}`, {
            hint: `check that \`echo ${run.serverUrl} | ${program} get\` works`,
            registry: run.registry,
        });
    }
    return parseHelperAnswer(out.stdout, program, run.registry);
}
function parseHelperAnswer(stdout, program, registry) {
    let answer;
    try {
        answer = JSON.parse(stdout);
    }
    catch {
        throw new errors/* RegistryError */.gl(`credential helper ${program} for ${registry} did not answer JSON`, {
            hint: `check that ${program} is a docker credential helper`,
            registry,
        });
    }
    const username = typeof answer.Username === 'string' ? answer.Username : '';
    const secret = typeof answer.Secret === 'string' ? answer.Secret : '';
    if (secret === '')
        return undefined;
    if (username === '<token>')
        return { kind: 'identity-token', token: secret };
    return { kind: 'basic', username, password: secret };
}
function execHelper(program, run) {
    return new Promise((resolve, reject) => {
        const child = (0,external_node_child_process_.spawn)(program, ['get'], {
            stdio: ['pipe', 'pipe', 'pipe'],
            ...(run.env ? { env: run.env } : {}),
        });
        // Our own timer (spawn's `timeout` can outlive a helper that failed to start), cleared on every outcome.
        const timer = setTimeout(() => child.kill('SIGKILL'), run.timeoutMs ?? 30_000);
        timer.unref();
        const stdout = [];
        const stderr = [];
        child.stdout.on('data', (c) => stdout.push(c));
        child.stderr.on('data', (c) => stderr.push(c));
        child.on('error', (err) => {
            clearTimeout(timer);
            reject(err);
        });
        child.on('close', (code) => {
            clearTimeout(timer);
            resolve({
                code,
                stdout: Buffer.concat(stdout).toString('utf8'),
                stderr: Buffer.concat(stderr).toString('utf8'),
            });
        });
        child.stdin.on('error', () => undefined);
        child.stdin.end(run.serverUrl);
    });
}
function firstLine(s) {
    return (s.trim().split(/\r?\n/, 1)[0] ?? '').slice(0, 200);
}

;// CONCATENATED MODULE: ./src/registry/auth/resolve-credentials.ts



async function resolveCredentials(registry, options, logger) {
    const found = await findCredentials(registry, options);
    logger.debug(`registry ${registry}: ${found.credentials.kind} credentials from ${found.origin}`);
    return found;
}
async function findCredentials(registry, options) {
    if (options.credentials && options.credentials.kind !== 'anonymous') {
        return { credentials: options.credentials, origin: 'options' };
    }
    if (options.dockerConfigPath === undefined)
        return { credentials: anonymous, origin: 'none' };
    const config = await readDockerConfig(options.dockerConfigPath, registry);
    if (!config)
        return { credentials: anonymous, origin: 'none' };
    const helper = credentialHelperFor(config, registry);
    if (helper !== undefined) {
        const creds = await runCredentialHelper({
            helper,
            serverUrl: dockerConfigKey(registry),
            registry,
            ...(options.helperEnv ? { env: options.helperEnv } : {}),
        });
        if (creds)
            return { credentials: creds, origin: `docker-credential-${helper}` };
    }
    const entry = lookupByRegistry(config.auths, registry);
    const creds = entry ? credentialsFromEntry(entry, config.path, registry) : undefined;
    if (creds)
        return { credentials: creds, origin: `docker config ${config.path}` };
    return { credentials: anonymous, origin: 'none' };
}

;// CONCATENATED MODULE: ./src/registry/blob-upload.ts


const octetStream = { 'content-type': 'application/octet-stream' };
async function uploadBlob(rq, repository, blob, scopes, session) {
    let first = true;
    const attempt = async () => {
        const location = first && session ? session : await uploadSession(rq, repository, scopes);
        first = false;
        if (rq.quirks.monolithicPutRejected)
            return patchThenPut(rq, repository, blob, scopes, location);
        const done = await monolithicPut(rq, repository, blob, scopes, location);
        if (done)
            return;
        rq.quirks.monolithicPutRejected = true;
        rq.logger.debug(`${rq.registry} rejected a monolithic blob PUT; using PATCH + PUT from now on`);
        await patchThenPut(rq, repository, blob, scopes, await uploadSession(rq, repository, scopes));
    };
    if (blob.reopenable === false)
        return attempt();
    await rq.retrying(`upload of blob ${blob.digest} to ${repository}`, attempt);
    rq.logger.debug(`uploaded blob ${blob.digest} (${blob.size} bytes) to ${rq.registry}/${repository}`);
}
/** POST …/blobs/uploads/ → the session Location, resolved against the request URL. */
async function uploadSession(rq, repository, scopes) {
    const spec = {
        op: { kind: 'push', registry: rq.registry, repository },
        method: 'POST',
        target: `/v2/${repository}/blobs/uploads/`,
        scopes,
        retry: false,
    };
    const ex = await rq.request(spec);
    const location = ex.res.header('location');
    if (ex.res.status !== 202 || !location)
        throw await rq.failure(spec, ex);
    await discardResponse(ex.res);
    return new URL(location, ex.res.url);
}
/** true when stored; false when the registry refuses monolithic uploads. */
async function monolithicPut(rq, repository, blob, scopes, location) {
    const spec = putSpec(rq, repository, scopes, withDigest(location, blob.digest), streamBody(blob));
    const ex = await rq.request(spec);
    const status = ex.res.status;
    if (status === 201 || status === 204)
        return blob_upload_confirm(rq, repository, blob, ex).then(() => true);
    if (monolithicRejections.has(status)) {
        await discardResponse(ex.res);
        return false;
    }
    const failure = await rq.failure(spec, ex, blob.digest);
    const code = failure instanceof errors/* RegistryError */.gl ? failure.code : undefined;
    if (status === 400 && (code === undefined || code === 'BLOB_UPLOAD_INVALID' || code === 'UNSUPPORTED'))
        return false;
    throw failure;
}
async function patchThenPut(rq, repository, blob, scopes, location) {
    const patch = {
        op: { kind: 'push', registry: rq.registry, repository },
        method: 'PATCH',
        target: location,
        headers: octetStream,
        body: streamBody(blob),
        scopes,
        retry: false,
    };
    const ex = await rq.request(patch);
    const next = ex.res.header('location');
    if (ex.res.status !== 202 || !next)
        throw await rq.failure(patch, ex, blob.digest);
    await discardResponse(ex.res);
    const put = putSpec(rq, repository, scopes, withDigest(new URL(next, ex.res.url), blob.digest), undefined);
    const done = await rq.request(put);
    if (done.res.status !== 201 && done.res.status !== 204)
        throw await rq.failure(put, done, blob.digest);
    await blob_upload_confirm(rq, repository, blob, done);
}
function putSpec(rq, repository, scopes, url, body) {
    return {
        op: { kind: 'push', registry: rq.registry, repository },
        method: 'PUT',
        target: url,
        headers: octetStream,
        ...(body ? { body } : {}),
        scopes,
        retry: false,
    };
}
function streamBody(blob) {
    return { kind: 'stream', size: blob.size, open: () => blob.open() };
}
/** Appends `digest` to a Location that may already carry a query (`_state=…`). */
function withDigest(location, digest) {
    const url = new URL(location);
    const param = `digest=${encodeURIComponent(digest)}`;
    url.search = url.search && url.search !== '?' ? `${url.search}&${param}` : `?${param}`;
    return url;
}
async function blob_upload_confirm(rq, repository, blob, ex) {
    await discardResponse(ex.res);
    const stored = ex.res.header('docker-content-digest');
    if (stored !== undefined && stored !== blob.digest) {
        throw new errors/* RegistryError */.gl(`push to ${rq.registry}/${repository} failed: blob ${blob.digest} was stored as ${stored}`, {
            hint: 'the local content changed during the upload; rebuild and push again',
            registry: rq.registry,
            repository,
        });
    }
}
/** Statuses meaning "this registry does not take the whole blob in one PUT" (plus 400 without a specific code). */
const monolithicRejections = new Set([405, 411, 413, 415, 416, 501]);

;// CONCATENATED MODULE: ./src/registry/blob-ops.ts
/** Blob operations: existence, verified download, cross-repository mount, upload. */






async function blobExists(rq, repository, digest, scopes) {
    const push = scopes.required.some((s) => s.actions.includes('push'));
    const spec = {
        op: { kind: push ? 'push' : 'pull', registry: rq.registry, repository },
        method: 'HEAD',
        target: `/v2/${repository}/blobs/${digest}`,
        scopes,
    };
    const ex = await rq.request(spec);
    await discardResponse(ex.res);
    if (ex.res.status === 200)
        return true;
    if (ex.res.status !== 404)
        rq.logger.debug(`HEAD blob ${digest} in ${repository} answered ${ex.res.status}: uploading`);
    return false;
}
async function fetchBlob(rq, repository, digest, size, scopes) {
    const spec = {
        op: { kind: 'pull', registry: rq.registry, repository, ref: digest },
        method: 'GET',
        target: `/v2/${repository}/blobs/${digest}`,
        scopes,
        followRedirects: true,
    };
    const ex = await rq.request(spec);
    if (ex.res.status !== 200)
        throw await rq.failure(spec, ex, digest);
    const verifier = new VerifyingStream(digest, size, `${rq.registry}/${repository}`, rq.registry);
    return (0,external_node_stream_namespaceObject.pipeline)(ex.res.body, verifier, () => undefined);
}
/** POST …/uploads/?mount=&from=: 201 mounted; 202 opens an upload session we reuse. */
async function mountBlob(rq, repository, digest, from, scopes) {
    if (rq.quirks.mountDenied.has(from))
        return { kind: 'session', location: await uploadSession(rq, repository, scopes) };
    const auth = await rq.authorize(scopes, { kind: 'push', registry: rq.registry, repository });
    if (!auth.optionalGranted) {
        rq.quirks.mountDenied.add(from);
        rq.logger.debug(`no pull access to ${from} for mounting; uploading instead`);
        return { kind: 'session', location: await uploadSession(rq, repository, scopes) };
    }
    const query = new URLSearchParams({ mount: digest, from });
    const spec = {
        op: { kind: 'push', registry: rq.registry, repository },
        method: 'POST',
        target: `/v2/${repository}/blobs/uploads/?${query.toString()}`,
        scopes,
    };
    const ex = await rq.request(spec);
    if (ex.res.status === 201) {
        await discardResponse(ex.res);
        return { kind: 'mounted' };
    }
    const location = ex.res.header('location');
    if (ex.res.status === 202 && location) {
        await discardResponse(ex.res);
        return { kind: 'session', location: new URL(location, ex.res.url) };
    }
    if (ex.res.status === 401 || ex.res.status === 403) {
        await discardResponse(ex.res);
        rq.quirks.mountDenied.add(from);
        rq.logger.debug(`mount of ${digest} from ${from} refused (${ex.res.status}); uploading instead`);
        return { kind: 'session', location: await uploadSession(rq, repository, scopes) };
    }
    throw await rq.failure(spec, ex, digest);
}
/** Hashes what flows through and fails at the end unless it matches the expected digest and size. */
class VerifyingStream extends external_node_stream_namespaceObject.Transform {
    digest;
    expectedSize;
    name;
    registry;
    hash = (0,external_node_crypto_namespaceObject.createHash)('sha256');
    size = 0;
    constructor(digest, expectedSize, name, registry) {
        super();
        this.digest = digest;
        this.expectedSize = expectedSize;
        this.name = name;
        this.registry = registry;
    }
    _transform(chunk, _enc, cb) {
        this.size += chunk.length;
        if (this.expectedSize !== undefined && this.size > this.expectedSize) {
            return cb(this.mismatch(`more than the expected ${this.expectedSize} bytes`));
        }
        this.hash.update(chunk);
        cb(null, chunk);
    }
    _flush(cb) {
        const got = `sha256:${this.hash.digest('hex')}`;
        if (this.expectedSize !== undefined && this.size !== this.expectedSize) {
            return cb(this.mismatch(`${this.size} bytes instead of ${this.expectedSize}`));
        }
        if (got !== this.digest)
            return cb(this.mismatch(`content with digest ${got}`));
        cb();
    }
    mismatch(what) {
        return new errors/* RegistryError */.gl(`pull of ${this.name} failed: blob ${this.digest} arrived as ${what}`, {
            hint: 'the registry or a proxy corrupted the download; retry the pull',
            registry: this.registry,
            code: 'DIGEST_MISMATCH',
        });
    }
}

;// CONCATENATED MODULE: ./src/registry/manifest-ops.ts
/** Manifest and tag operations of the distribution API. */





/** Manifests larger than this are refused on pull (registries cap pushes at 4 MiB). */
const maxManifestBytes = 8 * 1024 * 1024;
async function getManifest(rq, repository, ref, accept = manifestMediaTypes) {
    const spec = manifestSpec(rq, 'GET', repository, ref, {
        required: [repositoryScope(repository, false)],
        optional: [],
    });
    const ex = await rq.request({ ...spec, headers: { accept: accept.join(', ') } });
    if (ex.res.status !== 200)
        throw await rq.failure(spec, ex);
    const bytes = await readResponseBody(ex.res, maxManifestBytes).catch((err) => {
        throw new errors/* RegistryError */.gl(`pull of ${rq.registry}/${repository}:${ref} failed: ${err.message}`, {
            hint: 'the registry sent an oversized or broken manifest',
            registry: rq.registry,
            repository,
        });
    });
    const digest = sha256(bytes);
    const claimed = ex.res.header('docker-content-digest');
    const expected = isDigest(ref) ? ref : claimed !== undefined && isDigest(claimed) ? claimed : undefined;
    if (expected !== undefined && expected !== digest) {
        throw new errors/* RegistryError */.gl(`pull of ${rq.registry}/${repository}@${expected} failed: the manifest received has digest ${digest}`, {
            hint: 'the registry or a proxy altered the manifest; retry, and report it if it persists',
            registry: rq.registry,
            repository,
        });
    }
    return { bytes, mediaType: manifestMediaType(ex.res.header('content-type'), bytes), digest };
}
async function headManifest(rq, repository, ref, scopes) {
    const spec = manifestSpec(rq, 'HEAD', repository, ref, scopes);
    const ex = await rq.request({ ...spec, headers: { accept: manifestMediaTypes.join(', ') } });
    await discardResponse(ex.res);
    if (ex.res.status === 404)
        return undefined;
    if (ex.res.status !== 200)
        throw await rq.failure(spec, ex);
    const digest = ex.res.header('docker-content-digest');
    const type = ex.res.header('content-type');
    const length = ex.res.header('content-length');
    return {
        ...(digest !== undefined && isDigest(digest) ? { digest } : {}),
        ...(type ? { mediaType: stripParams(type) } : {}),
        ...(length !== undefined && /^\d+$/.test(length) ? { size: Number(length) } : {}),
    };
}
async function putManifest(rq, repository, ref, bytes, mediaType, scopes) {
    const digest = sha256(bytes);
    const spec = {
        ...manifestSpec(rq, 'PUT', repository, ref, scopes, 'push'),
        headers: { 'content-type': mediaType },
        body: { kind: 'bytes', data: bytes },
    };
    const ex = await rq.request(spec);
    if (ex.res.status !== 201 && ex.res.status !== 200)
        throw await rq.failure(spec, ex);
    await discardResponse(ex.res);
    const stored = ex.res.header('docker-content-digest');
    if (stored !== undefined && stored !== digest) {
        throw new errors/* RegistryError */.gl(`push to ${rq.registry}/${repository}:${ref} failed: the registry stored digest ${stored}, not ${digest}`, {
            hint: 'the registry altered the manifest; check that it supports this manifest type',
            registry: rq.registry,
            repository,
        });
    }
    rq.logger.debug(`pushed manifest ${digest} to ${rq.registry}/${repository}${isDigest(ref) ? '@' : ':'}${ref}`);
    return digest;
}
async function deleteManifest(rq, repository, digest, scopes) {
    const spec = manifestSpec(rq, 'DELETE', repository, digest, scopes, 'delete');
    const ex = await rq.request(spec);
    if (ex.res.status !== 202 && ex.res.status !== 200)
        throw await rq.failure(spec, ex);
    await discardResponse(ex.res);
}
/** All tags, following `Link: <…>; rel="next"` pages. */
async function listTags(rq, repository, pageSize) {
    const op = { kind: 'list', registry: rq.registry, repository };
    const scopes = { required: [repositoryScope(repository, false)], optional: [] };
    const tags = [];
    let target = `/v2/${repository}/tags/list${pageSize ? `?n=${pageSize}` : ''}`;
    for (let page = 0; page < 10_000; page++) {
        const spec = { op, method: 'GET', target, scopes };
        const ex = await rq.request(spec);
        if (ex.res.status !== 200)
            throw await rq.failure(spec, ex);
        const body = JSON.parse((await readResponseBody(ex.res, 16 << 20)).toString('utf8'));
        if (Array.isArray(body.tags))
            tags.push(...body.tags.filter((t) => typeof t === 'string'));
        const next = nextLink(ex.res.header('link'));
        if (!next)
            return tags;
        target = new URL(next, ex.res.url);
    }
    return tags;
}
function manifestSpec(rq, method, repository, ref, scopes, kind = scopes.required.some((s) => s.actions.includes('push')) ? 'push' : 'pull') {
    return {
        op: { kind, registry: rq.registry, repository, ref },
        method,
        target: `/v2/${repository}/manifests/${ref}`,
        scopes,
    };
}
/** The manifest's media type: Content-Type, unless generic, else the `mediaType` field. */
function manifestMediaType(contentType, bytes) {
    const ct = contentType ? stripParams(contentType) : '';
    if (ct && ct !== 'application/json' && ct !== 'text/plain' && ct !== 'application/octet-stream')
        return ct;
    try {
        const field = JSON.parse(bytes.toString('utf8')).mediaType;
        if (typeof field === 'string')
            return field;
    }
    catch {
        // fall through: not JSON, reported by the caller's parser
    }
    return ct || 'application/octet-stream';
}
function stripParams(contentType) {
    return contentType.split(';', 1)[0].trim().toLowerCase();
}
function nextLink(link) {
    if (!link)
        return undefined;
    for (const part of link.split(',')) {
        const m = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
        if (m && /rel\s*=\s*"?next"?/i.test(m[2]))
            return m[1];
    }
    return undefined;
}

;// CONCATENATED MODULE: external "node:net"
const external_node_net_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");
;// CONCATENATED MODULE: ./src/registry/endpoint.ts
/**
 * Which URL scheme a registry may be reached with. HTTPS with verified certificates by default; loopback
 * registries (localhost, 127.0.0.0/8, ::1) and registries the user lists as insecure may also use plain HTTP
 * and HTTPS with an untrusted certificate — as Docker treats them.
 */

/** Splits `host[:port]` (IPv6 in brackets) into hostname (brackets removed) and port. */
function splitHostPort(registry) {
    const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(registry);
    if (v6)
        return { hostname: v6[1], ...(v6[2] ? { port: v6[2] } : {}) };
    const colon = registry.lastIndexOf(':');
    if (colon > 0 && /^\d+$/.test(registry.slice(colon + 1)) && !registry.slice(0, colon).includes(':')) {
        return { hostname: registry.slice(0, colon), port: registry.slice(colon + 1) };
    }
    return { hostname: registry };
}
/** localhost, 127.0.0.0/8 and ::1 (with or without a port). */
function isLoopbackRegistry(registry) {
    const { hostname } = splitHostPort(registry);
    const host = hostname.toLowerCase();
    if (host === 'localhost' || host.endsWith('.localhost'))
        return true;
    if ((0,external_node_net_namespaceObject.isIP)(host) === 4)
        return host.startsWith('127.');
    if ((0,external_node_net_namespaceObject.isIP)(host) === 6)
        return host === '::1' || host === '0:0:0:0:0:0:0:1';
    return false;
}
/**
 * Whether `registry` is listed in `insecure`: entries are `host[:port]`, optionally with an `http://` or
 * `https://` prefix; an entry without a port matches every port of that host.
 */
function isListedInsecure(registry, insecure) {
    const want = splitHostPort(registry.toLowerCase());
    return insecure.some((raw) => {
        const entry = raw
            .trim()
            .toLowerCase()
            .replace(/^https?:\/\//, '')
            .replace(/\/+$/, '');
        if (entry === '')
            return false;
        const e = splitHostPort(entry);
        return e.hostname === want.hostname && (e.port === undefined || e.port === want.port);
    });
}
function endpointPolicy(registry, insecure = []) {
    if (isLoopbackRegistry(registry) || isListedInsecure(registry, insecure)) {
        return { schemes: ['https', 'http'], verifyTls: false };
    }
    return { schemes: ['https'], verifyTls: true };
}

;// CONCATENATED MODULE: ./src/registry/requester.ts



/** One request with authorization and a single re-authorization on 401. Network errors become RegistryErrors. */
async function exchangeOnce(transport, authorizer, endpoint, spec, registry, nowMs) {
    const url = typeof spec.target === 'string' ? new URL(spec.target, endpoint.base) : spec.target;
    const sameOrigin = url.origin === endpoint.base.origin;
    let scopes = spec.scopes;
    for (let authTry = 0;; authTry++) {
        const auth = sameOrigin ? await authorizer.authorize(scopes, spec.op) : noAuth;
        let res;
        try {
            res = await transport.send({
                method: spec.method,
                url,
                headers: { ...(spec.headers ?? {}), ...(auth.header ? { authorization: auth.header } : {}) },
                ...(spec.body ? { body: spec.body } : {}),
                verifyTls: sameOrigin ? endpoint.verifyTls : true,
                followRedirects: spec.followRedirects ?? false,
            });
        }
        catch (err) {
            throw networkError(registry, err);
        }
        if (res.status === 401 &&
            authTry === 0 &&
            sameOrigin &&
            authorizer.learn(res.header('www-authenticate'))) {
            await discardResponse(res);
            authorizer.invalidate(scopes);
            const extra = authorizer.challengeScopes();
            if (extra.length > 0)
                scopes = { required: scopes.required, optional: [...scopes.optional, ...extra] };
            continue;
        }
        if (isRetryableStatus(res.status))
            throw await failureOf(spec, { res, auth }, nowMs);
        return { res, auth };
    }
}
const noAuth = { header: undefined, authenticated: false, optionalGranted: true };
async function failureOf(spec, ex, nowMs, subject) {
    const body = spec.method === 'HEAD' ? undefined : await readResponseBody(ex.res, 64 * 1024).catch(() => undefined);
    if (spec.method === 'HEAD')
        await discardResponse(ex.res);
    const retryAfterMs = parseRetryAfter(ex.res.header('retry-after'), nowMs());
    return httpError(spec.op, ex.res.status, parseErrorBody(body), {
        authenticated: ex.auth.authenticated,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        ...(subject !== undefined ? { subject } : {}),
        insufficientScope: /error\s*=\s*"?insufficient_scope/i.test(ex.res.header('www-authenticate') ?? ''),
    });
}

;// CONCATENATED MODULE: ./src/registry/ping.ts
/**
 * Endpoint discovery: `GET /v2/` over each scheme the registry may use (https, then http for loopback and
 * insecure registries). The answer's challenge tells the authorizer how to authenticate. The https probe of a
 * registry that may fall back to http is not retried, so a plain-HTTP registry is found at once.
 */








async function discoverEndpoint(deps) {
    const policy = endpointPolicy(deps.registry, deps.insecureRegistries);
    const host = registryApiHost(deps.registry);
    let last;
    for (const [i, scheme] of policy.schemes.entries()) {
        const endpoint = { base: new URL(`${scheme}://${host}`), verifyTls: policy.verifyTls };
        const fallbackLeft = i < policy.schemes.length - 1;
        try {
            const once = () => ping(deps, endpoint);
            await (fallbackLeft ? once() : deps.retrying(`GET ${endpoint.base.origin}/v2/`, once));
            deps.logger.debug(`registry ${deps.registry}: using ${endpoint.base.origin}`);
            return endpoint;
        }
        catch (err) {
            last = err;
            if (!fallbackLeft || !(err instanceof errors/* RegistryError */.gl) || err.status !== undefined)
                throw err;
            deps.logger.debug(`registry ${deps.registry}: ${scheme} failed (${err.code}); trying the next scheme`);
        }
    }
    throw last;
}
async function ping(deps, endpoint) {
    const url = new URL('/v2/', endpoint.base);
    const res = await deps.transport
        .send({ method: 'GET', url, verifyTls: endpoint.verifyTls })
        .catch((err) => Promise.reject(networkError(deps.registry, err)));
    if (isRetryableStatus(res.status)) {
        const spec = {
            op: { kind: 'ping', registry: deps.registry },
            method: 'GET',
            target: url,
            scopes: noScopes,
        };
        throw await failureOf(spec, { res, auth: { header: undefined, authenticated: false, optionalGranted: true } }, deps.nowMs);
    }
    await discardResponse(res);
    if (res.status === 401)
        deps.authorizer.learn(res.header('www-authenticate'));
    else if (res.status !== 200)
        deps.logger.debug(`GET ${url.href} answered ${res.status}`);
}
/**
 * Whether a token realm's certificate must verify; plain HTTP only for loopback or insecure hosts (credentials
 * travel there), otherwise a RegistryError.
 */
function realmTls(registry, realm, insecure) {
    const relaxed = isLoopbackRegistry(realm.host) || isListedInsecure(realm.host, insecure);
    if (realm.protocol === 'https:')
        return !relaxed;
    if (realm.protocol === 'http:' && relaxed)
        return false;
    throw new errors/* RegistryError */.gl(`registry ${registry} sent a token realm that is not HTTPS (${realm.origin})`, {
        hint: `list ${realm.host} as an insecure registry if plain HTTP is intended`,
        registry,
    });
}

;// CONCATENATED MODULE: ./src/registry/client.ts












class RegistryClient {
    options;
    registry;
    logger;
    authorizer;
    quirks = { monolithicPutRejected: false, mountDenied: new Set() };
    transport;
    timer;
    policy;
    endpointPromise;
    credentialsPromise;
    constructor(options) {
        this.options = options;
        this.registry = options.registry;
        this.logger = options.logger;
        const clock = options.clock ?? systemClock;
        this.timer = {
            nowMs: () => clock.now().getTime(),
            sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
            random: options.random ?? Math.random,
        };
        this.policy = { ...defaultRetryPolicy, ...(options.retry ?? {}) };
        this.transport = new Transport({
            userAgent: options.userAgent ?? 'image-build',
            timeoutMs: options.timeoutMs ?? 60_000,
        });
        this.authorizer = new Authorizer({
            registry: this.registry,
            credentials: () => this.credentials(),
            send: async (req) => {
                try {
                    return await this.transport.send(req);
                }
                catch (err) {
                    throw networkError(req.url.host, err);
                }
            },
            retry: (what, fn) => this.retrying(what, fn),
            nowMs: () => this.timer.nowMs(),
            logger: this.logger,
            clientId: 'image-build',
            realmTls: (realm) => realmTls(this.registry, realm, options.insecureRegistries ?? []),
        });
    }
    /** Checks the registry answers the v2 API (and learns its auth scheme). */
    async ping() {
        await this.endpoint();
    }
    getManifest(repository, ref, accept) {
        return getManifest(this, repository, ref, accept);
    }
    /** HEAD of a manifest; undefined when it does not exist. */
    headManifest(repository, ref, access = {}) {
        return headManifest(this, repository, ref, scopesFor(repository, access));
    }
    /** PUTs manifest bytes by tag or digest; verifies the registry's Docker-Content-Digest; returns the digest. */
    putManifest(repository, ref, bytes, mediaType, access = {}) {
        return putManifest(this, repository, ref, bytes, mediaType, scopesFor(repository, { ...access, push: true }));
    }
    deleteManifest(repository, digest) {
        return deleteManifest(this, repository, digest, {
            required: [{ repository, actions: ['pull', 'push', 'delete'] }],
            optional: [],
        });
    }
    listTags(repository, pageSize) {
        return listTags(this, repository, pageSize);
    }
    /** HEAD of a blob: true only for 200 (anything but 200/404 is "unknown", i.e. upload it). */
    blobExists(repository, digest, access = {}) {
        return blobExists(this, repository, digest, scopesFor(repository, access));
    }
    /** A stream of the blob that errors at its end unless content matches `digest` (and `size`, if given). */
    fetchBlob(repository, digest, size) {
        return fetchBlob(this, repository, digest, size, scopesFor(repository, {}));
    }
    /** Cross-repository mount: `mounted`, or an upload session the registry opened instead (202). */
    mountBlob(repository, digest, from, access = {}) {
        const mountFrom = [...new Set([from, ...(access.mountFrom ?? [])])];
        return mountBlob(this, repository, digest, from, scopesFor(repository, { push: true, mountFrom }));
    }
    /** Uploads a blob (POST → PUT with Content-Length; PATCH fallback), restarting from a fresh POST on retry. */
    uploadBlob(repository, blob, access = {}, session) {
        return uploadBlob(this, repository, blob, scopesFor(repository, { ...access, push: true }), session);
    }
    /** Frees the keep-alive connections. */
    close() {
        this.transport.close();
    }
    async request(spec) {
        const endpoint = await this.endpoint();
        const once = () => exchangeOnce(this.transport, this.authorizer, endpoint, spec, this.registry, () => this.timer.nowMs());
        if (spec.retry === false)
            return once();
        return this.retrying(`${spec.method} ${describeTarget(spec.target)}`, once);
    }
    async authorize(scopes, op) {
        await this.endpoint();
        return this.authorizer.authorize(scopes, op);
    }
    failure(spec, ex, subject) {
        return failureOf(spec, ex, () => this.timer.nowMs(), subject);
    }
    retrying(what, fn) {
        return withRetry({ policy: this.policy, timer: this.timer, logger: this.logger, what, classify: classifyRetry }, fn);
    }
    nowMs() {
        return this.timer.nowMs();
    }
    credentials() {
        this.credentialsPromise ??= resolveCredentials(this.registry, credentialOptions(this.options), this.logger);
        return this.credentialsPromise;
    }
    endpoint() {
        if (!this.endpointPromise) {
            this.endpointPromise = discoverEndpoint({
                registry: this.registry,
                insecureRegistries: this.options.insecureRegistries ?? [],
                transport: this.transport,
                authorizer: this.authorizer,
                logger: this.logger,
                nowMs: () => this.timer.nowMs(),
                retrying: (what, fn) => this.retrying(what, fn),
            });
            this.endpointPromise.catch(() => (this.endpointPromise = undefined));
        }
        return this.endpointPromise;
    }
}
function scopesFor(repository, access) {
    const sources = (access.mountFrom ?? []).filter((s) => s !== repository);
    return {
        required: [repositoryScope(repository, access.push === true)],
        optional: sources.map((s) => repositoryScope(s, false)),
    };
}
function classifyRetry(err) {
    const hint = retryHintOf(err);
    if (hint)
        return hint;
    if (isRetryableNetworkError(err))
        return { reason: String(err.code ?? 'connection lost') };
    if (err instanceof TokenRequestError && isRetryableStatus(err.status)) {
        return {
            reason: `token ${err.status}`,
            ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
        };
    }
    return undefined;
}
function describeTarget(target) {
    return typeof target === 'string' ? target : `${target.origin}${target.pathname}`;
}
function credentialOptions(o) {
    const c = o.credentials;
    const credentials = c === undefined ? undefined : 'kind' in c ? c : { kind: 'basic', ...c };
    return {
        ...(credentials ? { credentials } : {}),
        ...(o.dockerConfigPath !== undefined ? { dockerConfigPath: o.dockerConfigPath } : {}),
        ...(o.helperEnv ? { helperEnv: o.helperEnv } : {}),
    };
}

;// CONCATENATED MODULE: ./src/registry/client-pool.ts

/**
 * One RegistryClient per registry host for a whole run, made on first use with the options `optionsFor` gives
 * that host (credentials, user agent…), so tokens and connections are shared by every pull, tag list and push.
 */
class RegistryClientPool {
    optionsFor;
    clients = new Map();
    constructor(optionsFor) {
        this.optionsFor = optionsFor;
    }
    get(registry) {
        let client = this.clients.get(registry);
        if (!client) {
            client = new RegistryClient(this.optionsFor(registry));
            this.clients.set(registry, client);
        }
        return client;
    }
    close() {
        for (const client of this.clients.values())
            client.close();
        this.clients.clear();
    }
}

;// CONCATENATED MODULE: external "node:url"
const external_node_url_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");
;// CONCATENATED MODULE: ./src/cli/version.ts



/**
 * The package version, read from the package's package.json at run time: it is two directories up both from
 * this source file (src/cli/) and from the bundle (dist/cli/index.js). `unknown` if it cannot be read.
 */
function readVersion() {
    try {
        const packageJson = (0,external_node_path_.resolve)((0,external_node_path_.dirname)((0,external_node_url_namespaceObject.fileURLToPath)(import.meta.url)), '..', '..', 'package.json');
        const pkg = JSON.parse((0,external_node_fs_namespaceObject.readFileSync)(packageJson, 'utf8'));
        return pkg.name === 'image-build' && typeof pkg.version === 'string' ? pkg.version : 'unknown';
    }
    catch {
        return 'unknown';
    }
}
const cliVersion = readVersion();
/** `image-build 0.1.0 (node v24.1.0, linux/x64)`. */
function versionText() {
    return `image-build ${cliVersion} (node ${process.version}, ${process.platform}/${process.arch})`;
}

;// CONCATENATED MODULE: ./src/cli/registry-clients.ts



/**
 * One RegistryClient per registry host, memoised, with Docker's credentials: `$DOCKER_CONFIG/config.json` or
 * `~/.docker/config.json` (auths, credsStore, credHelpers), helpers found on PATH.
 */
class RegistryClients extends RegistryClientPool {
    constructor(options) {
        super((registry) => ({
            registry,
            logger: options.logger,
            dockerConfigPath: dockerConfigPath(options.env, options.homeDir),
            helperEnv: { PATH: options.env['PATH'] },
            insecureRegistries: options.insecureRegistries,
            userAgent: `image-build/${cliVersion}`,
        }));
    }
}

// EXTERNAL MODULE: ./src/cli/root-access.ts
var root_access = __nccwpck_require__(20);
;// CONCATENATED MODULE: ./src/cli/write-output.ts
/**
 * Writes a stored image to an `--output` target: an OCI image layout directory (blobs copied from the work
 * store, the image named by each tag), a docker-archive tar, or an OCI archive tar.
 */





/**
 * The names an image gets in an OCI layout: the tag of each `-t` reference (`hello:dev` → `dev`), as BuildKit's
 * OCI exporter names them, or `latest` when there are none.
 */
function layoutNames(tags) {
    const names = tags.map((t) => t.tag ?? 'latest');
    return names.length > 0 ? [...new Set(names)] : ['latest'];
}
async function writeOutput(target, store, image, tags) {
    switch (target.kind) {
        case 'oci':
            await copyToLayout(store, image, target.path, layoutNames(tags));
            return;
        case 'docker':
            await (0,promises_.mkdir)((0,external_node_path_.dirname)(target.path), { recursive: true });
            await exportDockerArchive(store, image.manifest, target.path, {
                repoTags: tags.map((t) => familiarReference({ ...t, tag: t.tag ?? 'latest' })),
            });
            return;
        case 'oci-archive':
            await (0,promises_.mkdir)((0,external_node_path_.dirname)(target.path), { recursive: true });
            await exportOciArchive(store, image.manifest, target.path);
            return;
    }
}
/**
 * Fails before the build when an output cannot be written: an `oci:` directory that holds other files, or an
 * archive path that is a directory.
 */
async function checkOutputTarget(target) {
    const st = await (0,promises_.stat)(target.path).catch(() => undefined);
    if (!st)
        return;
    if (target.kind !== 'oci') {
        if (st.isDirectory())
            throw new errors/* InputError */.dz('--output', `${JSON.stringify(target.path)} is a directory`, {
                hint: `give a file name for ${target.kind}:`,
            });
        return;
    }
    if (!st.isDirectory())
        throw new errors/* InputError */.dz('--output', `${JSON.stringify(target.path)} is not a directory`, {
            hint: 'give a new directory for oci:',
        });
    const names = await (0,promises_.readdir)(target.path);
    if (names.length > 0 && !names.includes('oci-layout'))
        throw new errors/* InputError */.dz('--output', `${JSON.stringify(target.path)} holds other files and is not an OCI image layout`, {
            hint: 'give a new or empty directory, or an existing OCI layout',
        });
}
/** Copies the image's blobs into the layout at `dir` (created if missing) and names it. */
async function copyToLayout(from, image, dir, names) {
    let layout;
    try {
        layout = await openStore(dir);
    }
    catch (err) {
        throw new errors/* InputError */.dz('--output', `cannot use ${JSON.stringify(dir)} as an OCI image layout: ${err.message}`, {
            hint: 'give a new or empty directory, or an existing OCI layout',
            cause: err,
        });
    }
    for (const blob of [...image.blobs, image.manifest]) {
        if (await layout.has(blob.digest))
            continue;
        await layout.putStream(from.open(blob.digest), { digest: blob.digest, size: blob.size });
    }
    for (const name of names)
        await layout.tag(name, image.manifest);
    // The store's temp directory is empty now: leave a plain OCI layout (rmdir fails, harmlessly, if it is not).
    await (0,promises_.rmdir)((0,external_node_path_.join)(dir, '.ingest')).catch(() => undefined);
}

;// CONCATENATED MODULE: ./src/cli/build-command.ts
/**
 * `image-build build`: parse flags, make sure we are root (or re-run under sudo), build with a progress display,
 * then write the outputs, push, and print the image digest on stdout.
 */



















async function runBuildCommand(args, io, debug) {
    const options = parseBuildOptions(args, io);
    const plan = (0,root_access/* planRootAccess */.G4)(io.uid, io.env, io.detectRootAccess);
    if (plan.kind === 'fail')
        throw plan.error;
    if (plan.kind === 'rerun') {
        // Root has another home: pin the work dir and the docker config to this user's.
        const pinned = options.workDirGiven ? args : ['--work-dir', options.workDir, ...args];
        return io.rerunAsRoot(plan.method, ['build', ...pinned], {
            DOCKER_CONFIG: (0,external_node_path_.dirname)(dockerConfigPath(io.env, io.homeDir)),
        });
    }
    const progress = createProgress(options.progress, io.stderr, () => io.now(), io.env);
    const logger = new CliLogger(progress, debug);
    const clients = new RegistryClients({
        logger,
        env: io.env,
        homeDir: io.homeDir,
        insecureRegistries: options.insecureRegistries,
    });
    try {
        const digest = await buildAndShip(options, io, plan.privilege, { progress, logger, clients });
        progress.close();
        io.stdout.write(`${digest}\n`);
        return 0;
    }
    catch (err) {
        progress.failed(err);
        progress.close();
        throw err;
    }
    finally {
        clients.close();
    }
}
async function buildAndShip(options, io, privilege, tools) {
    const { progress, logger, clients } = tools;
    for (const target of options.outputs)
        await checkOutputTarget(target);
    const layout = workDirLayout(options.workDir, io.cwd);
    const store = await openWorkStore(layout);
    // Context digests from earlier builds in this work dir: unchanged files are not read again to key COPY steps.
    const digests = await FileDigestCache.load((0,external_node_path_.join)(layout.build, 'context-digests.json'));
    const request = await prepareBuildRequest(options, io, logger, digests);
    const host = buildHost(io, privilege, layout, store, tools);
    const cache = await openCliCache(options, {
        store,
        workRoot: layout.build,
        privilege,
        hostEnv: host.hostEnv,
        logger,
        runId: `${io.now()}-${(0,external_node_crypto_namespaceObject.randomBytes)(3).toString('hex')}`,
    });
    const needs = {
        export: options.outputs.length > 0,
        pushTo: options.push
            ? options.tags.map((t) => ({ client: clients.get(t.registry), repository: t.repository }))
            : [],
    };
    const result = await buildReadyToShip(request, cache ? { ...host, cache } : host, needs);
    for (const w of result.warnings)
        logger.warn(w);
    const image = {
        manifest: result.image.descriptor,
        blobs: [result.image.manifest.config, ...result.image.manifest.layers],
    };
    for (const t of options.tags)
        await store.tag(formatReference(t), image.manifest);
    await ship(options, {
        store,
        image,
        origins: originsOf(result),
        fetchMissing: result.fetchMissing,
        clients,
        progress,
        logger,
        ...(io.signal ? { signal: io.signal } : {}),
    });
    await digests.save().catch((err) => logger.debug(`context digests not saved: ${String(err)}`));
    await writeResultFiles(options, result);
    await saveCliCache(cache, result, logger);
    const written = [...options.outputs.map((o) => o.path), options.iidFile, options.metadataFile];
    await (0,root_access/* handOverToSudoUser */.$v)(written.filter((p) => p !== undefined), io.uid, io.env);
    if (options.outputs.length === 0 && !options.push)
        noteWhereTheImageIs(options, store, logger);
    return image.manifest.digest;
}
function buildHost(io, privilege, layout, store, tools) {
    return {
        workRoot: layout.build,
        store,
        registry: (registry) => tools.clients.get(registry),
        privilege,
        hostEnv: { PATH: io.env['PATH'] ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
        resolvConf: '/etc/resolv.conf',
        logger: tools.logger,
        clock: systemClock,
        ...(io.signal ? { signal: io.signal } : {}),
        onStep: (event) => tools.progress.step(event),
    };
}
/** Writes every --output, then pushes to every -t reference with --push. */
async function ship(options, c) {
    if (options.outputs.length === 0 && !options.push)
        return;
    for (const target of options.outputs) {
        const task = c.progress.begin(`exporting to ${target.spec}`);
        await writeOutput(target, c.store, c.image, options.tags);
        task.done();
    }
    if (!options.push)
        return;
    await pushToTargets({
        store: c.store,
        source: c.image.manifest,
        targets: options.tags,
        clients: c.clients,
        logger: c.logger,
        origins: c.origins,
        fetchMissing: c.fetchMissing,
        ...(c.signal ? { signal: c.signal } : {}),
        onRegistry: (_registry, targets) => {
            const task = c.progress.begin(`pushing ${targets.map(familiarReference).join(', ')}`);
            return { done: (result) => task.done(pushSummary(result)) };
        },
    });
}
/** Without --output or --push the image is only in the work store: say so, and how to look at it. */
function noteWhereTheImageIs(options, store, logger) {
    const name = options.tags[0] ? formatReference(options.tags[0]) : undefined;
    logger.info(`no --output or --push given: the image is in the work store ${store.root}` +
        (name ? ` (skopeo inspect oci:${store.root}:${name})` : ''));
}
/** The base images a build used, as references (blobs can be fetched or mounted from them). */
function originsOf(result) {
    const refs = [];
    for (const ref of result.bases.keys()) {
        try {
            refs.push(parseReference(ref));
        }
        catch {
            // a base that does not parse was never pulled from a registry
        }
    }
    return refs;
}
/** `--iidfile` (the image ID: the config digest, as docker writes it) and `--metadata-file` (buildx's keys). */
async function writeResultFiles(options, result) {
    const { descriptor, manifest } = result.image;
    if (options.iidFile !== undefined)
        await writeText(options.iidFile, manifest.config.digest);
    if (options.metadataFile === undefined)
        return;
    const metadata = {
        'containerimage.config.digest': manifest.config.digest,
        'containerimage.descriptor': {
            mediaType: descriptor.mediaType,
            digest: descriptor.digest,
            size: descriptor.size,
        },
        'containerimage.digest': descriptor.digest,
        ...(options.tags.length > 0 ? { 'image.name': options.tags.map(formatReference).join(',') } : {}),
    };
    await writeText(options.metadataFile, `${JSON.stringify(metadata, null, 2)}\n`);
}
async function writeText(path, text) {
    await (0,promises_.mkdir)((0,external_node_path_.dirname)(path), { recursive: true });
    await (0,promises_.writeFile)(path, text);
}

// EXTERNAL MODULE: ./src/interrupts.ts
var interrupts = __nccwpck_require__(547);
;// CONCATENATED MODULE: ./src/registry/pull.ts




async function pullImage(client, ref, options) {
    const name = formatReference(ref);
    const top = await storeManifest(client, ref.repository, ref.digest ?? ref.tag ?? 'latest', options.store);
    const image = top.parsed.kind === 'image' ? { descriptor: top.descriptor, manifest: top.parsed.manifest } : undefined;
    const { descriptor, manifest } = image ?? (await storePlatformManifest(client, ref.repository, top, name, options));
    const blobs = uniqueByDigest([manifest.config, ...manifest.layers]);
    const outcomes = await mapBounded(blobs, options.concurrency ?? 4, (d) => storeBlob(client, ref.repository, d, options.store));
    if (options.tag !== false)
        await options.store.tag(options.tag ?? name, descriptor);
    const count = (fetched) => {
        const picked = outcomes.filter((o) => o.fetched === fetched);
        return { blobs: picked.length, bytes: picked.reduce((n, o) => n + o.size, 0) };
    };
    const result = {
        reference: ref,
        resolved: top.descriptor,
        manifest: descriptor,
        config: manifest.config,
        layers: manifest.layers,
        fetched: count(true),
        reused: count(false),
    };
    options.logger.debug(`pulled ${name} (${descriptor.digest}): ${result.fetched.blobs} blobs fetched, ${result.reused.blobs} already stored`);
    return result;
}
/** Narrows an index to the wanted platform's image manifest and stores that manifest. */
async function storePlatformManifest(client, repository, top, name, options) {
    if (top.parsed.kind !== 'index')
        throw new manifest_codec_fields_ManifestFormatError(name, 'expected an index');
    const chosen = selectManifest(top.parsed.index, options.platform, name);
    const child = await storeManifest(client, repository, chosen.digest, options.store, chosen.mediaType);
    if (child.parsed.kind !== 'image')
        throw new manifest_codec_fields_ManifestFormatError(name, 'an index entry is itself an index');
    const descriptor = { ...child.descriptor, ...(chosen.platform ? { platform: chosen.platform } : {}) };
    return { descriptor, manifest: child.parsed.manifest };
}
/** The manifest at `ref` (tag or digest): from the store when the digest is known and stored, else fetched. */
async function storeManifest(client, repository, ref, store, mediaType) {
    const source = `manifest ${ref} of ${client.registry}/${repository}`;
    if (ref.startsWith('sha256:') && (await store.has(ref))) {
        const bytes = await store.read(ref);
        const parsed = parseManifest(bytes, { source, ...(mediaType ? { mediaType } : {}) });
        return {
            parsed,
            descriptor: { mediaType: mediaTypeOf(parsed), digest: ref, size: bytes.length },
        };
    }
    const fetched = await client.getManifest(repository, ref);
    const parsed = parseManifest(fetched.bytes, { source, mediaType: fetched.mediaType });
    await store.put(fetched.bytes, { digest: fetched.digest, size: fetched.bytes.length });
    return {
        parsed,
        descriptor: { mediaType: mediaTypeOf(parsed), digest: fetched.digest, size: fetched.bytes.length },
    };
}
async function storeBlob(client, repository, d, store) {
    if (await store.has(d.digest))
        return { fetched: false, size: d.size };
    await client.retrying(`download of blob ${d.digest}`, async () => {
        const stream = await client.fetchBlob(repository, d.digest, d.size);
        await store.putStream(stream, { digest: d.digest, size: d.size });
    });
    return { fetched: true, size: d.size };
}
function mediaTypeOf(parsed) {
    return parsed.kind === 'image' ? parsed.manifest.mediaType : parsed.index.mediaType;
}
function uniqueByDigest(ds) {
    const seen = new Set();
    return ds.filter((d) => (seen.has(d.digest) ? false : (seen.add(d.digest), true)));
}

;// CONCATENATED MODULE: ./src/cli/pull-command.ts










const pullFlags = {
    output: { type: 'string', short: 'o', multiple: true },
    platform: { type: 'string' },
    'work-dir': { type: 'string' },
    'insecure-registry': { type: 'string', multiple: true },
    debug: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
};
/** `image-build pull REF [--output oci:DIR]...`: pulls into the work store and writes the outputs. */
async function runPullCommand(args, io, debug) {
    const { values, positionals } = parse_flags_parseFlags('pull', args, pullFlags);
    if (positionals.length !== 1) {
        throw new errors/* InputError */.dz('pull', `needs exactly one REF, got ${positionals.length}`, {
            hint: 'image-build pull registry.example.com/team/hello:dev --output oci:hello-oci',
        });
    }
    const ref = parseReference(positionals[0], { input: 'REF' });
    const outputs = stringList(values['output']).map((o) => parseOutput(o, io.cwd));
    const platform = platformOf(stringValue(values['platform']));
    const layout = workDirLayout(stringValue(values['work-dir']) ?? defaultWorkDir(io.env, io.homeDir), io.cwd);
    const store = await openWorkStore(layout);
    const logger = new CliLogger(streamSink(io.stderr), debug);
    const clients = new RegistryClients({
        logger,
        env: io.env,
        homeDir: io.homeDir,
        insecureRegistries: stringList(values['insecure-registry']),
    });
    try {
        const pulled = await pullImage(clients.get(ref.registry), ref, { store, logger, platform });
        io.stderr.write(`pulled ${formatReference(ref)} (${pulled.manifest.digest}): ${pulled.fetched.blobs} blobs fetched, ` +
            `${pulled.reused.blobs} already stored\n`);
        const image = { manifest: pulled.manifest, blobs: [pulled.config, ...pulled.layers] };
        const tag = { registry: ref.registry, repository: ref.repository, tag: ref.tag ?? 'latest' };
        for (const target of outputs) {
            await writeOutput(target, store, image, [tag]);
            io.stderr.write(`wrote ${target.spec}\n`);
        }
        io.stdout.write(`${pulled.manifest.digest}\n`);
        return 0;
    }
    finally {
        clients.close();
    }
}
function platformOf(text) {
    if (text === undefined)
        return hostPlatform();
    try {
        return parsePlatform(text);
    }
    catch (err) {
        throw new errors/* InputError */.dz('--platform', err.message);
    }
}

;// CONCATENATED MODULE: ./src/cli/layout-source.ts




/** Parses `oci:DIR[:NAME]`; like containers/image, the first `:` after the directory starts the name. */
function parseLayoutSource(text, cwd) {
    if (!text.startsWith('oci:')) {
        throw new errors/* InputError */.dz('SOURCE', `${JSON.stringify(text)} is not an OCI layout source`, {
            hint: 'write oci:DIR or oci:DIR:NAME (e.g. oci:build/hello-oci:dev)',
        });
    }
    const rest = text.slice('oci:'.length);
    const colon = rest.indexOf(':');
    const dir = colon < 0 ? rest : rest.slice(0, colon);
    const name = colon < 0 ? undefined : rest.slice(colon + 1);
    if (dir === '')
        throw new errors/* InputError */.dz('SOURCE', `${JSON.stringify(text)} has no directory`);
    return { dir: (0,external_node_path_.resolve)(cwd, dir), ...(name ? { name } : {}) };
}
/** Opens an existing layout and finds the image: by name, or the only one it holds. */
async function openLayoutSource(source) {
    try {
        await (0,promises_.access)((0,external_node_path_.join)(source.dir, 'oci-layout'));
    }
    catch {
        throw new errors/* InputError */.dz('SOURCE', `${JSON.stringify(source.dir)} is not an OCI image layout (no oci-layout file)`, {
            hint: 'build into it with --output oci:DIR first',
        });
    }
    const store = await openStore(source.dir);
    const refs = await store.listRefs();
    if (source.name !== undefined) {
        const descriptor = await store.resolve(source.name);
        if (!descriptor)
            throw notFound(source, refs.map((r) => r.name));
        return { store, descriptor, name: source.name };
    }
    if (refs.length === 1)
        return { store, descriptor: refs[0].descriptor, name: refs[0].name };
    throw notFound(source, refs.map((r) => r.name));
}
function notFound(source, names) {
    const held = names.length > 0
        ? `it holds ${names.map((n) => JSON.stringify(n)).join(', ')}`
        : 'it holds no named image';
    const what = source.name !== undefined
        ? `no image named ${JSON.stringify(source.name)} in ${source.dir}`
        : `say which image of ${source.dir} to use`;
    return new errors/* InputError */.dz('SOURCE', `${what}: ${held}`, { hint: 'write oci:DIR:NAME' });
}

;// CONCATENATED MODULE: ./src/cli/push-command.ts








const pushFlags = {
    'insecure-registry': { type: 'string', multiple: true },
    debug: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
};
/** `image-build push oci:DIR[:NAME] REF...`: pushes an image from an OCI layout to each reference. */
async function runPushCommand(args, io, debug) {
    const { values, positionals } = parse_flags_parseFlags('push', args, pushFlags);
    const [sourceText, ...refTexts] = positionals;
    if (sourceText === undefined || refTexts.length === 0) {
        throw new errors/* InputError */.dz('push', 'needs a SOURCE and at least one REF', {
            hint: 'image-build push oci:build/hello-oci:dev registry.example.com/team/hello:dev',
        });
    }
    const targets = refTexts.map((r) => parseReference(r, { input: 'REF' }));
    const source = await openLayoutSource(parseLayoutSource(sourceText, io.cwd));
    const logger = new CliLogger(streamSink(io.stderr), debug);
    const clients = new RegistryClients({
        logger,
        env: io.env,
        homeDir: io.homeDir,
        insecureRegistries: stringList(values['insecure-registry']),
    });
    try {
        await pushToTargets({
            store: source.store,
            source: source.descriptor,
            targets,
            clients,
            logger,
            ...(io.signal ? { signal: io.signal } : {}),
            onRegistry: (_registry, refs) => {
                const names = refs.map(familiarReference).join(', ');
                io.stderr.write(`pushing ${source.name} to ${names}\n`);
                return { done: (result) => io.stderr.write(`pushed ${names}: ${pushSummary(result)}\n`) };
            },
        });
    }
    finally {
        clients.close();
    }
    io.stdout.write(`${source.descriptor.digest}\n`);
    return 0;
}

;// CONCATENATED MODULE: ./src/cli/usage.ts
/** The --help texts. Each command lists its flags and a few examples. */
const mainUsage = `Usage: image-build <command> [flags]

Builds OCI images from Dockerfiles without a Docker daemon.

Commands:
  build     Build an image from a Dockerfile
  push      Push an image from an OCI layout to registries
  pull      Pull an image into an OCI layout or archive
  version   Print the version

Run 'image-build <command> --help' for a command's flags.
Set IMAGE_BUILD_DEBUG=1 (or pass --debug) for debug logs and stack traces.
`;
const buildUsage = `Usage: image-build build [CONTEXT] [flags]

Builds the Dockerfile in CONTEXT (default: the current directory). Needs root: as another user with
passwordless sudo, the command re-runs itself under 'sudo -n'. Prints the image digest on stdout.

Flags:
  -f, --file FILE                 Dockerfile (default: CONTEXT/Dockerfile; '-' reads stdin)
  -t, --tag NAME[:TAG]            Name the image; repeatable (used by --output and --push)
      --target STAGE              Build this stage (default: the last one)
      --build-arg KEY[=VALUE]     Set a build argument; KEY alone takes it from the environment
      --secret id=ID,src=FILE     Expose a file to RUN --mount=type=secret,id=ID
      --secret id=ID,env=VAR      ... or an environment variable's value (never printed)
      --platform OS/ARCH          Target platform (default: this machine's)
  -o, --output oci:DIR            Write an OCI image layout (named by each tag, or 'latest')
  -o, --output docker:FILE        Write a docker-archive tar for 'docker load' (with the -t names)
  -o, --output oci-archive:FILE   Write an OCI layout as a tar
      --label KEY=VALUE           Add a label to the image config; repeatable
      --no-cache                  Run every step again
      --pull                      Resolve base image tags at the registry even when stored locally
      --source-date-epoch N|git   Timestamps for a reproducible image (seconds, or HEAD's commit time);
                                  default: $SOURCE_DATE_EPOCH when set
      --compression gzip|zstd     Layer compression (default: gzip)
      --work-dir DIR              Layers, step cache and store kept between builds
                                  (default: $XDG_CACHE_HOME/image-build or ~/.cache/image-build)
      --cache-dir DIR             Cross-run layer cache in DIR (e.g. a CI cache directory): a build with an
                                  empty work dir reuses the layers of earlier builds
      --cache-budget SIZE         Layer bytes the cache keeps per scope (default 2g)
      --cache-mount-budget SIZE   RUN --mount=type=cache bytes it keeps per scope (default 1g)
      --progress auto|plain|tty   Progress display (default: auto = live on a terminal, else plain)
      --push                      Push to every -t reference (credentials from ~/.docker/config.json)
      --insecure-registry HOST    Allow plain HTTP / untrusted TLS for HOST; repeatable
      --iidfile FILE              Write the image ID (config digest) to FILE
      --metadata-file FILE        Write build metadata (digests, names) as JSON to FILE
      --debug                     Debug logs and stack traces
  -h, --help                      Show this help

Examples:
  image-build build . -t hello:dev --output oci:hello-oci
  skopeo inspect oci:hello-oci:dev

  image-build build -f docker/app.Dockerfile --target runtime --build-arg VERSION=1.2.3 \\
    -t ghcr.io/owner/app:1.2.3 --output docker:app.tar

  image-build build . -t registry.example.com/team/app:dev --push \\
    --secret id=npmrc,src=$HOME/.npmrc --source-date-epoch git
`;
const pushUsage = `Usage: image-build push SOURCE REF... [flags]

Pushes an image from an OCI image layout to each REF. SOURCE is oci:DIR or oci:DIR:NAME (NAME may be
left out when the layout holds one image). Credentials come from ~/.docker/config.json. Prints the digest.

Flags:
      --insecure-registry HOST    Allow plain HTTP / untrusted TLS for HOST; repeatable
      --debug                     Debug logs and stack traces
  -h, --help                      Show this help

Examples:
  image-build push oci:hello-oci:dev registry.example.com/team/hello:dev
  image-build push oci:hello-oci ghcr.io/owner/hello:1 ghcr.io/owner/hello:latest
`;
const pullUsage = `Usage: image-build pull REF [flags]

Pulls an image (this machine's platform, or --platform) into the work store and writes each --output.
Prints the manifest digest.

Flags:
  -o, --output oci:DIR|docker:FILE|oci-archive:FILE   Where to write the image; repeatable
      --platform OS/ARCH          Which image of a multi-platform index
      --work-dir DIR              Store kept between runs (default: ~/.cache/image-build)
      --insecure-registry HOST    Allow plain HTTP / untrusted TLS for HOST; repeatable
      --debug                     Debug logs and stack traces
  -h, --help                      Show this help

Examples:
  image-build pull registry.example.com/team/hello:dev --output oci:hello-oci
  image-build pull ghcr.io/owner/app:1 --platform linux/arm64 --output docker:app-arm64.tar
`;
const versionUsage = `Usage: image-build version

Prints the version of image-build and of the Node.js running it.
`;

;// CONCATENATED MODULE: ./src/cli/run-cli.ts
/**
 * The `image-build` command line: dispatches to a command, turns every error into one line on stderr
 * (`error: Dockerfile:7: …`) and an exit code: 0 success, 1 failure, 130/143 stopped by SIGINT/SIGTERM.
 * Stack traces only with --debug or IMAGE_BUILD_DEBUG=1.
 */







const commands = {
    build: { run: runBuildCommand, usage: buildUsage },
    push: { run: runPushCommand, usage: pushUsage },
    pull: { run: runPullCommand, usage: pullUsage },
    version: { run: printVersion, usage: versionUsage },
};
async function runCli(argv, io) {
    const [name, ...args] = argv;
    const debug = argv.includes('--debug') || io.env['IMAGE_BUILD_DEBUG'] === '1';
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
        (name === undefined ? io.stderr : io.stdout).write(mainUsage);
        return name === undefined ? 1 : 0;
    }
    if (name === '--version')
        return printVersion([], io);
    const command = commands[name];
    if (!command) {
        io.stderr.write(`error: unknown command ${JSON.stringify(name)} — run image-build --help for the commands\n`);
        return 1;
    }
    if (args.includes('--help') || args.includes('-h')) {
        io.stdout.write(command.usage);
        return 0;
    }
    try {
        return await command.run(args, io, debug);
    }
    catch (err) {
        return reportError(err, io, debug);
    }
}
function reportError(err, io, debug) {
    const stopped = (0,interrupts/* stopSignalOf */.eq)(io.signal);
    if (stopped) {
        io.stderr.write(`error: interrupted by ${stopped}\n`);
        return (0,interrupts/* signalExitCode */.cf)(stopped);
    }
    io.stderr.write(`error: ${(0,errors/* describeError */.Uc)(err)}\n`);
    if (debug && err instanceof Error && err.stack)
        io.stderr.write(`${err.stack}\n`);
    return 1;
}
async function printVersion(_args, io) {
    io.stdout.write(`${versionText()}\n`);
    return 0;
}


/***/ }),

/***/ 916:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Gd: () => (/* binding */ InternalError),
/* harmony export */   JI: () => (/* binding */ BuildStepError),
/* harmony export */   Uc: () => (/* binding */ describeError),
/* harmony export */   dz: () => (/* binding */ InputError),
/* harmony export */   gl: () => (/* binding */ RegistryError),
/* harmony export */   j$: () => (/* binding */ formatLocation),
/* harmony export */   qY: () => (/* binding */ ImageBuildError),
/* harmony export */   tP: () => (/* binding */ DockerfileError),
/* harmony export */   xA: () => (/* binding */ CacheError)
/* harmony export */ });
/* unused harmony export severityOf */
/**
 * One error taxonomy for the whole project. Every error a user can meet is an ImageBuildError with a one-line
 * message that says what went wrong and where, plus a hint that says what to do. The severity policy (cache
 * errors warn, everything else fails the step) lives in `severityOf`.
 */
class ImageBuildError extends Error {
    hint;
    location;
    constructor(message, details = {}) {
        super(message, details.cause === undefined ? undefined : { cause: details.cause });
        this.name = new.target.name;
        this.hint = details.hint;
        this.location = details.location;
    }
    /** The single line shown to users: `file:line: message (hint)`. */
    userMessage() {
        const where = this.location ? `${formatLocation(this.location)}: ` : '';
        const hint = this.hint ? ` — ${this.hint}` : '';
        return oneLine(`${where}${this.message}${hint}`);
    }
}
/** A bad action input or CLI flag; `input` names it. */
class InputError extends ImageBuildError {
    input;
    kind = 'input';
    constructor(input, message, details = {}) {
        super(`input '${input}': ${message}`, details);
        this.input = input;
    }
}
/** The Dockerfile (or .dockerignore) cannot be parsed or is semantically wrong. */
class DockerfileError extends ImageBuildError {
    kind = 'dockerfile';
}
/** A build step failed: a RUN exited non-zero, a COPY source is missing, an archive is hostile… */
class BuildStepError extends ImageBuildError {
    kind = 'build-step';
    constructor(message, details = {}) {
        super(message, details);
        this.exitCode = details.exitCode;
        this.outputTail = details.outputTail ?? [];
    }
    exitCode;
    outputTail;
}
/** Talking to a registry failed. Always names the image (or repository) and the registry host. */
class RegistryError extends ImageBuildError {
    kind = 'registry';
    constructor(message, details = {}) {
        super(message, details);
        this.registry = details.registry;
        this.repository = details.repository;
        this.status = details.status;
        this.code = details.code;
        this.retryable = details.retryable ?? false;
    }
    registry;
    repository;
    status;
    code;
    retryable;
}
/** A cache backend failed. Never fatal: see severityOf. */
class CacheError extends ImageBuildError {
    kind = 'cache';
}
/** A broken invariant inside image-build itself (a bug, or corrupted local state). */
class InternalError extends ImageBuildError {
    kind = 'internal';
}
/** The one place that decides what fails a build: cache problems warn, everything else fails. */
function severityOf(err) {
    return err instanceof CacheError ? 'warning' : 'error';
}
function formatLocation(loc) {
    if (loc.line === undefined)
        return loc.file;
    return `${loc.file}:${loc.line}`;
}
/** A user-facing one-liner for any thrown value; stack traces are for debug logging only. */
function describeError(err) {
    if (err instanceof ImageBuildError)
        return err.userMessage();
    if (err instanceof Error)
        return oneLine(err.message || err.name);
    return oneLine(String(err));
}
function oneLine(s) {
    return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}


/***/ }),

/***/ 547:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   AQ: () => (/* binding */ trapInterrupts),
/* harmony export */   cf: () => (/* binding */ signalExitCode),
/* harmony export */   eq: () => (/* binding */ stopSignalOf)
/* harmony export */ });
/** Exit code for a run stopped by a signal: 128 + the signal number, as shells report it. */
function signalExitCode(signal) {
    return signal === 'SIGINT' ? 130 : 143;
}
/** The signal that aborted `signal`, if any. */
function stopSignalOf(signal) {
    if (!signal?.aborted)
        return undefined;
    return signal.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
}
/** Traps SIGINT and SIGTERM; `onFirst` runs after the first one has aborted `signal`. */
function trapInterrupts(onFirst) {
    const controller = new AbortController();
    const handler = (signal) => {
        if (controller.signal.aborted)
            process.exit(signalExitCode(signal));
        controller.abort(signal);
        onFirst?.(signal);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return {
        signal: controller.signal,
        release: () => {
            process.off('SIGINT', handler);
            process.off('SIGTERM', handler);
        },
    };
}


/***/ }),

/***/ 421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

/***/ }),

/***/ 455:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");

/***/ }),

/***/ 161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(639);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
