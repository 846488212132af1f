import {
  DetectFacesCommand,
  DetectLabelsCommand,
  DetectModerationLabelsCommand,
  DetectTextCommand,
  ImageTooLargeException,
  InvalidImageFormatException,
  InvalidParameterException,
  InvalidS3ObjectException,
  RekognitionClient,
  type DetectFacesResponse,
  type DetectLabelsResponse,
} from '@aws-sdk/client-rekognition';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { startRekognitionServer } from '../../server';
import { edgeClientConfig } from '../../../../edge/tests/support/edge-client';
import { checkFacesResponse, checkLabelsResponse, checkModerationResponse, checkTextResponse } from './shape-checks';
import { renderTextImage } from './text-image';

const FIXTURES = join(__dirname, '..', '..', '..', '..', '..', 'tests', 'fixtures', 'images');
const fixture = (name: string) => readFile(join(FIXTURES, name));

// Generous: model loading and the group photo share 2 cores with other suites; this bounds a hang, it times nothing.
jest.setTimeout(300_000);

describe('local Rekognition server through @aws-sdk/client-rekognition', () => {
  let dataDir: string;
  let server: Awaited<ReturnType<typeof startRekognitionServer>>;
  let client: RekognitionClient;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'vision-'));
    server = await startRekognitionServer({
      dataDir,
      workers: 1,
      // The local S3 store's role, played here by the fixture folder.
      readS3Object: async (_bucket, key) => readFile(join(FIXTURES, key)),
    });
    client = new RekognitionClient(edgeClientConfig(server.url));
  });

  afterAll(async () => {
    client?.destroy();
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  describe('DetectFaces', () => {
    it('finds the one face on ai-face.jpg with every attribute the models give', async () => {
      const response = await client.send(new DetectFacesCommand({ Image: { Bytes: await fixture('ai-face.jpg') }, Attributes: ['ALL'] }));

      checkFacesResponse(response);
      expect(response.FaceDetails).toHaveLength(1);
      const [face] = response.FaceDetails ?? [];
      expect(face.Confidence).toBeGreaterThan(80);
      expect(face.AgeRange?.Low).toBeLessThan(face.AgeRange?.High as number);
      expect(face.Gender?.Value).toMatch(/^(Male|Female)$/);
      expect(face.Emotions?.length).toBeGreaterThan(0);
      expect(face.Smile).toBeDefined();
      expect(face.EyesOpen).toBeDefined();
      expect(face.MouthOpen).toBeDefined();
      expect(face.Landmarks).toHaveLength(30);
      const landmark = (type: string) => face.Landmarks?.find((entry) => entry.Type === type);
      expect(landmark('eyeLeft')?.X).toBeLessThan(landmark('eyeRight')?.X as number);
      expect(landmark('eyeLeft')?.Y).toBeLessThan(landmark('mouthLeft')?.Y as number);
      expect(face.Beard).toBeUndefined();
    });

    it('returns only the default attributes when none are asked for', async () => {
      const response = await client.send(new DetectFacesCommand({ Image: { Bytes: await fixture('ai-face.jpg') } }));

      const [face] = response.FaceDetails ?? [];
      expect(Object.keys(face).sort()).toEqual(['BoundingBox', 'Confidence', 'Landmarks', 'Pose', 'Quality']);
    });

    it('finds the one face on the full-body image', async () => {
      const response = await client.send(new DetectFacesCommand({ Image: { Bytes: await fixture('ai-body.jpg') } }));

      checkFacesResponse(response);
      expect(response.FaceDetails).toHaveLength(1);
    });

    it('finds no face on the landscape', async () => {
      const response = await client.send(new DetectFacesCommand({ Image: { Bytes: await fixture('background.jpg') } }));

      expect(response.FaceDetails).toEqual([]);
    });

    it('finds the 13 faces of the group photo, give or take two', async () => {
      const response: DetectFacesResponse = await client.send(
        new DetectFacesCommand({ Image: { Bytes: await fixture('group-1.jpg') }, Attributes: ['ALL'] }),
      );

      checkFacesResponse(response);
      expect(response.FaceDetails?.length).toBeGreaterThanOrEqual(11);
      expect(response.FaceDetails?.length).toBeLessThanOrEqual(15);
    });

    it('reads the image through the S3 store for Image.S3Object', async () => {
      const response = await client.send(new DetectFacesCommand({ Image: { S3Object: { Bucket: 'any', Name: 'ai-face.jpg' } } }));

      expect(response.FaceDetails).toHaveLength(1);
    });
  });

  describe('DetectLabels', () => {
    it('labels the people in the group photo as Person with instances', async () => {
      const response: DetectLabelsResponse = await client.send(
        new DetectLabelsCommand({ Image: { Bytes: await fixture('group-1.jpg') }, MinConfidence: 50 }),
      );

      checkLabelsResponse(response);
      const person = response.Labels?.find((label) => label.Name === 'Person');
      expect(person?.Confidence).toBeGreaterThan(70);
      expect(response.Labels?.find((label) => label.Name === 'Face')?.Parents).toEqual([{ Name: 'Head' }, { Name: 'Person' }]);
    });

    it('finds a Person on the body image and nothing human on the landscape', async () => {
      const body = await client.send(new DetectLabelsCommand({ Image: { Bytes: await fixture('ai-body.jpg') } }));
      const landscape = await client.send(new DetectLabelsCommand({ Image: { Bytes: await fixture('background.jpg') } }));

      expect(body.Labels?.map((label) => label.Name)).toContain('Person');
      expect(landscape.Labels?.map((label) => label.Name)).not.toContain('Person');
    });

    it('honours MaxLabels and gives image properties when asked', async () => {
      const response = await client.send(
        new DetectLabelsCommand({
          Image: { Bytes: await fixture('group-1.jpg') },
          MaxLabels: 1,
          MinConfidence: 20,
          Features: ['GENERAL_LABELS', 'IMAGE_PROPERTIES'],
          Settings: { ImageProperties: { MaxDominantColors: 5 } },
        }),
      );

      checkLabelsResponse(response);
      expect(response.Labels).toHaveLength(1);
      const colors = response.ImageProperties?.DominantColors ?? [];
      expect(colors.length).toBeGreaterThan(0);
      expect(colors.length).toBeLessThanOrEqual(5);
      expect(colors.reduce((sum, color) => sum + (color.PixelPercent ?? 0), 0)).toBeCloseTo(100, 0);
    });

    it('measures a dark flat image as dark, low in contrast and not sharp', async () => {
      const dark = await sharp({ create: { width: 200, height: 200, channels: 3, background: { r: 20, g: 20, b: 30 } } })
        .png()
        .toBuffer();

      const response = await client.send(new DetectLabelsCommand({ Image: { Bytes: dark }, Features: ['IMAGE_PROPERTIES'] }));

      expect(response.Labels).toEqual([]);
      expect(response.ImageProperties?.Quality?.Brightness).toBeLessThan(15);
      expect(response.ImageProperties?.Quality?.Contrast).toBeLessThan(5);
      expect(response.ImageProperties?.Quality?.Sharpness).toBeLessThan(5);
      expect(response.ImageProperties?.DominantColors?.[0]).toMatchObject({
        HexCode: '#14141e',
        SimplifiedColor: 'black',
        PixelPercent: 100,
      });
    });
  });

  it('analyses a CMYK JPEG and a 16-bit grey PNG with alpha like any other image', async () => {
    for (const name of ['Channel_digital_image_CMYK_color_no_profile.jpg', '16-bit-grey-alpha.png']) {
      const response = await client.send(
        new DetectLabelsCommand({ Image: { Bytes: await fixture(name) }, Features: ['GENERAL_LABELS', 'IMAGE_PROPERTIES'] }),
      );

      checkLabelsResponse(response);
      expect(response.ImageProperties?.DominantColors?.length).toBeGreaterThan(0);
    }
  });

  describe('DetectModerationLabels', () => {
    it('answers in Rekognition taxonomy with a model version and flags nothing on the landscape', async () => {
      const response = await client.send(new DetectModerationLabelsCommand({ Image: { Bytes: await fixture('background.jpg') } }));

      checkModerationResponse(response);
      expect(response.ModerationLabels).toEqual([]);
      expect(response.ModerationModelVersion).toBe('7.0');
    });

    it('returns every label at or above MinConfidence 0 with its taxonomy', async () => {
      const response = await client.send(
        new DetectModerationLabelsCommand({ Image: { Bytes: await fixture('ai-body.jpg') }, MinConfidence: 0 }),
      );

      checkModerationResponse(response);
      expect(response.ModerationLabels?.map((label) => label.Name).sort()).toEqual([
        'Explicit',
        'Explicit Nudity',
        'Swimwear or Underwear',
      ]);
    });
  });

  describe('DetectText', () => {
    it('reads lines and words from an image made of text', async () => {
      const image = await renderTextImage(['OPEN 24 HOURS', 'Fresh coffee daily']);

      const response = await client.send(new DetectTextCommand({ Image: { Bytes: image } }));

      checkTextResponse(response);
      const lines = response.TextDetections?.filter((detection) => detection.Type === 'LINE').map((detection) => detection.DetectedText);
      expect(lines).toEqual(['OPEN 24 HOURS', 'Fresh coffee daily']);
      expect(response.TextDetections?.filter((detection) => detection.Type === 'WORD')).toHaveLength(6);
    });

    it('finds no text on the landscape', async () => {
      const response = await client.send(new DetectTextCommand({ Image: { Bytes: await fixture('background.jpg') } }));

      expect(response.TextDetections).toEqual([]);
    });
  });

  describe('errors', () => {
    it('refuses a GIF with InvalidImageFormatException', async () => {
      const send = async () => client.send(new DetectLabelsCommand({ Image: { Bytes: await fixture('animated-loop-3.gif') } }));

      await expect(send()).rejects.toBeInstanceOf(InvalidImageFormatException);
    });

    it('refuses a 60-pixel image with InvalidParameterException', async () => {
      const small = await sharp({ create: { width: 60, height: 200, channels: 3, background: '#888888' } })
        .png()
        .toBuffer();

      await expect(client.send(new DetectFacesCommand({ Image: { Bytes: small } }))).rejects.toBeInstanceOf(InvalidParameterException);
    });

    it('refuses more than 5 MB of bytes with ImageTooLargeException', async () => {
      const large = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(5 * 1024 * 1024)]);

      await expect(client.send(new DetectLabelsCommand({ Image: { Bytes: large } }))).rejects.toBeInstanceOf(ImageTooLargeException);
    });

    it('refuses an image over 10,000 pixels a side with ImageTooLargeException', async () => {
      const send = client.send(new DetectLabelsCommand({ Image: { Bytes: await fixture('giant-image.jpg') } }));

      await expect(send).rejects.toBeInstanceOf(ImageTooLargeException);
    });

    it('reports a missing S3 object with InvalidS3ObjectException', async () => {
      const send = client.send(new DetectLabelsCommand({ Image: { S3Object: { Bucket: 'any', Name: 'missing.jpg' } } }));

      await expect(send).rejects.toBeInstanceOf(InvalidS3ObjectException);
    });

    it('refuses MinConfidence over 100 with InvalidParameterException', async () => {
      const send = client.send(new DetectLabelsCommand({ Image: { Bytes: await fixture('ai-face.jpg') }, MinConfidence: 101 }));

      await expect(send).rejects.toBeInstanceOf(InvalidParameterException);
    });

    it('answers a corrupt JPEG with InvalidImageFormatException and keeps serving', async () => {
      for (const name of ['truncated.jpg', 'corrupt-header.jpg']) {
        const send = client.send(new DetectFacesCommand({ Image: { Bytes: await fixture(name) } }));
        await expect(send).rejects.toBeInstanceOf(InvalidImageFormatException);
      }

      const next = await client.send(new DetectFacesCommand({ Image: { Bytes: await fixture('ai-face.jpg') } }));

      expect(next.FaceDetails).toHaveLength(1);
      expect(server.service.health()).toEqual({ ready: true, workers: 1, restarts: 0 });
    });

    it('answers an unknown target with UnknownOperationException in JSON 1.1 form', async () => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'x-amz-target': 'RekognitionService.CreateUser', 'content-type': 'application/x-amz-json-1.1' },
        body: '{}',
      });

      expect(response.status).toBe(400);
      expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
      expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
    });

    it('answers a body that is not JSON with InvalidParameterException', async () => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'x-amz-target': 'RekognitionService.DetectText' },
        body: '{not json',
      });

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ __type: 'InvalidParameterException' });
    });
  });

  it('serves a client configured only through AWS_ENDPOINT_URL_REKOGNITION, as the Lambda code is', async () => {
    const previous = process.env.AWS_ENDPOINT_URL_REKOGNITION;
    process.env.AWS_ENDPOINT_URL_REKOGNITION = server.url;
    const envClient = new RekognitionClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    try {
      const response = await envClient.send(new DetectModerationLabelsCommand({ Image: { Bytes: await fixture('ai-face.jpg') } }));

      expect(response.ModerationModelVersion).toBe('7.0');
    } finally {
      envClient.destroy();
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_REKOGNITION;
      else process.env.AWS_ENDPOINT_URL_REKOGNITION = previous;
    }
  });

  // The SDK keeps only the fields its model knows, so a misspelt or invented field would vanish silently on the way;
  // comparing the raw JSON with what the SDK parsed shows every field the service sends is one the SDK's types name.
  it.each([
    ['DetectFaces', DetectFacesCommand, { Image: { Bytes: 'ai-face.jpg' }, Attributes: ['ALL'] }],
    ['DetectLabels', DetectLabelsCommand, { Image: { Bytes: 'ai-body.jpg' }, Features: ['GENERAL_LABELS', 'IMAGE_PROPERTIES'] }],
    ['DetectModerationLabels', DetectModerationLabelsCommand, { Image: { Bytes: 'ai-body.jpg' }, MinConfidence: 0 }],
  ] as const)('sends no %s field that the SDK drops', async (operation, Command, input) => {
    const bytes = await fixture(input.Image.Bytes);
    const raw = await fetch(server.url, {
      method: 'POST',
      headers: { 'x-amz-target': `RekognitionService.${operation}`, 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ ...input, Image: { Bytes: bytes.toString('base64') } }),
    });
    const { $metadata: _metadata, ...parsed } = await client.send(
      new (Command as new (input: object) => DetectFacesCommand)({ ...input, Image: { Bytes: bytes } }),
    );

    expect(raw.status).toBe(200);
    expect(parsed).toEqual(await raw.json());
  });

  it('sends no DetectText field that the SDK drops', async () => {
    const image = await renderTextImage(['OPEN 24 HOURS']);
    const raw = await fetch(server.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'RekognitionService.DetectText', 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ Image: { Bytes: image.toString('base64') } }),
    });
    const { $metadata: _metadata, ...parsed } = await client.send(new DetectTextCommand({ Image: { Bytes: image } }));

    expect(raw.status).toBe(200);
    expect(parsed).toEqual(await raw.json());
  });

  it('reports health over GET /health', async () => {
    const response = await fetch(`${server.url}/health`);

    expect(await response.json()).toMatchObject({ ready: true, workers: 1 });
  });
});
