import { existsSync, readFileSync } from 'node:fs';
import { repoPath } from '../lib/paths';
import { loadTemplate, templateFunctions, templateStateMachineFile, type TemplateFunction } from '../lib/template';
import type { AslDefinition } from '../../local/services/stepfunctions/asl-walker';
import { walkExecution, type PathFacts } from './asl-transitions';
import type { CostInputs } from './model';
import { measurePeopleUsage, PEOPLE_MIX } from './people';
import { deployedAnalysisConfig, measureAnalysisUsage, measureStoreUsage, resizeUsage } from './usage';
import type { AnalysisConfig } from '../../functions/rekognition-labels/src/types';

/**
 * Durations used when bench/results/latest.json has no measurement. RekognitionLabels always uses its
 * default: in local mode it waits on the local models, not on Rekognition, so its local time says nothing
 * about the cloud (there it waits on two rounds of Rekognition calls).
 */
export const DEFAULT_DURATIONS_MS: Record<string, number> = {
  TriggerStepFunctionFunction: 80,
  ResizeImageFunction: 1500,
  RekognitionLabelsFunction: 1200,
  StoreMetadataFunction: 150,
  // One cached SSM read and, once per container and version, a GetItem: a few milliseconds when warm.
  ResolveVersionFunction: 30,
  /** One event: a consistent GetItem, AdminGetUser, three small conditional writes and one SES/SNS call. */
  NotifyUserFunction: 300,
};

/** The notifier is priced on the notification lines (per message), not as a function of the image run. */
const NOTIFIER = 'NotifyUserFunction';
/** S3 invokes it for every upload; the state machine invokes the rest. */
const TRIGGER = 'TriggerStepFunctionFunction';

/**
 * Path facts of a successful run with labels, for the ASL walker: StoreMetadata wrote the item and returned its
 * Image Processed event, which the run publishes. Notifications (e-mail, SMS) are rules on the bus, not states, so
 * they add no transitions.
 */
export function happyPathFacts(): PathFacts {
  return {
    '$.resize.analysable': true,
    '$.analysis.summary.sections.labels.items[0]': { name: 'Dog' },
    '$.stored.events.processed': { imageId: 'x' },
  };
}

/** Measured durations per function from a results file (resize from the resize bench, the rest from the e2e run). */
export function measuredDurations(
  resultsFile = repoPath('bench', 'results', 'latest.json'),
): Record<string, { ms: number; source: string }> {
  if (!existsSync(resultsFile)) return {};
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as {
    date?: string;
    resize?: { contenders?: { ours?: { byConcurrency?: Record<string, { msPerImage: number }> } } };
    e2e?: { handlerBusyMsMedian?: Record<string, number> };
  };
  const found: Record<string, { ms: number; source: string }> = {};
  const resizeMs = results.resize?.contenders?.ours?.byConcurrency?.['1']?.msPerImage;
  if (typeof resizeMs === 'number') found.ResizeImageFunction = { ms: resizeMs, source: `resize bench ${results.date ?? ''}`.trim() };
  for (const [id, ms] of Object.entries(results.e2e?.handlerBusyMsMedian ?? {})) {
    if (id !== 'RekognitionLabelsFunction' && !(id in found) && typeof ms === 'number')
      found[id] = { ms, source: `e2e bench ${results.date ?? ''}`.trim() };
  }
  return found;
}

/**
 * The functions one image upload invokes: the S3 trigger, and each Lambda task a successful image run enters (the ASL
 * walk; a task's FunctionName resolved through the state machine's DefinitionSubstitutions). Not per upload: the
 * notifier (priced per notification), ApiFunction (per request), CleanUpImage (per delete), the video functions (per
 * video), ReprocessFunction (per reprocess, bench/cost/reprocess.ts) and WebDeploy (per deploy).
 */
export function uploadPathFunctions(template = loadTemplate()): TemplateFunction[] {
  const { asl, functionOf } = stateFunctions(template);
  const invoked = new Set([TRIGGER]);
  for (const name of walkExecution(asl, happyPathFacts())) {
    const logicalId = functionOf(name);
    if (logicalId) invoked.add(logicalId);
  }
  return templateFunctions(template).filter((fn) => invoked.has(fn.logicalId));
}

/**
 * The template's state machine definition, and the Lambda function (logical id) a state invokes: its FunctionName
 * resolved through the state machine's DefinitionSubstitutions; undefined for a state that invokes none.
 */
export function stateFunctions(template = loadTemplate()): { asl: AslDefinition; functionOf(stateName: string): string | undefined } {
  const machine = Object.values(template.Resources as Record<string, any>).find((r) => r.Type === 'AWS::Serverless::StateMachine');
  const substitutions: Record<string, unknown> = machine?.Properties?.DefinitionSubstitutions ?? {};
  const asl = JSON.parse(readFileSync(templateStateMachineFile(template), 'utf8')) as AslDefinition;
  return {
    asl,
    functionOf: (stateName) => {
      const functionName = findState(asl, stateName)?.Parameters?.FunctionName;
      const substitution = typeof functionName === 'string' ? /^\$\{(\w+)\}$/.exec(functionName)?.[1] : undefined;
      return substitution ? getAttTarget(substitutions[substitution]) : undefined;
    },
  };
}

/** The resource a `!GetAtt X.Arn` (short or long form) names. */
function getAttTarget(value: unknown): string | undefined {
  const target = (value as { 'Fn::GetAtt'?: unknown } | undefined)?.['Fn::GetAtt'];
  if (Array.isArray(target)) return String(target[0]);
  return typeof target === 'string' ? target.split('.')[0] : undefined;
}

/** A state by name anywhere in the ASL (inside Parallel branches and Map processors too). */
function findState(asl: AslDefinition, name: string): Record<string, any> | undefined {
  for (const [stateName, state] of Object.entries(asl.States as Record<string, any>)) {
    if (stateName === name) return state;
    const nested = [...(state.Branches ?? []), state.ItemProcessor ?? state.Iterator].filter(Boolean);
    for (const inner of nested) {
      const found = findState(inner as AslDefinition, name);
      if (found) return found;
    }
  }
  return undefined;
}

/** The states a successful run enters, counted by walking the ASL from template.yaml's state machine. */
export function transitionsPerRun(): string[] {
  const asl = JSON.parse(readFileSync(templateStateMachineFile(loadTemplate()), 'utf8')) as AslDefinition;
  return walkExecution(asl, happyPathFacts());
}

/** Builds the cost inputs from the template, the ASL, the functions' own cores and the latest measurements. */
export async function gatherCostInputs(
  options: {
    images: number;
    facesShare: number;
    textShare: number;
    analysisCopyShare: number;
    notifiedShare: number;
    emailShare: number;
    smsShare: number;
    duplicateShare: number;
    resultsFile?: string;
  },
  config: AnalysisConfig = deployedAnalysisConfig(),
): Promise<CostInputs> {
  const measured = measuredDurations(options.resultsFile);
  const functions = templateFunctions();
  const duration = (logicalId: string) => {
    const m = measured[logicalId];
    return { durationMs: m?.ms ?? DEFAULT_DURATIONS_MS[logicalId] ?? 500, source: m?.source ?? 'default (stated)' };
  };
  const notifier = functions.find((fn) => fn.logicalId === NOTIFIER);
  if (!notifier) throw new Error(`template.yaml has no ${NOTIFIER}`);
  const lambdas = uploadPathFunctions().map((fn) => ({ logicalId: fn.logicalId, memoryMb: fn.memoryMb, ...duration(fn.logicalId) }));
  const transitions = transitionsPerRun();
  const analysis = await measureAnalysisUsage(config);
  // Grouping runs on every image whose faces section has a face: the person share, when DetectFaces runs on it (a
  // near-duplicate copies its source's faces and is grouped too).
  const faceImageShare = analysis.person.calls.includes('DetectFaces') ? options.facesShare : 0;
  return {
    ...options,
    lambdas,
    notifier: { memoryMb: notifier.memoryMb, ...duration(NOTIFIER) },
    transitions: transitions.length,
    analysis,
    ...(config.groupFacesIntoPeople
      ? { people: { faceImageShare, perFaceImage: await measurePeopleUsage(PEOPLE_MIX.facesPerFaceImage, PEOPLE_MIX.matchesPerFace) } }
      : {}),
    store: await measureStoreUsage(),
    resize: resizeUsage(),
  };
}
