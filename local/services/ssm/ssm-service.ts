import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AwsServiceError } from '../../edge/aws-error';
import { awsJsonProtocol } from '../../edge/protocols/aws-json';
import { matchTarget } from '../../edge/router';
import type { EdgeRequest, EdgeResponse, EdgeService } from '../../edge/types';
import { writeFileAtomic } from '../s3/atomic-file';

/** A stored parameter. */
export interface SsmParameter {
  Name: string;
  Type: 'String' | 'StringList' | 'SecureString';
  Value: string;
  Version: number;
  /** ISO time; answers carry it as epoch seconds, as the JSON protocol does. */
  LastModified: string;
  DataType: string;
  Description?: string;
  Tier: 'Standard' | 'Advanced';
}

/** Input of PutParameter. */
export interface SsmPutParameterInput {
  Name: string;
  Value: string;
  Type?: SsmParameter['Type'];
  Overwrite?: boolean;
  Description?: string;
  DataType?: string;
  Tier?: SsmParameter['Tier'] | 'Intelligent-Tiering';
}

/** SSM's JSON 1.1 protocol. */
const SSM_JSON = awsJsonProtocol({ version: '1.1', namespace: 'com.amazonaws.ssm' });

/** An SSM error named as the API names it (ParameterNotFound, ParameterAlreadyExists, ValidationException…); all are 400s. */
function ssmError(code: string, message: string): AwsServiceError {
  return new AwsServiceError(code, 400, message);
}

/** Options of the local SSM Parameter Store. */
export interface SsmServiceOptions {
  dataDir: string;
  region?: string;
  accountId?: string;
}

/** The local Parameter Store: an edge service (JSON 1.1) plus the API the runner uses to create the template's parameter. */
export interface LocalSsmService extends EdgeService {
  /** Creates or (with Overwrite) replaces a parameter. @throws AwsServiceError ParameterAlreadyExists, ValidationException. */
  putParameter(input: SsmPutParameterInput): Promise<{ Version: number; Tier: string }>;
  /** The stored parameter, or undefined. */
  getParameter(name: string): SsmParameter | undefined;
}

const NAME = /^[A-Za-z0-9_.\-/]{1,2048}$/;

/** Opens the Parameter Store persisted in <dataDir>/ssm/parameters.json. */
export async function createSsmService(options: SsmServiceOptions): Promise<LocalSsmService> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const folder = join(options.dataDir, 'ssm');
  const file = join(folder, 'parameters.json');
  await mkdir(folder, { recursive: true });
  const parameters = new Map<string, SsmParameter>(
    Object.entries(
      await readFile(file, 'utf8')
        .then((text) => JSON.parse(text) as Record<string, SsmParameter>)
        .catch(() => ({})),
    ),
  );
  let saving: Promise<void> = Promise.resolve();
  const save = () => (saving = saving.then(() => writeFileAtomic(file, JSON.stringify(Object.fromEntries(parameters), null, 2))));

  const putParameter = async (input: SsmPutParameterInput) => {
    if (
      !input.Name ||
      !NAME.test(input.Name) ||
      /^\/?aws/i.test(input.Name.replace(/^\//, '')) ||
      /^\/?ssm/i.test(input.Name.replace(/^\//, ''))
    ) {
      throw ssmError(
        'ValidationException',
        `Parameter name ${input.Name} is not valid: use letters, digits and _.-/ and do not start with aws or ssm`,
      );
    }
    const tier = input.Tier === 'Advanced' ? 'Advanced' : 'Standard';
    const limit = tier === 'Advanced' ? 8192 : 4096;
    if (input.Value === undefined || input.Value === '' || Buffer.byteLength(input.Value, 'utf8') > limit) {
      throw ssmError('ValidationException', `Parameter value must be 1 to ${limit} bytes for the ${tier} tier`);
    }
    const existing = parameters.get(input.Name);
    if (existing && !input.Overwrite)
      throw ssmError(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    const stored: SsmParameter = {
      Name: input.Name,
      Type: input.Type ?? existing?.Type ?? 'String',
      Value: input.Value,
      Version: (existing?.Version ?? 0) + 1,
      LastModified: new Date().toISOString(),
      DataType: input.DataType ?? 'text',
      Tier: tier,
      ...((input.Description ?? existing?.Description) ? { Description: input.Description ?? existing?.Description } : {}),
    };
    parameters.set(input.Name, stored);
    await save();
    return { Version: stored.Version, Tier: tier };
  };

  const present = (parameter: SsmParameter, withDecryption: boolean, selector = '') => ({
    Name: parameter.Name,
    Type: parameter.Type,
    // SecureString without decryption comes back as ciphertext in AWS; a handler that forgets WithDecryption must fail here too.
    Value:
      parameter.Type === 'SecureString' && !withDecryption
        ? `AQICAH-local-ciphertext-${Buffer.from(parameter.Value).toString('base64')}`
        : parameter.Value,
    Version: parameter.Version,
    ...(selector ? { Selector: selector } : {}),
    LastModifiedDate: new Date(parameter.LastModified).getTime() / 1000,
    ARN: `arn:aws:ssm:${region}:${accountId}:parameter${parameter.Name.startsWith('/') ? '' : '/'}${parameter.Name}`,
    DataType: parameter.DataType,
  });

  /** Finds "name", "name:version" (only the current version is kept) or "name:label" (not supported). */
  const lookup = (requested: string) => {
    const colon = requested.lastIndexOf(':');
    const name = colon > 0 ? requested.slice(0, colon) : requested;
    const selector = colon > 0 ? requested.slice(colon) : '';
    const parameter = parameters.get(name);
    if (!parameter) return undefined;
    if (selector && selector !== `:${parameter.Version}`) return undefined;
    return { parameter, selector };
  };

  const operations: Record<string, (input: Record<string, unknown>) => Promise<unknown> | unknown> = {
    GetParameter: (input) => {
      const found = lookup(String(input.Name ?? ''));
      if (!found) throw ssmError('ParameterNotFound', `Parameter ${String(input.Name)} not found.`);
      return { Parameter: present(found.parameter, Boolean(input.WithDecryption), found.selector) };
    },
    GetParameters: (input) => {
      const names = (input.Names as string[] | undefined) ?? [];
      if (names.length === 0 || names.length > 10) throw ssmError('ValidationException', 'Names must have 1 to 10 entries');
      const found = names.map((name) => ({ name, hit: lookup(name) }));
      return {
        Parameters: found
          .filter((entry) => entry.hit)
          .map((entry) => present(entry.hit!.parameter, Boolean(input.WithDecryption), entry.hit!.selector)),
        InvalidParameters: found.filter((entry) => !entry.hit).map((entry) => entry.name),
      };
    },
    GetParametersByPath: (input) => {
      const path = String(input.Path ?? '/');
      const base = path.endsWith('/') ? path : `${path}/`;
      const matches = [...parameters.values()].filter(
        (parameter) => parameter.Name.startsWith(base) && (input.Recursive || !parameter.Name.slice(base.length).includes('/')),
      );
      return {
        Parameters: matches
          .sort((a, b) => a.Name.localeCompare(b.Name))
          .map((parameter) => present(parameter, Boolean(input.WithDecryption))),
      };
    },
    DescribeParameters: (input) => {
      const filters = (input.ParameterFilters as { Key: string; Option?: string; Values?: string[] }[] | undefined) ?? [];
      const matching = [...parameters.values()].filter((parameter) => filters.every((filter) => matchesFilter(parameter, filter)));
      const sorted = matching.sort((a, b) => a.Name.localeCompare(b.Name));
      const start = Number(input.NextToken ?? 0) || 0;
      const size = Math.min(Math.max(Number(input.MaxResults ?? 50) || 50, 1), 50);
      const page = sorted.slice(start, start + size);
      return {
        Parameters: page.map((parameter) => {
          const {
            Value: _value,
            Selector: _selector,
            ...metadata
          } = present(parameter, false) as ReturnType<typeof present> & { Selector?: string };
          return {
            ...metadata,
            Tier: parameter.Tier,
            Policies: [],
            ...(parameter.Description ? { Description: parameter.Description } : {}),
          };
        }),
        ...(start + size < sorted.length ? { NextToken: String(start + size) } : {}),
      };
    },
    PutParameter: (input) => putParameter(input as unknown as SsmPutParameterInput),
    DeleteParameter: async (input) => {
      const name = String(input.Name ?? '');
      if (!parameters.delete(name)) throw ssmError('ParameterNotFound', `Parameter ${name} not found.`);
      await save();
      return {};
    },
  };

  const handle = async (req: EdgeRequest): Promise<EdgeResponse> => {
    const operation = (req.target ?? '').slice('AmazonSSM.'.length);
    const run = operations[operation];
    if (!run) throw ssmError('UnknownOperationException', `Local SSM does not implement ${operation}`);
    return SSM_JSON.ok(await run(SSM_JSON.parseBody(req)));
  };

  return {
    name: 'ssm',
    protocol: SSM_JSON,
    matches: matchTarget('AmazonSSM.'),
    handle,
    putParameter,
    getParameter: (name) => parameters.get(name),
  };
}

/**
 * DescribeParameters' ParameterFilters for Name (Equals, BeginsWith), Path (OneLevel, Recursive) and Type (Equals).
 * @throws AwsServiceError ValidationException for another key or option.
 */
function matchesFilter(parameter: SsmParameter, filter: { Key: string; Option?: string; Values?: string[] }): boolean {
  const values = filter.Values ?? [];
  const option = filter.Option ?? (filter.Key === 'Path' ? 'OneLevel' : 'Equals');
  if (filter.Key === 'Name' && option === 'Equals')
    return values.some((value) => parameter.Name === value || parameter.Name === `/${value.replace(/^\//, '')}`);
  if (filter.Key === 'Name' && option === 'BeginsWith') return values.some((value) => parameter.Name.startsWith(value));
  if (filter.Key === 'Type' && option === 'Equals') return values.includes(parameter.Type);
  if (filter.Key === 'Path' && (option === 'OneLevel' || option === 'Recursive')) {
    return values.some((value) => {
      const base = value.endsWith('/') ? value : `${value}/`;
      return parameter.Name.startsWith(base) && (option === 'Recursive' || !parameter.Name.slice(base.length).includes('/'));
    });
  }
  throw ssmError(
    'ValidationException',
    `Local SSM supports the filters Name (Equals, BeginsWith), Path (OneLevel, Recursive) and Type (Equals), not ${filter.Key} ${option}`,
  );
}
