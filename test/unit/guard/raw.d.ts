/** Vite's `?raw` import: the file's text (detectors.test.ts checks the docs' copy of its table). */
declare module "*.md?raw" {
  const text: string;
  export default text;
}
