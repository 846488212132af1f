import { loadTemplate } from './support/template';

const resources = loadTemplate().Resources;

describe('user pool feature plan', () => {
  it('asks for Lite explicitly: new pools default to Essentials, which costs more per monthly active user', () => {
    expect(resources.UserPool.Properties!.UserPoolTier).toBe('LITE');
  });

  it('uses no feature Lite lacks: threat protection, email MFA, passwordless sign-in, password history, access-token customisation, managed login', () => {
    // Prepare
    const pool = resources.UserPool.Properties!;
    const domain = resources.UserPoolDomain.Properties!;

    // Assess
    expect(pool.UserPoolAddOns).toBeUndefined();
    expect(pool.EnabledMfas.filter((mfa: string) => !['SOFTWARE_TOKEN_MFA', 'SMS_MFA'].includes(mfa))).toEqual([]);
    expect(pool.Policies.SignInPolicy).toBeUndefined();
    expect(pool.Policies.PasswordPolicy.PasswordHistorySize).toBeUndefined();
    expect(pool.WebAuthnRelyingPartyID).toBeUndefined();
    expect(pool.LambdaConfig?.PreTokenGenerationConfig).toBeUndefined();
    // Version 1 (the default) is the classic hosted UI; 2, managed login, needs Essentials.
    expect([undefined, 1]).toContain(domain.ManagedLoginVersion);
    expect(domain.CustomDomainConfig).toBeUndefined();
  });
});
