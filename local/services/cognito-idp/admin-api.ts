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
    ...(user.phoneNumber === undefined
      ? []
      : [
          { Name: 'phone_number', Value: user.phoneNumber },
          { Name: 'phone_number_verified', Value: String(user.phoneNumberVerified === true) },
        ]),
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

type AttributeList = Array<{ Name?: string; Value?: string }>;

/** The attributes local users can have besides e-mail; anything else is refused rather than silently dropped. */
const PHONE_ATTRIBUTES = new Set(['phone_number', 'phone_number_verified']);

/**
 * The phone change an attribute list asks for (AdminCreateUser, AdminUpdateUserAttributes).
 * @throws AwsServiceError InvalidParameterException for an attribute local mode does not keep, or a verified flag
 * that is neither "true" nor "false".
 */
function phoneChange(attributes: AttributeList, ignored: readonly string[]): { phoneNumber?: string; verified?: boolean } {
  const change: { phoneNumber?: string; verified?: boolean } = {};
  for (const { Name = '', Value = '' } of attributes) {
    if (ignored.includes(Name)) continue;
    if (!PHONE_ATTRIBUTES.has(Name))
      throw new AwsServiceError(
        'InvalidParameterException',
        400,
        `Local mode's user pool keeps only email, phone_number and phone_number_verified, not ${Name}`,
      );
    if (Name === 'phone_number') change.phoneNumber = Value;
    else if (Value === 'true' || Value === 'false') change.verified = Value === 'true';
    else throw new AwsServiceError('InvalidParameterException', 400, 'phone_number_verified must be "true" or "false".');
  }
  return change;
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
 * AdminUpdateUserAttributes (phone_number, phone_number_verified), AdminGetUser, AdminListGroupsForUser, AdminDeleteUser, ListUsers, ListGroups, DescribeUserPool.
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
      const attributes = Array.isArray(body.UserAttributes) ? (body.UserAttributes as AttributeList) : [];
      const email = attributes.find((entry) => entry.Name === 'email')?.Value ?? required(body, 'Username');
      const phone = phoneChange(attributes, ['email', 'email_verified']);
      const temporary = typeof body.TemporaryPassword === 'string' ? body.TemporaryPassword : generatedPassword();
      const user = await pool.createUser(email, temporary, { permanent: false });
      return { User: describeUser(Object.keys(phone).length > 0 ? await pool.updatePhone(user.username, phone) : user) };
    },
    async AdminUpdateUserAttributes(body) {
      const pool = poolOf(body);
      const username = required(body, 'Username');
      const attributes = Array.isArray(body.UserAttributes) ? (body.UserAttributes as AttributeList) : [];
      await pool.updatePhone(username, phoneChange(attributes, []));
      return {};
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
