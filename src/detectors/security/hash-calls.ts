import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { callArguments, calleeText, enclosingFunction } from '../correctness/enclosing-function.ts';
import type { FileInput } from '../types.ts';
import { moduleBindings } from './module-bindings.ts';
import { isPython } from './value-source.ts';

/** npm packages whose default export hashes its argument: `md5(x)`, `sha1(x)`. */
const HASH_PACKAGES: readonly (readonly [string, string])[] = [
  ['md5', `['"](?:md5|blueimp-md5|js-md5|md5-hex|crypto-js/md5)['"]`],
  ['sha1', `['"](?:sha1|js-sha1|crypto-js/sha1)['"]`],
  ['sha256', `['"](?:js-sha256|crypto-js/sha256)['"]`],
];
const CRYPTO_JS = `['"]crypto-js['"]`;
const PYTHON_HASH = /(?:^|\.)(md5|sha1|sha224|sha256|sha384|sha512|sha3_\d+|blake2[bs])$/;

/** Calls that may hash: `createHash(…)`, `md5(…)`, `CryptoJS.SHA1(…)`, `hashlib.sha256(…)`, `hashlib.new(…)`. */
export const JS_HASH_CALL: NapiConfig = {
  rule: {
    kind: 'call_expression',
    has: {
      field: 'function',
      regex: '(^|\\.)(createHash|MD5|SHA1|SHA256|SHA512)$|^\\w*(md5|Md5|MD5|sha1|Sha1|SHA1|sha256)$',
    },
  },
};
export const PYTHON_HASH_CALL: NapiConfig = {
  rule: {
    kind: 'call',
    has: {
      field: 'function',
      regex: '(^|\\.)(md5|sha1|sha224|sha256|sha384|sha512|sha3_\\d+|blake2[bs]|new)$',
    },
  },
};

export interface HashCall {
  /** The algorithm, lower case without quotes: `md5`, `sha1`, `sha256`. */
  algorithm: string;
  /** Whether the call's own arguments are the hashed data (`md5(x)`), not only an algorithm name (`createHash('md5')`). */
  takesData: boolean;
}

/**
 * The algorithm a hashing call uses, or undefined when the call does not hash: `createHash('md5')`,
 * `md5(x)` with `md5` bound to an npm hash package, `CryptoJS.SHA1(x)`, `hashlib.sha1(x)`,
 * `hashlib.new('md5', x)`. Python calls marked `usedforsecurity=False` say they are not security.
 */
export function hashCall(node: SgNode, file: FileInput): HashCall | undefined {
  const callee = calleeText(node);
  const args = callArguments(node);
  const quoted = (arg: SgNode | undefined) => {
    const match = arg ? /^['"]([\w-]+)['"]$/.exec(arg.text()) : null;
    return match?.[1]?.toLowerCase();
  };
  if (isPython(file.language)) {
    if (args.some((a) => /^usedforsecurity\s*=\s*False$/.test(a.text()))) return undefined;
    const direct = PYTHON_HASH.exec(callee);
    if (direct?.[1] && /^(?:hashlib\.)?\w+$/.test(callee)) return { algorithm: direct[1], takesData: true };
    if (/^(?:hashlib\.)?new$/.test(callee)) {
      const algorithm = quoted(args[0]);
      return algorithm ? { algorithm, takesData: true } : undefined;
    }
    return undefined;
  }
  if (/(?:^|\.)createHash$/.test(callee)) {
    const algorithm = quoted(args[0]);
    return algorithm ? { algorithm, takesData: false } : undefined;
  }
  const member = /^(\w+)\.(MD5|SHA1|SHA256|SHA512)$/.exec(callee);
  if (member?.[1] && member[2]) {
    return moduleBindings(file.text, CRYPTO_JS).modules.has(member[1])
      ? { algorithm: member[2].toLowerCase(), takesData: true }
      : undefined;
  }
  for (const [algorithm, module] of HASH_PACKAGES) {
    if (moduleBindings(file.text, module).modules.has(callee)) return { algorithm, takesData: true };
  }
  return undefined;
}

/**
 * The outermost expression of a hashing chain: `createHash('md5').update(x).digest('hex')` for
 * its `createHash` call, `hashlib.md5(x).hexdigest()` for its `md5` call. What the chain's value
 * is compared with or stored in decides what the hash is for.
 */
export function chainTop(node: SgNode): SgNode {
  let top = node;
  for (;;) {
    const parent = top.parent();
    const kind = parent?.kind();
    if (!parent) return top;
    if ((kind === 'member_expression' || kind === 'attribute') && parent.field('object')?.id() === top.id()) {
      top = parent;
      continue;
    }
    if ((kind === 'call_expression' || kind === 'call') && parent.field('function')?.id() === top.id()) {
      top = parent;
      continue;
    }
    if (kind === 'await_expression' || kind === 'parenthesized_expression') {
      top = parent;
      continue;
    }
    return top;
  }
}

/** What is hashed: the call's own data argument, or what `.update()` adds to it (chained or via a variable). */
export function hashedData(node: SgNode, python: boolean, takesData: boolean): string {
  const inputs: string[] = [];
  const args = callArguments(node).filter((a) => a.kind() !== 'keyword_argument');
  if (takesData)
    inputs.push(...args.slice(/(?:^|\.)new$/.test(calleeText(node)) ? 1 : 0).map((a) => a.text()));
  const member = node.parent();
  if (member && (member.kind() === 'member_expression' || member.kind() === 'attribute')) {
    const call = member.parent();
    if (/\.update$/.test(member.text()) && call) inputs.push(...callArguments(call).map((a) => a.text()));
  }
  const declarator = node.parent();
  const name =
    declarator?.kind() === 'variable_declarator' || declarator?.kind() === 'assignment'
      ? (declarator.field('name') ?? declarator.field('left'))?.text()
      : undefined;
  if (name) {
    const scope = enclosingFunction(node) ?? node.getRoot().root();
    const kind = python ? 'call' : 'call_expression';
    for (const call of scope.findAll({ rule: { kind } })) {
      if (calleeText(call) === `${name}.update`) inputs.push(...callArguments(call).map((a) => a.text()));
    }
  }
  return inputs.join(' ');
}
