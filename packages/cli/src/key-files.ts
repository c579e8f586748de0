import { KeyFileError, readKeyFile, readPublicKeyFile, type LabelledPublicKey } from '@certledger/crypto/keyfile';

/**
 * The public key of a secret or a public key file. When neither reading works, the error is
 * the one for the kind of file it is: a file holding a secret key gets the secret reader's
 * reason (e.g. permissions too open), any other the public reader's.
 */
export function readAnyPublicKey(file: string): LabelledPublicKey {
  try {
    return readKeyFile(file);
  } catch (secretError) {
    if (!(secretError instanceof KeyFileError)) throw secretError;
    try {
      return readPublicKeyFile(file);
    } catch (publicError) {
      const holdsSecret = publicError instanceof KeyFileError && publicError.code === 'MALFORMED' && publicError.message.includes('holds a secret key');
      throw holdsSecret ? secretError : publicError;
    }
  }
}
