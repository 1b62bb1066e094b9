export const DEMO_TENANT_ID: string;
export const DIGITS_INPUT: { name: string; datatype: string; shape: number[]; min: number; max: number };
export function demoTenant(originUrl: string): Record<string, unknown> & { id: string; models: Array<Record<string, unknown>> };
