/**
 * The baseline for bench/request-path.mjs: a pass-through proxy and nothing else. It forwards
 * `/t/{tenant}/{path}` to `ORIGIN_URL/{path}` (the same URLs Warden serves) and returns the
 * origin's answer as a stream, so the difference to Warden is Warden's own work.
 */
interface Env {
  ORIGIN_URL: string;
}

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const target = env.ORIGIN_URL + url.pathname.replace(/^\/t\/[^/]*/, "") + url.search;
    return fetch(target, { method: request.method, headers: request.headers, body: request.body });
  },
} satisfies ExportedHandler<Env>;
