/**
 * Parses Mermaid diagrams with the real mermaid parser (mermaid's flowchart grammar and
 * database), in a child process because mermaid is an ES module that needs a DOM (jsdom).
 * stdin: JSON array of diagram texts. stdout: JSON array of
 * { ok, error?, type?, vertices: [{ id, text, classes, shape }], edges: [{ start, end, text }], subgraphs: [{ id, title, nodes }], classes: [name] }.
 */
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

let input = '';
for await (const chunk of process.stdin) input += chunk;
const out = [];
for (const text of JSON.parse(input)) {
  try {
    const parsed = await mermaid.parse(text);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const db = diagram.db;
    out.push({
      ok: true,
      type: parsed.diagramType,
      vertices: [...db.getVertices().values()].map((v) => ({ id: v.id, text: v.text, classes: v.classes, shape: v.type })),
      edges: db.getEdges().map((e) => ({ start: e.start, end: e.end, text: e.text })),
      subgraphs: db.getSubGraphs().map((s) => ({ id: s.id, title: s.title, nodes: s.nodes, classes: s.classes })),
      classes: [...db.getClasses().keys()],
    });
  } catch (err) {
    out.push({ ok: false, error: String(err && err.message ? err.message : err) });
  }
}
process.stdout.write(JSON.stringify(out));
