/** Where SDK-integration tasks send their calls. */
export interface SdkTarget {
  edgeUrl: string;
  region: string;
}

type Client = { send(command: unknown): Promise<Record<string, unknown>> };
type ClientModule = Record<string, unknown>;

/**
 * Calls `@aws-sdk/client-<service>`'s `<Action>Command` against the edge, as a Step Functions SDK integration does
 * with the state machine's role; the response comes back without `$metadata`, its times as ISO 8601 strings (state
 * data is JSON: a later state or a Lambda payload never holds a Date object).
 * @throws Error when the client package or command does not exist, or the service's own error.
 */
export function createSdkCaller(
  target: SdkTarget,
): (service: string, action: string, params: Record<string, unknown>) => Promise<Record<string, unknown>> {
  const clients = new Map<string, { client: Client; module: ClientModule }>();
  return async (service, action, params) => {
    let entry = clients.get(service);
    if (!entry) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const module = require(`@aws-sdk/client-${service}`) as ClientModule;
      // The service client is e.g. SNSClient or SESv2Client; smithy's base class is also exported, as __Client.
      const ClientClass = Object.entries(module).find(
        ([name, value]) => /^[A-Za-z0-9]+Client$/.test(name) && typeof value === 'function',
      )?.[1] as (new (config: unknown) => Client) | undefined;
      if (!ClientClass) throw new Error(`@aws-sdk/client-${service} has no client class`);
      const client = new ClientClass({
        endpoint: target.edgeUrl,
        region: target.region,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        // Step Functions' Retry owns retries, as with a real service integration.
        maxAttempts: 1,
      });
      entry = { client, module };
      clients.set(service, entry);
    }
    const commandName = `${action.charAt(0).toUpperCase()}${action.slice(1)}Command`;
    const Command = entry.module[commandName] as (new (input: unknown) => unknown) | undefined;
    if (!Command) throw Object.assign(new Error(`@aws-sdk/client-${service} has no ${commandName}`), { name: 'States.Runtime' });
    const { $metadata: _metadata, ...output } = await entry.client.send(new Command(params));
    return datesAsStrings(output) as Record<string, unknown>;
  };
}

/** A response with every Date the SDK parsed (e.g. MediaConvert's `Job.Timing`) as its ISO string; the rest as it is. */
export function datesAsStrings(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(datesAsStrings);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, datesAsStrings(entry)]));
  return value;
}
