import { isObject } from "./json";

/**
 * What a rejection or `catch` got (an Error, a DOMException, or anything a stream was errored
 * with), read without a cast: its name and message, for a log line or an operator-only reason.
 */
export const errorName = (err: unknown): string => (isObject(err) ? String(err.name) : "");
export const errorMessage = (err: unknown): string => (isObject(err) ? String(err.message) : String(err));
