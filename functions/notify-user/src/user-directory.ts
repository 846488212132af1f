import { AdminGetUserCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { UserAttributes } from './types';

/** Where an owner's profile comes from: the user pool in AWS, anything with the same answers in tests. */
export interface UserDirectory {
  /** The owner's attributes, or null when the directory has no such user. */
  attributesOf(owner: string): Promise<UserAttributes | null>;
}

/**
 * The Cognito user pool, read with AdminGetUser. The owner is the user's `sub`, which is the username in a pool that
 * signs users in by e-mail (the pool generates usernames then).
 */
export function cognitoDirectory(client: Pick<CognitoIdentityProviderClient, 'send'>, userPoolId: string): UserDirectory {
  return {
    async attributesOf(owner) {
      try {
        const user = await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: owner }));
        if (user.Enabled === false) return null;
        return Object.fromEntries((user.UserAttributes ?? []).map(({ Name, Value }) => [Name ?? '', Value ?? '']));
      } catch (error) {
        if (error instanceof Error && error.name === 'UserNotFoundException') return null;
        throw error;
      }
    },
  };
}

/** No user pool configured: nobody's address can be verified, so nobody is told anything. */
export const NO_DIRECTORY: UserDirectory = { attributesOf: async () => null };
