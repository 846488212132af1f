import { badRequest } from './http-error';

/** Reads query parameters strictly: unknown or repeated names are refused, so typos fail loudly instead of being ignored. */
export class QueryReader {
  constructor(
    private readonly params: URLSearchParams,
    allowed: readonly string[],
  ) {
    const seen = new Set<string>();
    for (const name of params.keys()) {
      if (!allowed.includes(name))
        throw badRequest(
          allowed.length === 0
            ? `Unknown query parameter "${name}"; this request takes none.`
            : `Unknown query parameter "${name}"; allowed: ${allowed.join(', ')}.`,
        );
      if (seen.has(name)) throw badRequest(`Query parameter "${name}" is given more than once.`);
      seen.add(name);
    }
  }

  /** A trimmed string of bounded length, or undefined when absent or empty. @throws HttpError 400 when too long. */
  string(name: string, maxLength: number): string | undefined {
    const value = this.params.get(name)?.trim();
    if (value === undefined || value === '') return undefined;
    if (value.length > maxLength) throw badRequest(`"${name}" must be at most ${maxLength} characters.`);
    if (/[\u0000-\u001f]/.test(value)) throw badRequest(`"${name}" must not contain control characters.`);
    return value;
  }

  /** One of the listed words. @throws HttpError 400 for any other value. */
  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T;
  choice<T extends string>(name: string, choices: readonly T[]): T | undefined;
  choice<T extends string>(name: string, choices: readonly T[], fallback?: T): T | undefined {
    const value = this.params.get(name);
    if (value === null || value === '') return fallback;
    if (!(choices as readonly string[]).includes(value)) throw badRequest(`"${name}" must be one of ${choices.join(', ')}.`);
    return value as T;
  }

  /** A finite number within bounds. @throws HttpError 400 when not a number or out of range. */
  number(name: string, min: number, max: number): number | undefined {
    const raw = this.params.get(name);
    if (raw === null || raw === '') return undefined;
    if (!/^-?\d+(\.\d+)?$/.test(raw.trim())) throw badRequest(`"${name}" must be a number.`);
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max) throw badRequest(`"${name}" must be between ${min} and ${max}.`);
    return value;
  }

  /** An integer within bounds, or the fallback. @throws HttpError 400 when not an integer or out of range. */
  integer(name: string, min: number, max: number, fallback: number): number {
    const raw = this.params.get(name);
    if (raw === null || raw === '') return fallback;
    if (!/^\d+$/.test(raw.trim())) throw badRequest(`"${name}" must be a whole number.`);
    const value = Number(raw);
    if (value < min || value > max) throw badRequest(`"${name}" must be between ${min} and ${max}.`);
    return value;
  }

  /** "true" or "false", or undefined when absent. @throws HttpError 400 for any other value. */
  boolean(name: string): boolean | undefined {
    const value = this.choice(name, ['true', 'false'] as const);
    return value === undefined ? undefined : value === 'true';
  }

  /**
   * A date (`2026-11-25`) or a UTC timestamp (`2026-11-25T12:00:00Z`), as the ISO text the table stores; a bare
   * date means its first millisecond, or its last with `endOfDay`. @throws HttpError 400 for anything else.
   */
  timestamp(name: string, endOfDay = false): string | undefined {
    const raw = this.string(name, 40);
    if (raw === undefined) return undefined;
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(raw);
    const text = dateOnly ? `${raw}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}Z` : raw;
    const time = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/.test(text) ? Date.parse(text) : Number.NaN;
    if (Number.isNaN(time)) throw badRequest(`"${name}" must be a date (2026-11-25) or a UTC time (2026-11-25T12:00:00Z).`);
    return new Date(time).toISOString();
  }
}
