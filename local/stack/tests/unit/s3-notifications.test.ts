import type { S3EventRecord } from 'aws-lambda';
import { matches } from '../../s3-notifications';
import { coveredRevisions, revisionKey } from '../../recovery';
import type { LocalS3Event } from '../../../template/types';
import type { ExecutionRecord } from '../../../services/stepfunctions/types';

const EVENT: LocalS3Event = {
  name: 'Upload',
  bucketLogicalId: 'UploadsBucket',
  bucketName: 'uploads',
  events: ['s3:ObjectCreated:*'],
  prefix: 'uploads/',
  suffix: '',
};

function record(key: string, eventName = 'ObjectCreated:Put', bucket = 'uploads'): S3EventRecord {
  return { eventName, s3: { bucket: { name: bucket }, object: { key } } } as unknown as S3EventRecord;
}

describe('matches', () => {
  it('selects ObjectCreated records under the prefix, comparing the decoded key', () => {
    // Act
    const results = [
      matches(EVENT, record('uploads/a+b.jpg')),
      matches(EVENT, record('uploads%2Fx.jpg')),
      matches(EVENT, record('other/a.jpg')),
      matches(EVENT, record('uploads/a.jpg', 'ObjectRemoved:Delete')),
      matches(EVENT, record('uploads/a.jpg', 'ObjectCreated:Put', 'processed')),
      matches({ ...EVENT, events: ['s3:ObjectCreated:Put'], suffix: '.jpg' }, record('uploads/a.png')),
    ];

    // Assess
    expect(results).toEqual([true, true, false, false, false, false]);
  });
});

describe('coveredRevisions', () => {
  it('names each execution input by version, or by sequencer when the bucket is unversioned', () => {
    // Prepare
    const executions = [
      { input: JSON.stringify({ source: { bucket: 'b', key: 'uploads/a.jpg', versionId: 'v1', sequencer: 'S1' } }) },
      { input: JSON.stringify({ source: { bucket: 'b', key: 'uploads/c.jpg', versionId: null, sequencer: 'S2' } }) },
      { input: 'not json' },
    ] as ExecutionRecord[];

    // Act
    const covered = coveredRevisions(executions);

    // Assess
    expect([...covered].sort()).toEqual([revisionKey('b', 'uploads/a.jpg', 'v1'), revisionKey('b', 'uploads/c.jpg', 'S2')].sort());
  });
});
