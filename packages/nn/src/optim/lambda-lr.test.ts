import { describe, expect, it } from 'vitest';
import { param } from '../test-utils/optim.js';
import { LambdaLR } from './lambda-lr.js';
import { SGD } from './sgd.js';

const twoGroups = () =>
  new SGD(
    [
      { params: [param()], lr: 0.1 },
      { params: [param()], lr: 0.4 },
    ],
    { lr: 1 },
  );

// Bit-level parity with torch: torch-parity-schedulers.test.ts.
describe('LambdaLR', () => {
  it('sets lr = initial lr · lrLambda(epoch), with the epoch counted from 0 at construction', () => {
    const epochs: number[] = [];
    const opt = twoGroups();
    const s = new LambdaLR(opt, {
      lrLambda: (e) => {
        epochs.push(e);
        return 1 / (e + 1);
      },
    });
    for (let t = 1; t <= 5; t++) s.step();
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.1 / 6, 0.4 / 6]);
    expect(epochs).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  it('takes one function per group and ignores lr changes made in between (not chained)', () => {
    const opt = twoGroups();
    const s = new LambdaLR(opt, { lrLambda: [(e) => e, (e) => 2 ** -e] });
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0, 0.4]);
    opt.lr = 123;
    s.step();
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.1, 0.2]);
  });

  it('keeps no function in its stateDict and resumes with the functions it is rebuilt with', () => {
    const f = (e: number) => 0.9 ** e;
    const opt = twoGroups();
    const s = new LambdaLR(opt, { lrLambda: f });
    s.step();
    s.step();
    const sd = s.stateDict();
    expect(Object.values(sd).some((v) => typeof v === 'function')).toBe(false);
    const opt2 = twoGroups();
    const s2 = new LambdaLR(opt2, { lrLambda: f });
    s2.loadStateDict(JSON.parse(JSON.stringify(sd)));
    s.step();
    s2.step();
    expect(opt2.paramGroups.map((g) => g.lr)).toEqual(opt.paramGroups.map((g) => g.lr));
  });

  it('names a bad lrLambda', () => {
    expect(() => new LambdaLR(twoGroups(), { lrLambda: [(e) => e] })).toThrow(
      'LambdaLR: lrLambda has 1 functions, the optimizer has 2 param groups',
    );
    expect(() => new LambdaLR(twoGroups(), { lrLambda: 0.5 as never })).toThrow(
      'LambdaLR: lrLambda must be a function of the epoch or an array of them, received number',
    );
    expect(() => new LambdaLR(twoGroups(), { lrLambda: [(e) => e, 1 as never] })).toThrow(
      'LambdaLR: lrLambda[1] must be a function of the epoch, received number',
    );
    expect(() => new LambdaLR(twoGroups(), { lrLambda: () => Number.NaN })).toThrow(
      'LambdaLR: lrLambda(0) must return a number, received NaN',
    );
  });
});
