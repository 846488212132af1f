import { costReports } from '../../cost/cli';
import { reprocessCost } from '../../cost/reprocess';
import { measureStoredAnalysisUsage } from '../../cost/reprocess-analysis-skip';
import { deployedAnalysisConfig } from '../../cost/usage';

const serviceUsd = (report: ReturnType<typeof reprocessCost>, service: string) =>
  report.lines.filter((line) => line.service === service).reduce((sum, line) => sum + line.usdPerThousand, 0);

describe('reprocessing cost (npm run cost)', () => {
  it('measures a stored-analysis reuse as no Rekognition call, no raw JSON and one consistent item read', async () => {
    // Act
    const usage = await measureStoredAnalysisUsage(deployedAnalysisConfig());

    // Assess
    expect(usage).toMatchObject({ calls: [], rawJsonPuts: 0, imageProperties: false, consistentItemReads: 1 });
  });

  it('drops Rekognition when the analysis is reused, with the same transitions, and the resize reuse only cuts Lambda and S3', async () => {
    // Prepare
    const { inputs } = await costReports([]);
    const million = { ...inputs, images: 1e6 };
    const storedAnalysis = await measureStoredAnalysisUsage(deployedAnalysisConfig());

    // Act
    const every = reprocessCost(million, 'none');
    const resize = reprocessCost(million, 'resize');
    const both = reprocessCost(million, 'resizeAndAnalysis', storedAnalysis);

    // Assess
    expect(new Set([every.transitions, resize.transitions, both.transitions]).size).toBe(1);
    expect(serviceUsd(resize, 'Rekognition')).toBeCloseTo(serviceUsd(every, 'Rekognition'), 6);
    expect(serviceUsd(both, 'Rekognition')).toBe(0);
    expect(serviceUsd(both, 'Lambda')).toBeLessThan(serviceUsd(resize, 'Lambda'));
    expect(both.lines.map((line) => line.item)).toContain('stored analysis read (AnalyseImage, consistent GetItem)');
    expect(every.usdPerThousand).toBeGreaterThan(resize.usdPerThousand);
    expect(resize.usdPerThousand).toBeGreaterThan(both.usdPerThousand * 3);
    expect(() => reprocessCost(million, 'resizeAndAnalysis')).toThrow('needs the stored-analysis usage');
  });
});
