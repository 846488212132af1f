import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Every file under dir (recursively) whose name passes the filter, skipping node_modules. */
function listFiles(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules') return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(path, keep);
    return keep(entry.name) ? [path] : [];
  });
}

/** The test sources of issue 2's suites: function unit tests (with their support files) and the state machine test. */
function testSources(): { path: string; text: string }[] {
  const functionTests = readdirSync(join(ROOT, 'functions')).map((fn) => join(ROOT, 'functions', fn, 'tests'));
  return [...functionTests, join(ROOT, 'tests', 'statemachine')]
    .flatMap((dir) => listFiles(dir, (name) => name.endsWith('.ts')))
    .map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }));
}

/** True when the source names the event by file name or as a quoted name (loaders add `.json` themselves). */
function mentions(source: string, eventName: string): boolean {
  return [`${eventName}.json`, `'${eventName}'`, `"${eventName}"`, `\`${eventName}\``].some((form) => source.includes(form));
}

describe('events/', () => {
  const eventFiles = listFiles(join(ROOT, 'events'), (name) => name.endsWith('.json')).map((path) => relative(ROOT, path));
  const sources = testSources();

  it('holds a sample event for each function', () => {
    // Assess
    const folders = new Set(eventFiles.map((path) => path.split('/')[1]));
    expect([...folders].sort()).toEqual(readdirSync(join(ROOT, 'functions')).sort());
  });

  it.each(eventFiles)('%s is valid JSON loaded by at least one test', (eventFile) => {
    // Prepare
    const eventName = eventFile
      .split('/')
      .pop()!
      .replace(/\.json$/, '');

    // Act
    const users = sources.filter((source) => mentions(source.text, eventName)).map((source) => source.path);

    // Assess
    expect(() => JSON.parse(readFileSync(join(ROOT, eventFile), 'utf8'))).not.toThrow();
    expect(users).not.toEqual([]);
  });
});
