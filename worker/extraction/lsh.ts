/**
 * Coverage of the input space: p-stable locality-sensitive hashing (Datar et al. 2004) on the
 * projected vectors. A bucket is the tuple ⌊(a_j·v + b_j)/w⌋ over LSH_FUNCTIONS functions with
 * Gaussian a_j and uniform b_j in [0, w), fixed by a seed; nearby queries share a bucket, far ones
 * rarely do. Distinct buckets visited measure how much of the space a principal (or a tenant) has
 * covered; natural traffic keeps revisiting the regions where real inputs live.
 * Widths are in feature units: OIP features are scaled to [0, 1] by the declared ranges and text
 * vectors have unit length, so one width serves both.
 */
import { DIMS } from "./projection";
import { LSH_FUNCTIONS, LSH_WIDTH } from "./params";
import { gaussian, seededRng } from "../protect/random";

const rng = seededRng(0x15a7_c0de);
const A = Array.from({ length: LSH_FUNCTIONS }, () => Array.from({ length: DIMS }, () => gaussian(rng)));
const B = Array.from({ length: LSH_FUNCTIONS }, () => rng() * LSH_WIDTH);

export function lshBucket(v: readonly number[]): string {
  const dims = DIMS; // a local: an imported binding read in a hot loop is much slower under some loaders
  const parts: number[] = [];
  for (let f = 0; f < LSH_FUNCTIONS; f++) {
    const a = A[f] as number[];
    let dot = B[f] as number;
    for (let j = 0; j < dims; j++) dot += (a[j] as number) * (v[j] as number);
    parts.push(Math.floor(dot / LSH_WIDTH));
  }
  return parts.join(",");
}
