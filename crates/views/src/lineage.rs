//! Lineage as the explorer, the product page and the API show it: positioned graphs, impact
//! lists, paths, the mesh map, drift findings and observed freshness.

crate::view! {
    /// A laid-out part of the lineage graph: every node with its box, every edge with its route.
    pub struct LineageGraphView {
        /// The node the picture is centred on.
        pub focus: Option<String>,
        pub nodes: Vec<GraphNodeView>,
        pub edges: Vec<GraphEdgeView>,
        /// One lane per domain, when grouped by domain.
        pub groups: Vec<GraphGroupView>,
        /// The domains that appear, for the legend.
        pub legend: Vec<LegendEntry>,
        pub width: f64,
        pub height: f64,
        /// Edge crossings in the layered drawing (0 is best).
        pub crossings: usize,
        /// The node budget stopped the walk before the requested depth.
        pub truncated: bool,
        /// The path asked for with `path_from` and `path_to`, its nodes all shown…
        pub path: Option<PathView>,
        /// …or why there is none.
        pub path_error: Option<String>,
    }
}

crate::view! {
    pub struct GraphNodeView {
        /// The node id: `product:<id>`, `port:<product>:<port>`, `dataset:<ns>:<name>`,
        /// `job:<ns>:<name>`, `datasetField:<ns>:<dataset>:<field>`, or `more:<flow>:<node>` for an
        /// "and N more" marker.
        pub id: String,
        /// `product`, `port`, `dataset`, `job`, `datasetField` or `more`.
        pub kind: String,
        pub label: String,
        pub domain: Option<String>,
        pub team: Option<String>,
        pub status: Option<String>,
        pub subtype: Option<String>,
        /// Distance from the focus: negative upstream, positive downstream.
        pub depth: i32,
        /// Neighbours not shown yet; expanding the node shows them.
        pub hidden_upstream: usize,
        pub hidden_downstream: usize,
        /// Centre of the box.
        pub x: f64,
        pub y: f64,
        pub width: f64,
        pub height: f64,
        /// For a marker: the node it belongs to and how many neighbours it stands for.
        pub more_of: Option<String>,
        pub more_count: usize,
        /// The page to open for it, when it has one.
        pub href: Option<String>,
    }
}

crate::view! {
    pub struct GraphEdgeView {
        pub from: String,
        pub to: String,
        /// `declared`, `agreement`, `publishes`, `serves`, `reads`, `writes`, `derives` or `more`.
        pub kind: String,
        pub label: Option<String>,
        /// The route, from the source's box to the target's, through its bends.
        pub points: Vec<(f64, f64)>,
        /// Turned around to break a cycle (observed lineage may have cycles).
        pub reversed: bool,
    }
}

crate::view! {
    pub struct GraphGroupView {
        pub domain: String,
        pub name: String,
        pub color: String,
        pub x: f64,
        pub y: f64,
        pub width: f64,
        pub height: f64,
    }
}

crate::view! {
    pub struct LegendEntry {
        pub domain: String,
        pub name: String,
        pub color: String,
    }
}

crate::view! {
    /// Everything downstream of a node, nearest first.
    pub struct ImpactView {
        pub source: String,
        pub source_label: String,
        pub entries: Vec<ImpactEntryView>,
    }
}

crate::view! {
    pub struct ImpactEntryView {
        pub product_id: String,
        pub name: String,
        pub domain_id: Option<String>,
        pub domain_name: String,
        pub domain_color: String,
        pub team_id: Option<String>,
        pub team_name: String,
        pub status: Option<String>,
        /// Product hops from the source.
        pub depth: u32,
        /// Product ids from the source to this product.
        pub path: Vec<String>,
        /// Every node on the way, for highlighting.
        pub route: Vec<String>,
        /// The path relies on observed lineage, not only on declared input ports.
        pub observed: bool,
    }
}

crate::view! {
    /// The shortest path between two nodes along the flow of data.
    pub struct PathView {
        pub from: String,
        pub to: String,
        /// Node ids in flow order.
        pub nodes: Vec<String>,
        /// `(from, to)` node ids of every edge on the path.
        pub edges: Vec<(String, String)>,
    }
}

crate::view! {
    /// The mesh map: domains and the flows of data between them, laid out.
    pub struct DomainMapView {
        pub domains: Vec<DomainMapNode>,
        pub flows: Vec<DomainFlowView>,
        pub width: f64,
        pub height: f64,
    }
}

crate::view! {
    pub struct DomainMapNode {
        pub id: String,
        pub name: String,
        pub color: String,
        pub products: usize,
        /// Product pairs inside the domain that exchange data.
        pub internal_flows: usize,
        pub x: f64,
        pub y: f64,
        pub width: f64,
        pub height: f64,
    }
}

crate::view! {
    pub struct DomainFlowView {
        pub from: String,
        pub to: String,
        /// Distinct (upstream, downstream) product pairs behind the flow.
        pub count: usize,
        pub declared: usize,
        pub observed_only: usize,
        /// Up to 20 of the pairs, for the hover detail.
        pub examples: Vec<(String, String)>,
        pub points: Vec<(f64, f64)>,
    }
}

crate::view! {
    /// What a product declares against what its jobs are seen doing.
    pub struct DriftView {
        pub product_id: String,
        /// Some job was seen writing one of the product's output datasets.
        pub observed: bool,
        /// Those jobs, as `namespace/name`.
        pub writers: Vec<String>,
        pub findings: Vec<DriftFindingView>,
    }
}

crate::view! {
    pub struct DriftFindingView {
        /// `undeclared`, `undeclared_external`, `never_observed` or `unmatchable`.
        pub kind: String,
        pub message: String,
        pub fix: String,
        pub input_port: Option<String>,
        pub upstream_product: Option<String>,
        pub upstream_port: Option<String>,
        /// `namespace` and `name` of the dataset involved.
        pub dataset: Option<(String, String)>,
        /// `namespace` and `name` of the job involved.
        pub job: Option<(String, String)>,
    }
}

crate::view! {
    /// The observed datasets of a product's output port and when a run last completed writing
    /// one of them.
    pub struct PortFreshnessView {
        pub port: String,
        pub datasets: Vec<ObservedDatasetView>,
        pub last_refresh_at: Option<String>,
        /// The freshness the port's contract promises (its `latency`/`freshness` SLA), as the
        /// contract writes it (`7 d`), when it promises one.
        #[serde(default)]
        pub promised: Option<String>,
        /// Whether the last refresh is older than the promise (false without a promise or a
        /// refresh).
        #[serde(default)]
        pub overdue: bool,
    }
}

crate::view! {
    pub struct ObservedDatasetView {
        pub namespace: String,
        pub name: String,
        /// Seen in an OpenLineage event at all.
        pub observed: bool,
        pub last_written_at: Option<String>,
        /// The run that wrote it last.
        pub last_written_by: Option<String>,
        pub node_id: String,
    }
}

crate::view! {
    /// A cycle, as node ids with the first repeated at the end.
    pub struct CycleView {
        pub nodes: Vec<String>,
    }
}

crate::view! {
    /// The answer to an OpenLineage event.
    pub struct LineageReceipt {
        /// `stored`, or `duplicate` when the same event was received before.
        pub status: String,
        /// `run`, `dataset` or `job`.
        pub kind: String,
    }
}

crate::view! {
    /// Nodes matching a search inside the graph, for the explorer's search box.
    pub struct NodeMatch {
        pub id: String,
        pub kind: String,
        pub label: String,
        pub domain: Option<String>,
    }
}
