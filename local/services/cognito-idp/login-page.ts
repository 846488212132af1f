/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string);
}

/**
 * The Content-Security-Policy of the sign-in pages: no script at all; the form posts to the pool, whose answer
 * redirects to the web app (browsers apply form-action to that redirect too, so the app's origins are listed).
 */
export function loginPagePolicy(redirectOrigins: readonly string[]): string {
  return `default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self' ${redirectOrigins.join(' ')}; frame-ancestors 'none'; base-uri 'none'`;
}

/**
 * The local hosted sign-in page: e-mail and password (or, for a user with a temporary password, a new password),
 * carrying the authorization request in hidden fields. No script; every value is escaped.
 */
export function loginPage(options: {
  action: string;
  params: Record<string, string>;
  error?: string;
  email?: string;
  challenge?: string;
}): string {
  const hidden = Object.entries(options.params)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n      ');
  const fields = options.challenge
    ? `<input type="hidden" name="challenge" value="${escapeHtml(options.challenge)}">
      <p>Choose a new password for ${escapeHtml(options.email ?? '')}.</p>
      <label for="new_password">New password</label>
      <input id="new_password" name="new_password" type="password" autocomplete="new-password" required>`
    : `<label for="username">E-mail</label>
      <input id="username" name="username" type="email" autocomplete="username" value="${escapeHtml(options.email ?? '')}" required>
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required>`;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Sign in · local user pool</title>
    <link rel="icon" href="data:,">
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; margin: 0; padding: 2rem 1rem; background: #f4f5f7; color: #1d2330; }
      main { max-width: 22rem; margin: 0 auto; background: #fff; padding: 1.5rem; border-radius: 8px; box-shadow: 0 1px 3px #0002; }
      label { display: block; margin-top: 1rem; font-weight: 600; }
      input[type=email], input[type=password] { width: 100%; box-sizing: border-box; padding: .5rem; font: inherit; }
      button { margin-top: 1.25rem; width: 100%; padding: .6rem; font: inherit; background: #2453c7; color: #fff; border: 0; border-radius: 4px; }
      .error { color: #a4161a; }
      .note { color: #555; font-size: .875rem; }
    </style>
  </head>
  <body>
    <main>
      <h1>Sign in</h1>
      <p class="note">Local mode's user pool (it stands in for Cognito's hosted sign-in).</p>
      ${options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : ''}
      <form method="post" action="${escapeHtml(options.action)}">
      ${hidden}
      ${fields}
      <button type="submit">Sign in</button>
      </form>
    </main>
  </body>
</html>
`;
}
