import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeParametersCommand, GetParameterCommand, GetParametersCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { startEdgeServer, type EdgeServer } from '../../../../edge/server';
import { edgeClientConfig } from '../../../../edge/tests/support/edge-client';
import { createSsmService } from '../../ssm-service';

describe('local SSM Parameter Store through the edge', () => {
  let dataDir: string;
  let edge: EdgeServer;
  let client: SSMClient;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sip-ssm-'));
    const ssm = await createSsmService({ dataDir });
    await ssm.putParameter({ Name: '/sip/config', Value: JSON.stringify({ minLabelConfidence: 80 }) });
    edge = await startEdgeServer({ port: 0, services: [ssm], faults: {} });
    client = new SSMClient(edgeClientConfig(edge.url));
  });
  afterAll(async () => {
    client.destroy();
    await edge.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('returns a parameter created through the programmatic API', async () => {
    // Act
    const { Parameter } = await client.send(new GetParameterCommand({ Name: '/sip/config' }));

    // Assess
    expect(JSON.parse(Parameter!.Value!)).toEqual({ minLabelConfidence: 80 });
    expect(Parameter!.Version).toBe(1);
    expect(Parameter!.LastModifiedDate).toBeInstanceOf(Date);
  });

  it('versions overwrites, refuses overwriting without the flag and persists across reopening', async () => {
    // Act
    const put = await client.send(
      new PutParameterCommand({ Name: '/sip/config', Value: '{"maxLabels":5}', Type: 'String', Overwrite: true }),
    );
    const refused = await client
      .send(new PutParameterCommand({ Name: '/sip/config', Value: '{}', Type: 'String' }))
      .catch((error: unknown) => error);
    const reopened = await createSsmService({ dataDir });

    // Assess
    expect(put.Version).toBe(2);
    expect(refused).toMatchObject({ name: 'ParameterAlreadyExists' });
    expect(reopened.getParameter('/sip/config')?.Value).toBe('{"maxLabels":5}');
  });

  it('answers a missing parameter with ParameterNotFound and lists it as invalid in GetParameters', async () => {
    // Act
    const missing = await client.send(new GetParameterCommand({ Name: '/sip/missing' })).catch((error: unknown) => error);
    const many = await client.send(new GetParametersCommand({ Names: ['/sip/config', '/sip/missing'] }));

    // Assess
    expect(missing).toMatchObject({ name: 'ParameterNotFound' });
    expect(many.InvalidParameters).toEqual(['/sip/missing']);
    expect(many.Parameters?.map((parameter) => parameter.Name)).toEqual(['/sip/config']);
  });

  it('hides a SecureString value unless WithDecryption is set', async () => {
    // Prepare
    await client.send(new PutParameterCommand({ Name: '/sip/secret', Value: 'hunter2', Type: 'SecureString' }));

    // Act
    const hidden = await client.send(new GetParameterCommand({ Name: '/sip/secret' }));
    const shown = await client.send(new GetParameterCommand({ Name: '/sip/secret', WithDecryption: true }));

    // Assess
    expect(hidden.Parameter?.Value).not.toBe('hunter2');
    expect(shown.Parameter?.Value).toBe('hunter2');
  });
  it('describes parameters without their values, filtered by path and paged (aws ssm describe-parameters)', async () => {
    // Prepare
    await client.send(new PutParameterCommand({ Name: '/describe/a', Value: 'secret-a', Type: 'SecureString' }));
    await client.send(new PutParameterCommand({ Name: '/describe/b', Value: 'b' }));
    await client.send(new PutParameterCommand({ Name: '/describe/deep/c', Value: 'c' }));

    // Act
    const firstPage = await client.send(
      new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Path', Values: ['/describe'] }], MaxResults: 1 }),
    );
    const secondPage = await client.send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: 'Path', Values: ['/describe'] }],
        MaxResults: 1,
        NextToken: firstPage.NextToken,
      }),
    );
    const recursive = await client.send(
      new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/describe'] }] }),
    );

    // Assess
    expect(firstPage.Parameters?.map((p) => [p.Name, p.Type])).toEqual([['/describe/a', 'SecureString']]);
    expect(JSON.stringify(firstPage.Parameters)).not.toContain('secret-a');
    expect(secondPage.Parameters?.map((p) => p.Name)).toEqual(['/describe/b']);
    expect(secondPage.NextToken).toBeUndefined();
    expect(recursive.Parameters?.map((p) => p.Name)).toEqual(['/describe/a', '/describe/b', '/describe/deep/c']);
  });
});
