import type { IncomingMessage } from 'node:http';
import { isObject } from '@smart-image-pipeline/contracts';
import { bearerToken, type TokenVerifier } from '../../functions/api/src/auth/token-verifier';

/**
 * Who may read which entries of local mode's outbox and event log. A user sees the messages sent to them (an e-mail
 * to their address, a text to their phone) and the events about their own images; an admin sees everyone's. The
 * console server checks this with the same access token and verifier as the API, so hiding a page is not the guard.
 */

/** A user's contact details as the local user pool holds them. */
export interface UserContact {
  email?: string;
  phoneNumber?: string;
}

/** Reads a user's contact details by `sub` (the local user pool). */
export interface UserDirectory {
  contactOf(sub: string): Promise<UserContact | undefined>;
}

/** The signed-in caller of a local route. */
export interface LocalCaller {
  sub: string;
  isAdmin: boolean;
  contact: UserContact;
}

/**
 * The caller of a request, from its `Authorization: Bearer <access token>`.
 * @throws TokenRejectedError when the token is missing or not valid; KeysUnavailableError when the keys cannot be read.
 */
export async function localCaller(req: IncomingMessage, verifier: TokenVerifier, users: UserDirectory | undefined): Promise<LocalCaller> {
  const authorization = req.headers.authorization;
  const caller = await verifier.verify(bearerToken(authorization === undefined ? {} : { authorization }));
  const contact = caller.isAdmin ? {} : ((await users?.contactOf(caller.sub)) ?? {});
  return { sub: caller.sub, isAdmin: caller.isAdmin, contact };
}

/** Whether an outbox item was sent to the caller. SNS topic messages have no single recipient: admins only. */
export function outboxItemIsFor(item: unknown, caller: LocalCaller): boolean {
  if (caller.isAdmin) return true;
  if (!isObject(item)) return false;
  const { email, phoneNumber } = caller.contact;
  if (item.kind === 'email' && isObject(item.email) && email) {
    const recipients = [item.email.to, item.email.cc, item.email.bcc].flatMap((list) => (Array.isArray(list) ? list : []));
    return recipients.some((recipient) => typeof recipient === 'string' && addressOf(recipient) === email.toLowerCase());
  }
  if (item.kind === 'sms' && isObject(item.sms) && phoneNumber) return item.sms.phoneNumber === phoneNumber;
  return false;
}

/** Whether an archived event is about the caller's own images (its detail names the owner). */
export function eventIsFor(archived: unknown, caller: LocalCaller): boolean {
  if (caller.isAdmin) return true;
  return isObject(archived) && isObject(archived.event) && isObject(archived.event.detail) && archived.event.detail.owner === caller.sub;
}

// "Name <a@b.example>" or "a@b.example", compared without case (as mail systems compare the domain, and Cognito the whole).
function addressOf(recipient: string): string {
  return (/<([^<>]+)>\s*$/.exec(recipient)?.[1] ?? recipient).trim().toLowerCase();
}
