import { InvalidArgumentError } from 'commander';

/** A commander argument parser for whole numbers in a range, with an error that says which. */
export function parseInteger(min: number, max: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return value;
  };
}
