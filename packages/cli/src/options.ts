import { InvalidArgumentError } from 'commander';

/** A commander argument parser for whole numbers in a range, with an error that says which. */
export function parseInteger(min: number, max: number) {
  return (text: string): number => {
    if (!/^-?\d+$/.test(text.trim())) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    const value = Number(text);
    if (value < min || value > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return value;
  };
}

/** A node's HTTP API base address: http or https, no path, query or credentials. */
export function parseApiUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidArgumentError('expected a URL such as http://127.0.0.1:8080');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError(`expected an http or https URL, not ${url.protocol}`);
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw new InvalidArgumentError('expected only scheme, host and port, such as http://127.0.0.1:8080');
  }
  return url.origin;
}
