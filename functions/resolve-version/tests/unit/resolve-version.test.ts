import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { analysisFingerprint, checkAnalysisConfig } from '@smart-image-pipeline/contracts';
import { resolveVersion, type ResolveDeps } from '../../src/resolve-version';

const EVENTS = join(__dirname, '..', '..', '..', '..', 'events', 'resolve-version');
const event = (name: string) => JSON.parse(readFileSync(join(EVENTS, name), 'utf8')) as { pipelineVersion?: string };

/** A table that honours `attribute_not_exists(PK)` as DynamoDB does; `puts` counts the writes it accepted. */
function memoryTable() {
  const items = new Map<string, Record<string, unknown>>();
  const table = {
    items,
    puts: 0,
    reads: 0,
    send: async (command: unknown) => {
      if (command instanceof GetCommand) {
        table.reads += 1;
        const key = command.input.Key as { PK: string; SK: string };
        return { Item: items.get(`${key.PK}|${key.SK}`) };
      }
      if (command instanceof PutCommand) {
        const item = command.input.Item as { PK: string; SK: string };
        const id = `${item.PK}|${item.SK}`;
        if (command.input.ConditionExpression === 'attribute_not_exists(PK)' && items.has(id)) {
          throw Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });
        }
        items.set(id, JSON.parse(JSON.stringify(item)));
        table.puts += 1;
        return {};
      }
      throw new Error('unexpected command');
    },
  };
  return table;
}

function deps(config: unknown, table = memoryTable()): ResolveDeps & { table: ReturnType<typeof memoryTable> } {
  return {
    table,
    fetchConfig: async () => JSON.stringify(config),
    db: table as never,
    tableName: 'images',
    defaultWidths: [256, 1024, 2048],
    now: () => new Date('2026-12-05T18:00:00Z'),
    pinned: new Map(),
  };
}

const VERSIONS = { current: 'v2', versions: { v1: {}, v2: { minLabelConfidence: 80, variantWidths: [512, 256] } } };

describe('resolveVersion', () => {
  it('reads the flat config as v1 with the stack widths and pins it once', async () => {
    // Prepare
    const d = deps({ maxLabels: 10 });

    // Act
    const first = await resolveVersion(event('current-version.json').pipelineVersion, d);
    const second = await resolveVersion(undefined, d);

    // Assess
    expect(first).toEqual({
      name: 'v1',
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      variantWidths: [256, 1024, 2048],
      analysisFingerprint: analysisFingerprint(checkAnalysisConfig({ maxLabels: 10 }).config!),
    });
    expect(second).toEqual(first);
    expect(d.table.puts).toBe(1);
    expect(d.table.items.get('VERSION#v1|VERSION')).toMatchObject({ name: 'v1', fingerprint: first.fingerprint });
  });

  it('uses the requested version, else the current one, with that version’s widths', async () => {
    // Prepare
    const d = deps(VERSIONS);

    // Act
    const requested = await resolveVersion(event('reprocess-v2.json').pipelineVersion, d);
    const current = await resolveVersion(undefined, d);
    const old = await resolveVersion('v1', d);

    // Assess
    expect(requested.name).toBe('v2');
    expect(requested.variantWidths).toEqual([256, 512]);
    expect(current).toEqual(requested);
    expect(old.variantWidths).toEqual([256, 1024, 2048]);
    expect(old.fingerprint).not.toBe(requested.fingerprint);
  });

  it('gives the flat form and an equal v1 entry the same fingerprint (defaults filled in, cacheSeconds ignored)', async () => {
    // Act
    const flat = await resolveVersion(undefined, deps({}));
    const explicit = await resolveVersion('v1', deps({ current: 'v1', versions: { v1: { minLabelConfidence: 70, cacheSeconds: 5 } } }));

    // Assess
    expect(explicit.fingerprint).toBe(flat.fingerprint);
  });

  it('refuses an unknown version and writes nothing', async () => {
    // Prepare
    const d = deps(VERSIONS);

    // Act
    const act = resolveVersion('v9', d);

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'UnknownPipelineVersionError', message: expect.stringContaining('v1, v2') });
    expect(d.table.items.size).toBe(0);
  });

  it('fails with PipelineVersionChangedError when a pinned version is given other settings, and keeps the pin', async () => {
    // Prepare
    const table = memoryTable();
    const pinned = await resolveVersion(undefined, deps(VERSIONS, table));
    const edited = { current: 'v2', versions: { v1: {}, v2: { minLabelConfidence: 90, variantWidths: [256, 512] } } };

    // Act
    const act = resolveVersion(undefined, deps(edited, table));

    // Assess
    await expect(act).rejects.toMatchObject({
      name: 'PipelineVersionChangedError',
      message: expect.stringContaining('add a new version (e.g. "v3")'),
    });
    expect(table.items.get('VERSION#v2|VERSION')).toMatchObject({ fingerprint: pinned.fingerprint });
  });

  it('refuses an invalid config with every problem named', async () => {
    // Act
    const act = resolveVersion(undefined, deps({ current: 'v3', versions: { v1: { maxLabels: 0 }, two: {} } }));

    // Assess
    await expect(act).rejects.toMatchObject({
      name: 'InvalidConfigError',
      message: expect.stringMatching(/versions\.v1\.maxLabels.*versions\.two.*current must name/),
    });
  });
});
