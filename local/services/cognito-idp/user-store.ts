import { randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../s3/atomic-file';

/** One user of a local pool. As in a pool whose username attribute is e-mail, `username` is a UUID (the sub). */
export interface LocalUser {
  username: string;
  sub: string;
  email: string;
  /** E.164 phone number (the `phone_number` attribute), absent until one is set. */
  phoneNumber?: string;
  /** `phone_number_verified`: only a verified number is ever texted. */
  phoneNumberVerified?: boolean;
  status: 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD';
  enabled: boolean;
  passwordHash: string;
  groups: string[];
  createdAt: string;
  updatedAt: string;
}

/** The users of one pool, persisted as one JSON file written atomically after each change. */
export class UserStore {
  private constructor(
    private readonly file: string,
    private readonly users: Map<string, LocalUser>,
  ) {}

  /** Opens the store at `file` (an empty pool when the file does not exist yet). */
  static async open(file: string): Promise<UserStore> {
    await mkdir(dirname(file), { recursive: true });
    const stored = await readFile(file, 'utf8')
      .then((text) => JSON.parse(text) as LocalUser[])
      .catch(() => []);
    return new UserStore(file, new Map(stored.map((user) => [user.username, user])));
  }

  private saving: Promise<void> = Promise.resolve();

  private save(): Promise<void> {
    const snapshot = JSON.stringify([...this.users.values()], null, 2);
    this.saving = this.saving.then(() => writeFileAtomic(this.file, snapshot));
    return this.saving;
  }

  /** A user by username (the sub), by sub, or by e-mail (case-insensitive), as Cognito resolves an alias. */
  find(usernameOrEmail: string): LocalUser | undefined {
    const wanted = usernameOrEmail.toLowerCase();
    return (
      this.users.get(usernameOrEmail) ??
      [...this.users.values()].find((user) => user.email.toLowerCase() === wanted || user.sub === usernameOrEmail)
    );
  }

  all(): LocalUser[] {
    return [...this.users.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Adds a user with a new sub. */
  async add(email: string, passwordHash: string, status: LocalUser['status'], now: Date): Promise<LocalUser> {
    const sub = randomUUID();
    const user: LocalUser = {
      username: sub,
      sub,
      email,
      status,
      enabled: true,
      passwordHash,
      groups: [],
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    this.users.set(user.username, user);
    await this.save();
    return user;
  }

  /** Changes a user and persists it. */
  async update(user: LocalUser, change: Partial<Omit<LocalUser, 'username' | 'sub'>>, now: Date): Promise<LocalUser> {
    const updated = { ...user, ...change, updatedAt: now.toISOString() };
    this.users.set(user.username, updated);
    await this.save();
    return updated;
  }

  async remove(user: LocalUser): Promise<void> {
    this.users.delete(user.username);
    await this.save();
  }
}
