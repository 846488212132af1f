/**
 * aws-local-stepfunctions 3.0.0 removes every backslash from the string an intrinsic function returns
 * (`result.replaceAll("\\", "")`), so `States.JsonToString` of an object holding JSON text (a Lambda error's Cause)
 * comes out as invalid JSON. For Task states this module moves a field whose whole value is
 * `States.JsonToString(<path>)` out of the engine: the engine passes the value at the path, and the local task
 * handler serialises it before calling the resource, which gives exactly what Step Functions would send.
 */

import { eachState, type AslStates } from './asl-walker';

type Json = unknown;

const JSON_TO_STRING = /^States\.JsonToString\(\s*(\$[^(),]*)\s*\)$/;

/** Field paths (within a Task's processed input) to JSON-serialise, per Task state name. */
export type StringifyPlan = Record<string, string[][]>;

/**
 * Returns a copy of the definition with `"<field>.$": "States.JsonToString($.path)"` in Task Parameters turned into
 * `"<field>.$": "$.path"`, and the plan of which fields to serialise.
 */
export function planJsonToString<D extends AslStates>(definition: D): { definition: D; plan: StringifyPlan } {
  const plan: StringifyPlan = {};
  // A JSON round trip, not structuredClone: under Jest that returns objects of another realm, which the engine does not take for plain objects.
  const copy = JSON.parse(JSON.stringify(definition)) as D;
  // The walker hands out the copy's own state objects, so Parameters are rewritten in place.
  for (const [name, state] of eachState(copy)) {
    if (state.Type !== 'Task' || !state.Parameters) continue;
    const fields: string[][] = [];
    rewriteTemplate(state.Parameters as Record<string, Json>, [], fields);
    if (fields.length) plan[name] = fields;
  }
  return { definition: copy, plan };
}

/** Serialises the planned fields of a Task's input, as `States.JsonToString` would have. */
export function applyJsonToString(input: Json, fields: string[][] | undefined): Json {
  if (!fields?.length || !input || typeof input !== 'object') return input;
  const out = JSON.parse(JSON.stringify(input)) as Record<string, Json>;
  for (const path of fields) {
    let node = out as Record<string, Json> | undefined;
    for (const key of path.slice(0, -1)) node = node?.[key] as Record<string, Json> | undefined;
    const last = path[path.length - 1];
    if (node && last in node) node[last] = JSON.stringify(node[last]);
  }
  return out;
}

function rewriteTemplate(template: Record<string, Json>, at: string[], fields: string[][]): void {
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && typeof value === 'string') {
      const match = JSON_TO_STRING.exec(value.trim());
      if (match) {
        template[key] = match[1];
        fields.push([...at, key.slice(0, -2)]);
      }
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      rewriteTemplate(value as Record<string, Json>, [...at, key], fields);
    }
  }
}
