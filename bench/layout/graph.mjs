// Reads the DOT subset the layout benchmark writes (the same file `meshwork layout` and
// `dot -Tplain` read): `"a" [width=1.2, height=0.6];` nodes in inches, `"a" -> "b";` edges.
// Prints positions the way `dot -Tplain` does, so one scorer reads every engine's output.
import { readFileSync } from "node:fs";

export function readGraph(path) {
  const nodes = new Map();
  const edges = [];
  const node = (name) => {
    name = name.trim().replace(/^"|"$/g, "");
    if (!nodes.has(name)) nodes.set(name, { id: name, width: 54, height: 36 });
    return nodes.get(name);
  };
  for (const raw of readFileSync(path, "utf8").split("\n")) {
    const line = raw.trim().replace(/;$/, "").trim();
    if (!line || /^(digraph|}|rankdir|node |edge |graph |\/\/)/.test(line)) continue;
    if (line.includes("->")) {
      const [a, b] = line.split("->");
      edges.push([node(a).id, node(b.split("[")[0]).id]);
    } else if (line.includes("[")) {
      const [name, attrs] = line.split("[");
      const n = node(name);
      for (const attr of attrs.replace("]", "").split(",")) {
        const [k, v] = attr.split("=").map((s) => s.trim());
        if (k === "width") n.width = parseFloat(v) * 72;
        if (k === "height") n.height = parseFloat(v) * 72;
      }
    } else {
      node(line);
    }
  }
  return { nodes: [...nodes.values()], edges };
}

/** Node centres in points, y growing downwards, printed in inches like `dot -Tplain`. */
export function printPlain(width, height, placed) {
  const out = [`graph 1 ${(width / 72).toFixed(3)} ${(height / 72).toFixed(3)}`];
  for (const n of placed) {
    out.push(`node ${n.id} ${(n.x / 72).toFixed(3)} ${((height - n.y) / 72).toFixed(3)} ${(n.width / 72).toFixed(3)} ${(n.height / 72).toFixed(3)}`);
  }
  out.push("stop");
  process.stdout.write(out.join("\n") + "\n");
}
