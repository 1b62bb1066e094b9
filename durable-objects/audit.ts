import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../worker/env";

/** Placeholder so the Worker builds; replaced by the real AuditObject (issue 3). */
export class AuditObject extends DurableObject<Bindings> {}
