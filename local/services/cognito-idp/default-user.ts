import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../s3/atomic-file';
import { generatedPassword } from './password';
import type { LocalUserPoolService } from './user-pool';
import type { LocalUser } from './user-store';

/** The local user that `npm start` signs in without a prompt. */
export const DEFAULT_USER_EMAIL = 'local-admin@example.com';

/** The default user and where its password is written. */
export interface DefaultUser {
  user: LocalUser;
  email: string;
  passwordFile: string;
}

/**
 * Creates the default user at the first start (a member of every group the template declares, so `admins`), with a
 * generated password written to `<pool folder>/default-user.json` for signing in again after signing out.
 */
export async function ensureDefaultUser(pool: LocalUserPoolService, dataDir: string): Promise<DefaultUser> {
  const passwordFile = join(dataDir, 'cognito-idp', pool.id, 'default-user.json');
  const existing = pool.users.find(DEFAULT_USER_EMAIL);
  if (existing) return { user: existing, email: DEFAULT_USER_EMAIL, passwordFile };
  const stored = await readFile(passwordFile, 'utf8')
    .then((text) => JSON.parse(text) as { password?: string })
    .catch(() => ({}) as { password?: string });
  const password = stored.password ?? generatedPassword();
  const user = await pool.createUser(DEFAULT_USER_EMAIL, password, {
    permanent: true,
    groups: pool.definition.groups.map((group) => group.name),
  });
  await writeFileAtomic(passwordFile, JSON.stringify({ email: DEFAULT_USER_EMAIL, password }, null, 2));
  return { user, email: DEFAULT_USER_EMAIL, passwordFile };
}
