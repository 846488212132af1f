/** The four ports `npm start` binds on 127.0.0.1, each with the variable that moves it. */
export const LOCAL_PORTS = [
  { variable: 'EDGE_PORT', fallback: 4566, serves: 'the edge endpoint' },
  { variable: 'CONSOLE_PORT', fallback: 3000, serves: 'the console' },
  { variable: 'API_PORT', fallback: 3001, serves: 'the local HTTP API' },
  { variable: 'AUTH_PORT', fallback: 3002, serves: "the local user pool's sign-in" },
] as const;

/** What a second stack next to a running one can use: every port moved, the data folder apart. */
const SECOND_STACK = 'EDGE_PORT=4576 CONSOLE_PORT=3010 API_PORT=3011 AUTH_PORT=3012 LOCAL_DATA_DIR=.local-2 npm start';

/**
 * A plain explanation of a listen error that names the port's variable (Node's EADDRINUSE carries only the number,
 * and all four ports clash at once when another `npm start` runs), or undefined for any other error.
 */
export function portTakenHint(error: unknown, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const { code, port } = (error ?? {}) as { code?: unknown; port?: unknown };
  if (code !== 'EADDRINUSE') return undefined;
  const taken = LOCAL_PORTS.find((entry) => Number(env[entry.variable] ?? entry.fallback) === port);
  const what = taken ? `port ${String(port)} (${taken.variable}, ${taken.serves})` : `port ${String(port)}`;
  return [`${what} is taken, probably by another \`npm start\`.`, `Stop that one, or move this one: ${SECOND_STACK}`].join('\n');
}
