/** Heights as fixed-width decimal so LevelDB's byte order is numeric order. */
export function heightKey(height: number): string {
  return height.toString().padStart(15, '0');
}

export function parseHeightKey(key: string): number {
  return Number.parseInt(key, 10);
}
