/**
 * MediaConvert's REST-JSON wire uses lowerCamelCase member names (`settings.outputGroups`), its API reference and
 * the state machine PascalCase (`Settings.OutputGroups`). These convert member names; map keys (user metadata,
 * audio selector names such as "Audio Selector 1") are kept as they are.
 */
const MAPS = new Set([
  'userMetadata',
  'UserMetadata',
  'audioSelectors',
  'AudioSelectors',
  'tags',
  'Tags',
  'captionSelectors',
  'CaptionSelectors',
]);

function convert(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => convert(item, rename));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      rename(key),
      MAPS.has(key) && inner && typeof inner === 'object' && !Array.isArray(inner)
        ? Object.fromEntries(Object.entries(inner).map(([mapKey, mapValue]) => [mapKey, convert(mapValue, rename)]))
        : convert(inner, rename),
    ]),
  );
}

/** Wire (camelCase) to API (PascalCase). */
export const fromWire = (value: unknown): unknown => convert(value, (key) => key.charAt(0).toUpperCase() + key.slice(1));
/** API (PascalCase) to wire (camelCase). */
export const toWire = (value: unknown): unknown => convert(value, (key) => key.charAt(0).toLowerCase() + key.slice(1));
