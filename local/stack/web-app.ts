import type { EdgeService } from '../edge/types';
import { startHttpApiServer, type HttpApiServer } from '../services/apigateway/http-api-server';
import { cognitoAdminEdgeService } from '../services/cognito-idp/admin-api';
import { ensureDefaultUser, type DefaultUser } from '../services/cognito-idp/default-user';
import { LocalUserPoolService } from '../services/cognito-idp/user-pool';
import { startUserPoolServer, type UserPoolServer } from '../services/cognito-idp/user-pool-server';
import type { LambdaRuntime } from '../services/lambda';
import type { LocalApp } from '../template/types';
import { createTokenVerifier } from '../../functions/api/src/auth/token-verifier';

/** What the web app's front end needs to know (its config.json), in local mode. */
export interface WebAppInfo {
  apiUrl: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  /** Base URL of the hosted sign-in (`/oauth2/authorize`, `/oauth2/token`, `/logout` below it). */
  authDomainUrl: string;
  issuer: string;
  /** `sub` names the user's upload folder (`uploads/<sub>/`), so a CLI upload there shows in the user's gallery. */
  defaultUser: { email: string; sub: string; passwordFile: string };
}

/** The template's user pools and HTTP APIs, served locally. */
export interface LocalWebApp {
  pools: LocalUserPoolService[];
  /** The user pools' admin API, mounted on the edge. */
  edgeServices: EdgeService[];
  /** Undefined until started, or when the template declares no HTTP API and user pool. */
  info?: WebAppInfo;
  /** Starts the user pools' sign-in server and points every function's issuer setting at it (before any invoke). */
  startUserPools(options: { port: number; allowedOrigins: readonly string[]; autoSignIn: boolean }): Promise<void>;
  /** Starts the HTTP APIs in front of the functions. */
  startApis(options: { port: number; allowedOrigins: readonly string[]; lambda: LambdaRuntime; log(line: string): void }): Promise<void>;
  close(): Promise<void>;
}

/** Opens the template's user pools (users, signing keys, the default user) under the data folder. */
export async function openWebApp(app: LocalApp, dataDir: string): Promise<LocalWebApp> {
  const pools = await Promise.all(app.userPools.map((pool) => LocalUserPoolService.open(pool, dataDir)));
  const defaults = new Map<string, DefaultUser>();
  for (const pool of pools) defaults.set(pool.id, await ensureDefaultUser(pool, dataDir));
  let userPoolServer: UserPoolServer | undefined;
  const apiServers: HttpApiServer[] = [];

  const web: LocalWebApp = {
    pools,
    edgeServices: pools.length ? [cognitoAdminEdgeService(pools)] : [],
    async startUserPools({ port, allowedOrigins, autoSignIn }) {
      if (pools.length === 0) return;
      const defaultUserOf = (pool: LocalUserPoolService) => pool.users.find(defaults.get(pool.id)?.email ?? '');
      userPoolServer = await startUserPoolServer({ pools, port, allowedOrigins, autoSignIn: autoSignIn ? defaultUserOf : undefined });
      // The template names the cloud issuer (https://cognito-idp.<region>.amazonaws.com/<pool id>); locally the same
      // setting must name the local pool, as AWS_ENDPOINT_URL redirects the SDK.
      for (const fn of app.functions) {
        for (const [name, value] of Object.entries(fn.environment)) {
          for (const pool of pools)
            if (value.startsWith(pool.definition.cloudIssuer))
              fn.environment[name] = pool.issuer + value.slice(pool.definition.cloudIssuer.length);
        }
      }
    },
    async startApis({ port, allowedOrigins, lambda, log }) {
      const [api] = app.httpApis;
      const pool = pools[0];
      if (!api || !pool || !userPoolServer) return;
      const audience = api.authorizer?.audience[0] ?? pool.definition.clients[0]?.id;
      const verifier = createTokenVerifier({ issuer: pool.issuer, clientId: audience });
      const server = await startHttpApiServer({
        api,
        port,
        accountId: app.pseudo.accountId,
        invoke: (fn, event) => lambda.invoke(fn, event),
        authorizer: api.authorizer ? verifier : undefined,
        allowedOrigins,
        onIntegrationError: (routeKey, error) => log(`HTTP API ${routeKey}: the integration failed: ${(error as Error).message}`),
      });
      apiServers.push(server);
      const client = pool.definition.clients.find((entry) => entry.id === audience) ?? pool.definition.clients[0];
      const defaultUser = defaults.get(pool.id) as DefaultUser;
      web.info = {
        apiUrl: server.url,
        region: app.pseudo.region,
        userPoolId: pool.id,
        userPoolClientId: client.id,
        authDomainUrl: pool.issuer,
        issuer: pool.issuer,
        defaultUser: { email: defaultUser.email, sub: defaultUser.user.sub, passwordFile: defaultUser.passwordFile },
      };
    },
    async close() {
      await Promise.allSettled([userPoolServer?.close(), ...apiServers.map((server) => server.close())]);
    },
  };
  return web;
}
