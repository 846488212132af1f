/** Deliberately simple: one @, no spaces, a dot in the domain; SES does the real validation. */
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]{2,}$/;

/**
 * Picks who is told about the result: the object's `notify-email` user metadata when it looks like an
 * e-mail address, else the configured default, else null.
 */
export function pickRecipient(metadata: Record<string, string>, defaultRecipient: string | null): string | null {
  const fromUpload = metadata['notify-email']?.trim();
  if (fromUpload && fromUpload.length <= 254 && EMAIL.test(fromUpload)) return fromUpload;
  return defaultRecipient && EMAIL.test(defaultRecipient) ? defaultRecipient : null;
}
