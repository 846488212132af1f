import type { IncomingMessage } from 'node:http';
import { guardRequest } from '../../server/http/request-guard';
import { layoutAsl } from '../../web/graph-layout';

describe('layoutAsl', () => {
  it('puts the happy path in one column and the failure branch in a lane beside it, with choice and catch edges', () => {
    // Prepare
    const definition = {
      StartAt: 'Resize',
      States: {
        Resize: { Type: 'Task', Next: 'Supported', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'RecordFailure' }] },
        Supported: { Type: 'Choice', Choices: [{ Next: 'Analyse' }], Default: 'Store' },
        Analyse: { Type: 'Task', Next: 'Store', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'RecordFailure' }] },
        Store: { Type: 'Task', End: true },
        RecordFailure: { Type: 'Task', Next: 'Failed' },
        Failed: { Type: 'Fail' },
      },
    };

    // Act
    const { nodes, edges } = layoutAsl(definition);
    const at = Object.fromEntries(nodes.map((node) => [node.name, [node.layer, node.column]]));

    // Assess
    expect(at.Resize).toEqual([0, 0]);
    expect(at.Supported).toEqual([1, 0]);
    expect(at.Analyse).toEqual([2, 0]);
    expect(at.Store).toEqual([3, 0]);
    expect(at.RecordFailure[0]).toBe(3);
    expect(at.RecordFailure[1]).toBe(1);
    expect(at.Failed).toEqual([4, 1]);
    expect(edges.filter((edge) => edge.kind === 'catch')).toHaveLength(2);
    expect(edges.find((edge) => edge.kind === 'default')).toEqual(expect.objectContaining({ from: 'Supported', to: 'Store' }));
  });

  it('survives a loop without placing states infinitely far', () => {
    // Act
    const { nodes } = layoutAsl({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } } });

    // Assess
    expect(nodes.map((node) => node.layer)).toEqual([0, 1]);
  });
});

describe('guardRequest', () => {
  const own = 'http://127.0.0.1:3000';
  const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

  it('lets same-origin and origin-less requests through', () => {
    expect(guardRequest(request({ host: '127.0.0.1:3000', origin: own }), own)).toBeUndefined();
    expect(guardRequest(request({ host: '127.0.0.1:3000' }), own)).toBeUndefined();
  });

  it('refuses another origin, another port and cross-site fetch metadata', () => {
    expect(guardRequest(request({ host: '127.0.0.1:3000', origin: 'https://evil.example' }), own)?.status).toBe(403);
    expect(guardRequest(request({ host: '127.0.0.1:3000', origin: 'http://127.0.0.1:4000' }), own)?.status).toBe(403);
    expect(guardRequest(request({ host: '127.0.0.1:3000', 'sec-fetch-site': 'cross-site' }), own)?.status).toBe(403);
  });

  it('opens the page itself when a link on another local site leads to it', () => {
    expect(guardRequest(request({ host: '127.0.0.1:3000', 'sec-fetch-site': 'same-site' }), own, false)).toBeUndefined();
    expect(guardRequest(request({ host: '127.0.0.1:3000', 'sec-fetch-site': 'same-site' }), own, true)?.status).toBe(403);
  });

  it('refuses a foreign Host header, which is what DNS rebinding sends', () => {
    expect(guardRequest(request({ host: 'evil.example:3000' }), own)?.status).toBe(421);
  });
});
