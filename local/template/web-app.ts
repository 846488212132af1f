import { TemplateResolutionError } from './errors';
import type { ResourceIdentity } from './physical-names';
import type { LocalHttpApi, LocalUserPool, LocalUserPoolClient } from './types';

type Resource = { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> };
type Resolve = (value: unknown) => unknown;

const refTo = (value: unknown): string | undefined =>
  value && typeof value === 'object' && 'Ref' in value ? String((value as { Ref: unknown }).Ref) : undefined;
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** Minutes of a Cognito token validity given in `TokenValidityUnits` (default hours for access/ID, days for refresh). */
function minutesOf(value: unknown, unit: unknown, fallbackMinutes: number, defaultUnit: string): number {
  if (value === undefined) return fallbackMinutes;
  const perUnit: Record<string, number> = { seconds: 1 / 60, minutes: 1, hours: 60, days: 1440 };
  return Number(value) * (perUnit[String(unit ?? defaultUnit)] ?? 1);
}

/** The template's Cognito user pools with their app clients and groups, as local mode's user pool serves them. */
export function readUserPools(
  resources: Array<[string, Resource]>,
  identities: Record<string, ResourceIdentity>,
  resolve: Resolve,
): LocalUserPool[] {
  const of = (type: string) => resources.filter(([, r]) => r.Type === type);
  return of('AWS::Cognito::UserPool').map(([logicalId, pool]) => {
    const props = (resolve(pool.Properties ?? {}) ?? {}) as Record<string, any>;
    const policy = props.Policies?.PasswordPolicy ?? {};
    const clients: LocalUserPoolClient[] = of('AWS::Cognito::UserPoolClient')
      .filter(([, client]) => refTo(client.Properties?.UserPoolId) === logicalId)
      .map(([clientId, client]) => {
        const c = (resolve(client.Properties ?? {}) ?? {}) as Record<string, any>;
        const units = c.TokenValidityUnits ?? {};
        return {
          logicalId: clientId,
          id: identities[clientId].ref,
          callbackUrls: list(c.CallbackURLs),
          logoutUrls: list(c.LogoutURLs),
          scopes: list(c.AllowedOAuthScopes),
          accessTokenMinutes: minutesOf(c.AccessTokenValidity, units.AccessToken, 60, 'hours'),
          idTokenMinutes: minutesOf(c.IdTokenValidity, units.IdToken, 60, 'hours'),
          refreshTokenDays: minutesOf(c.RefreshTokenValidity, units.RefreshToken, 30 * 1440, 'days') / 1440,
        };
      });
    const groups = of('AWS::Cognito::UserPoolGroup')
      .filter(([, group]) => refTo(group.Properties?.UserPoolId) === logicalId)
      .map(([, group]) => {
        const g = (resolve(group.Properties ?? {}) ?? {}) as Record<string, unknown>;
        return { name: String(g.GroupName), ...(g.Description ? { description: String(g.Description) } : {}) };
      });
    return {
      logicalId,
      id: identities[logicalId].ref,
      cloudIssuer: identities[logicalId].attributes.ProviderURL,
      passwordPolicy: {
        minimumLength: Number(policy.MinimumLength ?? 8),
        requireLowercase: policy.RequireLowercase !== false,
        requireUppercase: policy.RequireUppercase !== false,
        requireNumbers: policy.RequireNumbers !== false,
        requireSymbols: policy.RequireSymbols !== false,
        temporaryPasswordValidityDays: Number(policy.TemporaryPasswordValidityDays ?? 7),
      },
      clients,
      groups,
    };
  });
}

/**
 * The template's HTTP APIs: CORS, the default JWT authorizer and every route a function's `Events` of type HttpApi
 * adds (an event without ApiId joins SAM's implicit API, which this template does not use).
 */
export function readHttpApis(
  resources: Array<[string, Resource]>,
  identities: Record<string, ResourceIdentity>,
  resolve: Resolve,
): LocalHttpApi[] {
  const apis = resources.filter(([, r]) => r.Type === 'AWS::Serverless::HttpApi');
  return apis.map(([logicalId, api]) => {
    const props = (resolve(api.Properties ?? {}) ?? {}) as Record<string, any>;
    const cors = props.CorsConfiguration;
    const auth = props.Auth ?? {};
    const jwt = auth.DefaultAuthorizer ? auth.Authorizers?.[auth.DefaultAuthorizer]?.JwtConfiguration : undefined;
    const routes = resources
      .filter(([, r]) => r.Type === 'AWS::Serverless::Function')
      .flatMap(([functionLogicalId, fn]) =>
        Object.entries((fn.Properties?.Events ?? {}) as Record<string, { Type: string; Properties?: Record<string, unknown> }>)
          .filter(([, event]) => event.Type === 'HttpApi' && refTo(event.Properties?.ApiId) === logicalId)
          .map(([name, event]) => {
            const path = event.Properties?.Path;
            const method = event.Properties?.Method;
            if (typeof path !== 'string' || typeof method !== 'string')
              throw new TemplateResolutionError(`${functionLogicalId}.Events.${name}: an HttpApi event needs Path and Method`);
            const authorizer = (event.Properties?.Auth as { Authorizer?: string } | undefined)?.Authorizer;
            return { routeKey: `${method.toUpperCase()} ${path}`, functionLogicalId, authorized: Boolean(jwt) && authorizer !== 'NONE' };
          }),
      );
    return {
      logicalId,
      id: identities[logicalId].ref,
      ...(cors && typeof cors === 'object'
        ? {
            cors: {
              allowOrigins: list(cors.AllowOrigins),
              allowMethods: list(cors.AllowMethods),
              allowHeaders: list(cors.AllowHeaders),
              exposeHeaders: list(cors.ExposeHeaders),
              maxAge: cors.MaxAge === undefined ? undefined : Number(cors.MaxAge),
            },
          }
        : {}),
      ...(jwt ? { authorizer: { issuer: String(jwt.issuer), audience: list(jwt.audience) } } : {}),
      routes,
    };
  });
}
