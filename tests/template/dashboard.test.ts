import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  recordBytesSaved,
  recordImageFailed,
  recordImageProcessed,
  recordRekognitionCalls,
  recordRekognitionPerImage,
  recordStepDuration,
} from '@smart-image-pipeline/lambda-kit';
import { transitionsPerRun, uploadPathFunctions } from '../../bench/cost/gather';
import { PRICES } from '../../bench/cost/prices';
import { templateFunctions } from '../../bench/lib/template';
import { loadTemplate, repoRoot } from './support/template';

type MetricLine = Array<string | Record<string, unknown>>;
interface Widget {
  properties: { title: string; metrics: MetricLine[] };
}

const STACK = 'STACK';
const template = loadTemplate();
const body: string = (template.Resources.PipelineDashboard as any).Properties.DashboardBody['Fn::Sub'];
const widgets = JSON.parse(body.replace(/\$\{AWS::StackName\}/g, STACK).replace(/\$\{[A-Za-z0-9:.]+\}/g, 'x')).widgets as Widget[];
const widget = (title: string) => widgets.find((w) => w.properties.title === title)!;

/**
 * What each lambda-kit recorder publishes, read from its real EMF output: recorder name -> metric name -> the
 * dimension names of that metric. StepDuration is published by withHandler for a function declaring `step`.
 */
function emittedMetrics(): Map<string, Map<string, string[]>> {
  const recorders: Record<string, (metrics: Metrics) => void> = {
    recordImageProcessed: (m) => recordImageProcessed(m, 'upload'),
    recordImageFailed: (m) => recordImageFailed(m, 'CorruptImageError'),
    recordRekognitionCalls: (m) => recordRekognitionCalls(m, ['DetectLabels']),
    recordRekognitionPerImage: (m) => recordRekognitionPerImage(m, 2, 1),
    recordBytesSaved: (m) => recordBytesSaved(m, 10),
    step: (m) => recordStepDuration(m, 'resize', 5),
  };
  const emitted = new Map<string, Map<string, string[]>>();
  for (const [name, record] of Object.entries(recorders)) {
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => lines.push(String(chunk)) > 0);
    try {
      const metrics = new Metrics({ namespace: STACK, serviceName: 'service' });
      record(metrics);
      metrics.publishStoredMetrics();
    } finally {
      write.mockRestore();
    }
    const byMetric = new Map<string, string[]>();
    for (const line of lines.flatMap((text) => text.split('\n')).filter(Boolean)) {
      const document = JSON.parse(line) as {
        _aws: { CloudWatchMetrics: Array<{ Dimensions: string[][]; Metrics: Array<{ Name: string }> }> };
      };
      for (const directive of document._aws.CloudWatchMetrics)
        for (const metric of directive.Metrics) byMetric.set(metric.Name, [...directive.Dimensions[0]].sort());
    }
    emitted.set(name, byMetric);
  }
  return emitted;
}

/** Every .ts file of a function's code (its CodeUri, or the src folder under it), tests left out, as one text. */
function sourceOf(codeUri: string): string {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return name === 'tests' || name === 'node_modules' ? [] : walk(path);
      return name.endsWith('.ts') ? [readFileSync(path, 'utf8')] : [];
    });
  const root = join(repoRoot, codeUri);
  return walk(existsSync(join(root, 'src')) ? join(root, 'src') : root).join('\n');
}

describe('pipeline dashboard', () => {
  it('charts runs, latency, errors, deliveries, cost per 1,000 images and Rekognition calls per image', () => {
    expect(widgets.map((w) => w.properties.title)).toEqual([
      'Images: processed, and succeeded and failed runs',
      'Run time p50 / p95 (ms)',
      'Step latency p50 / p95 (ms)',
      'Step errors',
      'Analytics facts delivered',
      'Estimated cost per 1,000 images (USD)',
      'Rekognition calls per image',
    ]);
  });

  it('charts only stack metrics a template function publishes, with the dimensions it publishes them under', () => {
    // Prepare
    const emitted = emittedMetrics();
    const functions = templateFunctions(template);
    const charted = widgets.flatMap((w) => w.properties.metrics).filter((line) => line[0] === STACK);

    // Act
    const unexplained = charted.flatMap((line) => {
      const [, name, ...rest] = line as string[];
      const pairs = rest.filter((part) => typeof part === 'string');
      const dimensions = Object.fromEntries(pairs.flatMap((_, index) => (index % 2 === 0 ? [[pairs[index], pairs[index + 1]]] : [])));
      const fn = functions.find((candidate) => candidate.environment.POWERTOOLS_SERVICE_NAME === dimensions.service);
      const source = fn ? sourceOf(fn.codeUri) : '';
      const published = [...emitted.entries()].some(([recorder, metrics]) => {
        const keys = metrics.get(name);
        if (!keys || keys.join() !== Object.keys(dimensions).sort().join()) return false;
        // StepDuration comes from withHandler's `step` option, or a recordStepDuration call for a step that spans
        // invocations (the video analysis); the others from a recorder the function calls.
        return recorder === 'step'
          ? (new RegExp(`['"]${dimensions.step}['"]`).test(source) && /\bstep:/.test(source)) ||
              new RegExp(`recordStepDuration\\(metrics, ['"]${dimensions.step}['"]`).test(source)
          : source.includes(`${recorder}(`);
      });
      return published ? [] : [`${name} ${JSON.stringify(dimensions)}`];
    });

    // Assess
    expect(charted.length).toBeGreaterThanOrEqual(12);
    expect(unexplained).toEqual([]);
  });

  it('counts images as StoreMetadata’s processed results (uploads and reprocesses apart), never as started runs', () => {
    // Prepare
    const perImage = ['Estimated cost per 1,000 images (USD)', 'Rekognition calls per image'].map(
      (title) => widget(title).properties.metrics,
    );
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => lines.push(String(chunk)) > 0);
    try {
      const metrics = new Metrics({ namespace: STACK, serviceName: 'store-metadata' });
      for (const run of ['upload', 'reprocess'] as const) recordImageProcessed(metrics, run);
      metrics.publishStoredMetrics();
    } finally {
      write.mockRestore();
    }
    const published = lines
      .flatMap((text) => text.split('\n'))
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { run: string });

    // Act
    const expressions = perImage.map((metrics) =>
      metrics.flatMap((line) => [(line[0] as { expression?: string }).expression ?? '']).join(' '),
    );
    const imageLines = perImage.map((metrics) =>
      metrics.filter((line) => line[1] === 'ImagesProcessed').map((line) => [line[5], (line.at(-1) as { id: string }).id]),
    );

    // Assess
    expect(published.map((document) => document.run)).toEqual(['upload', 'reprocess']);
    for (const [index, expression] of expressions.entries()) {
      expect(expression).toContain('FILL(uploads, 0) + FILL(reprocessed, 0)');
      expect(expression).not.toMatch(/\/ runs\b/);
      expect(imageLines[index]).toEqual([
        ['upload', 'uploads'],
        ['reprocess', 'reprocessed'],
      ]);
    }
  });

  it('prices the cost widget at npm run cost’s unit prices, over exactly the functions an upload invokes at their memory', () => {
    // Prepare
    const metrics = widget('Estimated cost per 1,000 images (USD)').properties.metrics;
    const expression = String((metrics[0][0] as { expression: string }).expression);
    const ids = new Set(metrics.map((line) => (line.at(-1) as { id?: string }).id ?? (line[0] as { id?: string }).id));
    const lambda = uploadPathFunctions(template);

    // Act
    const referenced = [...expression.matchAll(/\b([a-z][A-Za-z0-9]*)\b/g)].map((match) => match[1]).filter((word) => word !== 'e');
    const durations = [...expression.matchAll(/FILL\((d[a-z]+), 0\) \* (\d+)/g)].map((match) => [match[1], Number(match[2])]);
    const durationFunctions = durations.map(([id]) => {
      const line = metrics.find((candidate) => (candidate.at(-1) as { id?: string }).id === id)!;
      return String(line[3]).replace(/^x$/, '');
    });

    // Assess
    expect(expression).toContain(`${PRICES.rekognition.group2PerImage[0].usd} * FILL(rek, 0)`);
    expect(expression).toContain(`${PRICES.stepFunctions.standardPerTransition} * ${transitionsPerRun().length} * runs`);
    expect(expression).toContain(`${PRICES.lambda.arm64GbSecond[0].usd} * (`);
    expect(expression).toContain(`${PRICES.lambda.perRequest.toFixed(7)} * (`);
    for (const id of referenced.filter((word) => !['FILL'].includes(word))) expect(ids).toContain(id);
    // The Duration lines' function names are substituted (`x` here), so the body text names them.
    const named = [...body.matchAll(/"Duration", "FunctionName", "\$\{([A-Za-z]+)\}", \{"id": "(d[a-z]+)"/g)].map((m) => [m[2], m[1]]);
    expect(new Set(named.map(([, logicalId]) => logicalId))).toEqual(new Set(lambda.map((fn) => fn.logicalId)));
    for (const [id, memory] of durations) {
      const logicalId = named.find(([candidate]) => candidate === id)![1];
      expect(memory).toBe(lambda.find((fn) => fn.logicalId === logicalId)!.memoryMb);
    }
    expect(durationFunctions).toHaveLength(lambda.length);
  });
});
