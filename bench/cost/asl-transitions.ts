import {
  isTerminal,
  nestedDefinitions,
  transitionsOf,
  type AslChoiceRule,
  type AslDefinition,
  type AslState,
} from '../../local/services/stepfunctions/asl-walker';

/** Values of the paths the Choice states test, e.g. { "$.resize.analysable": true }; a missing path is absent. */
export type PathFacts = Record<string, unknown>;

/** Raised when the walk cannot finish (missing state, or a loop). */
export class AslWalkError extends Error {
  override name = 'AslWalkError';
}

const COMPARATORS: Record<string, (value: unknown, expected: unknown) => boolean> = {
  BooleanEquals: (v, e) => v === e,
  StringEquals: (v, e) => v === e,
  NumericEquals: (v, e) => v === e,
  NumericGreaterThan: (v, e) => typeof v === 'number' && v > (e as number),
  NumericGreaterThanEquals: (v, e) => typeof v === 'number' && v >= (e as number),
  NumericLessThan: (v, e) => typeof v === 'number' && v < (e as number),
  NumericLessThanEquals: (v, e) => typeof v === 'number' && v <= (e as number),
  IsPresent: (v, e) => (v !== undefined) === e,
  IsNull: (v, e) => (v === null) === e,
  IsString: (v, e) => (typeof v === 'string') === e,
  IsBoolean: (v, e) => (typeof v === 'boolean') === e,
  IsNumeric: (v, e) => (typeof v === 'number') === e,
};

/**
 * Evaluates one Choice rule (And/Or/Not and the common comparators) against path facts.
 * @throws AslWalkError for a comparator the walker does not know.
 */
export function ruleMatches(rule: AslChoiceRule, facts: PathFacts): boolean {
  if (Array.isArray(rule.And)) return (rule.And as AslChoiceRule[]).every((r) => ruleMatches(r, facts));
  if (Array.isArray(rule.Or)) return (rule.Or as AslChoiceRule[]).some((r) => ruleMatches(r, facts));
  if (rule.Not) return !ruleMatches(rule.Not as AslChoiceRule, facts);
  const value = facts[String(rule.Variable)];
  const operator = Object.keys(COMPARATORS).find((name) => name in rule);
  if (!operator) throw new AslWalkError(`Unsupported Choice rule: ${JSON.stringify(rule)}`);
  return COMPARATORS[operator](value, rule[operator]);
}

/**
 * Walks one execution from StartAt to a terminal state, taking each Choice as the facts decide, and returns
 * the states entered in order. Each state entered is one billed state transition in Step Functions Standard;
 * a Parallel state adds the states of every branch.
 * @throws AslWalkError when a state is missing or the walk loops.
 */
export function walkExecution(definition: AslDefinition, facts: PathFacts): string[] {
  const entered: string[] = [];
  let name: string | undefined = definition.StartAt;
  const limit = Object.keys(definition.States).length * 4;
  while (name !== undefined) {
    const state: AslState | undefined = definition.States[name];
    if (!state) throw new AslWalkError(`State ${name} is not defined`);
    entered.push(name);
    if (entered.length > limit) throw new AslWalkError(`The walk loops: ${entered.slice(-6).join(' -> ')}`);
    if (state.Type === 'Parallel') for (const branch of nestedDefinitions(state)) entered.push(...walkExecution(branch, facts));
    if (isTerminal(state)) break;
    name = nextState(state, facts);
    if (name === undefined) throw new AslWalkError(`State ${entered[entered.length - 1]} leads nowhere`);
  }
  return entered;
}

/** Where a run goes after the state: a Choice's first matching rule, else its Default; any other state's Next. */
function nextState(state: AslState, facts: PathFacts): string | undefined {
  const out = transitionsOf(state);
  if (state.Type !== 'Choice') return out.find((transition) => transition.kind === 'next')?.to;
  return (
    out.find((transition) => transition.kind === 'choice' && ruleMatches(transition.rule ?? {}, facts)) ??
    out.find((transition) => transition.kind === 'default')
  )?.to;
}
