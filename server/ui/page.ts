/**
 * GET /ui: the live topology page. Read-only: its script only ever GETs /v1/overview with
 * the server's bearer token, and redraws (Mermaid, from the server's diagram text) when the
 * overview's revision changes. The page itself holds no data, so it is served without the
 * token; the token comes from the URL fragment (/ui#token=..., which browsers never send to
 * the server, and the page drops from the address bar) or from a form, and stays in the
 * tab's sessionStorage. Without a valid token the server refuses the data and the page says so.
 */
import path from 'node:path';
import { Router, type Response } from 'express';

/** How often the page asks for the overview. */
export const UI_REFRESH_MS = 2000;

const MERMAID_BUNDLE = path.join(path.dirname(require.resolve('mermaid/package.json')), 'dist', 'mermaid.min.js');

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>netforge topology</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; }
  header { display: flex; gap: 1em; align-items: baseline; padding: .6em 1em; background: #24292f; color: #fff; }
  header h1 { font-size: 1.1em; margin: 0; }
  #status { font-size: .9em; opacity: .8; }
  main { padding: 1em; }
  #refused { max-width: 40em; padding: 1em; border: 1px solid #cf222e; background: #ffebe9; border-radius: 6px; }
  #diagram { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: .5em; overflow: auto; }
  #diagram svg { max-width: none; }
  section { margin-top: 1em; }
  table { border-collapse: collapse; background: #fff; }
  th, td { border: 1px solid #d0d7de; padding: .25em .6em; text-align: left; vertical-align: top; }
  th { background: #f6f8fa; }
  .tables { display: flex; flex-wrap: wrap; gap: 1em; }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<header><h1>netforge topology</h1><span id="status">loading…</span></header>
<main>
  <div id="refused" hidden>
    <p id="refused-reason"></p>
    <form id="token-form"><label>Token <input id="token-input" type="password" autocomplete="off" size="48"></label> <button type="submit">Show</button></form>
  </div>
  <div id="content" hidden>
    <div id="diagram"></div>
    <div class="tables">
      <section><h2>Hosts</h2><table><thead><tr><th>host</th><th>cluster</th><th>state</th><th>L2 networks</th></tr></thead><tbody id="hosts"></tbody></table></section>
      <section><h2>L3 networks</h2><table><thead><tr><th>L3</th><th>CIDR</th><th>addresses used</th><th>services</th></tr></thead><tbody id="l3s"></tbody></table></section>
      <section><h2>VMs</h2><table><thead><tr><th>VM</th><th>host</th><th>state</th><th>addresses</th></tr></thead><tbody id="vms"></tbody></table></section>
    </div>
  </div>
</main>
<script src="/ui/mermaid.min.js"></script>
<script src="/ui/page.js"></script>
</body>
</html>
`;

/** The page's script: plain browser JavaScript, no data of its own. */
const SCRIPT = `'use strict';
(() => {
  const REFRESH_MS = ${UI_REFRESH_MS};
  const TOKEN_KEY = 'netforge-token';
  const $ = (id) => document.getElementById(id);
  let revision = null;
  let drawn = 0;
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral', maxTextSize: 5000000, maxEdges: 100000 });

  function token() {
    const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (m) {
      let given = m[1];
      try { given = decodeURIComponent(given); } catch (e) { /* not %-encoded: taken as written */ }
      sessionStorage.setItem(TOKEN_KEY, given);
      history.replaceState(null, '', location.pathname + location.search);
    }
    return sessionStorage.getItem(TOKEN_KEY);
  }
  function status(text) { $('status').textContent = text; }
  function refused(reason) {
    revision = null;
    $('content').hidden = true;
    $('diagram').replaceChildren();
    $('refused').hidden = false;
    $('refused-reason').textContent = reason;
    status('no access');
    document.body.dataset.state = 'refused';
  }
  function row(cells) {
    const tr = document.createElement('tr');
    for (const c of cells) { const td = document.createElement('td'); td.textContent = c; tr.append(td); }
    return tr;
  }
  async function draw(o) {
    const { svg } = await mermaid.render('topology-' + (++drawn), o.mermaid);
    $('diagram').innerHTML = svg;
    const name = (list, uuid) => (list.find((x) => x.uuid === uuid) || { name: uuid || '-' }).name;
    $('hosts').replaceChildren(...o.hosts.map((h) => row([h.name, name(o.clusters, h.clusterUuid), h.state,
      h.l2Networks.map((l) => l.name + (l.realized ? ' (realized)' : ' (waits for the host)')).join(', ')])));
    $('l3s').replaceChildren(...o.l3Networks.map((l) => row([l.name, l.cidr, l.usage.used + ' of ' + l.usage.total,
      l.services.map((s) => s.services.join(', ') + ' via ' + s.providerName + ' (' + s.state + ')').join('; ')])));
    $('vms').replaceChildren(...o.vms.map((v) => row([v.name, name(o.hosts, v.hostUuid), v.state, v.nics.map((n) => n.ip).join(', ')])));
  }
  async function refresh() {
    const t = token();
    if (!t) return refused('This page needs the server\\'s token: open it as /ui#token=<token>, or paste the token here.');
    let res;
    try {
      // no-cache: the browser revalidates with the revision (ETag) and gets 304 while nothing changed.
      res = await fetch('/v1/overview', { headers: { authorization: 'Bearer ' + t }, cache: 'no-cache' });
    } catch (e) {
      return status('server unreachable (' + e.message + '), retrying');
    }
    if (res.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      return refused('The server refused the token.');
    }
    if (!res.ok) return status('the server answered HTTP ' + res.status + ', retrying');
    const o = await res.json();
    $('refused').hidden = true;
    $('content').hidden = false;
    if (o.revision !== revision) {
      await draw(o);
      revision = o.revision;
      document.body.dataset.revision = revision;
    }
    document.body.dataset.state = 'live';
    status('live · ' + o.zones.length + ' zones, ' + o.hosts.length + ' hosts, ' + o.l2Networks.length + ' L2, ' + o.l3Networks.length + ' L3, ' + o.vms.length + ' VMs · updated ' + new Date().toLocaleTimeString());
  }
  async function loop() {
    try { await refresh(); } catch (e) { status('error: ' + e.message + ', retrying'); }
    setTimeout(loop, REFRESH_MS);
  }
  $('token-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token-input').value.trim());
    $('token-input').value = '';
    refresh();
  });
  loop();
})();
`;

function secure(res: Response): Response {
  return res
    .set('Cache-Control', 'no-store')
    .set('X-Content-Type-Options', 'nosniff')
    .set('Referrer-Policy', 'no-referrer')
    .set('X-Frame-Options', 'DENY')
    // Scripts only from here; Mermaid's SVG carries its own <style>.
    .set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'");
}

export function uiRouter(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    secure(res).type('html').send(HTML);
  });
  router.get('/page.js', (_req, res) => {
    secure(res).type('application/javascript').send(SCRIPT);
  });
  router.get('/mermaid.min.js', (_req, res) => {
    secure(res).set('Cache-Control', 'public, max-age=3600').type('application/javascript').sendFile(MERMAID_BUNDLE);
  });
  return router;
}
