// elkjs's layered algorithm on a benchmark graph file, left to right.
import ELK from "elkjs/lib/elk.bundled.js";
import { printPlain, readGraph } from "./graph.mjs";

const { nodes, edges } = readGraph(process.argv[2]);
const elk = new ELK();
const laid = await elk.layout({
  id: "root",
  layoutOptions: {
    "elk.algorithm": "layered",
    "elk.direction": "RIGHT",
    "elk.spacing.nodeNode": "18",
    "elk.layered.spacing.nodeNodeBetweenLayers": "72",
  },
  children: nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
  edges: edges.map(([a, b], i) => ({ id: `e${i}`, sources: [a], targets: [b] })),
});
printPlain(laid.width, laid.height, laid.children.map((c) => ({ id: c.id, width: c.width, height: c.height, x: c.x + c.width / 2, y: c.y + c.height / 2 })));
