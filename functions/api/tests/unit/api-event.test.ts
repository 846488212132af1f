import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseApiEvent } from '../../src/http/api-request';
import { InvalidApiEventError } from '../../src/errors';

const sample = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'events', 'api', name), 'utf8'));

describe('parseApiEvent', () => {
  it('reads a base64 JSON body of an HTTP API request (post-uploads.json)', () => {
    // Act
    const request = parseApiEvent(sample('post-uploads.json'));

    // Assess
    expect(request).toMatchObject({ method: 'POST', path: '/uploads', requestId: 'JKJaXmPLvHcESHB=' });
    expect(JSON.parse(request.body ?? '')).toEqual({ fileName: 'beach.jpg', contentType: 'image/jpeg', size: 137611 });
    expect(request.headers.authorization).toMatch(/^Bearer /);
  });

  it('keeps the raw query string, so a repeated parameter stays visible (get-images-by-label.json)', () => {
    // Prepare
    const event = { ...sample('get-images-by-label.json'), rawQueryString: 'label=dog&label=cat&minConfidence=80' };

    // Act
    const request = parseApiEvent(event);

    // Assess
    expect(request.method).toBe('GET');
    expect(request.query.getAll('label')).toEqual(['dog', 'cat']);
    expect(request.query.get('minConfidence')).toBe('80');
  });

  it('refuses anything that is not a payload 2.0 event', () => {
    // Prepare
    const v1 = { ...sample('get-images-by-label.json'), version: '1.0' };

    // Assess
    expect(() => parseApiEvent(v1)).toThrow(InvalidApiEventError);
    expect(() => parseApiEvent({ Records: [] })).toThrow(InvalidApiEventError);
    expect(() => parseApiEvent(null)).toThrow(InvalidApiEventError);
  });
});
