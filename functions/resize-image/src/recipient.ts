/** Deliberately simple: one @, no spaces, a dot in the domain; SES does the real validation. */
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]{2,}$/;

/** Who may be told about a result; built from DEFAULT_RECIPIENT and ALLOWED_RECIPIENT_DOMAINS. */
export interface RecipientPolicy {
  defaultRecipient: string | null;
  /** Lower-case domains whose addresses (and subdomains' addresses) an upload may name; empty = any domain. */
  allowedRecipientDomains?: readonly string[];
}

/** A notify-email that was well formed but outside the allowed domains, safe to log. */
export interface RefusedRecipient {
  /** The address with its local part masked (`a***@example.net`). */
  maskedAddress: string;
  domain: string;
}

/**
 * Picks who is told about the result: the object's `notify-email` user metadata when it looks like an
 * e-mail address in an allowed domain, else the configured default (operator-set, never filtered), else null.
 * `onRefused` hears about a well-formed address that the domain allow-list drops.
 */
export function pickRecipient(
  metadata: Record<string, string>,
  policy: RecipientPolicy,
  onRefused?: (refused: RefusedRecipient) => void,
): string | null {
  const fromUpload = metadata['notify-email']?.trim();
  if (fromUpload && fromUpload.length <= 254 && EMAIL.test(fromUpload)) {
    const domain = domainOf(fromUpload);
    if (isAllowedDomain(domain, policy.allowedRecipientDomains ?? [])) return fromUpload;
    onRefused?.({ maskedAddress: maskAddress(fromUpload), domain });
  }
  const { defaultRecipient } = policy;
  return defaultRecipient && EMAIL.test(defaultRecipient) ? defaultRecipient : null;
}

/** True when the list is empty, or the domain is a listed domain or a subdomain of one (case-insensitive). */
export function isAllowedDomain(domain: string, allowedDomains: readonly string[]): boolean {
  if (allowedDomains.length === 0) return true;
  const lower = domain.toLowerCase();
  return allowedDomains.some((entry) => {
    const allowed = entry.toLowerCase();
    return lower === allowed || lower.endsWith(`.${allowed}`);
  });
}

/** Keeps the first character of the local part and the domain, so logs show the attempt without the address. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, 1)}***@${address.slice(at + 1).toLowerCase()}`;
}

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();
