import { parseCommandLine } from '../../command-line';
import { runInvoke } from '../../invoke';
import { runProcess } from '../../process';
import { runStart } from '../../start';
import { runUsers } from '../../users';

describe('the command lines (node:util parseArgs, strict)', () => {
  let stderr: string[];

  beforeEach(() => {
    stderr = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
  });
  afterEach(() => jest.restoreAllMocks());

  it('reads flags, flag values in both spellings, and positionals', () => {
    // Act
    const parsed = parseCommandLine('process', 'usage', {
      args: ['--json', '--export', 'out', '--data-dir=.data', 'a.jpg', '--', '--b.jpg'],
      allowPositionals: true,
      options: { json: { type: 'boolean' }, export: { type: 'string' }, 'data-dir': { type: 'string' } },
    });

    // Assess
    expect(parsed?.values).toEqual({ json: true, export: 'out', 'data-dir': '.data' });
    expect(parsed?.positionals).toEqual(['a.jpg', '--b.jpg']);
  });

  it('refuses an unknown flag and names it, with the usage', () => {
    // Act
    const parsed = parseCommandLine('start', 'Usage: npm start', { args: ['--verbose'], options: { quiet: { type: 'boolean' } } });

    // Assess
    expect(parsed).toBeUndefined();
    expect(stderr.join('')).toMatch(/^start: Unknown option '--verbose'.*\nUsage: npm start\n$/s);
  });

  it('exits 2 for an unknown flag, a flag without its value or a bad number, before starting anything', async () => {
    // Act
    const codes = [
      await runStart(['--verbose']),
      await runStart(['photo.jpg']),
      await runProcess(['--frobnicate', 'a.jpg']),
      await runProcess(['--concurrency', 'zero', 'a.jpg']),
      await runProcess([]),
      await runInvoke(['ResizeImageFunction', 'event.json', '--edge']),
      await runInvoke(['ResizeImageFunction']),
    ];

    // Assess
    expect(codes).toEqual([2, 2, 2, 2, 2, 2, 2]);
    expect(stderr.join('')).toContain("invoke: Option '--edge <value>' argument missing");
    expect(stderr.join('')).toContain('process: --concurrency needs a whole number above 0, got "zero"');
  });

  it('exits 0 for --help', async () => {
    expect(await runProcess(['--help'])).toBe(0);
    expect(stderr.join('')).toContain('Usage: npm run process');
  });

  it('prints the usage on stdout and exits 0 for --help on start, invoke and users, starting nothing', async () => {
    // Prepare
    const stdout: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout.push(String(chunk));
      return true;
    });

    // Act
    const codes = [await runStart(['--help']), await runInvoke(['--help']), await runUsers(['--help'])];

    // Assess
    expect(codes).toEqual([0, 0, 0]);
    expect(stdout.join('')).toMatch(/^Usage: npm start .*^Usage: npm run invoke .*^Usage: npm run users /ms);
    expect(stderr).toEqual([]);
  });
});
