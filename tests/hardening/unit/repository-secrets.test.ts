import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');

/** Credential shapes that must never be committed. */
const SECRET_PATTERNS: Array<[string, RegExp]> = [
  ['AWS access key id', /\b(AKIA|ASIA|AROA|AIDA)[0-9A-Z]{16}\b/g],
  ['private key', /-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----/g],
  ['AWS secret access key', /(aws_secret_access_key|secretAccessKey|SecretAccessKey)["'`\s]*[:=]\s*["'`]?[A-Za-z0-9/+]{40}\b/g],
  ['GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g],
  ['Slack token', /\bxox[abposr]-[A-Za-z0-9-]{10,}/g],
];

/**
 * Strings that look like credentials but are public placeholders: AWS documents its sample keys with "EXAMPLE"
 * in them (the SigV4 test suite's secret included), and tests/template/template-security.test.ts uses an
 * alphabet run to prove its own pattern matches.
 */
const isPlaceholder = (hit: string): boolean => hit.includes('EXAMPLE') || hit === 'AKIAABCDEFGHIJKLMNOP';

function trackedTextFiles(): Array<{ path: string; text: string }> {
  const paths = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  return paths.flatMap((path) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(ROOT, path));
    } catch {
      return []; // tracked but deleted in the working tree
    }
    return bytes.subarray(0, 8192).includes(0) ? [] : [{ path, text: bytes.toString('utf8') }];
  });
}

function findSecrets(files: Array<{ path: string; text: string }>): string[] {
  return files.flatMap(({ path, text }) =>
    SECRET_PATTERNS.flatMap(([kind, pattern]) =>
      [...text.matchAll(pattern)]
        .map((match) => match[0])
        .filter((hit) => !isPlaceholder(hit))
        .map(() => `${path}: ${kind}`),
    ),
  );
}

describe('repository secrets', () => {
  test('finds no credential in any tracked file', () => {
    // Prepare
    const files = trackedTextFiles();

    // Act
    const hits = findSecrets(files);

    // Assess
    expect(files.length).toBeGreaterThan(100);
    expect(hits).toEqual([]);
  });

  test('recognises each credential shape it looks for', () => {
    // Prepare: built at run time, so this file never holds a credential-shaped literal itself.
    const fake = {
      keyId: ['AKIA', 'Q7Z3', 'X9W2', 'V5T8', 'R1P4'].join(''),
      privateKey: ['-----BEGIN', 'RSA PRIVATE KEY-----'].join(' '),
      secret: `aws_secret_access_key = ${'wJalrXUtnFEMI/K7MDENG/bPxRfiCY'}${'0123456789'}`,
      github: `ghp_${'a1B2c3D4e5'.repeat(4)}`,
      slack: `xoxb-${'1234567890'}-abcdef`,
    };

    // Act
    const hits = findSecrets([{ path: 'sample', text: Object.values(fake).join('\n') }]);

    // Assess
    expect(hits.map((hit) => hit.split(': ')[1]).sort()).toEqual(SECRET_PATTERNS.map(([kind]) => kind).sort());
  });

  test('keeps local data, build output and local overrides out of git', () => {
    // Prepare
    const ignored = ['.local/dynamodb/x', '.aws-sam/build/x', 'samconfig.local.toml', 'node_modules/x'];

    // Act
    const reported = execFileSync('git', ['check-ignore', '--no-index', ...ignored], { cwd: ROOT, encoding: 'utf8' })
      .trim()
      .split('\n');

    // Assess
    expect(reported).toEqual(ignored);
  });
});
