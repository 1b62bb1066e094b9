export function runtimeNoiseFilter(): (chunk: string) => string;
