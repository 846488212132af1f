import { datesAsStrings } from '../../sdk-caller';

describe('datesAsStrings', () => {
  it('gives an SDK response’s dates as ISO strings, as state data holds them, and keeps everything else', () => {
    // Prepare: a MediaConvert GetJob answer as the SDK parses it.
    const body = new Uint8Array([1, 2]);
    const response = {
      Job: { Id: 'j1', Timing: { SubmitTime: new Date('2026-12-06T01:00:00.000Z'), FinishTime: new Date('2026-12-06T01:00:09.500Z') } },
      Outputs: [{ At: new Date(0), Count: 2, Done: true, Missing: null }],
      Body: body,
    };

    // Act
    const converted = datesAsStrings(response);

    // Assess
    expect(converted).toEqual({
      Job: { Id: 'j1', Timing: { SubmitTime: '2026-12-06T01:00:00.000Z', FinishTime: '2026-12-06T01:00:09.500Z' } },
      Outputs: [{ At: '1970-01-01T00:00:00.000Z', Count: 2, Done: true, Missing: null }],
      Body: body,
    });
    expect((converted as { Body: unknown }).Body).toBe(body);
  });
});
