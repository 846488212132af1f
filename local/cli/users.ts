import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { loadLocalApp } from '../template';
import { parseCommandLine, printedHelp } from './command-line';

const USAGE = `Usage: npm run users -- create --email <address> --password <password> [--admin] [--edge URL]
       npm run users -- list [--edge URL]
Creates or lists users of the local user pool of a running stack (npm start), through the Cognito admin API on its
edge endpoint (default http://127.0.0.1:$EDGE_PORT, else 4566), as "aws cognito-idp admin-create-user" would.
The password must pass the template's password policy. Exit code 0 done, 1 refused by the pool, 2 bad arguments.`;

/**
 * \`npm run users\`: a second (or any) local user for trying the web app as someone else, e.g. to see that one user
 * never sees another's images. Uses AdminCreateUser, AdminSetUserPassword (permanent) and AdminAddUserToGroup.
 * @returns the exit code.
 */
export async function runUsers(argv: readonly string[]): Promise<number> {
  const parsed = parseCommandLine('users', USAGE, {
    args: [...argv],
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      admin: { type: 'boolean' },
      edge: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (!parsed) return 2;
  if (printedHelp(parsed.values, USAGE)) return 0;
  const [command, ...extra] = parsed.positionals;
  if (
    (command !== 'create' && command !== 'list') ||
    extra.length > 0 ||
    (command === 'create' && (!parsed.values.email || !parsed.values.password))
  ) {
    process.stderr.write(
      `users: ${command === 'create' ? 'create needs --email and --password' : 'name one command: create or list'}\n${USAGE}\n`,
    );
    return 2;
  }
  const pool = loadLocalApp({ rootDir: process.cwd() }).userPools[0];
  if (!pool) {
    process.stderr.write('users: template.yaml declares no Cognito user pool\n');
    return 2;
  }
  const endpoint = parsed.values.edge ?? `http://127.0.0.1:${process.env.EDGE_PORT ?? 4566}`;
  const client = new CognitoIdentityProviderClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    if (command === 'list') {
      const { Users = [] } = await client.send(new ListUsersCommand({ UserPoolId: pool.id }));
      for (const user of Users)
        process.stdout.write(
          `${user.Attributes?.find((a) => a.Name === 'email')?.Value}\t${user.Attributes?.find((a) => a.Name === 'sub')?.Value}\t${user.UserStatus}\n`,
        );
      return 0;
    }
    const email = parsed.values.email as string;
    const created = await client.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.id,
        Username: email,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
        MessageAction: 'SUPPRESS',
      }),
    );
    await client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: pool.id,
        Username: email,
        Password: parsed.values.password as string,
        Permanent: true,
      }),
    );
    if (parsed.values.admin)
      await client.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.id, Username: email, GroupName: 'admins' }));
    const sub = created.User?.Attributes?.find((a) => a.Name === 'sub')?.Value;
    process.stdout.write(
      `created ${email} (sub ${sub})${parsed.values.admin ? ' in admins' : ''}; sign out in the console and sign in as this user\n`,
    );
    return 0;
  } catch (error) {
    const name = (error as Error).name;
    process.stderr.write(
      `users: ${name}: ${(error as Error).message}${name === 'TypeError' || /ECONNREFUSED/.test(String((error as Error).message)) ? ` (is npm start running at ${endpoint}?)` : ''}\n`,
    );
    return 1;
  }
}

if (require.main === module) {
  runUsers(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`${(err as Error).stack}\n`);
      process.exit(2);
    },
  );
}
