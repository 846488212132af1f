import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { parseWebDeploymentRequest, sendResponse } from '../../src/custom-resource';
import { cacheControlFor, deleteSite, deploySite } from '../../src/deploy-site';
import { InvalidCustomResourceEventError } from '../../src/errors';

const sample = (name: string): Record<string, any> =>
  JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'events', 'web-deploy', name), 'utf8'));

/** A bucket in memory that answers the three commands the deploy core sends, one key per page to exercise paging. */
function memoryBucket(initial: string[] = []) {
  const objects = new Map<string, { body: string; contentType?: string; cacheControl?: string }>(
    initial.map((key) => [key, { body: 'old' }]),
  );
  const send = async (command: unknown): Promise<any> => {
    if (command instanceof PutObjectCommand) {
      const input = command.input;
      objects.set(input.Key!, { body: String(input.Body), contentType: input.ContentType, cacheControl: input.CacheControl });
      return {};
    }
    if (command instanceof DeleteObjectCommand) return (objects.delete(command.input.Key!), {});
    if (command instanceof ListObjectsV2Command) {
      const keys = [...objects.keys()].sort();
      const start = command.input.ContinuationToken ? keys.indexOf(command.input.ContinuationToken) : 0;
      const next = keys[start + 1];
      return {
        Contents: keys.slice(start, start + 1).map((Key) => ({ Key })),
        IsTruncated: next !== undefined,
        NextContinuationToken: next,
      };
    }
    throw new Error('unexpected command');
  };
  return { objects, s3: { send } as never };
}

describe('WebDeployment custom resource', () => {
  let siteDir: string;
  beforeEach(() => {
    siteDir = mkdtempSync(join(tmpdir(), 'site-'));
    mkdirSync(join(siteDir, 'assets'));
    writeFileSync(join(siteDir, 'index.html'), '<!doctype html>');
    writeFileSync(join(siteDir, 'assets', 'main-3F2A1B9C.js'), 'console.log(1)');
    writeFileSync(join(siteDir, 'config.json'), '{"local":true}');
  });
  afterEach(() => rmSync(siteDir, { recursive: true, force: true }));

  it('reads Create with its Config and Delete without one (the sample events)', () => {
    // Act
    const create = parseWebDeploymentRequest(sample('create.json'));
    const remove = parseWebDeploymentRequest(sample('delete.json'));

    // Assess
    expect(create.requestType).toBe('Create');
    expect(create.config?.userPoolId).toBe('eu-west-1_AbCdEf123');
    expect(create.configError).toBeUndefined();
    expect(remove.requestType).toBe('Delete');
    expect(remove.config).toBeUndefined();
  });

  it('reports a malformed Config as an error to answer FAILED with, and refuses an event it cannot answer', () => {
    // Prepare
    const event = sample('create.json');
    event.ResourceProperties.Config.apiUrl = 'http://plain-http.example.com';

    // Act
    const request = parseWebDeploymentRequest(event);

    // Assess
    expect(request.configError?.message).toContain('apiUrl');
    expect(() => parseWebDeploymentRequest({ ...event, ResponseURL: undefined })).toThrow(InvalidCustomResourceEventError);
  });

  it('writes the site with the stack config.json instead of the built one, and removes what an older deploy left', async () => {
    // Prepare
    const bucket = memoryBucket(['assets/main-OLDHASH1.js', 'index.html']);
    const config = parseWebDeploymentRequest(sample('create.json')).config!;

    // Act
    const written = await deploySite(config, { s3: bucket.s3, bucket: 'web', siteDir });

    // Assess
    expect(written.sort()).toEqual(['assets/main-3F2A1B9C.js', 'config.json', 'index.html']);
    expect([...bucket.objects.keys()].sort()).toEqual(['assets/main-3F2A1B9C.js', 'config.json', 'index.html']);
    expect(JSON.parse(bucket.objects.get('config.json')!.body)).toEqual(config);
    expect(bucket.objects.get('index.html')).toMatchObject({ contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache' });
    expect(bucket.objects.get('assets/main-3F2A1B9C.js')?.cacheControl).toBe(cacheControlFor('assets/main-3F2A1B9C.js'));
    expect(cacheControlFor('assets/main-3F2A1B9C.js')).toContain('immutable');
  });

  it('empties the bucket on Delete', async () => {
    // Prepare
    const bucket = memoryBucket(['a.js', 'b.css', 'index.html']);

    // Act
    const deleted = await deleteSite({ s3: bucket.s3, bucket: 'web', siteDir });

    // Assess
    expect(deleted).toBe(3);
    expect(bucket.objects.size).toBe(0);
  });

  it('answers CloudFormation with a PUT of the response document and fails loudly when the answer is refused', async () => {
    // Prepare
    const received: { method?: string; contentType?: string; body: string }[] = [];
    let status = 200;
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({ method: request.method, contentType: request.headers['content-type'], body });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/answer`;
    const answer = {
      Status: 'SUCCESS' as const,
      Reason: 'OK',
      PhysicalResourceId: 'web-site-web',
      StackId: 's',
      RequestId: 'r',
      LogicalResourceId: 'WebDeployment',
    };

    try {
      // Act
      await sendResponse(url, answer);
      status = 403;
      const refused = sendResponse(url, answer);

      // Assess
      await expect(refused).rejects.toThrow('403');
      expect(received[0]).toMatchObject({ method: 'PUT', contentType: '' });
      expect(JSON.parse(received[0].body)).toEqual(answer);
    } finally {
      server.close();
    }
  });
});
