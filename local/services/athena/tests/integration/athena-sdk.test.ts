import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { createAthenaFactsEngine } from '../../../../../functions/api/src/analytics/athena-facts';
import { generateFacts, writeFacts } from '../../../../analytics/generate-facts';
import { daysOf } from '../../../../analytics/report';
import { startEdgeServer, type EdgeServer } from '../../../../edge/server';
import { edgeClientConfig } from '../../../../edge/tests/support/edge-client';
import { createAthenaService, type LocalAthenaService } from '../../athena-service';

describe("local Athena through the edge, with the API function's Athena engine", () => {
  let dataDir: string;
  let edge: EdgeServer;
  let athena: LocalAthenaService;
  let client: AthenaClient;
  const rows = generateFacts(2500, daysOf(2), 3);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sip-athena-'));
    writeFacts(dataDir, rows);
    athena = createAthenaService({ dataDir });
    edge = await startEdgeServer({ port: 0, services: [athena], faults: {} });
    client = new AthenaClient(edgeClientConfig(edge.url));
  });
  afterAll(async () => {
    client.destroy();
    athena.close();
    await edge.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const engine = () => createAthenaFactsEngine(client, { workGroup: 'sip-analytics', database: 'sip_analytics', pollMs: 10 });

  it('pages results past 1,000 rows and binds quoted execution parameters', async () => {
    // Act
    const all = await engine().query({ sql: 'SELECT eventid AS id FROM facts ORDER BY id', params: [] });
    const [quoted] = await engine().query({
      sql: 'SELECT ? AS name, count(*) AS n FROM facts WHERE dt = ?',
      params: ["O'Brien", daysOf(2)[1]],
    });

    // Assess
    expect(all.map((row) => row.id)).toEqual(rows.map((row) => row.fact.eventId).sort());
    expect(quoted).toEqual({ name: "O'Brien", n: String(rows.filter((row) => row.dt === daysOf(2)[1]).length) });
  });

  it('reports a failed query with its reason', async () => {
    await expect(engine().query({ sql: 'SELECT no_such_column FROM facts', params: [] })).rejects.toThrow(/FAILED: .*no_such_column/);
  });

  it('refuses an execution parameter that is no SQL literal, as Athena does', async () => {
    await expect(
      client.send(new StartQueryExecutionCommand({ QueryString: 'SELECT ?', ExecutionParameters: ['2026-12-01'] })),
    ).rejects.toMatchObject({ name: 'InvalidRequestException' });
  });
});
