import { app } from "./app";

export default app;
export { TenantObject } from "../durable-objects/tenant";
export { DirectoryObject } from "../durable-objects/directory";
export { BudgetObject } from "../durable-objects/budget";
export { AuditObject } from "../durable-objects/audit";
export { SignalsObject } from "../durable-objects/signals";
export { MetricsObject } from "../durable-objects/metrics";
