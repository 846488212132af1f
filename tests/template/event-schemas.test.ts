import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DETAIL_TYPES, EVENT_SOURCE } from '@smart-image-pipeline/contracts';
import { loadTemplate, repoRoot, resourcesOfType } from './support/template';

const SCHEMA_DIR = join(repoRoot, 'packages', 'contracts', 'event-schemas');

describe('event schema registry', () => {
  const schemas = resourcesOfType(loadTemplate(), 'AWS::EventSchemas::Schema');
  const files = readdirSync(SCHEMA_DIR).filter((name) => name.endsWith('.json'));

  it('registers exactly one schema per JSON Schema file, in the stack registry, as draft 4', () => {
    // Act
    const registered = Object.values(schemas).map((schema) => schema.Properties!);

    // Assess
    expect(registered).toHaveLength(files.length);
    for (const schema of registered) {
      expect(schema.RegistryName).toEqual({ 'Fn::GetAtt': ['EventSchemaRegistry', 'RegistryName'] });
      expect(schema.Type).toBe('JSONSchemaDraft4');
    }
  });

  it.each(readdirSync(SCHEMA_DIR).filter((name) => name.endsWith('.json')))('registers %s with the same content as the file', (file) => {
    // Prepare
    const content = JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8'));

    // Act
    const registered = Object.values(schemas).map((schema) => JSON.parse(schema.Properties!.Content));
    const match = registered.find((schema) => schema.title === content.title);

    // Assess
    expect(match).toEqual(content);
  });

  it('names each schema <source>@<DetailType without spaces>, one per detail type', () => {
    // Act
    const names = Object.values(schemas)
      .map((schema) => schema.Properties!.SchemaName)
      .sort();

    // Assess
    expect(names).toEqual(
      Object.values(DETAIL_TYPES)
        .map((type) => `${EVENT_SOURCE}@${type.replace(/ /g, '')}`)
        .sort(),
    );
  });
});
