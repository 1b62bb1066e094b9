/** The bench Worker without screening (no onnxruntime, no model): the start-up baseline. */
export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/noop") return Response.json({ bytes: (await request.text()).length });
    return new Response("not found", { status: 404 });
  },
};
