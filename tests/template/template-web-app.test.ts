import { loadTemplate, type Resource } from './support/template';

// The deployed web app (issue 11): sign-in, the JWT-protected HttpApi and the console behind CloudFront.
const template = loadTemplate();
const resources = template.Resources;

function resource(id: string): Resource & { Properties: Record<string, any> } {
  const found = resources[id];
  if (!found?.Properties) throw new Error(`template.yaml has no resource ${id} with Properties`);
  return found as Resource & { Properties: Record<string, any> };
}

/** The single origin a Sub such as `https://${WebDistribution.DomainName}` names. */
function subText(value: unknown): string {
  const sub = (value as { 'Fn::Sub'?: unknown })['Fn::Sub'];
  return Array.isArray(sub) ? String(sub[0]) : String(sub);
}

const WEB_ORIGIN = 'https://${WebDistribution.DomainName}';

describe('user pool', () => {
  const pool = resource('UserPool').Properties;

  it('signs users up and in by verified e-mail with a strong password policy and optional authenticator MFA', () => {
    expect(pool.UsernameAttributes).toEqual(['email']);
    expect(pool.AutoVerifiedAttributes).toEqual(['email']);
    expect(pool.Policies.PasswordPolicy).toMatchObject({
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    expect(pool.Policies.PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(12);
    expect(pool.MfaConfiguration).toBe('OPTIONAL');
    expect(pool.EnabledMfas).toContain('SOFTWARE_TOKEN_MFA');
  });

  it('keeps the users when the stack is deleted or the pool replaced', () => {
    expect(resources.UserPool.DeletionPolicy).toBe('Retain');
    expect(resources.UserPool.UpdateReplacePolicy).toBe('Retain');
  });

  it('has a public app client: code flow with PKCE, no secret, callbacks only to the console', () => {
    const client = resource('UserPoolClient').Properties;

    expect(client.GenerateSecret).toBe(false);
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(client.PreventUserExistenceErrors).toBe('ENABLED');
    expect(client.CallbackURLs.map(subText)).toEqual([`${WEB_ORIGIN}/`]);
    expect(client.LogoutURLs.map(subText)).toEqual([`${WEB_ORIGIN}/`]);
    // Password sign-in from the browser would bypass the hosted page (and its MFA prompt).
    expect(client.ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
  });

  it('has a hosted domain and the admins group on the same pool', () => {
    expect(resource('UserPoolDomain').Properties.UserPoolId).toEqual({ Ref: 'UserPool' });
    expect(resource('AdminsGroup').Properties).toMatchObject({ UserPoolId: { Ref: 'UserPool' }, GroupName: 'admins' });
  });
});

describe('HttpApi', () => {
  const api = resource('HttpApi').Properties;
  const routes = Object.values(
    resource('ApiFunction').Properties.Events as Record<string, { Type: string; Properties: Record<string, any> }>,
  );

  it('checks a JWT from this pool and client on every route, none of which opts out', () => {
    const authorizer = api.Auth.Authorizers[api.Auth.DefaultAuthorizer];

    expect(subText(authorizer.JwtConfiguration.issuer)).toBe('https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}');
    expect(authorizer.JwtConfiguration.audience).toEqual([{ Ref: 'UserPoolClient' }]);
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      expect(route.Type).toBe('HttpApi');
      expect(route.Properties.ApiId).toEqual({ Ref: 'HttpApi' });
      expect(route.Properties.Auth).toBeUndefined();
    }
  });

  it('throttles the stage from parameters and allows CORS for the console origin only', () => {
    expect(api.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: { Ref: 'ApiThrottlingRateLimit' },
      ThrottlingBurstLimit: { Ref: 'ApiThrottlingBurstLimit' },
    });
    expect(template.Parameters.ApiThrottlingRateLimit).toBeDefined();
    expect(template.Parameters.ApiThrottlingBurstLimit).toBeDefined();
    expect(api.CorsConfiguration.AllowOrigins.map(subText)).toEqual([WEB_ORIGIN]);
  });

  it('writes access logs with the caller and the authorizer error', () => {
    expect(api.AccessLogSettings.DestinationArn).toEqual({ 'Fn::GetAtt': ['ApiAccessLogGroup', 'Arn'] });
    expect(api.AccessLogSettings.Format).toContain('$context.authorizer.claims.sub');
    expect(api.AccessLogSettings.Format).toContain('$context.authorizer.error');
  });
});

describe('processed bucket', () => {
  it("lets script GET its objects with a presigned URL (the HLS player's segment fetches) and nothing more", () => {
    const rules = resource('ProcessedBucket').Properties.CorsConfiguration.CorsRules;
    expect(rules).toHaveLength(1);
    // The signature grants the read; CORS only lets a page's script see the answer: GET, no headers, no credentials.
    expect(rules[0]).toEqual({ AllowedOrigins: ['*'], AllowedMethods: ['GET'], MaxAge: 600 });
    const policy = resource('ProcessedBucketPolicy').Properties.PolicyDocument.Statement;
    expect(policy.every((statement: { Effect: string }) => statement.Effect === 'Deny')).toBe(true);
    expect(resource('ProcessedBucket').Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });
});

describe('console behind CloudFront', () => {
  const distribution = resource('WebDistribution').Properties.DistributionConfig;

  it('reads a private bucket through origin access control only', () => {
    const bucket = resource('WebBucket').Properties;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(distribution.Origins).toHaveLength(1);
    expect(distribution.Origins[0].OriginAccessControlId).toEqual({ 'Fn::GetAtt': ['WebOriginAccessControl', 'Id'] });
    expect(resource('WebOriginAccessControl').Properties.OriginAccessControlConfig).toMatchObject({
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });

    const statements = resource('WebBucketPolicy').Properties.PolicyDocument.Statement as Record<string, any>[];
    const allows = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0].Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    expect(allows[0].Action).toBe('s3:GetObject');
    expect(subText(allows[0].Condition.StringEquals['AWS:SourceArn'])).toContain('distribution/${WebDistribution}');
    expect(
      statements.some((statement) => statement.Effect === 'Deny' && statement.Condition?.Bool?.['aws:SecureTransport'] === 'false'),
    ).toBe(true);
  });

  it('serves HTTPS only with the security headers', () => {
    const behaviour = distribution.DefaultCacheBehavior;
    expect(behaviour.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(behaviour.AllowedMethods).toEqual(['GET', 'HEAD']);
    expect(behaviour.ResponseHeadersPolicyId).toEqual({ Ref: 'WebResponseHeadersPolicy' });

    const headers = resource('WebResponseHeadersPolicy').Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31536000);
    expect(headers.FrameOptions.FrameOption).toBe('DENY');
    expect(headers.ContentTypeOptions.Override).toBe(true);
    const csp = subText(headers.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    // A video's rendition plays from the processed bucket's presigned GETs; the HLS player fetches segments from there
    // and plays them through a MediaSource (a blob: URL).
    expect(csp).toContain('media-src blob: https://${ProcessedBucket.RegionalDomainName};');
    expect(csp).toMatch(/connect-src 'self' https:\/\/\$\{ProcessedBucket\.RegionalDomainName\}\s/);
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('routes the single-page app: a path without an extension gets index.html, a file keeps its path', () => {
    const routing = resource('WebSpaRoutingFunction').Properties;
    expect(distribution.DefaultCacheBehavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': ['WebSpaRoutingFunction', 'FunctionMetadata.FunctionARN'] } },
    ]);
    // Run the CloudFront Function's own code on sample requests.
    const handler = new Function(`${routing.FunctionCode}; return handler;`)() as (event: { request: { uri: string } }) => { uri: string };
    const uriFor = (uri: string) => handler({ request: { uri } }).uri;

    expect(uriFor('/images/abc')).toBe('/index.html');
    expect(uriFor('/')).toBe('/index.html');
    expect(uriFor('/assets/main.3f2a1b.js')).toBe('/assets/main.3f2a1b.js');
    expect(uriFor('/config.json')).toBe('/config.json');
  });

  it('outputs the URLs and ids the web app and its users need', () => {
    for (const output of ['WebUrl', 'ApiUrl', 'UserPoolId', 'UserPoolClientId', 'AuthDomainUrl']) {
      expect(template.Outputs[output]?.Value).toBeDefined();
    }
  });
});
