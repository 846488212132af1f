import { loadConfig } from '../../src/config';
import { isAllowedDomain, maskAddress, pickRecipient, type RefusedRecipient } from '../../src/recipient';
import { resizeImage } from '../../src/resize-image';
import { fixture, settings, upload } from './helpers/fixtures';

/** ALLOWED_RECIPIENT_DOMAINS closes the spam-relay risk of x-amz-meta-notify-email (THREAT-MODEL.md). */
describe('pickRecipient with ALLOWED_RECIPIENT_DOMAINS', () => {
  const policy = { defaultRecipient: 'ops@example.com', allowedRecipientDomains: ['example.org'] };

  test('keeps an address in an allowed domain', () => {
    // Prepare
    const refused: RefusedRecipient[] = [];

    // Act
    const recipient = pickRecipient({ 'notify-email': 'ana@example.org' }, policy, (r) => refused.push(r));

    // Assess
    expect(recipient).toBe('ana@example.org');
    expect(refused).toEqual([]);
  });

  test('keeps an address in a subdomain of an allowed domain', () => {
    // Act
    const recipient = pickRecipient({ 'notify-email': 'ana@mail.eu.example.org' }, policy);

    // Assess
    expect(recipient).toBe('ana@mail.eu.example.org');
  });

  test.each(['eve@example.net', 'eve@evilexample.org', 'eve@example.org.evil.net'])('drops %s and falls back to DEFAULT_RECIPIENT', (address) => {
    // Prepare
    const refused: RefusedRecipient[] = [];

    // Act
    const recipient = pickRecipient({ 'notify-email': address }, policy, (r) => refused.push(r));

    // Assess
    expect(recipient).toBe('ops@example.com');
    expect(refused).toEqual([{ maskedAddress: `e***@${address.split('@')[1]}`, domain: address.split('@')[1] }]);
  });

  test('drops an address in another domain to null when there is no default', () => {
    // Act
    const recipient = pickRecipient({ 'notify-email': 'eve@example.net' }, { ...policy, defaultRecipient: null });

    // Assess
    expect(recipient).toBeNull();
  });

  test('keeps DEFAULT_RECIPIENT even when its domain is not listed (the operator set it)', () => {
    // Act
    const recipient = pickRecipient({}, { defaultRecipient: 'ops@elsewhere.net', allowedRecipientDomains: ['example.org'] });

    // Assess
    expect(recipient).toBe('ops@elsewhere.net');
  });

  test('allows any domain when the list is empty or absent', () => {
    // Act
    const fromEmpty = pickRecipient({ 'notify-email': 'ana@anywhere.example' }, { defaultRecipient: null, allowedRecipientDomains: [] });
    const fromAbsent = pickRecipient({ 'notify-email': 'ana@anywhere.example' }, { defaultRecipient: null });

    // Assess
    expect(fromEmpty).toBe('ana@anywhere.example');
    expect(fromAbsent).toBe('ana@anywhere.example');
  });

  test('compares domains case-insensitively and returns the address as written', () => {
    // Act
    const upperAddress = pickRecipient({ 'notify-email': 'Ana@Mail.EXAMPLE.Org' }, policy);
    const upperEntry = isAllowedDomain('example.org', ['EXAMPLE.ORG']);

    // Assess
    expect(upperAddress).toBe('Ana@Mail.EXAMPLE.Org');
    expect(upperEntry).toBe(true);
  });
});

describe('maskAddress', () => {
  test('hides the local part but keeps its first character and the domain', () => {
    expect(maskAddress('secret.person@Example.NET')).toBe('s***@example.net');
  });
});

describe('resizeImage with a notify-email outside the allowed domains', () => {
  test('returns DEFAULT_RECIPIENT and warns with the imageId and the masked address', async () => {
    // Prepare
    const { store, input } = upload(fixture('ai-face.jpg'), { metadata: { 'notify-email': 'victim.name@example.net' } });
    const warnings: Array<{ message: string; attributes: Record<string, unknown> }> = [];
    const log = { warn: (message: string, attributes: Record<string, unknown>) => warnings.push({ message, attributes }) };

    // Act
    const output = await resizeImage(input, {
      store,
      settings: settings({ defaultRecipient: 'ops@example.com', allowedRecipientDomains: ['example.org'] }),
      log,
    });

    // Assess
    expect(output.recipient).toBe('ops@example.com');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].attributes).toEqual({ imageId: input.imageId, notifyEmail: 'v***@example.net', domain: 'example.net' });
    expect(JSON.stringify(warnings)).not.toContain('victim.name');
  });
});

describe('loadConfig ALLOWED_RECIPIENT_DOMAINS', () => {
  test('defaults to an empty (allow-any) list', () => {
    expect(loadConfig({ PROCESSED_BUCKET_NAME: 'p' }).allowedRecipientDomains).toEqual([]);
  });

  test('trims, lower-cases, drops empty entries and de-duplicates', () => {
    // Act
    const config = loadConfig({ PROCESSED_BUCKET_NAME: 'p', ALLOWED_RECIPIENT_DOMAINS: ' Example.org, ,mail.example.COM,example.org ' });

    // Assess
    expect(config.allowedRecipientDomains).toEqual(['example.org', 'mail.example.com']);
    expect(Object.isFrozen(config.allowedRecipientDomains)).toBe(true);
  });

  test.each(['*.example.org', 'example', 'ana@example.org', 'exa mple.org', '-bad.example.org'])('refuses %j with a ConfigurationError', (value) => {
    expect(() => loadConfig({ PROCESSED_BUCKET_NAME: 'p', ALLOWED_RECIPIENT_DOMAINS: value })).toThrow(
      expect.objectContaining({ name: 'ConfigurationError', message: expect.stringContaining('ALLOWED_RECIPIENT_DOMAINS') }),
    );
  });
});
