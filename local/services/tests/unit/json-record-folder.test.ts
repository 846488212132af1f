import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRecordFolder } from '../../json-record-folder';

interface Note {
  id: string;
  step: number;
}
const isNote = (value: unknown): value is Note =>
  typeof value === 'object' && value !== null && typeof (value as Note).id === 'string' && typeof (value as Note).step === 'number';

describe('JsonRecordFolder', () => {
  let dir: string;

  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'record-folder-')), 'notes');
  });

  afterEach(async () => {
    await rm(join(dir, '..'), { recursive: true, force: true });
  });

  it('keeps the last of many writes to one record, leaving no temporary file behind', async () => {
    // Prepare
    const folder = new JsonRecordFolder<Note>(dir, isNote);

    // Act: writes started back to back, without waiting, as a job's status changes are saved.
    const writes = Array.from({ length: 20 }, (_unused, step) => folder.save('a', { id: 'a', step }));
    await Promise.all(writes);
    await folder.flushed();

    // Assess
    expect(JSON.parse(await readFile(join(dir, 'a.json'), 'utf8'))).toEqual({ id: 'a', step: 19 });
    expect(await readdir(dir)).toEqual(['a.json']);
  });

  it('loads every record after a restart and names the files that are not records', async () => {
    // Prepare
    const folder = new JsonRecordFolder<Note>(dir, isNote);
    await folder.save('a', { id: 'a', step: 1 });
    await folder.save('b', { id: 'b', step: 2 });
    await writeFile(join(dir, 'cut.json'), '{"id": "c", "st');
    await writeFile(join(dir, 'other.json'), '{"name": "not a note"}');
    await writeFile(join(dir, 'a.json.1234.tmp'), 'a temporary file a crash left');

    // Act
    const loaded = new JsonRecordFolder<Note>(dir, isNote).load();

    // Assess
    expect(loaded.records.sort((x, y) => x.id.localeCompare(y.id))).toEqual([
      { id: 'a', step: 1 },
      { id: 'b', step: 2 },
    ]);
    expect(loaded.skipped.sort()).toEqual(['cut.json', 'other.json']);
  });
});
