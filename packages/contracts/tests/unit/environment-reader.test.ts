import { ConfigurationError, EnvironmentReader } from '../../src';

describe('EnvironmentReader', () => {
  it('reads trimmed values, whole numbers, flags and widths, and takes the fallbacks for unset variables', () => {
    // Prepare
    const read = new EnvironmentReader({ NAME: ' images ', COUNT: '12', ON: 'TRUE', OFF: '0', WIDTHS: '1024, 256,1024', RANGE: '15' });

    // Act
    const values = {
      name: read.required('NAME'),
      count: read.positiveInteger('COUNT', 5),
      unsetCount: read.positiveInteger('UNSET', 5),
      range: read.integer('RANGE', 1, 15, 3),
      on: read.flag('ON'),
      off: read.flag('OFF'),
      unsetFlag: read.flag('UNSET'),
      widths: read.widths('WIDTHS', [100]),
      unsetWidths: read.widths('UNSET', [100]),
      unsetText: read.text('UNSET'),
    };

    // Assess
    expect(() => read.done()).not.toThrow();
    expect(values).toEqual({
      name: 'images',
      count: 12,
      unsetCount: 5,
      range: 15,
      on: true,
      off: false,
      unsetFlag: false,
      widths: [256, 1024],
      unsetWidths: [100],
      unsetText: '',
    });
  });

  it('names every bad variable in one ConfigurationError, in the order they were read', () => {
    // Prepare
    const read = new EnvironmentReader({ BLANK: '  ', COUNT: '-3', RANGE: '60', ON: 'yes', WIDTHS: '256,99999' });

    // Act
    read.required('BLANK');
    read.positiveInteger('COUNT', 5);
    read.integer('RANGE', 1, 15, 3);
    read.flag('ON');
    read.widths('WIDTHS', [100]);
    read.problem('OTHER is wrong');
    let thrown: unknown;
    try {
      read.done();
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(thrown).toBeInstanceOf(ConfigurationError);
    expect((thrown as ConfigurationError).problems).toEqual([
      'BLANK is required',
      'COUNT must be a positive integer, got "-3"',
      'RANGE must be an integer from 1 to 15, got "60"',
      'ON must be true or false, got "yes"',
      'WIDTHS must be comma-separated integers 1..16383, got "256,99999"',
      'OTHER is wrong',
    ]);
  });
});
