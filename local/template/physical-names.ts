import { createHash } from 'node:crypto';
import type { PseudoParameters } from './types';

/** A stable id of `length` characters from `alphabet`, the same for the same stack and resource at every start. */
function stableId(seed: string, length: number, alphabet: string): string {
  const digest = createHash('sha256').update(seed).digest();
  return Array.from({ length }, (_, i) => alphabet[digest[i] % alphabet.length]).join('');
}

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** What `Ref` and `Fn::GetAtt` give for one resource in local mode. */
export interface ResourceIdentity {
  ref: string;
  attributes: Record<string, string>;
}

type Props = Record<string, unknown>;

/**
 * Names a resource the way CloudFormation would (its Name property when set, else `<stack>-<LogicalId>`)
 * and lists its Ref and GetAtt values; unknown types still get a name so a Ref never breaks local mode.
 */
export function identify(
  logicalId: string,
  type: string,
  props: Props,
  named: (key: string) => string | undefined,
  pseudo: PseudoParameters,
): ResourceIdentity {
  const { region, accountId, partition, stackName } = pseudo;
  const generated = `${stackName}-${logicalId}`;
  const arn = (service: string, resource: string) => `arn:${partition}:${service}:${region}:${accountId}:${resource}`;
  switch (type) {
    case 'AWS::S3::Bucket': {
      // Bucket names are lower case and at most 63 characters.
      const name =
        named('BucketName') ??
        generated
          .toLowerCase()
          .replace(/[^a-z0-9.-]/g, '-')
          .slice(0, 63);
      return {
        ref: name,
        attributes: {
          Arn: `arn:${partition}:s3:::${name}`,
          DomainName: `${name}.s3.amazonaws.com`,
          RegionalDomainName: `${name}.s3.${region}.amazonaws.com`,
        },
      };
    }
    case 'AWS::DynamoDB::Table':
    case 'AWS::Serverless::SimpleTable': {
      const name = named('TableName') ?? generated;
      const tableArn = arn('dynamodb', `table/${name}`);
      return { ref: name, attributes: { Arn: tableArn, StreamArn: `${tableArn}/stream/1970-01-01T00:00:00.000` } };
    }
    case 'AWS::SNS::Topic': {
      const name = named('TopicName') ?? generated;
      const topicArn = arn('sns', name);
      return { ref: topicArn, attributes: { TopicArn: topicArn, TopicName: name } };
    }
    case 'AWS::SQS::Queue': {
      const name = named('QueueName') ?? generated;
      const url = `http://sqs.${region}.localhost/${accountId}/${name}`;
      return { ref: url, attributes: { Arn: arn('sqs', name), QueueName: name, QueueUrl: url } };
    }
    case 'AWS::Events::EventBus': {
      const name = named('Name') ?? generated;
      return { ref: name, attributes: { Arn: arn('events', `event-bus/${name}`), Name: name } };
    }
    case 'AWS::Events::Rule': {
      const name = named('Name') ?? generated;
      const bus = named('EventBusName') ?? 'default';
      return {
        ref: bus === 'default' ? name : `${bus}|${name}`,
        attributes: { Arn: arn('events', bus === 'default' ? `rule/${name}` : `rule/${bus}/${name}`) },
      };
    }
    case 'AWS::EventSchemas::Registry': {
      const name = named('RegistryName') ?? generated;
      return {
        ref: arn('schemas', `registry/${name}`),
        attributes: { RegistryArn: arn('schemas', `registry/${name}`), RegistryName: name },
      };
    }
    case 'AWS::SSM::Parameter': {
      const name = named('Name') ?? `CFN-${logicalId}`;
      return { ref: name, attributes: { Type: String(props.Type ?? 'String'), Value: '' } };
    }
    case 'AWS::Serverless::Function':
    case 'AWS::Lambda::Function': {
      const name = named('FunctionName') ?? generated;
      return { ref: name, attributes: { Arn: arn('lambda', `function:${name}`) } };
    }
    case 'AWS::Serverless::StateMachine':
    case 'AWS::StepFunctions::StateMachine': {
      const name = named('Name') ?? named('StateMachineName') ?? logicalId;
      const smArn = arn('states', `stateMachine:${name}`);
      return { ref: smArn, attributes: { Arn: smArn, Name: name } };
    }
    case 'AWS::Serverless::LayerVersion':
    case 'AWS::Lambda::LayerVersion': {
      const layerArn = arn('lambda', `layer:${named('LayerName') ?? generated}:1`);
      return { ref: layerArn, attributes: { Arn: layerArn } };
    }
    case 'AWS::IAM::Role': {
      const name = named('RoleName') ?? generated;
      return { ref: name, attributes: { Arn: `arn:${partition}:iam::${accountId}:role/${name}`, RoleId: name } };
    }
    case 'AWS::Rekognition::Collection': {
      const name = named('CollectionId') ?? generated;
      return { ref: name, attributes: { Arn: arn('rekognition', `collection/${name}`) } };
    }
    case 'AWS::KinesisFirehose::DeliveryStream': {
      const name = named('DeliveryStreamName') ?? generated;
      return { ref: name, attributes: { Arn: arn('firehose', `deliverystream/${name}`) } };
    }
    case 'AWS::Logs::LogGroup': {
      const name = named('LogGroupName') ?? `/aws/${generated}`;
      return { ref: name, attributes: { Arn: arn('logs', `log-group:${name}:*`) } };
    }
    case 'AWS::Cognito::UserPool': {
      // Cognito's shape: <region>_<9 characters>, stable so that tokens survive a restart.
      const id = `${region}_${stableId(`${stackName}/${logicalId}`, 9, ALNUM)}`;
      const provider = `cognito-idp.${region}.amazonaws.com/${id}`;
      return {
        ref: id,
        attributes: {
          Arn: arn('cognito-idp', `userpool/${id}`),
          ProviderName: provider,
          ProviderURL: `https://${provider}`,
          UserPoolId: id,
        },
      };
    }
    case 'AWS::Cognito::UserPoolClient': {
      const id = stableId(`${stackName}/${logicalId}`, 26, LOWER_ALNUM);
      return { ref: id, attributes: { ClientId: id, Name: named('ClientName') ?? generated } };
    }
    case 'AWS::Cognito::UserPoolDomain': {
      const domain = named('Domain') ?? generated.toLowerCase();
      return { ref: domain, attributes: { CloudFrontDistribution: `${stableId(domain, 13, LOWER_ALNUM)}.cloudfront.net` } };
    }
    case 'AWS::Serverless::HttpApi':
    case 'AWS::ApiGatewayV2::Api': {
      const id = stableId(`${stackName}/${logicalId}`, 10, LOWER_ALNUM);
      return { ref: id, attributes: { ApiId: id, ApiEndpoint: `https://${id}.execute-api.${region}.amazonaws.com` } };
    }
    case 'AWS::CloudFront::Distribution': {
      const id = stableId(`${stackName}/${logicalId}`, 14, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
      return { ref: id, attributes: { Id: id, DomainName: `${id.toLowerCase()}.cloudfront.net` } };
    }
    default:
      return { ref: generated, attributes: { Arn: arn(type.split('::')[1]?.toLowerCase() ?? 'local', generated) } };
  }
}
