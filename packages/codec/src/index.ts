export { CodecError, type CodecErrorCode } from './errors.js';
export { canonicalize, MAX_DEPTH, type Value, type ValueMap } from './value.js';
export { encode, decode, DEFAULT_MAX_BYTES, type DecodeOptions } from './encoding.js';
export { sha256, sha256OfParts, taggedHash, HASH_BYTES, type HashTag } from './hashing.js';
export { toHex, fromHex, bytesEqual, concatBytes, compareBytes } from './hex.js';
export { readTuple, readArray, readMap, readUint, readString, readBoolean, readBytes, readOneOf, firstUnknownKey } from './shape.js';
