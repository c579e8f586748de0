/**
 * End-to-end run of the ledger core in one process, until the node and devnet exist:
 * a 4-validator genesis, a batch of certificates anchored, a replica checking every block.
 */
import { encode, sha256, toHex } from '@certledger/codec';
import { applyBlock, buildBlock, decodeBlock, stateRoot, type State } from '@certledger/ledger';
import { makeTx, testNetwork } from '@certledger/ledger/testing';
import { leafHash, MerkleTree, verifyInclusion } from '@certledger/merkle';

const BATCH = 1000;
const net = testNetwork(4, 'certledger-demo');
const chainId = net.genesis.chainId;
const transport = net.issuers.get('transport')!;
console.log(`chain ${chainId}: ${net.genesis.validators.length} validators, issuers ${net.genesis.issuers.map((i) => i.issuerId).join(', ')}`);

const leaves = Array.from({ length: BATCH }, (_, i) => leafHash(sha256(encode(['demo certificate', i]))));
const tree = new MerkleTree(leaves);
const fields = { issuerId: 'transport', typeId: 'driving-licence', typeVersion: 1, root: tree.root, leafCount: BATCH };
const anchor = makeTx(chainId, transport, 0, { kind: 'anchor', ...fields });
const revoke = makeTx(chainId, transport, 1, { kind: 'revoke', issuerId: 'transport', revocations: [{ root: tree.root, leaf: leaves[7]!, reason: 'licence withdrawn' }] });

let proposer: State = net.state;
let replica: State = net.state;
for (const [i, txs] of [[anchor], [revoke], []].entries()) {
  const built = buildBlock(proposer, txs, { time: proposer.lastBlockTime + 1000, proposer: net.validators[i % 4]!.publicKey });
  const received = decodeBlock(built.block.bytes, replica.params.maxBlockBytes);
  if (!received.ok) throw new Error(received.error.message);
  const applied = applyBlock(replica, received.value);
  if (!applied.ok) throw new Error(`replica refused block: ${applied.error.code} ${applied.error.message}`);
  proposer = built.state;
  replica = applied.value;
  const agree = toHex(stateRoot(proposer)) === toHex(stateRoot(replica));
  console.log(`block ${built.block.header.height}: ${built.block.txs.length} tx, hash ${toHex(built.block.hash).slice(0, 16)}…, state root ${toHex(stateRoot(replica)).slice(0, 16)}…, replica agrees: ${agree}`);
  if (!agree) process.exit(1);
}

const index = 42;
const proofOk = verifyInclusion(leaves[index]!, index, BATCH, tree.inclusionProof(index), tree.root);
const anchored = replica.anchors.get(toHex(tree.root));
console.log(`certificate ${index}: inclusion proof ${proofOk ? 'verifies' : 'FAILS'}, anchored at height ${anchored?.height} by ${anchored?.issuerId}`);
console.log(`certificate 7 revoked: ${replica.revocations.has(`${toHex(tree.root)}:${toHex(leaves[7]!)}`)}`);
