/** What /config.json holds: where the API and the sign-in are (written by WebDeployment in AWS, by the local server locally). */
export interface AppConfig {
  apiUrl: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  /** Base of the hosted sign-in: `/oauth2/authorize`, `/oauth2/token` and `/logout` are below it. */
  authDomainUrl: string;
  /** Local mode's extras (the outbox); absent in AWS. */
  local?: { outbox: boolean; events?: boolean };
}

let loaded: AppConfig | undefined;

/** Loads /config.json once. @throws Error when it is missing or incomplete. */
export async function loadConfig(): Promise<AppConfig> {
  if (loaded) return loaded;
  const response = await fetch('/config.json', { cache: 'no-cache', headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
  const config = (await response.json()) as AppConfig;
  for (const key of ['apiUrl', 'userPoolClientId', 'authDomainUrl'] as const)
    if (typeof config[key] !== 'string' || !config[key]) throw new Error(`/config.json has no ${key}`);
  loaded = { ...config, apiUrl: config.apiUrl.replace(/\/$/, ''), authDomainUrl: config.authDomainUrl.replace(/\/$/, '') };
  return loaded;
}

/** The loaded configuration. @throws Error before loadConfig has finished. */
export function appConfig(): AppConfig {
  if (!loaded) throw new Error('the configuration is not loaded yet');
  return loaded;
}
