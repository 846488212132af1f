import { COST_TARGET_USD_PER_THOUSAND, costReports, parseCostArgs, switchPrices } from '../../cost/cli';
import { DOCUMENTED_MIX } from '../../cost/mix';

describe('npm run cost', () => {
  it('prices the documented mix unless flags say otherwise, and refuses a share above 1', () => {
    // Assess
    expect(parseCostArgs([])).toEqual(DOCUMENTED_MIX);
    expect(parseCostArgs(['--duplicate-share', '0'])).toEqual({ ...DOCUMENTED_MIX, duplicateShare: 0 });
    expect(() => parseCostArgs(['--faces-share', '1.5'])).toThrow('--faces-share is a share from 0 to 1, got 1.5');
  });

  it('keeps the defaults under the target for the documented mix, and over it without near-duplicate reuse', async () => {
    // Act
    const { ours, naive } = await costReports([]);
    const switches = await switchPrices(parseCostArgs([]));
    const price = (setting: string) => switches.find((row) => row.setting === setting)!.usdPerThousand;

    // Assess
    expect(ours.usdPerThousand).toBeLessThan(COST_TARGET_USD_PER_THOUSAND);
    expect(naive.usdPerThousand).toBeGreaterThan(ours.usdPerThousand * 2);
    expect(price('reuseNearDuplicates: false')).toBeGreaterThan(COST_TARGET_USD_PER_THOUSAND);
    // Image Properties on the fresh 70 %: $0.75 per 1,000 at the first tier.
    expect(price('rekognitionImageProperties: true') - ours.usdPerThousand).toBeCloseTo(0.7 * 0.75, 2);
    expect(price('detectModeration: "always"')).toBeGreaterThan(ours.usdPerThousand);
    expect(price('detectModeration: "never"')).toBeLessThan(ours.usdPerThousand);
  });
});
