import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../worker/env";

/** Placeholder so the Worker builds; replaced by the real SignalsObject (issue 5). */
export class SignalsObject extends DurableObject<Bindings> {}
