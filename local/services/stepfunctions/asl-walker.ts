/**
 * One walker over Amazon States Language definitions, for everything that reads a state machine: the local Step
 * Functions service (Task handlers, the JsonToString workaround), the console's graph and the cost bench. It knows
 * only ASL's structure, never how local mode runs it, and imports nothing, so browser code can use it too.
 */

/** A state machine, or a Parallel branch, or a Map's item processor. */
export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
}

/** A Choice rule: a comparison (or And/Or/Not) and, at the top level, the state it leads to. */
export type AslChoiceRule = Record<string, unknown> & { Next?: string };

/** The fields of a state the walker reads; the rest of the state is carried along untouched. */
export interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: AslChoiceRule[];
  Catch?: Array<{ ErrorEquals?: string[]; Next?: string }>;
  Branches?: AslDefinition[];
  ItemProcessor?: AslDefinition;
  /** The pre-2022 name of ItemProcessor. */
  Iterator?: AslDefinition;
  [field: string]: unknown;
}

/** One way out of a state. `rule` is the Choice rule that takes it; `errorEquals` the errors a Catch takes. */
export interface AslTransition {
  to: string;
  kind: 'next' | 'choice' | 'default' | 'catch';
  rule?: AslChoiceRule;
  errorEquals?: string[];
}

/** The definitions nested in a state: a Parallel's branches, a Map's item processor. */
export function nestedDefinitions(state: AslState): AslDefinition[] {
  const processor = state.ItemProcessor ?? state.Iterator;
  return [...(state.Branches ?? []), ...(processor ? [processor] : [])];
}

/** Anything that holds states: a definition, a branch, or a fragment of one. */
export type AslStates = { States?: Record<string, AslState> };

/**
 * Every state of a definition as [name, state], depth first in definition order; with `nested` (the default) the
 * states of Parallel branches and Map processors follow the state that holds them. The states are the definition's
 * own objects, so a caller working on a copy may change them in place.
 */
export function* eachState(definition: AslStates, options: { nested?: boolean } = {}): Generator<[string, AslState]> {
  for (const [name, state] of Object.entries(definition.States ?? {})) {
    yield [name, state];
    if (options.nested === false) continue;
    for (const inner of nestedDefinitions(state)) yield* eachState(inner, options);
  }
}

/** The transitions out of a state, in the order a run tries them: Next, each Choice, Default, then each Catch. */
export function transitionsOf(state: AslState): AslTransition[] {
  const transitions: AslTransition[] = [];
  if (state.Next) transitions.push({ to: state.Next, kind: 'next' });
  for (const rule of state.Choices ?? []) if (rule.Next) transitions.push({ to: rule.Next, kind: 'choice', rule });
  if (state.Default) transitions.push({ to: state.Default, kind: 'default' });
  for (const handler of state.Catch ?? [])
    if (handler.Next) transitions.push({ to: handler.Next, kind: 'catch', errorEquals: handler.ErrorEquals ?? [] });
  return transitions;
}

/** Whether a run ends at this state (Succeed, Fail, or `End: true`). */
export function isTerminal(state: AslState): boolean {
  return state.Type === 'Succeed' || state.Type === 'Fail' || state.End === true;
}
