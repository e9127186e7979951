import { describe, expect, it } from 'vitest';
import { LTAD_MODEL_FORMAT, LtadModel, type LtadModelMeta } from '../../../../src/main/engine/ltad/ltadModel';

describe('LtadModel.fromWeights', () => {
  it('refuses a model directory of another format with what to do, before opening anything', () => {
    let towerOpened = false;
    const meta = { format: 'qa-station/ltad@0' } as unknown as LtadModelMeta;
    expect(() =>
      LtadModel.fromWeights(meta, {}, () => {
        towerOpened = true;
        throw new Error('not reached');
      }),
    ).toThrow(`This station cannot read model format "qa-station/ltad@0" (it reads ${LTAD_MODEL_FORMAT}): retrain the model`);
    expect(towerOpened).toBe(false);
  });
});
