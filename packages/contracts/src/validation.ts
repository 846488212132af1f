// A namespace import lets esbuild drop what is unused (zod's locales alone are ~350 KB minified).
import * as z from 'zod';

/** Renders a zod issue path the way the messages read it: `Records[0].s3.object.key`, `image.versionId`. */
export function pathText(path: readonly PropertyKey[], root = 'input'): string {
  if (path.length === 0) return root;
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('');
}

/** One line per problem, each naming the field: "imageId must be 32 lowercase hex". */
export function problemsOf(error: z.ZodError, root?: string): string[] {
  return [...new Set(error.issues.map((issue) => `${pathText(issue.path, root)} ${issue.message}`))];
}

/**
 * Validates a payload against its contract schema and returns the parsed (typed, normalised) value.
 * @throws the error `fail` builds from every problem found, so one message tells the whole story.
 */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, fail: (problems: string[]) => Error): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw fail(problemsOf(result.error));
  return result.data;
}

/** A string matching a pattern, with one message for a wrong type and a wrong shape alike. */
export function matching(pattern: RegExp, message: string) {
  return z.string({ error: message }).regex(pattern, { error: message });
}

/** A non-empty string. */
export function nonEmptyString(message = 'must be a non-empty string') {
  return z.string({ error: message }).min(1, { error: message });
}

/** A finite number. */
export function finiteNumber(message = 'must be a number') {
  return z.number({ error: message }).refine(Number.isFinite, { error: message });
}

/** A plain object whose fields are checked by `shape`; unknown fields are kept, so a payload can grow without breaking older readers. */
export function objectOf<Shape extends z.ZodRawShape>(shape: Shape, message = 'must be an object') {
  return z.looseObject(shape, { error: message });
}
