import { bytesEqual, isHash } from './hashing.js';
import { hashStep, isInclusionInput, walkInclusionPath } from './verify.js';

/** One hash of a path that led to its root: `parent` is the hash of `node` joined with `sibling`. */
interface ProvenStep {
  readonly node: Uint8Array;
  readonly sibling: Uint8Array;
  readonly parent: Uint8Array;
}

/** The steps remembered for one root and tree size, by level and then position. */
interface ProvenTree {
  readonly levels: Map<number, ProvenStep>[];
  size: number;
}

interface NewStep {
  readonly level: number;
  readonly position: number;
  readonly step: ProvenStep;
}

/** Roots (with their tree size) as map keys: one character per byte. */
function treeKey(root: Uint8Array, treeSize: number): string {
  return `${treeSize}:${String.fromCharCode.apply(null, root as unknown as number[])}`;
}

/** Equal bytes; a node taken from a remembered step is usually the very object remembered next. */
function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  return a === b || bytesEqual(a, b);
}

/**
 * {@link verifyInclusion} for many leaves of the same trees, such as the certificates of one
 * batch, whose paths share their upper nodes. The hashes of paths that reached their root are
 * remembered by root, tree size, level and position; a later path skips a hash when its node
 * and sibling there are byte for byte the ones remembered, and takes the remembered parent.
 * That is the hash the full computation would get (the same function of the same bytes, the
 * position deciding which side the sibling goes), so every answer is `verifyInclusion`'s, and
 * a path that differs anywhere is hashed from there on. Nothing is remembered from a path
 * that did not reach its root, and only hashes computed here (never the caller's leaf).
 *
 * Memory is bounded by `maxSteps` remembered steps over all roots; the roots least recently
 * used are forgotten first, and a root that fills the memory alone keeps its upper levels,
 * which are stored first.
 */
export class InclusionVerifier {
  readonly #trees = new Map<string, ProvenTree>();
  readonly #maxSteps: number;
  #steps = 0;
  #newest: string | undefined;

  constructor(maxSteps: number) {
    if (!Number.isSafeInteger(maxSteps) || maxSteps < 1) throw new RangeError(`maxSteps must be a positive integer, got ${maxSteps}`);
    this.#maxSteps = maxSteps;
  }

  /** Remembered steps over all roots. */
  get size(): number {
    return this.#steps;
  }

  /** Does `proof` show `leafHash` at `index` in the tree of `treeSize` leaves with `root`? Never throws. */
  verify(leafHash: Uint8Array, index: number, treeSize: number, proof: readonly Uint8Array[], root: Uint8Array): boolean {
    if (!isHash(root) || !isInclusionInput(leafHash, index, treeSize, proof)) return false;
    const key = treeKey(root, treeSize);
    const tree = this.#recall(key);
    const computed: NewStep[] = [];
    const reached = walkInclusionPath(leafHash, index, treeSize, proof, (node, sibling, siblingOnLeft, level, position) => {
      const known = tree?.levels[level]?.get(position);
      if (known && sameHash(known.node, node) && bytesEqual(known.sibling, sibling)) return known.parent;
      const parent = hashStep(node, sibling, siblingOnLeft, level, position);
      if (level > 0) computed.push({ level, position, step: { node, sibling: sibling.slice(), parent } });
      return parent;
    });
    if (!reached || !bytesEqual(reached, root)) return false;
    this.#remember(key, tree, computed);
    return true;
  }

  /** The tree's remembered steps, now the most recently used (already so when asked for again). */
  #recall(key: string): ProvenTree | undefined {
    const tree = this.#trees.get(key);
    if (tree && key !== this.#newest) {
      this.#trees.delete(key);
      this.#trees.set(key, tree);
      this.#newest = key;
    }
    return tree;
  }

  #remember(key: string, known: ProvenTree | undefined, computed: readonly NewStep[]): void {
    if (computed.length === 0) return;
    const tree = known ?? { levels: [], size: 0 };
    if (!known) {
      this.#trees.set(key, tree);
      this.#newest = key;
    }
    for (let i = computed.length - 1; i >= 0; i--) {
      const { level, position, step } = computed[i]!;
      const steps = (tree.levels[level] ??= new Map());
      if (steps.has(position)) continue;
      if (this.#steps >= this.#maxSteps && !this.#forgetOldestBut(tree)) return;
      steps.set(position, step);
      tree.size++;
      this.#steps++;
    }
  }

  /** Forgets the least recently used tree unless it is `keep`; says whether one was forgotten. */
  #forgetOldestBut(keep: ProvenTree): boolean {
    const oldest = this.#trees.entries().next();
    if (oldest.done || oldest.value[1] === keep) return false;
    this.#trees.delete(oldest.value[0]);
    this.#steps -= oldest.value[1].size;
    return true;
  }
}
