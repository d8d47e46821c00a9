import * as http from 'http';

export type UpstreamResult =
  | { ok: true; body: unknown }
  | { ok: false; status: 502 | 504; error: 'upstream_unreachable' | 'upstream_timeout' | 'upstream_error'; detail: string; upstreamStatus?: number };

/**
 * GET a JSON document with a hard deadline: the request is aborted when the timeout passes,
 * so a caller never hangs on a stuck upstream.
 */
export function getJson(url: string, timeoutMs: number): Promise<UpstreamResult> {
  return new Promise((resolve) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const done = (r: UpstreamResult) => {
      clearTimeout(timer);
      resolve(r);
    };
    const req = http.get(url, { signal: controller.signal, headers: { accept: 'application/json' } }, (res) => {
      let raw = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (raw += chunk));
      res.on('error', (e) => done({ ok: false, status: 502, error: 'upstream_unreachable', detail: e.message }));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) return done({ ok: false, status: 502, error: 'upstream_error', detail: `status ${status}`, upstreamStatus: status });
        try {
          done({ ok: true, body: JSON.parse(raw) });
        } catch {
          done({ ok: false, status: 502, error: 'upstream_error', detail: 'response is not JSON' });
        }
      });
    });
    req.on('error', (e) => {
      if (controller.signal.aborted) done({ ok: false, status: 504, error: 'upstream_timeout', detail: `no answer within ${timeoutMs} ms` });
      else done({ ok: false, status: 502, error: 'upstream_unreachable', detail: e.message });
    });
  });
}
