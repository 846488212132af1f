import { eventIsFor, outboxItemIsFor, type LocalCaller } from '../../server/local-access';

const SUB = '11111111-2222-4333-8444-555555555555';
const OTHER = '99999999-2222-4333-8444-555555555555';
const user: LocalCaller = { sub: SUB, isAdmin: false, contact: { email: 'Me@Example.com', phoneNumber: '+15555550100' } };
const admin: LocalCaller = { sub: OTHER, isAdmin: true, contact: {} };

const email = (to: string[], cc: string[] = [], bcc: string[] = []) => ({ id: 'x', kind: 'email', email: { to, cc, bcc } });
const sms = (phoneNumber: string) => ({ id: 'x', kind: 'sms', sms: { phoneNumber } });
const event = (owner: unknown) => ({ event: { 'detail-type': 'Image Processed', detail: { owner } } });

describe('outboxItemIsFor', () => {
  it('gives a user the e-mails to their address (any case, with a display name, in to, cc or bcc) and texts to their phone', () => {
    expect(outboxItemIsFor(email(['me@example.com']), user)).toBe(true);
    expect(outboxItemIsFor(email(['Someone Else <x@example.com>'], ['Me <ME@example.com>']), user)).toBe(true);
    expect(outboxItemIsFor(email([], [], ['me@example.com']), user)).toBe(true);
    expect(outboxItemIsFor(sms('+15555550100'), user)).toBe(true);
  });

  it("hides from a user other users' e-mails and texts, SNS topic messages and anything malformed", () => {
    expect(outboxItemIsFor(email(['you@example.com']), user)).toBe(false);
    expect(outboxItemIsFor(email(['notme@example.com.evil']), user)).toBe(false);
    expect(outboxItemIsFor(sms('+15555550101'), user)).toBe(false);
    expect(outboxItemIsFor({ id: 'x', kind: 'sns', sns: { topicArn: 'arn' } }, user)).toBe(false);
    expect(outboxItemIsFor({ kind: 'email', email: 'me@example.com' }, user)).toBe(false);
    expect(outboxItemIsFor(null, user)).toBe(false);
  });

  it('shows a user without an e-mail or phone nothing, and an admin everything', () => {
    const bare: LocalCaller = { sub: SUB, isAdmin: false, contact: {} };
    expect(outboxItemIsFor(email(['me@example.com']), bare)).toBe(false);
    expect(outboxItemIsFor(sms('+15555550100'), bare)).toBe(false);
    for (const item of [email(['you@example.com']), sms('+15555550101'), { kind: 'sns' }]) expect(outboxItemIsFor(item, admin)).toBe(true);
  });
});

describe('eventIsFor', () => {
  it("gives a user the events of their own images only, and an admin every event (unowned uploads' too)", () => {
    expect(eventIsFor(event(SUB), user)).toBe(true);
    expect(eventIsFor(event(OTHER), user)).toBe(false);
    expect(eventIsFor(event('unowned'), user)).toBe(false);
    expect(eventIsFor({ event: { detail: null } }, user)).toBe(false);
    expect(eventIsFor(event('unowned'), admin)).toBe(true);
  });
});
