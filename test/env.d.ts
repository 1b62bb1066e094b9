import type { Bindings } from "../worker/env";

declare global {
  namespace Cloudflare {
    interface Env extends Bindings {
      /** Base URL of the test origin started by test/helpers/global-setup.ts. */
      ORIGIN_URL: string;
      ORIGIN_URL_2: string;
      /** A loopback URL where nothing listens. */
      ORIGIN_DOWN_URL: string;
    }
  }
}
