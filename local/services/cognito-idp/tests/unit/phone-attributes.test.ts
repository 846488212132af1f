import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AwsServiceError } from '../../../../edge/aws-error';
import type { EdgeRequest } from '../../../../edge/types';
import { loadLocalApp } from '../../../../template';
import { cognitoAdminEdgeService } from '../../admin-api';
import { LocalUserPoolService } from '../../user-pool';

const REPO = resolve(__dirname, '../../../../..');

let dataDir: string;
let pool: LocalUserPoolService;
let admin: ReturnType<typeof cognitoAdminEdgeService>;

async function call(action: string, body: Record<string, unknown>): Promise<Record<string, any>> {
  const request: EdgeRequest = {
    method: 'POST',
    url: new URL('http://edge.local/'),
    headers: { 'content-type': 'application/x-amz-json-1.1' },
    body: Buffer.from(JSON.stringify({ UserPoolId: pool.id, ...body })),
    target: `AWSCognitoIdentityProviderService.${action}`,
  };
  const answer = await admin.handle(request);
  return JSON.parse(String(answer.body)) as Record<string, any>;
}

const attributesOf = async (username: string) =>
  Object.fromEntries(
    ((await call('AdminGetUser', { Username: username })).UserAttributes as Array<{ Name: string; Value: string }>).map(
      ({ Name, Value }) => [Name, Value],
    ),
  );

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sip-idp-'));
  pool = await LocalUserPoolService.open(loadLocalApp({ rootDir: REPO }).userPools[0], dataDir);
  admin = cognitoAdminEdgeService([pool]);
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe("the local user pool's phone attributes (what the notifier's SMS channel reads)", () => {
  it('keeps phone_number and phone_number_verified from AdminCreateUser and answers them in AdminGetUser', async () => {
    // Act
    const created = await call('AdminCreateUser', {
      Username: 'a@example.com',
      UserAttributes: [
        { Name: 'email', Value: 'a@example.com' },
        { Name: 'phone_number', Value: '+12025550100' },
        { Name: 'phone_number_verified', Value: 'true' },
      ],
    });

    // Assess
    expect(await attributesOf(created.User.Username)).toMatchObject({ phone_number: '+12025550100', phone_number_verified: 'true' });
  });

  it('makes a changed number unverified unless the same AdminUpdateUserAttributes call verifies it', async () => {
    // Prepare
    const user = await pool.createUser('b@example.com', 'Passw0rd!Passw0rd', { permanent: true });
    await call('AdminUpdateUserAttributes', {
      Username: user.username,
      UserAttributes: [
        { Name: 'phone_number', Value: '+12025550101' },
        { Name: 'phone_number_verified', Value: 'true' },
      ],
    });

    // Act
    await call('AdminUpdateUserAttributes', { Username: user.username, UserAttributes: [{ Name: 'phone_number', Value: '+12025550102' }] });

    // Assess
    expect(await attributesOf(user.username)).toMatchObject({ phone_number: '+12025550102', phone_number_verified: 'false' });
  });

  it('refuses a number that is not E.164, a verified flag without a number, and attributes it does not keep', async () => {
    // Prepare
    const user = await pool.createUser('c@example.com', 'Passw0rd!Passw0rd', { permanent: true });
    const update = (attributes: Array<{ Name: string; Value: string }>) =>
      call('AdminUpdateUserAttributes', { Username: user.username, UserAttributes: attributes });

    // Act and assess
    await expect(update([{ Name: 'phone_number', Value: '202-555-0100' }])).rejects.toThrow('Invalid phone number format.');
    await expect(update([{ Name: 'phone_number_verified', Value: 'true' }])).rejects.toThrow('without a phone_number');
    await expect(update([{ Name: 'phone_number_verified', Value: 'yes' }])).rejects.toBeInstanceOf(AwsServiceError);
    await expect(update([{ Name: 'nickname', Value: 'c' }])).rejects.toThrow('not nickname');
    expect(await attributesOf(user.username)).not.toHaveProperty('phone_number');
  });
});
