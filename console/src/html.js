import { h } from "preact";
import htm from "htm";

/** JSX-like templates without a compiler step (htm): the console's sources run as written. */
export const html = htm.bind(h);
