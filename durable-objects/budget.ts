import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../worker/env";

/** Placeholder so the Worker builds; replaced by the real BudgetObject (issue 3). */
export class BudgetObject extends DurableObject<Bindings> {}
