import { DETECTORS } from '../../../functions/rekognition-labels/src/detectors';
import { loadTemplate, type Template } from '../../template/support/template';

/**
 * What tests/template/template-security.test.ts checks for the roles and buckets it knows by name, checked here for
 * every policy statement and every bucket anywhere in the template, so a resource added later cannot slip past.
 */

interface FoundStatement {
  at: string;
  statement: Record<string, unknown>;
  /** The statements of the same policy document (the statement included). */
  siblings: unknown[];
}

/** Every object with an Effect and an Action/NotAction found at any depth of the template. */
function everyStatement(template: Template): FoundStatement[] {
  const found: FoundStatement[] = [];
  const visit = (node: unknown, at: string, siblings: unknown[]): void => {
    if (Array.isArray(node)) return node.forEach((child, index) => visit(child, `${at}[${index}]`, node));
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record.Effect === 'string' && ('Action' in record || 'NotAction' in record)) found.push({ at, statement: record, siblings });
    for (const [key, value] of Object.entries(record)) visit(value, `${at}.${key}`, [record]);
  };
  visit(template.Resources, 'Resources', []);
  return found;
}

const list = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const allowsOf = (template: Template) => everyStatement(template).filter(({ statement }) => statement.Effect === 'Allow');

/** Rekognition's image APIs have no resource ARNs: the actions of the analysis function's detector registry. */
const REKOGNITION_ACTIONS = new Set<string>(DETECTORS.map((detector) => detector.iamAction));
/** Rekognition Video's stored-video APIs and the mediaconvert:createJob.sync integration: no resource-level permissions (issue 14). */
const VIDEO_STAR_ACTIONS = new Set([
  'rekognition:StartLabelDetection',
  'rekognition:GetLabelDetection',
  'rekognition:StartContentModeration',
  'rekognition:GetContentModeration',
  'mediaconvert:CreateJob',
  'mediaconvert:GetJob',
  'mediaconvert:CancelJob',
]);
/** The callback pattern's calls: the Service Authorization Reference lists no resource type for them (the token names the task). */
const TASK_TOKEN_ACTIONS = new Set(['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat']);
const LOG_DELIVERY =
  /^logs:(Create|Delete|Get|List|Update)LogDeliver(y|ies)$|^logs:(DescribeLogGroups|DescribeResourcePolicies|PutResourcePolicy)$/;

function wildcardActions(template: Template): string[] {
  return allowsOf(template).flatMap(({ at, statement }) => [
    ...list(statement.Action)
      .filter((action) => typeof action !== 'string' || action.includes('*'))
      .map((action) => `${at}: Action ${JSON.stringify(action)}`),
    ...('NotAction' in statement ? [`${at}: NotAction`] : []),
    ...('NotResource' in statement ? [`${at}: NotResource`] : []),
  ]);
}

/** A Deny of sns:Publish on every topic ARN of every partition, region and account. */
const EVERY_TOPIC = { 'Fn::Sub': 'arn:${AWS::Partition}:sns:*:*:*' };
function deniesEveryTopic(statement: unknown): boolean {
  const record = statement as Record<string, unknown>;
  return (
    record?.Effect === 'Deny' &&
    list(record.Action).length === 1 &&
    list(record.Action)[0] === 'sns:Publish' &&
    JSON.stringify(record.Resource) === JSON.stringify(EVERY_TOPIC) &&
    !('Condition' in record)
  );
}

/**
 * SMS to a phone number has no resource ARN, so sns:Publish needs Resource "*"; allowed only as that exact
 * statement (sns:Publish alone, no condition to widen) beside a Deny on every topic, so the role can text and
 * never publish to a topic.
 */
function isPhoneOnlyPublish({ statement, siblings }: FoundStatement): boolean {
  const actions = list(statement.Action);
  return actions.length === 1 && actions[0] === 'sns:Publish' && list(statement.Resource).length === 1 && siblings.some(deniesEveryTopic);
}

function starResources(template: Template): string[] {
  return allowsOf(template)
    .filter(({ statement }) => list(statement.Resource).includes('*'))
    .filter((found) => !isPhoneOnlyPublish(found))
    .flatMap(({ at, statement }) =>
      list(statement.Action)
        .map(String)
        .filter(
          (action) =>
            !REKOGNITION_ACTIONS.has(action) &&
            !VIDEO_STAR_ACTIONS.has(action) &&
            !TASK_TOKEN_ACTIONS.has(action) &&
            !LOG_DELIVERY.test(action),
        )
        .map((action) => `${at}: ${action}`),
    );
}

function publicGrants(template: Template): string[] {
  return allowsOf(template)
    .filter(({ statement }) => 'Principal' in statement && /^"\*"$|"AWS":"\*"|"AWS":\["\*"\]/.test(JSON.stringify(statement.Principal)))
    .map(({ at }) => at);
}

function weakBuckets(template: Template): string[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::S3::Bucket')
    .filter(([, bucket]) => {
      const properties = bucket.Properties ?? {};
      const block = properties.PublicAccessBlockConfiguration ?? {};
      const sse = properties.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault?.SSEAlgorithm;
      const allBlocked = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'].every(
        (flag) => block[flag] === true,
      );
      return (
        !allBlocked ||
        !/^(AES256|aws:kms|aws:kms:dsse)$/.test(String(sse)) ||
        properties.AccessControl !== undefined ||
        properties.WebsiteConfiguration !== undefined
      );
    })
    .map(([id]) => id);
}

describe('template exposure, over every statement and bucket', () => {
  test('finds the policy statements it is meant to check', () => {
    // Act
    const statements = everyStatement(loadTemplate());

    // Assess: roles of the functions and the state machine, plus the TLS-only bucket policies.
    expect(statements.length).toBeGreaterThan(8);
    expect(allowsOf(loadTemplate()).length).toBeGreaterThan(5);
  });

  test('allows no wildcard action and never uses NotAction or NotResource in an Allow', () => {
    expect(wildcardActions(loadTemplate())).toEqual([]);
  });

  test('uses Resource "*" only for the detector registry\'s Rekognition actions, the log-delivery actions, the task-token calls and SMS publishing (beside a Deny on every topic), which have no resource ARNs', () => {
    expect(starResources(loadTemplate())).toEqual([]);
  });

  test('grants nothing to a public principal', () => {
    expect(publicGrants(loadTemplate())).toEqual([]);
  });

  test('blocks public access and encrypts every bucket the template declares', () => {
    // Act
    const template = loadTemplate();

    // Assess
    expect(Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::S3::Bucket').length).toBeGreaterThanOrEqual(2);
    expect(weakBuckets(template)).toEqual([]);
  });

  test('flags each kind of exposure when a careless resource is added', () => {
    // Prepare
    const template = loadTemplate();
    template.Resources.CarelessRole = {
      Type: 'AWS::IAM::Role',
      Properties: {
        Policies: [
          {
            PolicyDocument: {
              Statement: [
                { Effect: 'Allow', Action: 's3:*', Resource: { 'Fn::Sub': 'arn:aws:s3:::x/*' } },
                { Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: '*' },
                { Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:s3:::x' },
              ],
            },
          },
        ],
      },
    };
    template.Resources.CarelessTopicPolicy = {
      Type: 'AWS::SNS::TopicPolicy',
      Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sns:Publish', Resource: 'x' }] } },
    };
    template.Resources.CarelessBucket = { Type: 'AWS::S3::Bucket', Properties: { AccessControl: 'PublicRead' } };
    // sns:Publish on "*" with no Deny on topics beside it: could publish to any topic.
    template.Resources.CarelessTexter = {
      Type: 'AWS::IAM::Role',
      Properties: { Policies: [{ PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sns:Publish', Resource: '*' }] } }] },
    };

    // Act
    const found = [wildcardActions(template), starResources(template), publicGrants(template), weakBuckets(template)];

    // Assess
    expect(found.map((entries) => entries.length)).toEqual([2, 2, 1, 1]);
    expect(found[3]).toEqual(['CarelessBucket']);
  });
});
