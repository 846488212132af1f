import { eventPatternProblems, matchesEventPattern } from '../../event-pattern';

/** The sample event of AWS's Event Ruler README (the matcher behind EventBridge). */
const EC2_EVENT = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

const matches = (pattern: Record<string, unknown>, event: unknown = EC2_EVENT) => {
  expect(eventPatternProblems(pattern)).toEqual([]);
  return matchesEventPattern(pattern, event);
};

describe('event patterns: AWS documented examples', () => {
  it.each([
    [
      'simple matching',
      {
        'detail-type': ['EC2 Instance State-change Notification'],
        resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
        detail: { state: ['initializing', 'running'] },
      },
      true,
    ],
    ['prefix', { time: [{ prefix: '2017-10-02' }] }, true],
    ['prefix that differs', { time: [{ prefix: '2017-10-03' }] }, false],
    ['prefix with equals-ignore-case', { source: [{ prefix: { 'equals-ignore-case': 'AWS.' } }] }, true],
    ['suffix', { source: [{ suffix: 'ec2' }] }, true],
    ['suffix with equals-ignore-case', { source: [{ suffix: { 'equals-ignore-case': 'EC2' } }] }, true],
    ['equals-ignore-case', { source: [{ 'equals-ignore-case': 'AWS.EC2' }] }, true],
    ['wildcard', { 'detail-type': [{ wildcard: 'EC2*State-change*' }] }, true],
    ['wildcard that does not match', { 'detail-type': [{ wildcard: 'S3*Notification' }] }, false],
    ['anything-but a string', { detail: { state: [{ 'anything-but': 'initializing' }] } }, true],
    ['anything-but the value itself', { detail: { state: [{ 'anything-but': 'running' }] } }, false],
    ['anything-but a number', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, true],
    ['anything-but a list of strings', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, true],
    ['anything-but a list of numbers', { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, true],
    ['anything-but prefix', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, true],
    ['anything-but prefix of the value', { detail: { state: [{ 'anything-but': { prefix: 'run' } }] } }, false],
    ['anything-but suffix', { detail: { 'instance-id': [{ 'anything-but': { suffix: '.png' } }] } }, true],
    ['anything-but equals-ignore-case', { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'RUNNING' } }] } }, false],
    ['anything-but wildcard', { detail: { 'instance-id': [{ 'anything-but': { wildcard: 'i-*' } }] } }, false],
    [
      'numeric',
      {
        detail: {
          'c-count': [{ numeric: ['>', 0, '<=', 5] }],
          'd-count': [{ numeric: ['<', 10] }],
          'x-limit': [{ numeric: ['=', 3.018e2] }],
        },
      },
      true,
    ],
    ['numeric out of range', { detail: { 'c-count': [{ numeric: ['>', 5] }] } }, false],
    ['cidr', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, true],
    ['cidr outside the block', { detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } }, false],
    ['exists true', { detail: { 'c-count': [{ exists: true }] } }, true],
    ['exists false on a missing field', { detail: { 'e-count': [{ exists: false }] } }, true],
    ['exists false on a present field', { detail: { 'c-count': [{ exists: false }] } }, false],
    [
      'complex example',
      {
        time: [{ prefix: '2017-10-02' }],
        detail: {
          state: [{ 'anything-but': 'initializing' }],
          'c-count': [{ numeric: ['>', 0, '<=', 5] }],
          'd-count': [{ numeric: ['<', 10] }],
          'x-limit': [{ 'anything-but': [100, 200, 300] }],
          'source-ip': [{ cidr: '10.0.0.0/8' }],
        },
      },
      true,
    ],
  ])('%s', (_name, pattern, expected) => {
    expect(matches(pattern)).toBe(expected);
  });

  it('treats exists as true only on leaf nodes, as the documentation shows with an object c-count', () => {
    // Prepare
    const event = {
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['initializing', 'running'], 'c-count': { c1: 100 } },
    };

    // Act and assess
    expect(matches({ detail: { 'c-count': [{ exists: false }] } }, event)).toBe(true);
    expect(matches({ detail: { 'c-count': [{ exists: true }] } }, event)).toBe(false);
  });

  it('matches an event array when it shares a value with the pattern array (Arrays in event patterns)', () => {
    // Prepare
    const pattern = {
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f', 'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f'],
    };
    const event = {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    };

    // Act and assess
    expect(matches(pattern, event)).toBe(true);
    expect(matches(pattern, { resources: ['arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'] })).toBe(false);
  });

  it('tells null from an empty string (Matching null values and empty strings)', () => {
    // Prepare
    const event = { detail: { eventVersion: '', responseElements: null } };

    // Act and assess
    expect(matches({ detail: { eventVersion: [''] } }, event)).toBe(true);
    expect(matches({ detail: { responseElements: [null] } }, event)).toBe(true);
    expect(matches({ detail: { responseElements: [''] } }, event)).toBe(false);
  });

  it.each([
    [
      'source && (metricName || namespace)',
      { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] },
      { source: 'aws.cloudwatch', namespace: 'AWS/EC2' },
      true,
    ],
    [
      'neither side of $or',
      { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }] },
      { source: 'aws.cloudwatch', namespace: 'AWS/S3' },
      false,
    ],
    [
      'an $or side with an AND inside',
      { $or: [{ metricName: ['CPUUtilization'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2'] }] },
      { metricType: 'MetricType', namespace: 'AWS/EC2' },
      true,
    ],
    [
      'only half of that AND',
      { $or: [{ metricName: ['CPUUtilization'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2'] }] },
      { metricType: 'MetricType', namespace: 'AWS/ES' },
      false,
    ],
    [
      'nested $or',
      { $or: [{ scope: ['Service'] }, { namespace: ['AWS/EC2'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] }] },
      { namespace: 'AWS/EC2', spaceId: 1000 },
      true,
    ],
  ])('$or: %s', (_name, pattern, event, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });

  it('offers each object of an event array to a nested pattern', () => {
    // Prepare
    const event = {
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
      ],
    };

    // Act and assess
    expect(matches({ employees: { firstName: ['Anna'] } }, event)).toBe(true);
    expect(matches({ employees: { firstName: ['Anna'], lastName: ['Doe'] } }, event)).toBe(false);
  });
});

describe('event patterns: refused with a reason', () => {
  it.each([
    ['not an object', 'source', ['the pattern must be a JSON object']],
    ['empty', {}, ['the pattern must name at least one field']],
    ['a bare value', { source: 'aws.ec2' }, ['source must be an array of values or matchers, or a nested pattern']],
    ['an empty array', { source: [] }, ['source must not be an empty array']],
    [
      'an unknown operator',
      { source: [{ contains: 'ec2' }] },
      ['source[0] must be one of prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, exists, cidr (got contains)'],
    ],
    [
      'two operators in one matcher',
      { source: [{ prefix: 'a', suffix: 'b' }] },
      ['source[0] must be one of prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, exists, cidr (got prefix, suffix)'],
    ],
    ['an unknown numeric operator', { detail: { n: [{ numeric: ['!=', 1] }] } }, ['detail.n[0].numeric has an unknown operator "!="']],
    [
      'an upside-down range',
      { detail: { n: [{ numeric: ['>', 10, '<', 5] }] } },
      ['detail.n[0].numeric as a range needs its lower bound below its upper bound'],
    ],
    ['consecutive wildcards', { source: [{ wildcard: 'a**b' }] }, ['source[0].wildcard must not hold consecutive * characters']],
    [
      'a mixed anything-but list',
      { state: [{ 'anything-but': ['a', 1] }] },
      ['state[0].anything-but must list only strings or only numbers'],
    ],
    [
      'anything-but a prefix list',
      { state: [{ 'anything-but': { prefix: ['a', 'b'] } }] },
      ['state[0].anything-but.prefix must be a single string'],
    ],
    ['exists with a string', { state: [{ exists: 'yes' }] }, ['state[0].exists must be true or false']],
    ['$or with one side', { $or: [{ a: ['1'] }] }, ['$or must be an array of at least two patterns']],
  ])('%s', (_name, pattern, reasons) => {
    expect(eventPatternProblems(pattern)).toEqual(reasons);
  });
});
