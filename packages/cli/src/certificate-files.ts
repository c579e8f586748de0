import { writeFileSync } from 'node:fs';
import { MAX_CERTIFICATE_BYTES, parseCertificateJson, type JsonObject, type TrustedValidators } from '@certledger/certs';
import { parseGenesis } from '@certledger/ledger';
import { MAX_GENESIS_FILE_BYTES, readBoundedFile, readJsonFile } from '@certledger/node/files';

/**
 * A certificate file's bytes, refused when larger than any certificate can be. Certs reads them
 * strictly (UTF-8 only, each key once), which decoding or parsing here first would undo.
 */
export function readCertificateBytes(file: string): Uint8Array {
  return readBoundedFile(file, 'the certificate', MAX_CERTIFICATE_BYTES);
}

/** A certificate file as a JSON object, read as strictly as verification reads it; its structure is checked by whoever uses it. */
export function readCertificateJson(file: string): JsonObject {
  const bytes = readCertificateBytes(file);
  try {
    return parseCertificateJson(bytes);
  } catch (error) {
    throw new Error(`${file} does not hold a certificate: ${(error as Error).message}`);
  }
}

/** The validators of a network's genesis, to check certificates offline against. */
export function readTrustedValidators(file: string): TrustedValidators {
  const genesis = parseGenesis(readJsonFile(file, 'the genesis file', MAX_GENESIS_FILE_BYTES));
  if (!genesis.ok) throw new Error(`${file} is not a genesis file: ${genesis.error.message}`);
  return { chainId: genesis.value.chainId, validators: genesis.value.validators };
}

/** Writes `text` to a file that must not exist yet: an output never replaces anything. */
export function writeNewFile(file: string, text: string): void {
  try {
    writeFileSync(file, text, { flag: 'wx' });
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new Error(code === 'EEXIST' ? `${file} already exists; choose a new file name` : `cannot write ${file}: ${(error as Error).message}`);
  }
}
