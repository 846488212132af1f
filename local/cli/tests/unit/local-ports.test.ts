import { portTakenHint } from '../../local-ports';

const inUse = (port: number) =>
  Object.assign(new Error(`listen EADDRINUSE: address already in use 127.0.0.1:${port}`), { code: 'EADDRINUSE', port });

describe('portTakenHint', () => {
  it('names the variable of a default port that is taken, and how to run a second stack', () => {
    // Act
    const hint = portTakenHint(inUse(3002), {});

    // Assess
    expect(hint).toMatch(/^port 3002 \(AUTH_PORT, the local user pool's sign-in\) is taken/);
    expect(hint).toContain('EDGE_PORT=4576 CONSOLE_PORT=3010 API_PORT=3011 AUTH_PORT=3012 LOCAL_DATA_DIR=');
  });

  it('reads a moved port from its variable', () => {
    // Act
    const hint = portTakenHint(inUse(4570), { EDGE_PORT: '4570' });

    // Assess
    expect(hint).toMatch(/^port 4570 \(EDGE_PORT, the edge endpoint\) is taken/);
  });

  it('still explains a port that is none of the four', () => {
    // Act
    const hint = portTakenHint(inUse(9999), {});

    // Assess
    expect(hint).toMatch(/^port 9999 is taken/);
  });

  it('leaves any other error alone', () => {
    // Act
    const hints = [portTakenHint(new Error('boom'), {}), portTakenHint(undefined, {})];

    // Assess
    expect(hints).toEqual([undefined, undefined]);
  });
});
