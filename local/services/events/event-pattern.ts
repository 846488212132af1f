/**
 * EventBridge event patterns: validation (what PutRule and TestEventPattern refuse) and matching, written here because
 * no maintained npm matcher fits (AWS's own, event-ruler, is Java). Supported: exact values (strings, numbers, booleans,
 * null), arrays (any value of the event's array), nested objects, `prefix` / `suffix` (both also with
 * `equals-ignore-case`), `equals-ignore-case`, `wildcard`, `anything-but` (a value, a list, or `prefix`, `suffix`,
 * `equals-ignore-case`, `wildcard`), `numeric` (one comparison or a range), `exists`, IPv4 `cidr` and `$or`. Each
 * feature is tested against the examples of AWS's documentation (tests/unit/event-pattern.test.ts).
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Leaf = string | number | boolean | null;

const NUMERIC_OPERATORS = new Set(['<', '<=', '=', '>', '>=']);
const OPERATORS = new Set(['prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'anything-but', 'numeric', 'exists', 'cidr']);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What is wrong with a pattern, one reason per problem with its path (empty when it is valid), as EventBridge's
 * "Event pattern is not valid" reasons.
 */
export function eventPatternProblems(pattern: unknown): string[] {
  if (!isPlainObject(pattern)) return ['the pattern must be a JSON object'];
  if (Object.keys(pattern).length === 0) return ['the pattern must name at least one field'];
  const problems: string[] = [];
  checkObject(pattern, '', problems);
  return problems;
}

function checkObject(pattern: Record<string, unknown>, path: string, problems: string[]): void {
  for (const [key, value] of Object.entries(pattern)) {
    const at = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isPlainObject)) {
        problems.push(`${at} must be an array of at least two patterns`);
        continue;
      }
      value.forEach((inner, index) => checkObject(inner as Record<string, unknown>, `${at}[${index}]`, problems));
    } else if (Array.isArray(value)) {
      if (value.length === 0) problems.push(`${at} must not be an empty array`);
      value.forEach((matcher, index) => checkMatcher(matcher, `${at}[${index}]`, problems));
    } else if (isPlainObject(value)) {
      if (Object.keys(value).length === 0) problems.push(`${at} must not be an empty object`);
      checkObject(value, at, problems);
    } else {
      problems.push(`${at} must be an array of values or matchers, or a nested pattern`);
    }
  }
}

function checkMatcher(matcher: unknown, at: string, problems: string[]): void {
  if (!isPlainObject(matcher)) {
    if (Array.isArray(matcher)) problems.push(`${at} must be a value or a matcher object, not an array`);
    return;
  }
  const keys = Object.keys(matcher);
  if (keys.length !== 1 || !OPERATORS.has(keys[0])) {
    problems.push(`${at} must be one of ${[...OPERATORS].join(', ')} (got ${keys.join(', ') || 'an empty object'})`);
    return;
  }
  const [operator] = keys;
  const operand = matcher[operator];
  const push = (reason: string) => problems.push(`${at}.${operator}${reason.startsWith('.') ? '' : ' '}${reason}`);
  switch (operator) {
    case 'prefix':
    case 'suffix':
      if (!(
        typeof operand === 'string' ||
        (isPlainObject(operand) && Object.keys(operand).length === 1 && typeof operand['equals-ignore-case'] === 'string')
      )) {
        push('must be a string or { "equals-ignore-case": string }');
      }
      return;
    case 'equals-ignore-case':
      if (typeof operand !== 'string') push('must be a string');
      return;
    case 'wildcard':
      checkWildcard(operand, push);
      return;
    case 'exists':
      if (typeof operand !== 'boolean') push('must be true or false');
      return;
    case 'cidr':
      if (typeof operand !== 'string' || parseCidr(operand) === null)
        push('must be an IPv4 block such as 10.0.0.0/24 (IPv6 is not matched locally)');
      return;
    case 'numeric':
      checkNumeric(operand, push);
      return;
    case 'anything-but':
      checkAnythingBut(operand, push);
      return;
  }
}

function checkWildcard(operand: unknown, push: (reason: string) => void): void {
  if (typeof operand !== 'string') return push('must be a string');
  if (/\*\*/.test(operand.replace(/\\[\\*]/g, ''))) push('must not hold consecutive * characters');
  if (/\\[^\\*]|\\$/.test(operand.replace(/\\[\\*]/g, ''))) push('may escape only * and \\');
}

function checkNumeric(operand: unknown, push: (reason: string) => void): void {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4))
    return push('must be [operator, number] or a range [">"|">=", low, "<"|"<=", high]');
  for (let i = 0; i < operand.length; i += 2) {
    if (typeof operand[i] !== 'string' || !NUMERIC_OPERATORS.has(operand[i] as string))
      return push(`has an unknown operator ${JSON.stringify(operand[i])}`);
    const bound = operand[i + 1];
    if (typeof bound !== 'number' || !Number.isFinite(bound) || Math.abs(bound) > 5e9) return push('needs numbers between -5e9 and 5e9');
  }
  if (operand.length === 4) {
    const [low, lowBound, high, highBound] = operand as [string, number, string, number];
    if (!low.startsWith('>') || !high.startsWith('<')) return push('as a range must start with > or >= and end with < or <=');
    if (lowBound >= highBound) push('as a range needs its lower bound below its upper bound');
  }
}

function checkAnythingBut(operand: unknown, push: (reason: string) => void): void {
  if (typeof operand === 'string' || typeof operand === 'number') return;
  if (Array.isArray(operand)) {
    if (operand.length === 0) return push('must not be an empty list');
    if (!(operand.every((value) => typeof value === 'string') || operand.every((value) => typeof value === 'number')))
      push('must list only strings or only numbers');
    return;
  }
  if (!isPlainObject(operand) || Object.keys(operand).length !== 1)
    return push('must be a value, a list, or one of prefix, suffix, equals-ignore-case, wildcard');
  const [[inner, value]] = Object.entries(operand);
  if (inner === 'prefix' || inner === 'suffix') {
    if (typeof value !== 'string') push(`.${inner} must be a single string`);
  } else if (inner === 'equals-ignore-case' || inner === 'wildcard') {
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0 || !values.every((entry) => typeof entry === 'string')) push(`.${inner} must be a string or a list of strings`);
    if (inner === 'wildcard') for (const entry of values) if (typeof entry === 'string') checkWildcard(entry, push);
  } else {
    push(`cannot hold ${inner}`);
  }
}

/**
 * Whether an event matches a pattern: every field the pattern names matches (AND), a field matches when any of its
 * matchers matches any of the event's values at that path (an array in the event offers each element), and `$or`
 * needs one of its patterns. The pattern must be valid (eventPatternProblems).
 */
export function matchesEventPattern(pattern: Record<string, unknown>, event: unknown): boolean {
  return matchesObject(pattern, event);
}

function matchesObject(pattern: Record<string, unknown>, node: unknown): boolean {
  // An array of objects in the event offers each object to the nested pattern.
  if (Array.isArray(node)) return node.some((element) => matchesObject(pattern, element));
  const fields = isPlainObject(node) ? node : {};
  return Object.entries(pattern).every(([key, value]) => {
    if (key === '$or' && Array.isArray(value)) return value.some((inner) => matchesObject(inner as Record<string, unknown>, node));
    const present = Object.prototype.hasOwnProperty.call(fields, key);
    if (Array.isArray(value)) return value.some((matcher) => matchesLeaf(matcher, present ? (fields[key] as Json) : undefined, present));
    return present && matchesObject(value as Record<string, unknown>, fields[key]);
  });
}

/** The leaf values of an event field: an array offers its (non-object) elements; an object is an intermediate node. */
function leafValues(value: Json | undefined): Leaf[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((element) => leafValues(element));
  if (isPlainObject(value)) return [];
  return [value as Leaf];
}

function matchesLeaf(matcher: unknown, value: Json | undefined, present: boolean): boolean {
  const leaves = leafValues(value);
  if (!isPlainObject(matcher)) return leaves.some((leaf) => sameValue(leaf, matcher as Leaf));
  const [[operator, operand]] = Object.entries(matcher);
  if (operator === 'exists') return operand === (present && leaves.length > 0);
  return leaves.some((leaf) => matchesOperator(operator, operand, leaf));
}

function sameValue(leaf: Leaf, expected: Leaf): boolean {
  if (typeof leaf === 'number' && typeof expected === 'number') return leaf === expected;
  return leaf === expected;
}

function matchesOperator(operator: string, operand: unknown, leaf: Leaf): boolean {
  switch (operator) {
    case 'prefix':
      return typeof leaf === 'string' && affixMatches(leaf, operand, (text, affix) => text.startsWith(affix));
    case 'suffix':
      return typeof leaf === 'string' && affixMatches(leaf, operand, (text, affix) => text.endsWith(affix));
    case 'equals-ignore-case':
      return typeof leaf === 'string' && leaf.toLowerCase() === String(operand).toLowerCase();
    case 'wildcard':
      return typeof leaf === 'string' && wildcardRegExp(String(operand)).test(leaf);
    case 'numeric':
      return typeof leaf === 'number' && numericMatches(operand as (string | number)[], leaf);
    case 'cidr':
      return typeof leaf === 'string' && cidrContains(String(operand), leaf);
    case 'anything-but':
      return anythingButMatches(operand, leaf);
    default:
      return false;
  }
}

function affixMatches(text: string, operand: unknown, test: (text: string, affix: string) => boolean): boolean {
  if (typeof operand === 'string') return test(text, operand);
  const ignoreCase = String((operand as Record<string, unknown>)['equals-ignore-case']);
  return test(text.toLowerCase(), ignoreCase.toLowerCase());
}

function wildcardRegExp(wildcard: string): RegExp {
  let source = '';
  for (let i = 0; i < wildcard.length; i += 1) {
    const char = wildcard[i];
    if (char === '\\' && i + 1 < wildcard.length) {
      source += wildcard[i + 1].replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
      i += 1;
    } else if (char === '*') {
      source += '.*';
    } else {
      source += char.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 's');
}

function numericMatches(operand: (string | number)[], value: number): boolean {
  for (let i = 0; i < operand.length; i += 2) {
    const bound = operand[i + 1] as number;
    const ok = { '<': value < bound, '<=': value <= bound, '=': value === bound, '>': value > bound, '>=': value >= bound }[
      operand[i] as string
    ];
    if (!ok) return false;
  }
  return true;
}

function anythingButMatches(operand: unknown, leaf: Leaf): boolean {
  if (typeof operand === 'string' || typeof operand === 'number') return !sameValue(leaf, operand);
  if (Array.isArray(operand)) return !operand.some((excluded) => sameValue(leaf, excluded as Leaf));
  const [[inner, value]] = Object.entries(operand as Record<string, unknown>);
  if (typeof leaf !== 'string') return true;
  const values = (Array.isArray(value) ? value : [value]) as string[];
  switch (inner) {
    case 'prefix':
      return !leaf.startsWith(values[0]);
    case 'suffix':
      return !leaf.endsWith(values[0]);
    case 'equals-ignore-case':
      return !values.some((excluded) => excluded.toLowerCase() === leaf.toLowerCase());
    default:
      return !values.some((excluded) => wildcardRegExp(excluded).test(leaf));
  }
}

function parseCidr(block: string): { network: number; mask: number } | null {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(block);
  if (!match) return null;
  const octets = match.slice(1, 5).map(Number);
  const bits = Number(match[5]);
  if (octets.some((octet) => octet > 255) || bits > 32) return null;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { network: (ipv4(octets) & mask) >>> 0, mask };
}

const ipv4 = (octets: number[]): number => octets.reduce((sum, octet) => ((sum << 8) | octet) >>> 0, 0);

function cidrContains(block: string, address: string): boolean {
  const parsed = parseCidr(block);
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (!parsed || !match) return false;
  const octets = match.slice(1, 5).map(Number);
  return octets.every((octet) => octet <= 255) && (ipv4(octets) & parsed.mask) >>> 0 === parsed.network;
}
