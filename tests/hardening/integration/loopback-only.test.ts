import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `npm start` as a user runs it (edge + console in one process, on free ports here): both listen on the loopback
 * interface only, and a page from another origin can neither read from nor write to either.
 */

const ROOT = join(__dirname, '../../..');
const TSX_CLI = join(ROOT, 'node_modules/tsx/dist/cli.mjs');

let dataDir: string;
let child: ChildProcess;
let edgeUrl: URL;
let consoleUrl: URL;

/** Local addresses (hex as in /proc/net/tcp*) that a socket in LISTEN state holds for `port`. */
async function listeningAddresses(port: number): Promise<string[]> {
  const addresses: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const table = await readFile(file, 'utf8').catch(() => '');
    for (const line of table.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== '0A') continue;
      const [address, hexPort] = local.split(':');
      if (parseInt(hexPort, 16) === port) addresses.push(address);
    }
  }
  return addresses;
}

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** The status a GET answers with when the Host header names another site (DNS rebinding). */
function statusWithHost(url: URL, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

const externalAddresses = (): string[] =>
  Object.values(networkInterfaces()).flatMap((entries) =>
    (entries ?? []).filter((entry) => !entry.internal && entry.family === 'IPv4').map((entry) => entry.address),
  );

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sip-loopback-'));
  child = spawn(process.execPath, [TSX_CLI, 'local/cli/start.ts', '--quiet'], {
    cwd: ROOT,
    env: { ...process.env, LOCAL_DATA_DIR: dataDir, EDGE_PORT: '0', CONSOLE_PORT: '0' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let banner = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${stderr}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      banner += chunk.toString();
      const edge = /Edge endpoint:\s+(\S+)/.exec(banner)?.[1];
      const consoleAt = /Console:\s+(http\S+)/.exec(banner)?.[1];
      if (edge && consoleAt) {
        edgeUrl = new URL(edge);
        consoleUrl = new URL(consoleAt);
        resolve();
      }
    });
  });
}, 180_000);

afterAll(async () => {
  if (child?.pid) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 60_000);

describe('npm start network exposure', () => {
  test.each(['edge', 'console'])('binds the %s to 127.0.0.1 only', async (which) => {
    // Prepare
    const url = which === 'edge' ? edgeUrl : consoleUrl;
    const port = Number(url.port);

    // Act
    const listening = await listeningAddresses(port);
    const fromLoopback = await accepts('127.0.0.1', port);
    const fromOutside = await Promise.all(externalAddresses().map((address) => accepts(address, port)));

    // Assess
    expect(url.hostname).toBe('127.0.0.1');
    expect(listening).toEqual(['0100007F']); // 127.0.0.1, little-endian hex; never 00000000 (all interfaces)
    expect(fromLoopback).toBe(true);
    expect(fromOutside.filter(Boolean)).toEqual([]);
  });

  test('refuses a foreign origin and a rebinding Host at the edge, for reads and for presigned-style writes', async () => {
    // Act
    const read = await fetch(new URL('/', edgeUrl), { headers: { origin: 'http://evil.example' } });
    const write = await fetch(new URL('/any-bucket/uploads/x.jpg', edgeUrl), {
      method: 'PUT',
      headers: { origin: 'http://evil.example' },
      body: 'x',
    });
    const preflight = await fetch(new URL('/any-bucket/uploads/x.jpg', edgeUrl), {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'PUT' },
    });
    const rebound = await statusWithHost(edgeUrl, `attacker.example:${edgeUrl.port}`);

    // Assess
    for (const response of [read, write, preflight]) {
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
    expect(rebound).toBe(403);
  });

  test('refuses a foreign origin, a cross-site fetch and a rebinding Host at the console data routes', async () => {
    // Act: /config.json and /local/outbox are the console server's only data; the API is a server of its own.
    const foreign = await fetch(new URL('/config.json', consoleUrl), { headers: { origin: 'http://evil.example' } });
    const crossSite = await fetch(new URL('/local/outbox', consoleUrl), { headers: { 'sec-fetch-site': 'cross-site' } });
    const rebound = await statusWithHost(new URL('/config.json', consoleUrl), `attacker.example:${consoleUrl.port}`);
    const own = await fetch(new URL('/config.json', consoleUrl), { headers: { origin: consoleUrl.origin } });

    // Assess
    expect([foreign.status, crossSite.status]).toEqual([403, 403]);
    expect(rebound).toBe(421);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(own.status).toBe(200);
  });

  test('the API answers no request without a token, and allows no foreign origin', async () => {
    // Prepare
    const { apiUrl } = (await (await fetch(new URL('/config.json', consoleUrl))).json()) as { apiUrl: string };
    const api = new URL(apiUrl);

    // Act
    const anonymous = await fetch(new URL('/images', api), { headers: { origin: consoleUrl.origin } });
    const foreign = await fetch(new URL('/images', api), { headers: { origin: 'http://evil.example', authorization: 'Bearer x' } });
    const listening = await listeningAddresses(Number(api.port));

    // Assess
    expect(api.hostname).toBe('127.0.0.1');
    expect(listening).toEqual(['0100007F']);
    expect(anonymous.status).toBe(401);
    expect(foreign.status).toBeGreaterThanOrEqual(400);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});
