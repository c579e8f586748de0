import { CodecError, HASH_BYTES, bytesEqual, decode, encode, readBoolean, readBytes, readTuple, readUint, taggedHash } from '@certledger/codec';

/**
 * The simulator's stand-in for a ledger block: enough to tell blocks apart, chain them, and
 * let a faulty proposer make one that every honest node must judge invalid.
 */
export interface SimBlock {
  readonly height: number;
  readonly parent: Uint8Array;
  readonly proposer: number;
  readonly nonce: number;
  readonly valid: boolean;
}

export const GENESIS_PARENT = new Uint8Array(HASH_BYTES);

export function encodeSimBlock(block: SimBlock): Uint8Array {
  return encode([block.height, block.parent, block.proposer, block.nonce, block.valid]);
}

export function decodeSimBlock(bytes: Uint8Array): SimBlock | null {
  try {
    const [height, parent, proposer, nonce, valid] = readTuple(decode(bytes, { maxBytes: 256 }), 5, 'block');
    return {
      height: readUint(height!, 'height'),
      parent: readBytes(parent!, 'parent', HASH_BYTES),
      proposer: readUint(proposer!, 'proposer'),
      nonce: readUint(nonce!, 'nonce'),
      valid: readBoolean(valid!, 'valid'),
    };
  } catch (error) {
    if (error instanceof CodecError) return null;
    throw error;
  }
}

export function hashSimBlock(bytes: Uint8Array): Uint8Array | null {
  return decodeSimBlock(bytes) ? taggedHash('block-header', bytes) : null;
}

/** Valid means: well formed, marked valid, at the expected height, on top of the node's chain. */
export function isValidSimBlock(bytes: Uint8Array, height: number, parent: Uint8Array): boolean {
  const block = decodeSimBlock(bytes);
  return block !== null && block.valid && block.height === height && bytesEqual(block.parent, parent);
}
