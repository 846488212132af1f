import { AwsServiceError } from '../../edge/aws-error';
import { awsJsonProtocol } from '../../edge/protocols/aws-json';
import { matchTarget } from '../../edge/router';
import type { EdgeService } from '../../edge/types';
import { generatedPassword } from './password';
import { UserPoolError, type LocalUserPoolService } from './user-pool';
import type { LocalUser } from './user-store';

const PROTOCOL = awsJsonProtocol({ version: '1.1' });
const TARGET = 'AWSCognitoIdentityProviderService.';

/** A user as the admin API describes it (AdminGetUser's fields; ListUsers uses `Attributes`). */
function describeUser(user: LocalUser) {
  const attributes = [
    { Name: 'sub', Value: user.sub },
    { Name: 'email', Value: user.email },
    { Name: 'email_verified', Value: 'true' },
  ];
  return {
    Username: user.username,
    Enabled: user.enabled,
    UserStatus: user.status,
    UserCreateDate: Date.parse(user.createdAt) / 1000,
    UserLastModifiedDate: Date.parse(user.updatedAt) / 1000,
    Attributes: attributes,
  };
}

function required(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '')
    throw new AwsServiceError(
      'InvalidParameterException',
      400,
      `1 validation error detected: Value at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  return value;
}

/**
 * The admin side of Cognito's API on the edge (JSON 1.1, `X-Amz-Target: AWSCognitoIdentityProviderService.*`), so the
 * SDK and `aws cognito-idp … --endpoint-url` manage local users: AdminCreateUser (Username = e-mail; with
 * TemporaryPassword, or a generated one), AdminSetUserPassword, AdminAddUserToGroup, AdminRemoveUserFromGroup,
 * AdminGetUser, AdminListGroupsForUser, AdminDeleteUser, ListUsers, ListGroups, DescribeUserPool.
 */
export function cognitoAdminEdgeService(pools: readonly LocalUserPoolService[]): EdgeService {
  const poolOf = (body: Record<string, unknown>) => {
    const id = required(body, 'UserPoolId');
    const pool = pools.find((entry) => entry.id === id);
    if (!pool) throw new AwsServiceError('ResourceNotFoundException', 400, `User pool ${id} does not exist.`);
    return pool;
  };
  const actions: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
    async AdminCreateUser(body) {
      const pool = poolOf(body);
      const attributes = Array.isArray(body.UserAttributes) ? (body.UserAttributes as Array<{ Name?: string; Value?: string }>) : [];
      const email = attributes.find((entry) => entry.Name === 'email')?.Value ?? required(body, 'Username');
      const temporary = typeof body.TemporaryPassword === 'string' ? body.TemporaryPassword : generatedPassword();
      return { User: describeUser(await pool.createUser(email, temporary, { permanent: false })) };
    },
    async AdminSetUserPassword(body) {
      await poolOf(body).setPassword(required(body, 'Username'), required(body, 'Password'), body.Permanent === true);
      return {};
    },
    async AdminAddUserToGroup(body) {
      await poolOf(body).addToGroup(required(body, 'Username'), required(body, 'GroupName'));
      return {};
    },
    async AdminRemoveUserFromGroup(body) {
      await poolOf(body).removeFromGroup(required(body, 'Username'), required(body, 'GroupName'));
      return {};
    },
    async AdminGetUser(body) {
      const user = poolOf(body).user(required(body, 'Username'));
      const { Attributes, ...rest } = describeUser(user);
      return { ...rest, UserAttributes: Attributes };
    },
    async AdminListGroupsForUser(body) {
      const pool = poolOf(body);
      return { Groups: pool.user(required(body, 'Username')).groups.map((name) => ({ GroupName: name, UserPoolId: pool.id })) };
    },
    async AdminDeleteUser(body) {
      const pool = poolOf(body);
      await pool.users.remove(pool.user(required(body, 'Username')));
      return {};
    },
    async ListUsers(body) {
      return { Users: poolOf(body).users.all().map(describeUser) };
    },
    async ListGroups(body) {
      const pool = poolOf(body);
      return {
        Groups: pool.definition.groups.map((group) => ({ GroupName: group.name, UserPoolId: pool.id, Description: group.description })),
      };
    },
    async DescribeUserPool(body) {
      const pool = poolOf(body);
      return {
        UserPool: {
          Id: pool.id,
          Name: pool.definition.logicalId,
          Arn: `arn:aws:cognito-idp:local:000000000000:userpool/${pool.id}`,
          UsernameAttributes: ['email'],
          EstimatedNumberOfUsers: pool.users.all().length,
        },
      };
    },
  };
  return {
    name: 'cognito-idp',
    protocol: PROTOCOL,
    matches: matchTarget(TARGET),
    async handle(req) {
      const action = (req.target ?? '').slice(TARGET.length);
      const run = actions[action];
      if (!run) throw new AwsServiceError('UnknownOperationException', 400, `Local mode's user pool does not serve ${action}`);
      try {
        return PROTOCOL.ok(await run(PROTOCOL.parseBody(req)));
      } catch (error) {
        if (error instanceof UserPoolError) throw new AwsServiceError(error.code, 400, error.message);
        throw error;
      }
    },
  };
}
