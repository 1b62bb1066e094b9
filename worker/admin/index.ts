import { Hono } from "hono";
import type { AdminEnv } from "../context";
import { adminAuth } from "./auth";
import { tenants } from "./tenants";
import { keys } from "./keys";
import { watermark } from "./watermark";
import { usage } from "./usage";
import { usageHistory } from "./usage-history";
import { reference } from "./reference";
import { globalAudit } from "./global-audit";
import { metrics } from "./metrics";

/** The admin plane, `/admin/v1` (CONTRACT §7). */
export const admin = new Hono<AdminEnv>();
admin.use("*", adminAuth);
admin.route("/tenants", tenants);
admin.route("/tenants", keys);
admin.route("/tenants", watermark);
admin.route("/tenants", usage);
admin.route("/tenants", usageHistory);
admin.route("/tenants", reference);
admin.route("/audit", globalAudit);
admin.route("/metrics", metrics);
