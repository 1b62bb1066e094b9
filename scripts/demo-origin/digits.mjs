/**
 * A seeded generator of 8×8 handwritten-style digits, intensities 0..16, in the manner of the
 * UCI/scikit-learn "digits" set (which counts ink pixels of a 32×32 bitmap in 4×4 blocks).
 *
 * Each sample: a hand-defined 5×7 glyph (some digits have two styles) becomes a stroke skeleton
 * (segments between neighbouring ink cells), which is scaled, slanted, rotated, shifted and drawn
 * on a 32×32 canvas with a random pen width, salted with pixel noise and blot strokes, then
 * counted down to 8×8. Reproducible from the seed.
 */
import { createRng } from "./prng.mjs";

export const IMAGE_SIZE = 8;
export const FEATURES = IMAGE_SIZE * IMAGE_SIZE;
export const CLASSES = 10;
export const MAX_INTENSITY = 16;

/** 5×7 glyphs; `#` is ink. */
export const GLYPHS = {
  0: [[".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."], [".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."]],
  1: [["..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."], ["...#.", "..##.", ".#.#.", "...#.", "...#.", "...#.", "...#."]],
  2: [[".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"]],
  3: [["####.", "....#", "....#", ".###.", "....#", "....#", "####."], [".###.", "#...#", "....#", "..##.", "....#", "#...#", ".###."]],
  4: [["...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."], ["#...#", "#...#", "#...#", "#####", "....#", "....#", "....#"]],
  5: [["#####", "#....", "####.", "....#", "....#", "#...#", ".###."]],
  6: [["..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."]],
  7: [["#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."], ["#####", "....#", "...#.", ".###.", ".#...", ".#...", ".#..."]],
  8: [[".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."]],
  9: [[".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."], [".###.", "#...#", "#...#", ".####", "....#", "....#", "....#"]],
};

/** Segments joining 8-neighbouring ink cells, in glyph units centred on the glyph. */
function skeleton(rows) {
  const ink = [];
  rows.forEach((row, y) => [...row].forEach((c, x) => c === "#" && ink.push([x, y])));
  const on = new Set(ink.map(([x, y]) => `${x},${y}`));
  const segments = [];
  for (const [x, y] of ink) {
    for (const [dx, dy] of [[1, 0], [0, 1], [1, 1], [-1, 1]]) {
      if (on.has(`${x + dx},${y + dy}`)) segments.push([x - 2, y - 3, x + dx - 2, y + dy - 3]);
    }
    segments.push([x - 2, y - 3, x - 2, y - 3]); // isolated cells still get ink
  }
  return segments;
}
const SKELETONS = Object.fromEntries(Object.entries(GLYPHS).map(([d, styles]) => [d, styles.map(skeleton)]));

function distanceToSegment(px, py, [x1, y1, x2, y2]) {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / len2));
  return Math.hypot(px - x1 - t * dx, py - y1 - t * dy);
}

/** One 8×8 image (64 integers 0..16, row-major) of `digit`, drawn with randomness from `rng`. */
export function renderDigit(digit, rng) {
  const styles = SKELETONS[digit];
  const segments = styles[rng.int(0, styles.length - 1)];
  const scale = 2.6 + rng.uniform() * 1.3; // pixels per glyph unit, vertically
  const sx = scale * (0.75 + rng.uniform() * 0.45);
  const slant = (rng.uniform() - 0.5) * 0.6;
  const angle = (rng.uniform() - 0.5) * 0.35;
  const [cx, cy] = [15.5 + rng.int(-3, 3), 15.5 + rng.int(-3, 3)];
  const pen = 1.1 + rng.uniform() * 1.9;
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const place = (gx, gy) => {
    const x = (gx + slant * gy) * sx;
    const y = gy * scale;
    return [cx + cos * x - sin * y, cy + sin * x + cos * y];
  };
  const strokes = segments.map(([a, b, c, d]) => [...place(a, b), ...place(c, d)]);
  // Blots: a short stray stroke on some images.
  if (rng.uniform() < 0.15) {
    const [x, y] = [rng.uniform() * 32, rng.uniform() * 32];
    strokes.push([x, y, x + (rng.uniform() - 0.5) * 8, y + (rng.uniform() - 0.5) * 8]);
  }
  const canvas = new Uint8Array(32 * 32);
  for (const s of strokes) {
    const [x0, x1] = [Math.max(0, Math.floor(Math.min(s[0], s[2]) - pen)), Math.min(31, Math.ceil(Math.max(s[0], s[2]) + pen))];
    const [y0, y1] = [Math.max(0, Math.floor(Math.min(s[1], s[3]) - pen)), Math.min(31, Math.ceil(Math.max(s[1], s[3]) + pen))];
    for (let py = y0; py <= y1; py++) {
      for (let px = x0; px <= x1; px++) if (!canvas[py * 32 + px] && distanceToSegment(px + 0.5, py + 0.5, s) <= pen) canvas[py * 32 + px] = 1;
    }
  }
  const image = new Array(FEATURES).fill(0);
  for (let i = 0; i < canvas.length; i++) {
    const ink = rng.uniform() < 0.02 ? !canvas[i] : canvas[i] === 1;
    if (ink) image[((i >> 5) >> 2) * IMAGE_SIZE + ((i & 31) >> 2)] += 1;
  }
  return image;
}

/** `n` labelled samples, classes balanced and shuffled: `{ X: number[][], y: number[] }`. */
export function generateDigits({ n, seed = 1 }) {
  const rng = createRng(seed);
  const labels = rng.shuffle(Array.from({ length: n }, (_, i) => i % CLASSES));
  return { X: labels.map((d) => renderDigit(d, rng)), y: labels };
}

/** ASCII picture of an image, for humans. */
export function showDigit(image) {
  const shades = " .:-=+*#%@";
  const rows = [];
  for (let r = 0; r < IMAGE_SIZE; r++) {
    rows.push(image.slice(r * 8, r * 8 + 8).map((v) => shades[Math.min(9, Math.round((v / MAX_INTENSITY) * 9))].repeat(2)).join(""));
  }
  return rows.join("\n");
}
