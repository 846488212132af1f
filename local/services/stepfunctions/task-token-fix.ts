/**
 * aws-local-stepfunctions 3.0.0 has no `$$.Task.Token` in its Context object (it builds the context once per run,
 * with no per-attempt hook). For `.waitForTaskToken` Task states this module takes every Parameters field whose whole
 * value is `$$.Task.Token` out of the engine's hands and records where it was; the local task handler writes the
 * attempt's fresh token there before calling the resource, so the resource receives what Step Functions would send.
 * It also lifts the engine's 60-second default task timeout, which AWS does not have, for those states.
 * The engine reads TimeoutSecondsPath from the Task's processed Parameters, where AWS reads it from the state input;
 * such a path is moved into a Parameters field the task handler takes out again (TIMEOUT_FIELD), so it resolves
 * against the state input as on AWS and the token expires with it.
 */

import { eachState, type AslStates } from './asl-walker';
import type { CallbackLimits } from './task-tokens';

export const WAIT_FOR_TASK_TOKEN = /\.waitForTaskToken$/;
const TASK_TOKEN = '$$.Task.Token';
// The longest timer Node arms (2^31 - 1 ms, ~24.8 days); the engine's setTimeout fires at once beyond it.
export const MAX_LOCAL_WAIT_SECONDS = Math.floor(0x7fffffff / 1000);

/** The Parameters field that carries a TimeoutSecondsPath's value from the state input to the task handler. */
export const TIMEOUT_FIELD = '__localTimeoutSeconds';

/**
 * Per callback Task state: where its token goes (field paths within the processed Parameters), its limits, and
 * whether its timeout comes from the state input (TIMEOUT_FIELD of the processed Parameters).
 */
export type TaskTokenPlan = Record<string, { tokenFields: string[][]; limits: CallbackLimits; timeoutFromInput?: boolean }>;

/** Returns a copy of the definition prepared for the callback pattern, and the plan the task handlers follow. */
export function planTaskTokens<D extends AslStates>(definition: D): { definition: D; tokens: TaskTokenPlan } {
  const tokens: TaskTokenPlan = {};
  const copy = JSON.parse(JSON.stringify(definition)) as D;
  for (const [name, state] of eachState(copy)) {
    if (state.Type !== 'Task' || typeof state.Resource !== 'string' || !WAIT_FOR_TASK_TOKEN.test(state.Resource)) continue;
    const tokenFields: string[][] = [];
    if (state.Parameters && typeof state.Parameters === 'object')
      takeTokenFields(state.Parameters as Record<string, unknown>, [], tokenFields);
    const timeoutSeconds = typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : undefined;
    const heartbeatSeconds = typeof state.HeartbeatSeconds === 'number' ? state.HeartbeatSeconds : undefined;
    const timeoutFromInput = typeof state.TimeoutSecondsPath === 'string' && !!state.Parameters && typeof state.Parameters === 'object';
    if (timeoutFromInput) {
      (state.Parameters as Record<string, unknown>)[`${TIMEOUT_FIELD}.$`] = state.TimeoutSecondsPath;
      state.TimeoutSecondsPath = `$.${TIMEOUT_FIELD}`;
    }
    if (timeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) state.TimeoutSeconds = MAX_LOCAL_WAIT_SECONDS;
    tokens[name] = { tokenFields, limits: { timeoutSeconds, heartbeatSeconds }, ...(timeoutFromInput ? { timeoutFromInput } : {}) };
  }
  return { definition: copy, tokens };
}

/** A copy of a Task's processed input with the token written at each planned field. */
export function insertTaskToken(input: unknown, fields: string[][], token: string): unknown {
  if (!fields.length || !input || typeof input !== 'object') return input;
  const out = JSON.parse(JSON.stringify(input)) as Record<string, unknown>;
  for (const path of fields) {
    let node = out;
    for (const key of path.slice(0, -1)) {
      if (!node[key] || typeof node[key] !== 'object') node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[path[path.length - 1]] = token;
  }
  return out;
}

function takeTokenFields(template: Record<string, unknown>, at: string[], fields: string[][]): void {
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && typeof value === 'string' && value.trim() === TASK_TOKEN) {
      delete template[key];
      fields.push([...at, key.slice(0, -2)]);
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      takeTokenFields(value as Record<string, unknown>, [...at, key], fields);
    }
  }
}

/** Takes TIMEOUT_FIELD out of a Task's processed input: the resource never sees it; the token expires with it. */
export function takeInputTimeout(input: unknown): { input: unknown; timeoutSeconds?: number } {
  if (!input || typeof input !== 'object' || !(TIMEOUT_FIELD in input)) return { input };
  const { [TIMEOUT_FIELD]: value, ...rest } = input as Record<string, unknown>;
  return { input: rest, timeoutSeconds: typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : undefined };
}
