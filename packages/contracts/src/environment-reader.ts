import { ConfigurationError } from './errors';
import { MAX_VARIANT_WIDTH } from './pipeline-version';

/**
 * Reads a function's environment variables and collects every problem instead of stopping at the first, so the one
 * ConfigurationError thrown at cold start names all of them (a deployer fixes them in one go). Each reader returns
 * its fallback (or '') for a bad value; `done()` throws if anything was wrong.
 */
export class EnvironmentReader {
  private readonly problems: string[] = [];

  public constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  /** The trimmed value, or '' with the problem "NAME is required" when it is unset or blank. */
  public required(name: string): string {
    const value = this.text(name);
    if (value === '') this.problems.push(`${name} is required`);
    return value;
  }

  /** The trimmed value, '' when unset. */
  public text(name: string): string {
    return this.env[name]?.trim() ?? '';
  }

  /** A positive whole number; `fallback` when unset. */
  public positiveInteger(name: string, fallback: number): number {
    const raw = this.text(name);
    if (raw === '') return fallback;
    const value = Number(raw);
    if (Number.isSafeInteger(value) && value > 0) return value;
    this.problems.push(`${name} must be a positive integer, got "${raw}"`);
    return fallback;
  }

  /** A whole number from `min` to `max`; `fallback` when unset. */
  public integer(name: string, min: number, max: number, fallback: number): number {
    const raw = this.text(name);
    if (raw === '') return fallback;
    const value = Number(raw);
    if (Number.isInteger(value) && value >= min && value <= max) return value;
    this.problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }

  /** true/false (also 1/0, any case); false when unset. */
  public flag(name: string): boolean {
    const raw = this.text(name).toLowerCase();
    if (raw === 'true' || raw === '1') return true;
    if (raw !== '' && raw !== 'false' && raw !== '0') this.problems.push(`${name} must be true or false, got "${raw}"`);
    return false;
  }

  /** Comma-separated image widths, deduplicated and ascending; `fallback` when unset. */
  public widths(name: string, fallback: readonly number[]): number[] {
    const raw = this.text(name);
    if (raw === '') return [...fallback];
    const parsed = raw.split(',').map((part) => Number(part.trim()));
    if (parsed.some((width) => !Number.isSafeInteger(width) || width <= 0 || width > MAX_VARIANT_WIDTH)) {
      this.problems.push(`${name} must be comma-separated integers 1..${MAX_VARIANT_WIDTH}, got "${raw}"`);
      return [...fallback];
    }
    return [...new Set(parsed)].sort((a, b) => a - b);
  }

  /** Records a problem found by the caller's own check (one that no reader above covers). */
  public problem(description: string): void {
    this.problems.push(description);
  }

  /** @throws ConfigurationError naming every problem found so far. */
  public done(): void {
    if (this.problems.length > 0) throw new ConfigurationError([...this.problems]);
  }
}
