import { DEFAULT_VARIANT_WIDTHS, EnvironmentReader } from '@smart-image-pipeline/contracts';

/** Settings of ResolveVersion, read once per cold start. */
export interface ResolveVersionConfig {
  readonly configParameterName: string;
  readonly imagesTableName: string;
  readonly defaultWidths: readonly number[];
}

/**
 * Reads ResolveVersion's settings from the environment (the only reader of `process.env`).
 * @throws ConfigurationError naming every missing or invalid variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ResolveVersionConfig {
  const read = new EnvironmentReader(env);
  const config = {
    configParameterName: read.required('CONFIG_PARAMETER_NAME'),
    imagesTableName: read.required('IMAGES_TABLE_NAME'),
    defaultWidths: Object.freeze(read.widths('VARIANT_WIDTHS', DEFAULT_VARIANT_WIDTHS)),
  };
  read.done();
  return Object.freeze(config);
}
