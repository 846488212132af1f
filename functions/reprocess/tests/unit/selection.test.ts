import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { reprocessExecutionName } from '../../src/prepare-image';
import { isOlderVersion, parseReprocessRequest, parseWhere } from '@smart-image-pipeline/contracts';

const EVENTS = join(__dirname, '..', '..', '..', '..', 'events', 'reprocess');
const event = (name: string) => JSON.parse(readFileSync(join(EVENTS, name), 'utf8'));

describe('parseReprocessRequest', () => {
  it('reads the select event of the state machine', () => {
    // Act
    const request = parseReprocessRequest(event('select-by-label.json').request);

    // Assess
    expect(request).toEqual({ version: 'v2', selection: { kind: 'label', label: 'Dog' }, maxConcurrency: 4 });
  });

  it('reads every form of where', () => {
    expect(parseWhere('all')).toEqual({ kind: 'all' });
    expect(parseWhere(' failed ')).toEqual({ kind: 'failed' });
    expect(parseWhere('user=unowned')).toEqual({ kind: 'user', owner: 'unowned' });
    expect(parseWhere('user=7c9e6679-7425-40de-944b-e07fc1f90ae7')).toEqual({
      kind: 'user',
      owner: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    });
    expect(parseWhere('label=Golden Retriever')).toEqual({ kind: 'label', label: 'Golden Retriever' });
    expect(parseWhere('older-than=v3')).toEqual({ kind: 'older-than', version: 'v3' });
  });

  it('names every problem of a bad request', () => {
    // Act
    const act = () => parseReprocessRequest({ version: 'latest', where: 'colour=red', maxConcurrency: 0 });

    // Assess
    expect(act).toThrow(
      /"version" must be a version name such as v2 \(got "latest"\); "where" must be .* \(got "colour=red"\); "maxConcurrency" must be an integer from 1 to 1000 \(got 0\)/,
    );
  });

  it('compares versions by number, not as text', () => {
    expect(isOlderVersion('v9', 'v10')).toBe(true);
    expect(isOlderVersion('v10', 'v9')).toBe(false);
    expect(isOlderVersion('v2', 'v2')).toBe(false);
  });
});

describe('reprocessExecutionName', () => {
  it('names one run per image, revision, version and reprocess run, inside Step Functions’ 80 characters', () => {
    // Prepare
    const { imageId, version, runName } = event('prepare-image.json');

    // Act
    const name = reprocessExecutionName(imageId, '9a1b2c3d4e5f6071', version, runName);
    const other = reprocessExecutionName(imageId, '9a1b2c3d4e5f6071', version, 'another-run');

    // Assess
    expect(name).toMatch(/^img-[0-9a-f]{32}-[0-9a-f]{16}-v2-[0-9a-f]{8}$/);
    expect(name.length).toBeLessThanOrEqual(80);
    expect(reprocessExecutionName(imageId, '9a1b2c3d4e5f6071', version, runName)).toBe(name);
    expect(other).not.toBe(name);
  });
});
