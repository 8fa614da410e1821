// dagre (@dagrejs/dagre) on a benchmark graph file, left to right, as its users configure it.
import dagre from "@dagrejs/dagre";
import { printPlain, readGraph } from "./graph.mjs";

const { nodes, edges } = readGraph(process.argv[2]);
const g = new dagre.graphlib.Graph();
g.setGraph({ rankdir: "LR", nodesep: 18, ranksep: 72 });
g.setDefaultEdgeLabel(() => ({}));
for (const n of nodes) g.setNode(n.id, { width: n.width, height: n.height });
for (const [a, b] of edges) g.setEdge(a, b);
dagre.layout(g);
const info = g.graph();
printPlain(info.width, info.height, nodes.map((n) => ({ ...n, x: g.node(n.id).x, y: g.node(n.id).y })));
