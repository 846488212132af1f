import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { resizeImage } from '../../src/resize-image';
import { assertSelfContainedSvg } from '../../src/svg-guard';
import { PROCESSED, settings, upload } from './helpers/fixtures';

const svg = (body: string, prolog = ''): Buffer =>
  Buffer.from(
    `${prolog}<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="90">${body}</svg>`,
  );

/** A 1x1 red PNG as a data: URI (allowed: it cannot reach anything). */
const RED_DOT = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

let server: Server;
let origin: string;
let requests: string[];

beforeAll(async () => {
  requests = [];
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/png' }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  requests.length = 0;
});

describe('SVG with ALLOW_SVG=true', () => {
  // ORIGIN is replaced by the local server's address once it listens.
  test.each([
    ['a network <image href>', svg('<image href="ORIGIN/href.png" width="10" height="10"/>')],
    ['a network <image xlink:href>', svg("<image xlink:href='ORIGIN/xlink.png' width='10' height='10'/>")],
    ['a file: href', svg('<image href="file:///etc/hostname" width="10" height="10"/>')],
    ['a relative href', svg('<image href="secret.png" width="10" height="10"/>')],
    ['a CSS url() in a style element', svg('<style>rect { fill: url(ORIGIN/css.svg#g) }</style><rect width="10" height="10"/>')],
    ['a url() in an attribute', svg('<rect width="10" height="10" fill="url(\'ORIGIN/attr.svg#g\')"/>')],
    ['an external entity', svg('<text>&xxe;</text>', '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')],
    ['a network entity', svg('<text>&net;</text>', '<!DOCTYPE svg [<!ENTITY net SYSTEM "ORIGIN/entity">]>')],
    ['an xml-stylesheet instruction', svg('<rect width="10" height="10"/>', '<?xml-stylesheet type="text/css" href="ORIGIN/sheet.css"?>')],
    ['an XInclude', svg('<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="ORIGIN/inc.xml" parse="text"/>')],
    ['a CSS @import', svg('<style>@import "ORIGIN/imp.css";</style>')],
  ])('refuses an SVG with %s and makes no request', async (_label, template) => {
    // Prepare
    const { store, input } = upload(Buffer.from(template.toString().replaceAll('ORIGIN', origin)));

    // Act
    const result = resizeImage(input, { store, settings: settings({ allowSvg: true }) });

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'UnsupportedImageTypeError', message: expect.stringMatching(/^SVG refused/) });
    expect(requests).toEqual([]);
    expect(store.puts.size).toBe(0);
  });

  test('renders fragment and data: references', async () => {
    // Prepare
    const body = svg(
      `<defs><linearGradient id="g"><stop offset="0" stop-color="#f00"/><stop offset="1" stop-color="#00f"/></linearGradient></defs>` +
        `<rect width="120" height="90" fill="url(#g)"/><use href="#g"/><image href="${RED_DOT}" width="20" height="20"/>`,
    );
    const { store, input } = upload(body);

    // Act
    const output = await resizeImage(input, { store, settings: settings({ allowSvg: true }) });

    // Assess
    expect(output.image).toMatchObject({ format: 'svg', width: 120, height: 90 });
    const webp = store.put(PROCESSED, output.variants[0].key)!.body;
    const { data } = await sharp(webp).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(200); // the red data: image is drawn at the top-left corner
    expect(requests).toEqual([]);
  });

  test('is backed by librsvg, which does not fetch network references even unguarded', async () => {
    // Prepare: bypasses our guard on purpose, to document the second line of defence.
    const body = svg(`<image href="${origin}/unguarded.png" width="10" height="10"/>`);

    // Act
    await sharp(body).png().toBuffer();

    // Assess
    expect(requests).toEqual([]);
  });
});

describe('assertSelfContainedSvg', () => {
  test('accepts an SVG with no references', () => {
    expect(() => assertSelfContainedSvg(svg('<circle r="4" fill="#123"/>'))).not.toThrow();
  });

  test('refuses an href written with character references', () => {
    expect(() => assertSelfContainedSvg(svg('<image href="&#104;ttp://example.com/x.png"/>'))).toThrow('external resource');
  });
});
