import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { numberArg } from './number-arg.js';

describe('numberArg', () => {
  it('parses numbers and integers', () => {
    expect(numberArg('--lr')('0.001')).toBe(0.001);
    expect(numberArg('--epochs', { int: true, min: 1 })('12')).toBe(12);
  });
  it('rejects bad values naming the option, the expectation and the value', () => {
    expect(() => numberArg('--epochs', { int: true })('many')).toThrow(
      "--epochs must be an integer, received 'many'",
    );
    expect(() => numberArg('--epochs', { int: true })('1.5')).toThrow(InvalidArgumentError);
    expect(() => numberArg('--folds', { int: true, min: 2 })('1')).toThrow(
      "--folds must be an integer ≥ 2, received '1'",
    );
    expect(() => numberArg('--lr')('')).toThrow("--lr must be a number, received ''");
  });
});
