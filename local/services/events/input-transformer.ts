import { isObject } from '@smart-image-pipeline/contracts';

/** A rule target's InputTransformer as the template declares it. */
export interface InputTransformerSpec {
  InputPathsMap?: Record<string, string>;
  InputTemplate: string;
}

/** The JSON-path subset local mode reads: `$`, then dot-separated keys or array indices (`$.detail.labels`). */
function valueAt(event: unknown, path: string): unknown {
  if (!/^\$(\.[A-Za-z0-9_-]+)*$/.test(path)) throw new Error(`InputPathsMap path ${path} is not supported locally (dot notation only)`);
  let value: unknown = event;
  for (const key of path.split('.').slice(1)) {
    if (Array.isArray(value) && /^[0-9]+$/.test(key)) value = value[Number(key)];
    else value = isObject(value) ? value[key] : undefined;
  }
  return value;
}

/**
 * What EventBridge sends a target that has an InputTransformer: the template with each `<name>` replaced by the value at
 * its path. A placeholder inside a JSON string gets the value's text (escaped for JSON), one outside a string gets the
 * value as JSON; a path that is absent becomes `null` (an empty string when quoted).
 */
export function applyInputTransformer(spec: InputTransformerSpec, event: unknown): string {
  const values = new Map(Object.entries(spec.InputPathsMap ?? {}).map(([name, path]) => [name, valueAt(event, path)]));
  return spec.InputTemplate.replace(/("?)<([A-Za-z0-9_.-]+)>("?)/g, (whole, open: string, name: string, close: string) => {
    if (!values.has(name)) return whole;
    const value = values.get(name);
    if (open && close) {
      const text = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
      return JSON.stringify(text);
    }
    return `${open}${value === undefined ? 'null' : JSON.stringify(value)}${close}`;
  });
}
